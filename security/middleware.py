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
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse

from .client_address import client_ip
from .rate_limit import hit, parse_limits
from .staff import ADMIN_PATH_PREFIX, is_preview

# What the admin host serves besides the admin: its assets, documents and the health check.
ADMIN_HOST_ALSO_SERVES = ("/static/", "/media/", "/documents/", "/healthz/")


class AdminHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        admin_host = getattr(settings, "ADMIN_HOST", "").lower()
        if not admin_host or is_preview(request):  # Wagtail renders previews on a dummy request
            return self.get_response(request)
        host, _port = split_domain_port(request.get_host())
        on_admin_host = host == admin_host
        wants_admin = request.path_info.startswith(ADMIN_PATH_PREFIX)
        if wants_admin and not on_admin_host:
            return HttpResponseRedirect(f"{request.scheme}://{admin_host}{request.get_full_path()}")
        if on_admin_host and not wants_admin and not request.path_info.startswith(ADMIN_HOST_ALSO_SERVES):
            raise Http404("The public site is not served on the admin host.")
        return self.get_response(request)


# Admin paths a signed-in user may reach before their second factor: the 2FA views, logout, assets.
TWO_FACTOR_EXEMPT = ("/admin/2fa/", "/admin/logout/", "/admin/login/", "/admin/jsi18n/")


def two_factor_required(user) -> bool:
    """Superusers and members of ``STAFF_2FA_REQUIRED_GROUPS`` must use TOTP when the setting is on."""
    if not getattr(settings, "STAFF_2FA_REQUIRED", False):
        return False
    if user.is_superuser:
        return True
    groups = getattr(settings, "STAFF_2FA_REQUIRED_GROUPS", [])
    return bool(groups) and user.groups.filter(name__in=groups).exists()


class StaffTwoFactorMiddleware:
    """In the admin, a user with a TOTP device must verify it once per session; a user who must have
    one and has none is sent to enrol. Below django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            user is None
            or not user.is_authenticated
            or not path.startswith(ADMIN_PATH_PREFIX)
            or path.startswith(TWO_FACTOR_EXEMPT)
            or user.is_verified()
        ):
            return self.get_response(request)
        from django_otp import user_has_device

        if user_has_device(user):
            return redirect_to_login(request.get_full_path(), reverse("security_2fa_verify"), "next")
        if two_factor_required(user):
            return redirect_to_login(request.get_full_path(), reverse("security_2fa_enrol"), "next")
        return self.get_response(request)


class PasswordResetRateLimitMiddleware:
    """``PASSWORD_RESET_RATE_LIMIT`` on the admin's password-reset form, per client address and per
    submitted e-mail address: the same answer whether or not the address has an account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_password_reset"):
            limits = parse_limits(settings.PASSWORD_RESET_RATE_LIMIT, setting="PASSWORD_RESET_RATE_LIMIT")
            email = request.POST.get("email", "").strip().lower()
            wait = max(
                hit("password-reset-ip", client_ip(request), limits),
                hit("password-reset-email", email, limits) if email else 0,
            )
            if wait:
                minutes = max(1, round(wait / 60))
                response = render(
                    request,
                    "security/too_many_requests.html",
                    {"minutes": minutes},
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
