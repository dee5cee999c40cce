"""Staff sign-in protection views: TOTP enrolment and verification, the lock-out page, unlocking."""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.models import AccessAttempt
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .middleware import two_factor_required


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def enrol(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key) into an authenticator app, then confirm with a code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code did not match. Check the time on your phone and try again."))
    return render(
        request,
        "security/two_factor_enrol.html",
        {
            "form": form,
            "page_title": _("Set up two-factor authentication"),
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "secret": base64.b32encode(device.bin_key).decode(),
            "already_enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "required": two_factor_required(user),
            "next": _next_url(request),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a current code from the enrolled app."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code did not match, or too many tries: wait a moment and retry."))
    return render(
        request,
        "security/two_factor_verify.html",
        {"form": form, "page_title": _("Two-factor authentication"), "next": _next_url(request)},
    )


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out account+address: when to retry, nothing about the account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "security/lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def can_unlock(user: Any) -> bool:
    return user.is_superuser or user.has_perm("auth.change_user")


def locked_out_logins(request: HttpRequest) -> HttpResponse:
    """Account+address pairs that reached the failure limit, each with an Unlock button."""
    if not can_unlock(request.user):
        raise PermissionDenied
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    return render(
        request,
        "security/locked_out_logins.html",
        {"attempts": attempts, "page_title": _("Locked-out logins"), "header_icon": "lock"},
    )


@require_POST
def unlock_login(request: HttpRequest, attempt_id: int) -> HttpResponse:
    if not can_unlock(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    AccessAttempt.objects.filter(username=attempt.username, ip_address=attempt.ip_address).delete()
    messages.success(
        request,
        _("%(username)s can sign in again from %(ip)s.")
        % {"username": attempt.username, "ip": attempt.ip_address},
    )
    return HttpResponseRedirect(reverse("security_locked_out_logins"))
