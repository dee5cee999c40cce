"""Content-Security-Policy for the public site, widened only by what the registry publishes.

django-csp sends the static part (``CONTENT_SECURITY_POLICY`` in settings: ``'self'`` everywhere,
no ``'unsafe-inline'``, ``/admin/`` excluded because Wagtail's admin needs inline scripts). This
subclass adds, for HTML pages, what published ThirdPartyScript rows need once a visitor grants
their category: the origins of external ``src`` URLs (script, image and connect sources, since
tags load pixels and send beacons) and ``'sha256-…'`` hashes of inline code. Hashes rather than
nonces keep the page and its header identical for every visitor, so pages stay cacheable.

The sources come from one cached lookup (``script_csp_sources``); any save or delete of a script
or category forgets it, and a short timeout bounds staleness from writes in other processes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from cookie_registry.models import CookieCategory, ThirdPartyScript

from .banner_data import csp_hash, published_scripts

CSP_SOURCES_CACHE_KEY = "consent:csp-sources:v1"
CSP_SOURCES_TIMEOUT = 300  # seconds; invalidation below makes this a safety net only


def origin_of(url: str) -> str | None:
    """``https://cdn.example.com:8443/x.js`` → ``https://cdn.example.com:8443``; None if not http(s)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def compute_script_csp_sources() -> dict[str, list[str]]:
    origins: list[str] = []
    hashes: list[str] = []
    for script in published_scripts():
        if script.src:
            origin = origin_of(script.src)
            if origin and origin not in origins:
                origins.append(origin)
        elif script.code:
            digest = csp_hash(script.code)
            if digest not in hashes:
                hashes.append(digest)
    return {
        "script-src": origins + hashes,
        "img-src": list(origins),
        "connect-src": list(origins),
    }


def script_csp_sources() -> dict[str, list[str]]:
    """Extra CSP sources for the published scripts: one cache lookup per request."""
    sources = cache.get(CSP_SOURCES_CACHE_KEY)
    if sources is None:
        sources = compute_script_csp_sources()
        cache.set(CSP_SOURCES_CACHE_KEY, sources, CSP_SOURCES_TIMEOUT)
    return sources


@receiver(post_save, sender=ThirdPartyScript)
@receiver(post_delete, sender=ThirdPartyScript)
@receiver(post_save, sender=CookieCategory)
@receiver(post_delete, sender=CookieCategory)
def forget_script_csp_sources(**kwargs) -> None:
    cache.delete(CSP_SOURCES_CACHE_KEY)


class RegistryAwareCSPMiddleware(CSPMiddleware):
    """django-csp's middleware plus the published scripts' origins and hashes on HTML pages."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        excluded = tuple(getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("EXCLUDE_URL_PREFIXES", ()))
        if (
            report_only
            or request.path_info.startswith(excluded)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        extra = dict(script_csp_sources())
        extra["style-src"] = list(getattr(request, "_csp_style_hashes", []))  # {% csp_inline_style %}
        for directive, sources in extra.items():
            if sources:
                update[directive] = [*update.get(directive, []), *dict.fromkeys(sources)]
        parts.update = update
        return parts
