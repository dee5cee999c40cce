"""Moving the registry between sites as JSON: export, validate everything, then import in one go.

Format (``format_version`` 1)::

    {"format": "cookie-registry", "format_version": 1,
     "providers": [{"name", "website", "privacy_policy_url", "live"}],
     "categories": [{"key", "name", "purpose", "description", "is_essential", "default_enabled",
                     "consent_mode_signals", "sort_order", "live",
                     "cookies": [{"name", "provider" (a provider name or null), "domain", "party",
                                  "purpose", "duration_unit", "duration_value", "storage_type"}]}],
     "retention_rules": [{"data_category", "period", "period_days", "ending_rule", "legal_basis",
                          "sort_order", "live"}],
     "scripts": [{"name", "category" (a category key), "src", "inline_code", "placement",
                  "sort_order", "live"}]}

Export writes each entry's row: the published content for live entries, the draft for entries never
published (unpublished edits of live entries stay in Wagtail's revisions and are not exported).
Import checks the whole file first and reports every problem with its location
(``categories[2].cookies[0].duration_value: must be a positive number``); it writes nothing unless
the whole file is valid. Entries are matched by key (categories), name (providers, scripts) or data
category (retention rules), so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction

from .models import (
    Cookie,
    CookieCategory,
    Provider,
    RetentionRule,
    ThirdPartyScript,
    consent_mode_signal_errors,
    duration_errors,
)
from .snapshot import (
    CATEGORY_FIELDS,
    COOKIE_FIELDS,
    PROVIDER_FIELDS,
    RETENTION_FIELDS,
    SCRIPT_FIELDS,
    entry_from_data,
    load_registry,
)
from .versioning import one_registry_change

FORMAT_NAME = "cookie-registry"
FORMAT_VERSION = 1

SECTIONS: dict[str, tuple[type[models.Model], tuple[str, ...], str]] = {
    # section name: (model, exported fields, field that identifies an entry)
    "providers": (Provider, PROVIDER_FIELDS, "name"),
    "categories": (CookieCategory, CATEGORY_FIELDS, "key"),
    "retention_rules": (RetentionRule, RETENTION_FIELDS, "data_category"),
    "scripts": (ThirdPartyScript, SCRIPT_FIELDS, "name"),
}


class RegistryImportError(Exception):
    """The file is not a valid registry; ``errors`` lists every problem with its location."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) in the registry file")
        self.errors = errors


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# --- export -------------------------------------------------------------------------------------


def export_registry_data() -> dict[str, Any]:
    """Every registry entry (published and draft) as JSON-able data: the snapshot's serialisation
    of each entry plus its ``live`` flag."""
    snapshot = load_registry(published_only=False)
    data: dict[str, Any] = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION}
    for section in SECTIONS:
        data[section] = [{**entry.as_data(), "live": entry.live} for entry in getattr(snapshot, section)]
    return data


# --- validation ---------------------------------------------------------------------------------


def _type_problem(model_field: models.Field, value: Any) -> str:
    """A JSON type mismatch for a model field, or "" (Django's own validators do the rest)."""
    if value is None:
        return "" if model_field.null else "must not be empty (null)"
    if isinstance(model_field, models.BooleanField):
        return "" if isinstance(value, bool) else "must be true or false"
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        return ""
    if isinstance(model_field, models.JSONField):
        return ""
    if isinstance(model_field, models.CharField | models.TextField):
        return "" if isinstance(value, str) else "must be text"
    return ""


