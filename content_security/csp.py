"""Content-Security-Policy for the public site, widened only by what the registry publishes.

django-csp sends the static part (``CONTENT_SECURITY_POLICY`` in settings: ``'self'`` everywhere,
no ``'unsafe-inline'``, ``/admin/`` excluded because Wagtail's admin needs inline scripts). This
subclass adds, for HTML pages, what published ThirdPartyScript rows need once a visitor grants
their category: the origins of external ``src`` URLs (script, image and connect sources, since
tags load pixels and send beacons) and ``'sha256-…'`` hashes of inline code. Previews get
``frame-ancestors`` from ``preview_frame_ancestors()`` (the admin frames them) and, like pages for
signed-in staff, none of the script sources (``security.staff``). Hashes rather than
nonces keep the page and its header identical for every visitor, so pages stay cacheable.

The sources come from the published registry snapshot (``cookie_registry.services``) and are
computed once per worker until the site generation changes (``site_data``), which every registry
write does in any worker, so a newly published script is allowed everywhere as soon as its publish
returns. ``csp_hash`` and ``script_text_for_html`` are shared with the banner, which emits the
exact text hashed here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from cookie_registry.services import published_registry
from security.staff import is_preview, third_party_code_disabled
from site_data.generation import shared_per_generation


def script_text_for_html(code: str) -> str:
    """Inline code as it can sit inside ``<script>``: the exact text the CSP hash must match.

    Browsers turn CR/CRLF into LF while parsing, so we do too; ``</script`` and ``<!--`` would end
    or confuse the element, and ``<\\/`` means the same inside JavaScript strings.
    """
    text = code.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def origin_of(url: str) -> str | None:
    """``https://cdn.example.com:8443/x.js`` → ``https://cdn.example.com:8443``; None if not http(s)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def compute_script_csp_sources() -> dict[str, list[str]]:
    origins: list[str] = []
    hashes: list[str] = []
    for script in published_registry().scripts:
        if script.src:
            origin = origin_of(script.src)
            if origin and origin not in origins:
                origins.append(origin)
        elif script.inline_code.strip():
            digest = csp_hash(script_text_for_html(script.inline_code))
            if digest not in hashes:
                hashes.append(digest)
    return {
        "script-src": origins + hashes,
        "img-src": list(origins),
        "connect-src": list(origins),
    }


def preview_frame_ancestors() -> list[str]:
    """Who may frame a preview: the admin only. Public pages keep ``frame-ancestors 'none'``.

    A preview is served from the admin's own URL (``/admin/…/preview/``), so ``'self'`` is the admin's
    origin; with ``ADMIN_HOST`` set (``security.middleware``) that origin serves nothing else.
    """
    return ["'self'"]


def script_csp_sources() -> dict[str, list[str]]:
    """Extra CSP sources for the published scripts, shared by the worker until the registry changes."""
    return shared_per_generation("content_security.script_csp_sources", compute_script_csp_sources)


class RegistryAwareCSPMiddleware(CSPMiddleware):
    """django-csp's middleware plus the published scripts' origins and hashes on HTML pages."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_preview(request) and not report_only:  # framed by the admin's preview panel
            parts.replace = {**(parts.replace or {}), "frame-ancestors": preview_frame_ancestors()}
        excluded = tuple(getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("EXCLUDE_URL_PREFIXES", ()))
        if (
            report_only
            or request.path_info.startswith(excluded)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        # Previews and staff pages render no gated scripts; their policy does not allow them either.
        extra = {} if third_party_code_disabled(request) else dict(script_csp_sources())
        extra["style-src"] = list(getattr(request, "_csp_style_hashes", []))  # {% csp_inline_style %}
        for directive, sources in extra.items():
            if sources:
                update[directive] = [*update.get(directive, []), *dict.fromkeys(sources)]
        parts.update = update
        return parts
