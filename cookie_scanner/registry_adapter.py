"""The scanner's only contact with the cookie registry.

Everything the scanner needs from the published registry is copied here into plain dataclasses, so
the source (the worker's published snapshot, ``cookie_registry.services.published_registry()``) is
read in this one module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cookie_registry.models import cookie_name_pattern

DAYS_PER_UNIT = {"minutes": 1 / 1440, "hours": 1 / 24, "days": 1, "months": 31, "years": 366}


@dataclass(frozen=True)
class DeclaredItem:
    """One declared cookie or storage key (a name or a ``*`` pattern)."""

    name: str
    category_key: str
    essential: bool
    storage_type: str  # "cookie", "local_storage", "session_storage", "pixel"
    max_days: float | None  # None: a session cookie
    provider: str = ""
    domain: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        return cookie_name_pattern(self.name)  # the registry's own rule, as Cookie.matches

    def matches(self, name: str, storage_type: str) -> bool:
        return self.storage_type == storage_type and self.pattern.fullmatch(name) is not None


@dataclass(frozen=True)
class DeclaredCategory:
    key: str
    name: str
    essential: bool


@dataclass(frozen=True)
class GatedScript:
    name: str
    category_key: str
    src: str
    code: str


@dataclass
class RegistryView:
    categories: list[DeclaredCategory]
    items: list[DeclaredItem]
    provider_hosts: dict[str, set[str]]  # provider name -> hosts it is known to use
    scripts: list[GatedScript] = field(default_factory=list)

    @property
    def optional_keys(self) -> list[str]:
        return [category.key for category in self.categories if not category.essential]

    def category(self, key: str) -> DeclaredCategory | None:
        return next((category for category in self.categories if category.key == key), None)

    def declaration_for(self, name: str, storage_type: str) -> DeclaredItem | None:
        """The declaration covering ``name``; an exact name wins over a pattern."""
        matches = [item for item in self.items if item.matches(name, storage_type)]
        matches.sort(key=lambda item: "*" in item.name)
        return matches[0] if matches else None

    def script_named_by(self, src: str, code: str) -> GatedScript | None:
        """The published script whose URL or inline code is what ran."""
        for script in self.scripts:
            if src and script.src and src == script.src:
                return script
            if code and script.code and code.strip()[:200] == script.code.strip()[:200]:
                return script
        return None

    def host_is_covered(self, host: str, known_hosts: dict[str, set[str]] | None = None) -> bool:
        """True when a registry provider covers ``host`` (its site, its cookies' domains, known hosts)."""
        hosts = set().union(*self.provider_hosts.values()) if self.provider_hosts else set()
        for provider in self.provider_hosts:
            hosts |= (known_hosts or {}).get(provider.casefold(), set())
        return any(host == known or host.endswith("." + known) for known in hosts if known)


def host_of(url_or_domain: str) -> str:
    value = url_or_domain.strip().lstrip(".").lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    if value.startswith("www."):
        value = value[4:]
    return value


def load_registry_view() -> RegistryView:
    """The published registry as the scanner sees it (from the worker's shared snapshot)."""
    from cookie_registry.services import published_registry

    registry = published_registry()
    categories = [
        DeclaredCategory(key=category.key, name=category.name, essential=category.is_essential)
        for category in registry.categories
    ]
    items: list[DeclaredItem] = []
    provider_hosts: dict[str, set[str]] = {
        provider.name: {host_of(provider.website)} - {""} for provider in registry.providers
    }
    for category in registry.categories:
        for cookie in category.cookies:
            provider = cookie.provider if cookie.provider_is_live else None
            per_unit = DAYS_PER_UNIT.get(cookie.duration_unit)
            items.append(
                DeclaredItem(
                    name=cookie.name,
                    category_key=category.key,
                    essential=category.is_essential,
                    storage_type=cookie.storage_type,
                    max_days=per_unit * cookie.duration_value if per_unit and cookie.duration_value else None,
                    provider=provider or "",
                    domain=cookie.domain,
                )
            )
            if provider and cookie.domain:
                provider_hosts.setdefault(provider, set()).add(host_of(cookie.domain))
    live_keys = {category.key for category in categories}
    scripts = [
        GatedScript(name=script.name, category_key=script.category, src=script.src, code=script.inline_code)
        for script in registry.scripts
        if script.category in live_keys
    ]
    return RegistryView(categories=categories, items=items, provider_hosts=provider_hosts, scripts=scripts)


def declared_cookie_names(request=None) -> tuple[DeclaredItem, ...]:
    """Declared HTTP cookies, for the runtime drift middleware: built once per worker and site generation."""
    from site_data.generation import shared_per_generation

    return shared_per_generation("cookie_scanner.declared_cookies", _declared_cookies)


def _declared_cookies() -> tuple[DeclaredItem, ...]:
    from cookie_registry.services import published_registry

    return tuple(
        DeclaredItem(
            name=cookie.name,
            category_key=category.key,
            essential=category.is_essential,
            storage_type=cookie.storage_type,
            max_days=None,
        )
        for category in published_registry().categories
        for cookie in category.cookies
        if cookie.storage_type == "cookie"
    )


def registry_fingerprint_parts() -> list[str]:
    """What changes whenever something is published or unpublished (for ``--if-changed``)."""
    from django.db.models import Count, Max

    from wagtail.models import Page

    from cookie_registry.models import CookieCategory, Provider, RegistryVersion, ThirdPartyScript

    parts = []
    pages = Page.objects.filter(live=True).aggregate(count=Count("pk"), last=Max("last_published_at"))
    parts.append(f"pages:{pages['count']}:{pages['last']}")
    for model in (CookieCategory, Provider, ThirdPartyScript):
        rows = model.objects.filter(live=True).aggregate(count=Count("pk"), last=Max("last_published_at"))
        parts.append(f"{model.__name__}:{rows['count']}:{rows['last']}")
    parts.append(f"version:{RegistryVersion.objects.aggregate(last=Max('number'))['last']}")
    return parts
