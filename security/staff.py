"""Where third-party code must never run: previews, the admin, and pages rendered for signed-in staff.

Published gated scripts and embeds run in the site's origin. For a visitor that is harmless; for a
signed-in editor it would hand a third party (or whoever controls its script host) the editor's
session: a script could read the CSRF token and drive ``/admin/``. So such pages render no gated
scripts and no banner script, say so in place of the banner, and get no registry script sources in
their Content-Security-Policy. Serving the admin on its own host (``ADMIN_HOST``) isolates it fully.
"""

from __future__ import annotations

from django.http import HttpRequest

ADMIN_PATH_PREFIX = "/admin/"
# Where third_party_code_disabled() caches its answer on the request.
REQUEST_ATTRIBUTE = "_third_party_code_disabled"


def is_preview(request: HttpRequest | None) -> bool:
    """A Wagtail preview (page, snippet or setting), rendered through a dummy request."""
    return bool(getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))


def is_admin_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PATH_PREFIX)


def is_signed_in_staff(request: HttpRequest | None) -> bool:
    """Someone who may use the admin: their session must never meet third-party code."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def third_party_code_disabled(request: HttpRequest | None) -> bool:
    """True for previews, admin pages and any page rendered for signed-in staff."""
    if request is None:
        return False
    cached = getattr(request, REQUEST_ATTRIBUTE, None)
    if cached is None:
        cached = is_preview(request) or is_admin_path(request) or is_signed_in_staff(request)
        setattr(request, REQUEST_ATTRIBUTE, cached)
    return cached
