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
from django.utils.translation import get_language, gettext, override

from wagtail.models import Page

from content_security.csp import csp_hash, script_text_for_html
from cookie_registry.models import ConsentModeSignal, Party, StorageType, ThirdPartyScript
from cookie_registry.services import localized_registry, published_registry
from cookie_registry.snapshot import CategoryEntry, RegistrySnapshot
from languages.fields import translated_values
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
    language: str
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


def material_notices(language: str | None = None) -> list[dict[str, Any]]:
    """The latest material change of each live policy, for returning visitors (oldest first).

    The browser shows the newest one published after the visitor's choice (``at`` is compared with
    the time in the consent cookie), so the page stays the same for everyone. In ``language``: the
    versions of that language's policies (the default language's where a policy is not translated).
    """
    notices = []
    for version in latest_material_versions(language):
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


def public_consent_settings(
    stored: ConsentSettings | None = None, language: str | None = None
) -> PublicConsentSettings:
    """The public wording in ``language`` (a field not translated reads the default-language text)."""
    stored = stored or ConsentSettings.load()
    logo = stored.logo.get_rendition("height-40") if stored.logo_id else None
    texts = translated_values(stored, stored.translations, language, TRANSLATED_SETTINGS)
    return PublicConsentSettings(
        **texts,
        consent_lifetime_days=stored.consent_lifetime_days,
        banner_position=stored.banner_position,
        brand_stylesheet_url=brand_stylesheet_url(stored),
        logo_url=logo.url if logo else "",
        logo_width=logo.width if logo else 0,
        logo_height=logo.height if logo else 0,
    )


TRANSLATED_SETTINGS: tuple[str, ...] = ConsentSettings._meta.get_field("translations").translatable


def chosen_policy_pages(stored: ConsentSettings, language: str) -> dict[int, Any]:
    """The policy pages chosen in Settings › Consent, each in ``language`` where it is live in it.

    Keyed by the chosen (default-language) page's id; an untranslated page stays itself. Two queries.
    """
    chosen = [pk for pk in (stored.cookie_policy_page_id, stored.privacy_policy_page_id) if pk]
    pages = Page.objects.in_bulk(chosen) if chosen else {}
    if pages and language != settings.LANGUAGE_CODE:
        translated = {
            page.translation_key: page
            for page in Page.objects.live().filter(
                translation_key__in=[page.translation_key for page in pages.values()],
                locale__language_code=language,
            )
        }
        pages = {pk: translated.get(page.translation_key, page) for pk, page in pages.items()}
    return pages


def build_banner_data(language: str | None = None) -> BannerData:
    language = language or settings.LANGUAGE_CODE
    with override(language):  # notices' dates, the endpoint's prefix, policy URLs
        return _build_banner_data(language)


def _build_banner_data(language: str) -> BannerData:
    registry = localized_registry(language)
    stored = ConsentSettings.load()
    consent_settings = public_consent_settings(stored, language)
    pages = chosen_policy_pages(stored, language)
    config = {
        "registryVersion": registry.version_number,
        "lifetimeDays": consent_settings.consent_lifetime_days,
        "endpoint": reverse("consent:record"),
        "cookieName": settings.CONSENT_COOKIE_NAME,
        "categories": [category_config(category) for category in registry.categories],
        "changes": recent_changes(registry),
        "notices": material_notices(language),
    }
    scripts = published_scripts(registry)
    return BannerData(
        language=language,
        registry=registry,
        settings=consent_settings,
        registry_version=registry.version_number,
        config=config,
        head_scripts=tuple(s for s in scripts if s.placement == ThirdPartyScript.Placement.HEAD),
        body_scripts=tuple(s for s in scripts if s.placement != ThirdPartyScript.Placement.HEAD),
        cookie_policy_url=_page_url(pages.get(stored.cookie_policy_page_id)),
        privacy_policy_url=_page_url(pages.get(stored.privacy_policy_page_id)),
    )


def active_language() -> str:
    """The request's language (from its URL) if it is a site language, else the default one."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def banner_data(language: str | None = None) -> BannerData:
    """The banner in ``language`` (default: the request's) for the current site generation.

    Built once per worker and language until the generation changes.
    """
    language = language or active_language()
    return shared_per_generation(f"consent.banner_data:{language}", lambda: build_banner_data(language))


__all__ = ["BannerData", "GatedScript", "banner_data", "category_config", "csp_hash", "published_scripts"]
