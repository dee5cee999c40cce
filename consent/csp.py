"""Content-Security-Policy for the public site, widened only by what the registry publishes.

django-csp sends the static part (``CONTENT_SECURITY_POLICY`` in settings: ``'self'`` everywhere,
no ``'unsafe-inline'``, ``/admin/`` excluded because Wagtail's admin needs inline scripts). This
subclass adds, for HTML pages, what published ThirdPartyScript rows need once a visitor grants
their category: the origins of external ``src`` URLs (script, image and connect sources, since
tags load pixels and send beacons) and ``'sha256-…'`` hashes of inline code. Hashes rather than
nonces keep the page and its header identical for every visitor, so pages stay cacheable.

The sources are computed once per worker and kept until the page cache's site-data token changes,
which every registry write does (in any worker: the token is shared), so a newly published script
is allowed everywhere as soon as its publish returns.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from site_data.generation import shared_per_generation

from .banner_data import csp_hash, published_scripts


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
    """Extra CSP sources for the published scripts, shared by the worker until the registry changes."""
    return shared_per_generation("consent.script_csp_sources", compute_script_csp_sources)


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
