"""Serve the admin on its own host name (``ADMIN_HOST``), for full origin isolation.

With the admin at ``admin.example.org`` and the site at ``www.example.org``, the staff session cookie
belongs to the admin's origin only (Django's cookies are host-only unless ``SESSION_COOKIE_DOMAIN``
is set), so nothing running on the public site, not even a compromised third-party script a visitor
allowed, can reach the admin with a signed-in user's rights. Previews are served from the admin host
too, under ``/admin/``. Unset (the default), admin and site share one host.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port

from .staff import ADMIN_PATH_PREFIX

# What the admin host serves besides the admin: its assets, documents and the health check.
ADMIN_HOST_ALSO_SERVES = ("/static/", "/media/", "/documents/", "/healthz/")


class AdminHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin_host = getattr(settings, "ADMIN_HOST", "").lower()
        if not admin_host:
            return self.get_response(request)
        host, _port = split_domain_port(request.get_host())
        on_admin_host = host == admin_host
        wants_admin = request.path_info.startswith(ADMIN_PATH_PREFIX)
        if wants_admin and not on_admin_host:
            return HttpResponseRedirect(f"{request.scheme}://{admin_host}{request.get_full_path()}")
        if on_admin_host and not wants_admin and not request.path_info.startswith(ADMIN_HOST_ALSO_SERVES):
            raise Http404("The public site is not served on the admin host.")
        return self.get_response(request)
