"""What the consent banner needs, as one immutable value shared per worker and site generation.

Every page carries the same banner markup, the same JSON config and the same inert
(``type="text/plain"``) third-party scripts for every anonymous visitor, so pages stay
cacheable; the visitor's own choice is applied in the browser from the consent cookie.
The two template tags (``consent_head`` and ``consent_banner``), the embed tag and the consent
endpoint read one ``BannerData``: the published registry snapshot, the public consent settings
and the config derived from them, built once per worker until the site generation changes
(registry writes and Settings › Consent saves bump it). Nothing is stored on the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from wagtail.models import Page

from content_security.csp import csp_hash, script_text_for_html
from cookie_registry.models import ConsentModeSignal, Party, StorageType, ThirdPartyScript
from cookie_registry.services import published_registry
from cookie_registry.snapshot import CategoryEntry, RegistrySnapshot
from policy_pages.versions import latest_material_versions
from site_data.generation import shared_per_generation

from .branding import brand_stylesheet_url
from .models import ConsentSettings

RECENT_VERSIONS_SHOWN = 10

# Categories granting any of these are "marketing-type": Global Privacy Control keeps them off.
GPC_SIGNALS = frozenset(
    {ConsentModeSignal.AD_STORAGE, ConsentModeSignal.AD_USER_DATA, ConsentModeSignal.AD_PERSONALIZATION}
)
# Storage the browser can delete; pixels and third-party cookies are out of the page's reach.
DELETABLE_STORAGE: dict[str, str] = {
    StorageType.COOKIE: "cookie",
    StorageType.LOCAL_STORAGE: "local",
    StorageType.SESSION_STORAGE: "session",
}


@dataclass(frozen=True, slots=True)
class GatedScript:
    """A published ThirdPartyScript as it is emitted: inert until its category is granted."""

    name: str
    category_key: str
    src: str
    code: str  # already made safe for a <script> element; what the CSP hash is computed over
    placement: str


@dataclass(frozen=True, slots=True)
class PublicConsentSettings:
    """The part of Settings › Consent that public pages show (plain values, no ORM instance)."""

    banner_heading: str
    banner_text: str
    reconsent_text: str
    gpc_notice: str
    consent_lifetime_days: int
    banner_position: str = "bar"
    accept_label: str = ""
    reject_label: str = ""
    customize_label: str = ""
    save_label: str = ""
    brand_stylesheet_url: str = ""  # "" with the built-in colours (consent.branding)
    logo_url: str = ""  # a fixed-height rendition of the optional logo
    logo_width: int = 0
    logo_height: int = 0


@dataclass(frozen=True)
class BannerData:
    registry: RegistrySnapshot
    settings: PublicConsentSettings
    registry_version: int
    config: dict[str, Any]  # shared by every request of the worker: read-only
    head_scripts: tuple[GatedScript, ...]
    body_scripts: tuple[GatedScript, ...]
    cookie_policy_url: str = ""  # the pages chosen in Settings › Consent ("" when none is chosen)
    privacy_policy_url: str = ""


def published_scripts(registry: RegistrySnapshot | None = None) -> tuple[GatedScript, ...]:
    """Published scripts whose category is published too, in their editor-given order."""
    registry = registry or published_registry()
    return tuple(
        GatedScript(
            name=script.name,
            category_key=script.category,
            src=script.src,
            code="" if script.src else script_text_for_html(script.inline_code),
            placement=script.placement,
        )
        for script in registry.scripts
    )


def recent_changes(registry: RegistrySnapshot, limit: int = RECENT_VERSIONS_SHOWN) -> list[dict[str, Any]]:
    """The last few versions' change lists, so the banner can say what changed since a visit."""
    return [
        {"version": version.number, "changes": list(version.changes)}
        for version in registry.recent_versions[:limit]
    ]


def category_config(category: CategoryEntry) -> dict[str, Any]:
    signals = list(category.known_signals)
    cookies = [
        {"name": cookie.name, "type": DELETABLE_STORAGE[cookie.storage_type]}
        for cookie in category.cookies
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


def material_notices() -> list[dict[str, Any]]:
    """The latest material change of each live policy, for returning visitors (oldest first).

    The browser shows the newest one published after the visitor's choice (``at`` is compared with
    the time in the consent cookie), so the page stays the same for everyone.
    """
    notices = []
    for version in latest_material_versions():
        try:
            url = (
                version.get_compare_url(version.number - 1)
                if version.number > 1
                else version.get_absolute_url()
            )
        except (TypeError, NoReverseMatch):  # a page without a URL (no site) has no diff to show
            continue
        notices.append(
            {
                "at": int(version.published_at.timestamp()),
                "text": gettext("Our %(title)s changed on %(date)s.")
                % {"title": version.title, "date": date_format(version.effective_date)},
                "url": url,
            }
        )
    return notices


def _page_url(page: Any) -> str:
    """A chosen page's URL if it is live and routable; moves and unpublishing bump the generation."""
    if page is None or not page.live:
        return ""
    return page.get_url() or ""


def public_consent_settings(stored: ConsentSettings | None = None) -> PublicConsentSettings:
    stored = stored or ConsentSettings.load()
    logo = stored.logo.get_rendition("height-40") if stored.logo_id else None
    return PublicConsentSettings(
        banner_heading=stored.banner_heading,
        banner_text=stored.banner_text,
        reconsent_text=stored.reconsent_text,
        gpc_notice=stored.gpc_notice,
        consent_lifetime_days=stored.consent_lifetime_days,
        banner_position=stored.banner_position,
        accept_label=stored.accept_label,
        reject_label=stored.reject_label,
        customize_label=stored.customize_label,
        save_label=stored.save_label,
        brand_stylesheet_url=brand_stylesheet_url(stored),
        logo_url=logo.url if logo else "",
        logo_width=logo.width if logo else 0,
        logo_height=logo.height if logo else 0,
    )


def build_banner_data() -> BannerData:
    registry = published_registry()
    stored = ConsentSettings.load()
    consent_settings = public_consent_settings(stored)
    chosen = [pk for pk in (stored.cookie_policy_page_id, stored.privacy_policy_page_id) if pk]
    pages = Page.objects.in_bulk(chosen) if chosen else {}  # both policy pages in one query
    config = {
        "registryVersion": registry.version_number,
        "lifetimeDays": consent_settings.consent_lifetime_days,
        "endpoint": reverse("consent:record"),
        "cookieName": settings.CONSENT_COOKIE_NAME,
        "categories": [category_config(category) for category in registry.categories],
        "changes": recent_changes(registry),
        "notices": material_notices(),
    }
    scripts = published_scripts(registry)
    return BannerData(
        registry=registry,
        settings=consent_settings,
        registry_version=registry.version_number,
        config=config,
        head_scripts=tuple(s for s in scripts if s.placement == ThirdPartyScript.Placement.HEAD),
        body_scripts=tuple(s for s in scripts if s.placement != ThirdPartyScript.Placement.HEAD),
        cookie_policy_url=_page_url(pages.get(stored.cookie_policy_page_id)),
        privacy_policy_url=_page_url(pages.get(stored.privacy_policy_page_id)),
    )


def banner_data() -> BannerData:
    """The banner for the current site generation, built once per worker."""
    return shared_per_generation("consent.banner_data", build_banner_data)


__all__ = ["BannerData", "GatedScript", "banner_data", "category_config", "csp_hash", "published_scripts"]