def _check_fields(
    location: str,
    item: Any,
    model: type[models.Model],
    fields: tuple[str, ...],
    extra: set[str],
    errors: list[str],
) -> dict[str, Any] | None:
    """Shape checks for one entry: an object, known fields, required fields present, JSON types right."""
    if not isinstance(item, dict):
        errors.append(f"{location}: must be an object")
        return None
    allowed = set(fields) | extra
    for name in sorted(set(item) - allowed):
        errors.append(f"{location}.{name}: unknown field")
    clean: dict[str, Any] = {}
    for name in fields:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # non-model fields are checked by the callers
            model_field = None
        if name not in item:
            if model_field is not None and (model_field.has_default() or model_field.blank):
                continue
            errors.append(f"{location}.{name}: is required")
            continue
        value = item[name]
        if model_field is not None and not isinstance(model_field, models.ForeignKey):
            problem = _type_problem(model_field, value)
            if problem:
                errors.append(f"{location}.{name}: {problem}")
                continue
        clean[name] = value
    return clean


def _model_errors(location: str, instance: models.Model, exclude: list[str], errors: list[str]) -> None:
    """Run the model's own validation (the same rules as the admin) and report it with locations."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = location if name == "__all__" else f"{location}.{name}"
            for message in dict.fromkeys(messages):
                errors.append(f"{where}: {message}")


def _live_flag(location: str, item: dict[str, Any], errors: list[str]) -> None:
    if "live" in item and not isinstance(item["live"], bool):
        errors.append(f"{location}.live: must be true or false")


def _duplicates(section: str, items: list[Any], key: str, errors: list[str]) -> None:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            continue
        identity = item[key].strip().lower()
        if identity in seen:
            errors.append(f"{section}[{index}].{key}: duplicates {section}[{seen[identity]}] ({item[key]!r})")
        else:
            seen[identity] = index


def validate_registry_data(data: Any) -> list[str]:
    """Every problem in an import file, each prefixed with where it is; an empty list means valid."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["(file): must be a JSON object with providers, categories, retention_rules and scripts"]
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        errors.append(f"format: expected {FORMAT_NAME!r}")
    if data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        errors.append(f"format_version: this site reads version {FORMAT_VERSION}")
    for name in sorted(set(data) - set(SECTIONS) - {"format", "format_version", "exported_at"}):
        errors.append(f"{name}: unknown section")
    sections: dict[str, list[Any]] = {}
    for section in SECTIONS:
        value = data.get(section, [])
        if not isinstance(value, list):
            errors.append(f"{section}: must be a list")
            value = []
        sections[section] = value

    provider_names = {
        item["name"]
        for item in sections["providers"]
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    }
    provider_names |= set(Provider.objects.values_list("name", flat=True))
    category_keys = {
        item["key"]
        for item in sections["categories"]
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }
    category_keys |= set(CookieCategory.objects.values_list("key", flat=True))

    for section, (model, fields, key) in SECTIONS.items():
        _duplicates(section, sections[section], key, errors)
        for index, item in enumerate(sections[section]):
            location = f"{section}[{index}]"
            validate_fields = tuple(
                name for name in fields if not (section == "scripts" and name == "category")
            )
            extra = {"live", "cookies", "category"} if section in ("categories", "scripts") else {"live"}
            clean = _check_fields(location, item, model, validate_fields, extra, errors)
            if clean is None:
                continue
            _live_flag(location, item, errors)
            exclude = [name for name in fields if name not in clean]
            if section == "categories":
                if "consent_mode_signals" in clean:
                    problem = consent_mode_signal_errors(clean["consent_mode_signals"])
                    if problem:
                        errors.append(f"{location}.consent_mode_signals: {problem}")
                        exclude.append("consent_mode_signals")
                        clean.pop("consent_mode_signals")
                _model_errors(location, model(**clean), exclude, errors)
                _validate_cookies(location, item, clean, provider_names, errors)
            elif section == "scripts":
                script_category = item.get("category")
                if not isinstance(script_category, str) or script_category not in category_keys:
                    errors.append(f"{location}.category: no category with key {item.get('category')!r}")
                _model_errors(location, model(**clean), [*exclude, "category"], errors)
            else:
                _model_errors(location, model(**clean), exclude, errors)
    return errors


