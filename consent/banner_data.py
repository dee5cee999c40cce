"""What the consent banner needs from the database, gathered once per request.

Every page carries the same banner markup, the same JSON config and the same inert
(``type="text/plain"``) third-party scripts for every anonymous visitor, so pages stay
cacheable; the visitor's own choice is applied in the browser from the consent cookie.
The two template tags (``consent_head`` and ``consent_banner``) share one ``BannerData``
memoised on the request, so the banner costs the same small number of queries on every page,
however large the registry is.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cookie_registry.models import (
    ConsentModeSignal,
    CookieCategory,
    Party,
    RegistryVersion,
    StorageType,
    ThirdPartyScript,
)
from cookie_registry.services import PublishedRegistry, load_published_registry
from cookie_registry.versioning import current_registry_version
from site_data.generation import shared_per_generation

from .models import ConsentSettings

COOKIE_POLICY_URL = "/cookie-policy/"
PRIVACY_POLICY_URL = "/privacy-policy/"
RECENT_VERSIONS_SHOWN = 10

# Categories granting any of these are "marketing-type": Global Privacy Control keeps them off.
GPC_SIGNALS = frozenset(
    {ConsentModeSignal.AD_STORAGE, ConsentModeSignal.AD_USER_DATA, ConsentModeSignal.AD_PERSONALIZATION}
)
# Storage the browser can delete; pixels and third-party cookies are out of the page's reach.
DELETABLE_STORAGE = {
    StorageType.COOKIE: "cookie",
    StorageType.LOCAL_STORAGE: "local",
    StorageType.SESSION_STORAGE: "session",
}


@dataclass(frozen=True)
class GatedScript:
    """A published ThirdPartyScript as it is emitted: inert until its category is granted."""

    name: str
    category_key: str
    src: str
    code: str  # already made safe for a <script> element; what the CSP hash is computed over
    placement: str


@dataclass(frozen=True)
class BannerData:
    registry: PublishedRegistry
    settings: ConsentSettings
    registry_version: int
    config: dict
    head_scripts: list[GatedScript]
    body_scripts: list[GatedScript]


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


def published_scripts() -> list[GatedScript]:
    """Published scripts whose category is published too, in their editor-given order.

    One query per worker and registry change (shared until the site-data token changes).
    """
    return shared_per_generation("consent.published_scripts", _query_published_scripts)


def _query_published_scripts() -> list[GatedScript]:
    rows = (
        ThirdPartyScript.objects.live()
        .filter(category__live=True)
        .select_related("category")
        .order_by("sort_order", "name", "pk")
    )
    return [
        GatedScript(
            name=row.name,
            category_key=row.category.key,
            src=row.src,
            code="" if row.src else script_text_for_html(row.inline_code),
            placement=row.placement,
        )
        for row in rows
        if row.src or row.inline_code.strip()
    ]


def recent_changes(limit: int = RECENT_VERSIONS_SHOWN) -> list[dict]:
    """The last few versions' change lists, so the banner can say what changed since a visit.

    New registry versions come only from registry publishes, which change the site-data token.
    """
    return shared_per_generation(f"consent.recent_changes.{limit}", lambda: _query_recent_changes(limit))


def _query_recent_changes(limit: int) -> list[dict]:
    versions = RegistryVersion.objects.order_by("-number").values("number", "changes")[:limit]
    result = []
    for version in versions:
        changes = version["changes"] if isinstance(version["changes"], list) else []
        texts = []
        for change in changes:
            text = change.get("text") if isinstance(change, dict) else change
            if isinstance(text, str) and text.strip():
                texts.append(text.strip())
        result.append({"version": version["number"], "changes": texts})
    return result


def category_config(category: CookieCategory) -> dict:
    signals = [s for s in (category.consent_mode_signals or []) if s in ConsentModeSignal.values]
    cookies = [
        {"name": cookie.name, "type": DELETABLE_STORAGE[cookie.storage_type]}
        for cookie in category.published_cookies
        if cookie.party == Party.FIRST and cookie.storage_type in DELETABLE_STORAGE
    ]
    return {
        "key": category.key,
        "name": category.name,
        "essential": category.is_essential,
        "signals": signals,
        "gpcOff": not category.is_essential and bool(GPC_SIGNALS.intersection(signals)),
        "cookies": cookies,
    }


def build_banner_data(request: HttpRequest | None) -> BannerData:
    registry = load_published_registry(request)
    consent_settings = ConsentSettings.load(request_or_site=request)
    version = registry.version.number if registry.version else current_registry_version().number
    config = {
        "registryVersion": version,
        "lifetimeDays": consent_settings.consent_lifetime_days,
        "endpoint": reverse("consent:record"),
        "cookieName": settings.CONSENT_COOKIE_NAME,
        "categories": [category_config(category) for category in registry.categories],
        "changes": recent_changes(),
    }
    scripts = published_scripts()
    return BannerData(
        registry=registry,
        settings=consent_settings,
        registry_version=version,
        config=config,
        head_scripts=[s for s in scripts if s.placement == ThirdPartyScript.Placement.HEAD],
        body_scripts=[s for s in scripts if s.placement != ThirdPartyScript.Placement.HEAD],
    )


def banner_data_for(request: HttpRequest | None) -> BannerData:
    """Memoised on the request so ``consent_head`` and ``consent_banner`` query once between them."""
    if request is None:
        return build_banner_data(None)
    data = getattr(request, "_consent_banner_data", None)
    if data is None:
        data = build_banner_data(request)
        request._consent_banner_data = data
    return data
