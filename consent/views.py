"""Public consent views. The full consent lifecycle is built on top of these."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cookie_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/cookie_settings.html")