def _validate_cookies(
    location: str, item: dict[str, Any], category: dict[str, Any], provider_names: set[str], errors: list[str]
) -> None:
    cookies = item.get("cookies", [])
    if not isinstance(cookies, list):
        errors.append(f"{location}.cookies: must be a list")
        return
    if category.get("is_essential") and not cookies:
        errors.append(f"{location}.cookies: an essential category must declare at least one cookie")
    seen: dict[tuple[str, Any], int] = {}
    for index, cookie in enumerate(cookies):
        where = f"{location}.cookies[{index}]"
        fields = tuple(name for name in COOKIE_FIELDS if name != "provider")
        clean = _check_fields(where, cookie, Cookie, fields, {"provider"}, errors)
        if clean is None:
            continue
        provider = cookie.get("provider")
        if provider is not None and (not isinstance(provider, str) or provider not in provider_names):
            errors.append(f"{where}.provider: no provider named {provider!r}")
        if isinstance(clean.get("name"), str):
            identity = (clean["name"].strip().lower(), provider if isinstance(provider, str) else None)
            if identity in seen:
                errors.append(
                    f"{where}.name: {clean['name']!r} is declared twice (see cookies[{seen[identity]}])"
                )
            else:
                seen[identity] = index
        exclude = ["category", "provider", *[name for name in fields if name not in clean]]
        duration_problems = duration_errors(
            clean.get("duration_unit", "session"), clean.get("duration_value")
        )
        for name, message in duration_problems.items():
            errors.append(f"{where}.{name}: {message}")
        if duration_problems:
            exclude += ["duration_unit", "duration_value"]
            clean.pop("duration_unit", None)
            clean.pop("duration_value", None)
        _model_errors(where, Cookie(**clean), exclude, errors)


# --- import -------------------------------------------------------------------------------------


def _normalised(section: str, item: dict[str, Any]) -> dict[str, Any]:
    """An import entry with defaults filled in, in the snapshot's serialisation (plus ``live``)."""
    return {**entry_from_data(section, item).as_data(), "live": item.get("live", True)}


def import_registry_data(data: Any) -> ImportReport:
    """Validate the whole file, then create or update every entry in one transaction."""
    errors = validate_registry_data(data)
    if errors:
        raise RegistryImportError(errors)
    report = ImportReport()
    with transaction.atomic(), one_registry_change():
        current = load_registry(published_only=False)
        for section, (model, _fields, key) in SECTIONS.items():
            stored = {
                getattr(entry, key): {**entry.as_data(), "live": entry.live}
                for entry in getattr(current, section)
            }
            for item in data.get(section, []):
                wanted = _normalised(section, item)
                existing = model.objects.filter(**{key: wanted[key]}).first()
                label = f"{model._meta.verbose_name} {wanted[key]}"
                if existing is not None and stored.get(wanted[key]) == wanted:
                    report.unchanged.append(label)
                    continue
                instance = existing or model()
                _apply(section, instance, wanted)
                _save(instance, live=wanted["live"], is_new=existing is None)
                (report.created if existing is None else report.updated).append(label)
    return report


def _apply(section: str, instance: models.Model, wanted: dict[str, Any]) -> None:
    _, fields, _ = SECTIONS[section]
    for name in fields:
        if section == "scripts" and name == "category":
            instance.category = CookieCategory.objects.get(key=wanted["category"])
        else:
            setattr(instance, name, wanted[name])
    if section == "categories":
        providers = {provider.name: provider for provider in Provider.objects.all()}
        instance.cookies = [
            Cookie(
                **{name: cookie[name] for name in COOKIE_FIELDS if name != "provider"},
                provider=providers.get(cookie["provider"]) if cookie["provider"] else None,
                sort_order=position,
            )
            for position, cookie in enumerate(wanted["cookies"])
        ]


def _save(instance, *, live: bool, is_new: bool) -> None:
    """Save as an editor would: a revision, published when the entry was published at export."""
    if is_new:
        instance.live = False
    if not instance.live:  # a draft's row holds its content; a live row changes only on publish
        instance.save()
    revision = instance.save_revision()
    if live:
        revision.publish()
    elif instance.live:
        instance.unpublish()
