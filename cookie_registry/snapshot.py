"""The registry as plain, immutable values: the one serialisation of the cookie registry.

``RegistrySnapshot`` (frozen dataclasses, no ORM instances) is what the policy tables, the banner
config, the CSP sources, ``RegistryVersion.snapshot``, policy versions' registry copies and the
JSON export/import are all made from. ``as_data()`` / ``from_data()`` turn it into JSON-able data
and back (old stored snapshots without ``scripts`` read fine). ``load_registry()`` builds one from
the database in a fixed number of queries whatever the registry's size; ``diff_registries()``
(in ``registry_diff.py``) is the one comparison of two snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, ClassVar

from django.db.models import F, Field, Model

from languages.fields import Translations, translated_values

from .models import (
    ConsentModeSignal,
    Cookie,
    CookieCategory,
    CookieWording,
    Party,
    Provider,
    RegistryVersion,
    RetentionRule,
    StorageType,
    ThirdPartyScript,
)

CATEGORY_FIELDS = (
    "key",
    "name",
    "purpose",
    "description",
    "is_essential",
    "default_enabled",
    "consent_mode_signals",
    "sort_order",
    "translations",
)
COOKIE_FIELDS = (
    "name",
    "provider",
    "domain",
    "party",
    "purpose",
    "duration_unit",
    "duration_value",
    "storage_type",
    "translations",
)
PROVIDER_FIELDS = ("name", "website", "privacy_policy_url")
RETENTION_FIELDS = (
    "data_category",
    "period",
    "period_days",
    "ending_rule",
    "legal_basis",
    "sort_order",
    "translations",
)
SCRIPT_FIELDS = ("name", "category", "src", "inline_code", "placement", "sort_order", "translations")
RECENT_VERSIONS_KEPT = 10


def _defaults(model: type[Model], names: Iterable[str]) -> dict[str, Any]:
    return {name: _concrete_field(model, name).get_default() for name in names}


def _concrete_field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field.")
    return field


def frozen_translations(value: Any) -> Translations:
    """Stored translations as read-only mappings (anything malformed reads as none)."""
    if not isinstance(value, Mapping):
        return MappingProxyType({})
    return MappingProxyType(
        {
            str(code): MappingProxyType({str(k): v for k, v in texts.items() if isinstance(v, str)})
            for code, texts in value.items()
            if isinstance(texts, Mapping)
        }
    )


def _translatable(model: type[Model]) -> tuple[str, ...]:
    return tuple(getattr(model._meta.get_field("translations"), "translatable", ()))


class RegistryEntry:
    """An entry's stored form: its ``FIELDS`` (derived and bookkeeping values are left out).

    ``TEXTS`` are its translatable fields: ``translations`` holds them per language and
    ``localized()`` returns the entry as read in one language (missing texts keep the source's).
    """

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    TEXTS: ClassVar[tuple[str, ...]] = ()
    translations: Translations

    def __post_init__(self) -> None:
        translations = getattr(self, "translations", None)
        if translations is not None and not isinstance(translations, MappingProxyType):
            object.__setattr__(self, "translations", frozen_translations(translations))

    def as_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.FIELDS}
        if "translations" in data:  # left out when empty: untranslated entries read as before
            translations = {code: dict(texts) for code, texts in (self.translations or {}).items() if texts}
            if translations:
                data["translations"] = translations
            else:
                del data["translations"]
        return data

    def localized(self, language: str) -> Any:
        if not self.translations:
            return self
        return replace(
            self, **translated_values(self, self.translations, language, self.TEXTS), translations={}
        )  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class CookieEntry(CookieWording, RegistryEntry):
    FIELDS: ClassVar[tuple[str, ...]] = COOKIE_FIELDS
    TEXTS: ClassVar[tuple[str, ...]] = _translatable(Cookie)

    name: str
    provider: str | None  # the provider's name
    domain: str = ""
    party: str = Party.FIRST
    purpose: str = ""
    duration_unit: str = "session"
    duration_value: int | None = None
    storage_type: str = StorageType.COOKIE
    translations: Translations = field(default_factory=dict, hash=False)
    # Derived when the snapshot is assembled: the provider's link, only while the provider is live.
    provider_policy_url: str = field(default="", compare=False)
    provider_is_live: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class CategoryEntry(RegistryEntry):
    FIELDS: ClassVar[tuple[str, ...]] = CATEGORY_FIELDS
    TEXTS: ClassVar[tuple[str, ...]] = _translatable(CookieCategory)
    key: str
    name: str
    purpose: str
    description: str = ""
    is_essential: bool = False
    default_enabled: bool = False
    consent_mode_signals: tuple[str, ...] = ()
    sort_order: int = 0
    translations: Translations = field(default_factory=dict, hash=False)
    cookies: tuple[CookieEntry, ...] = ()
    live: bool = field(default=True, compare=False)  # only meaningful in an export

    def localized(self, language: str) -> CategoryEntry:
        cookies = tuple(cookie.localized(language) for cookie in self.cookies)
        texts: dict[str, Any] = (
            translated_values(self, self.translations, language, self.TEXTS) if self.translations else {}
        )
        return replace(self, **texts, translations={}, cookies=cookies)

    def as_data(self) -> dict[str, Any]:
        data = RegistryEntry.as_data(self)
        data["consent_mode_signals"] = list(self.consent_mode_signals)
        data["cookies"] = [cookie.as_data() for cookie in self.cookies]
        return data

    @property
    def known_signals(self) -> tuple[str, ...]:
        return tuple(signal for signal in self.consent_mode_signals if signal in ConsentModeSignal.values)


@dataclass(frozen=True, slots=True)
class ProviderEntry(RegistryEntry):
    FIELDS: ClassVar[tuple[str, ...]] = PROVIDER_FIELDS
    name: str
    website: str = ""
    privacy_policy_url: str = ""
    live: bool = field(default=True, compare=False)


@dataclass(frozen=True, slots=True)
class ProviderUse:
    """A live provider with the cookies it places in live categories (the providers table)."""

    provider: ProviderEntry
    cookies: tuple[CookieEntry, ...]

    @property
    def name(self) -> str:
        return self.provider.name

    @property
    def privacy_policy_url(self) -> str:
        return self.provider.privacy_policy_url


@dataclass(frozen=True, slots=True)
class RetentionEntry(RegistryEntry):
    FIELDS: ClassVar[tuple[str, ...]] = RETENTION_FIELDS
    TEXTS: ClassVar[tuple[str, ...]] = _translatable(RetentionRule)
    data_category: str
    period: str
    period_days: int | None = None
    ending_rule: str = ""
    legal_basis: str = ""
    sort_order: int = 0
    translations: Translations = field(default_factory=dict, hash=False)
    live: bool = field(default=True, compare=False)


@dataclass(frozen=True, slots=True)
class ScriptEntry(RegistryEntry):
    FIELDS: ClassVar[tuple[str, ...]] = SCRIPT_FIELDS
    TEXTS: ClassVar[tuple[str, ...]] = _translatable(ThirdPartyScript)
    name: str
    category: str  # the category's key
    src: str = ""
    inline_code: str = ""
    placement: str = ThirdPartyScript.Placement.BODY
    sort_order: int = 0
    translations: Translations = field(default_factory=dict, hash=False)
    live: bool = field(default=True, compare=False)


@dataclass(frozen=True, slots=True)
class VersionChanges:
    number: int
    changes: tuple[str, ...]


@dataclass(frozen=True)
class RegistrySnapshot:
    """The registry as visitors see it (or, for an export, every entry); immutable and shareable."""

    categories: tuple[CategoryEntry, ...] = ()
    providers: tuple[ProviderEntry, ...] = ()
    retention_rules: tuple[RetentionEntry, ...] = ()
    scripts: tuple[ScriptEntry, ...] = ()
    version_number: int = 0  # the current RegistryVersion (0: none created yet)
    version_id: int | None = None
    recent_versions: tuple[VersionChanges, ...] = ()
    has_scripts: bool = field(default=True, compare=False)  # False for snapshots stored before scripts
    _by_key: Mapping[str, CategoryEntry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_by_key", MappingProxyType({category.key: category for category in self.categories})
        )

    # --- reading ---------------------------------------------------------------------------

    def category(self, key: str) -> CategoryEntry | None:
        return self._by_key.get(key)

    @property
    def cookies(self) -> tuple[CookieEntry, ...]:
        return tuple(cookie for category in self.categories for cookie in category.cookies)

    @property
    def optional_categories(self) -> tuple[CategoryEntry, ...]:
        return tuple(category for category in self.categories if not category.is_essential)

    @property
    def providers_with_cookies(self) -> tuple[ProviderUse, ...]:
        """Who else places cookies here: providers that have a cookie in a category shown."""
        uses = []
        for provider in self.providers:
            cookies = tuple(cookie for cookie in self.cookies if cookie.provider == provider.name)
            if cookies:
                uses.append(ProviderUse(provider, cookies))
        return tuple(uses)

    def localized(self, language: str | None) -> RegistrySnapshot:
        """The registry as read in ``language``: translated texts, the source's where one is missing.

        Keys, cookie names, durations, signals and code are untouched, so consent means the same in
        every language. The result holds no translations (it is what one language's readers see), so
        the default language's copy differs from the source only by them. ``None``: the source.
        """
        if not language:
            return self
        return replace(
            self,
            categories=tuple(category.localized(language) for category in self.categories),
            retention_rules=tuple(rule.localized(language) for rule in self.retention_rules),
            scripts=tuple(script.localized(language) for script in self.scripts),
        )

    # --- serialisation ---------------------------------------------------------------------

    def as_data(self) -> dict[str, Any]:
        """JSON-able content (stored in RegistryVersion.snapshot and PolicyVersion.registry_snapshot)."""
        return {
            "categories": [category.as_data() for category in self.categories],
            "providers": [provider.as_data() for provider in self.providers],
            "retention_rules": [rule.as_data() for rule in self.retention_rules],
            "scripts": [script.as_data() for script in self.scripts],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> RegistrySnapshot:
        """The inverse of ``as_data()``; tolerant of snapshots stored by older code."""
        data = data or {}
        providers = tuple(_entry(ProviderEntry, item) for item in data.get("providers") or [])
        categories = tuple(
            _category(item, {provider.name: provider for provider in providers})
            for item in data.get("categories") or []
        )
        return cls(
            categories=categories,
            providers=providers,
            retention_rules=tuple(_entry(RetentionEntry, item) for item in data.get("retention_rules") or []),
            scripts=tuple(_entry(ScriptEntry, item) for item in data.get("scripts") or []),
            has_scripts="scripts" in data,
        )


def _entry(cls: type, item: Mapping[str, Any]) -> Any:
    names = {f.name for f in fields(cls) if f.init and f.compare}
    return cls(**{name: value for name, value in item.items() if name in names})


def _cookie(item: Mapping[str, Any], live_providers: Mapping[str, ProviderEntry]) -> CookieEntry:
    """A cookie; its provider's details (link, providers-table entry) only while the provider is live.

    A provider unpublished after its category went live keeps its *name*, as plain text, in the
    cookie tables, the declaration exports and the banner: the cookie is still set by that third
    party and the declaration must say so (hiding who sets it would be less truthful than showing
    an unreviewed name). Everything else about the provider (its privacy-policy link, its row in the
    providers table) is withheld until it is published again.
    """
    provider = live_providers.get(item.get("provider") or "")
    return CookieEntry(
        **{name: item.get(name, default) for name, default in _COOKIE_DEFAULTS.items()},
        provider_policy_url=provider.privacy_policy_url if provider else "",
        provider_is_live=provider is not None,
    )


def _category(item: Mapping[str, Any], live_providers: Mapping[str, ProviderEntry]) -> CategoryEntry:
    values = {name: item.get(name, default) for name, default in _CATEGORY_DEFAULTS.items()}
    values["consent_mode_signals"] = tuple(values["consent_mode_signals"] or ())
    return CategoryEntry(
        **values, cookies=tuple(_cookie(cookie, live_providers) for cookie in item.get("cookies") or [])
    )


SECTIONS: dict[str, tuple[type, str]] = {
    # section of as_data(): (entry type, field that identifies an entry)
    "providers": (ProviderEntry, "name"),
    "categories": (CategoryEntry, "key"),
    "retention_rules": (RetentionEntry, "data_category"),
    "scripts": (ScriptEntry, "name"),
}


def entry_from_data(section: str, item: Mapping[str, Any]) -> Any:
    """One entry of ``as_data()``'s ``section`` (missing fields take their defaults)."""
    if section == "categories":
        return _category(item, {})
    return _entry(SECTIONS[section][0], item)


def entries(snapshot: RegistrySnapshot, section: str) -> tuple[Any, ...]:
    return getattr(snapshot, section)


def category_from_instance(category: CookieCategory) -> CategoryEntry:
    """A category as it stands in memory (a draft in the admin preview, an export row)."""
    item: dict[str, Any] = {name: getattr(category, name) for name in CATEGORY_FIELDS}
    item["cookies"] = [
        {
            **{name: getattr(cookie, name) for name in COOKIE_FIELDS if name != "provider"},
            "provider": cookie.provider.name if cookie.provider_id else None,
        }
        for cookie in category.cookies.all()
    ]
    return _category(item, {})


_COOKIE_DEFAULTS = {"provider": None, **_defaults(Cookie, [n for n in COOKIE_FIELDS if n != "provider"])}
_CATEGORY_DEFAULTS = _defaults(CookieCategory, CATEGORY_FIELDS)


# --- from the database ---------------------------------------------------------------------------


def load_registry(*, published_only: bool = True) -> RegistrySnapshot:
    """The registry from the database: 6 queries however many entries there are.

    ``published_only`` (the public site): live rows, scripts of live categories with something to
    run, and the latest versions. Otherwise (the export) every row, published or draft; ask
    ``live_flags()`` which ones are live.
    """

    def live(queryset):
        return queryset.filter(live=True) if published_only else queryset

    category_rows = list(
        live(CookieCategory.objects.all())
        .order_by("sort_order", "name", "pk")
        .values("pk", "live", *CATEGORY_FIELDS)
    )
    cookie_rows = Cookie.objects.order_by(F("sort_order").asc(nulls_last=True), "pk").values(
        "category_id", *[n for n in COOKIE_FIELDS if n != "provider"], provider_name=F("provider__name")
    )
    if published_only:
        cookie_rows = cookie_rows.filter(category__live=True)
    providers = tuple(
        ProviderEntry(**row)
        for row in live(Provider.objects.all()).order_by("name").values(*PROVIDER_FIELDS, "live")
    )
    retention_rules = tuple(
        RetentionEntry(**row)
        for row in live(RetentionRule.objects.all())
        .order_by("sort_order", "data_category", "pk")
        .values(*RETENTION_FIELDS, "live")
    )
    scripts_query = live(ThirdPartyScript.objects.all()).order_by("sort_order", "name", "pk")
    if published_only:
        scripts_query = scripts_query.filter(category__live=True)
    script_rows = scripts_query.values(
        *[n for n in SCRIPT_FIELDS if n != "category"], "live", "category__key"
    )
    scripts = tuple(
        ScriptEntry(category=row.pop("category__key"), **row)
        for row in script_rows
        if not published_only or row["src"] or row["inline_code"].strip()
    )
    # A provider still in draft is not linked from the cookie tables; the cookie keeps its name.
    live_providers = {provider.name: provider for provider in providers}
    cookies_by_category: dict[int, list[CookieEntry]] = {}
    for row in cookie_rows:
        row["provider"] = row.pop("provider_name")
        cookies_by_category.setdefault(row.pop("category_id"), []).append(_cookie(row, live_providers))
    categories = tuple(
        CategoryEntry(
            **{name: row[name] for name in CATEGORY_FIELDS if name != "consent_mode_signals"},
            consent_mode_signals=tuple(row["consent_mode_signals"] or ()),
            cookies=tuple(cookies_by_category.get(row["pk"], ())),
            live=row["live"],
        )
        for row in category_rows
    )
    version_rows = list(
        RegistryVersion.objects.order_by("-number").values("pk", "number", "changes")[:RECENT_VERSIONS_KEPT]
    )
    return RegistrySnapshot(
        categories=categories,
        providers=providers,
        retention_rules=retention_rules,
        scripts=scripts,
        version_number=version_rows[0]["number"] if version_rows else 0,
        version_id=version_rows[0]["pk"] if version_rows else None,
        recent_versions=tuple(
            VersionChanges(row["number"], _change_texts(row["changes"])) for row in version_rows
        ),
    )


def _change_texts(changes: Any) -> tuple[str, ...]:
    texts = []
    for change in changes if isinstance(changes, list) else []:
        text = change.get("text") if isinstance(change, dict) else change
        if isinstance(text, str) and text.strip():
            texts.append(text.strip())
    return tuple(texts)
