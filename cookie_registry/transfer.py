"""Moving the registry between sites as JSON: export, validate everything, then import in one go.

The format (``format_version`` 1) is defined and documented by the JSON Schema shipped in
``cookie_registry/schema/cookie-registry.schema.json``; each entry is the registry snapshot's own
serialisation (``snapshot.py``, ``as_data()``) plus a ``live`` flag.

Export writes each entry's row: the published content for live entries, the draft for entries never
published (unpublished edits of live entries stay in Wagtail's revisions and are not exported).
Import checks the whole file first (the schema, then the models' own validation, references and
duplicates) and reports every problem with its location
(``categories[2].cookies[0].duration_value: must be a positive number``); it writes nothing unless
the whole file is valid. Entries are matched by key (categories), name (providers, scripts) or data
category (retention rules), so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as JSONSchemaError

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import (
    Cookie,
    CookieCategory,
    Provider,
    RetentionRule,
    ThirdPartyScript,
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

RegistryModel = Provider | CookieCategory | RetentionRule | ThirdPartyScript

SECTIONS: dict[str, tuple[type[RegistryModel], tuple[str, ...], str]] = {
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

SCHEMA_PATH = Path(__file__).parent / "schema" / "cookie-registry.schema.json"
JSONPath = tuple[str | int, ...]


@functools.cache
def registry_schema_validator() -> Draft202012Validator:
    """The shipped JSON Schema (it also documents the format; linked from the README)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def location(path: JSONPath) -> str:
    """``("categories", 2, "cookies", 0, "duration_value")`` → ``categories[2].cookies[0].duration_value``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
    "number": "a number",
}


def _schema_message(error: JSONSchemaError) -> tuple[JSONPath, str]:
    """One schema error as (where, what) in the importer's words."""
    path: JSONPath = tuple(error.absolute_path)
    validator, expected = error.validator, error.validator_value
    if validator == "required":
        missing = str(error.message).split("'")[1]
        return (*path, missing), "is required"
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (*path, extra[0]) if len(extra) == 1 else path, "unknown field" + (
            "s" if len(extra) > 1 else ""
        )
    if validator == "type":
        if not path:
            return path, "must be a JSON object with providers, categories, retention_rules and scripts"
        kinds = [expected] if isinstance(expected, str) else list(expected)
        return path, "must be " + " or ".join(_TYPE_WORDS.get(kind, kind) for kind in kinds)
    if validator == "enum":
        return path, "must be one of " + ", ".join(str(value) for value in expected)
    if validator == "const":
        if path == ("format_version",):
            return path, f"this site reads version {expected}"
        return path, f"expected {expected!r}"
    if validator == "minimum":
        return path, "must be a positive number" if expected == 1 else f"must be at least {expected}"
    if validator == "uniqueItems":
        return path, "lists a value twice"
    return path, str(error.message)


def schema_problems(data: Any) -> list[tuple[JSONPath, str]]:
    """What the JSON Schema finds, in document order."""
    errors = registry_schema_validator().iter_errors(data)
    return sorted(
        dict.fromkeys(_schema_message(error) for error in errors), key=lambda item: _document_order(item[0])
    )


def _document_order(path: JSONPath) -> tuple[tuple[int, int | str], ...]:
    sections = list(SECTIONS)
    return tuple(
        (0, part)
        if isinstance(part, int)
        else (1, sections.index(part))
        if depth == 0 and part in sections
        else (2, part)
        for depth, part in enumerate(path)
    )


class _Problems:
    """The problems found so far; tells later checks which values the schema already refused."""

    def __init__(self, schema_found: list[tuple[JSONPath, str]]) -> None:
        self._found = list(schema_found)
        self._refused = {path for path, _ in schema_found}

    def refused(self, path: JSONPath) -> bool:
        """True if the schema refused this value or anything inside it."""
        return any(bad[: len(path)] == path for bad in self._refused)

    def add(self, path: JSONPath, message: str) -> None:
        self._found.append((path, message))

    @property
    def errors(self) -> list[str]:
        """Every problem once, in the order of the file."""
        found = sorted(dict.fromkeys(self._found), key=lambda item: _document_order(item[0]))
        return [f"{location(path)}: {message}" for path, message in found]


def _model_errors(path: JSONPath, instance: models.Model, exclude: list[str], problems: _Problems) -> None:
    """Run the model's own validation (the same rules as the admin) and report it with locations."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = path if name == "__all__" else (*path, name)
            for message in dict.fromkeys(messages):
                problems.add(where, message)


def _clean_fields(
    path: JSONPath, item: dict[str, Any], fields: tuple[str, ...], problems: _Problems
) -> dict[str, Any]:
    """The entry's values the schema accepted (the others are already reported)."""
    return {name: item[name] for name in fields if name in item and not problems.refused((*path, name))}


def _duplicates(section: str, items: list[Any], key: str, problems: _Problems) -> None:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            continue
        identity = item[key].strip().lower()
        if identity in seen:
            problems.add((section, index, key), f"duplicates {section}[{seen[identity]}] ({item[key]!r})")
        else:
            seen[identity] = index


def _list_or_empty(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def validate_registry_data(data: Any) -> list[str]:
    """Every problem in an import file, each prefixed with where it is; an empty list means valid.

    First the shipped JSON Schema (shape and types), then, for every value it accepted, the
    models' own validation, references between entries and duplicates.
    """
    problems = _Problems(schema_problems(data))
    if not isinstance(data, dict):
        return problems.errors
    sections = {section: _list_or_empty(data.get(section)) for section in SECTIONS}
    provider_names = {
        item["name"]
        for item in sections["providers"]
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    } | set(Provider.objects.values_list("name", flat=True))
    category_keys = {
        item["key"]
        for item in sections["categories"]
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    } | set(CookieCategory.objects.values_list("key", flat=True))

    for section, (model, fields, key) in SECTIONS.items():
        _duplicates(section, sections[section], key, problems)
        for index, item in enumerate(sections[section]):
            path: JSONPath = (section, index)
            if not isinstance(item, dict):
                continue  # the schema said so
            own_fields = tuple(name for name in fields if not (section == "scripts" and name == "category"))
            clean = _clean_fields(path, item, own_fields, problems)
            exclude = [name for name in own_fields if name not in clean]
            if section == "categories":
                _model_errors(path, model(**clean), exclude, problems)
                _validate_cookies(path, item, clean, provider_names, problems)
            elif section == "scripts":
                script_category = item.get("category")
                if isinstance(script_category, str) and script_category not in category_keys:
                    problems.add((*path, "category"), f"no category with key {script_category!r}")
                _model_errors(path, model(**clean), [*exclude, "category"], problems)
            else:
                _model_errors(path, model(**clean), exclude, problems)
    return problems.errors


def _validate_cookies(
    path: JSONPath,
    item: dict[str, Any],
    category: dict[str, Any],
    provider_names: set[str],
    problems: _Problems,
) -> None:
    cookies = item.get("cookies", [])
    if not isinstance(cookies, list):
        return  # the schema said so
    if category.get("is_essential") and not cookies:
        problems.add((*path, "cookies"), "an essential category must declare at least one cookie")
    seen: dict[tuple[str, Any], int] = {}
    fields = tuple(name for name in COOKIE_FIELDS if name != "provider")
    for index, cookie in enumerate(cookies):
        where: JSONPath = (*path, "cookies", index)
        if not isinstance(cookie, dict):
            continue
        clean = _clean_fields(where, cookie, fields, problems)
        provider = cookie.get("provider")
        if isinstance(provider, str) and provider not in provider_names:
            problems.add((*where, "provider"), f"no provider named {provider!r}")
        if isinstance(clean.get("name"), str):
            identity = (clean["name"].strip().lower(), provider if isinstance(provider, str) else None)
            if identity in seen:
                problems.add(
                    (*where, "name"), f"{clean['name']!r} is declared twice (see cookies[{seen[identity]}])"
                )
            else:
                seen[identity] = index
        if "duration_unit" not in clean or problems.refused((*where, "duration_value")):
            # Unit and value are checked together by the model: not when the schema refused either.
            clean.pop("duration_unit", None)
            clean.pop("duration_value", None)
        exclude = ["category", "provider", *[name for name in fields if name not in clean]]
        if "duration_unit" not in clean:
            exclude += ["duration_unit", "duration_value"]
            _model_errors_without_duration(where, Cookie(**clean), exclude, problems)
        else:
            _model_errors(where, Cookie(**clean), exclude, problems)


def _model_errors_without_duration(
    path: JSONPath, instance: Cookie, exclude: list[str], problems: _Problems
) -> None:
    """Cookie.clean() checks the duration too: give it a valid one when the schema refused it."""
    instance.duration_unit, instance.duration_value = "session", None
    _model_errors(path, instance, exclude, problems)


# --- import -------------------------------------------------------------------------------------


def _normalised(section: str, item: dict[str, Any]) -> dict[str, Any]:
    """An import entry with defaults filled in, in the snapshot's serialisation (plus ``live``)."""
    return {**entry_from_data(section, item).as_data(), "live": item.get("live", True)}


def import_registry_data(data: Any, save: Callable[..., None] | None = None) -> ImportReport:
    """Validate the whole file, then create or update every entry in one transaction.

    ``save(instance, live=…, is_new=…)`` stores each changed entry; by default as an editor would
    publish it (``_save``). ``import_review`` passes one that submits drafts to Legal review instead.
    """
    save = save or _save
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
                save(instance, live=wanted["live"], is_new=existing is None)
                (report.created if existing is None else report.updated).append(label)
    return report


def _apply(section: str, instance: models.Model, wanted: dict[str, Any]) -> None:
    _, fields, _ = SECTIONS[section]
    for name in fields:
        if section == "scripts" and name == "category":
            if not isinstance(instance, ThirdPartyScript):
                raise TypeError(f"A {section} entry must be a ThirdPartyScript.")
            instance.category = CookieCategory.objects.get(key=wanted["category"])
        else:
            setattr(instance, name, _value(wanted, name))
    if section == "categories":
        if not isinstance(instance, CookieCategory):
            raise TypeError(f"A {section} entry must be a CookieCategory.")
        providers = {provider.name: provider for provider in Provider.objects.all()}
        instance.cookies = [
            Cookie(
                **{name: _value(cookie, name) for name in COOKIE_FIELDS if name != "provider"},
                provider=providers.get(cookie["provider"]) if cookie["provider"] else None,
                sort_order=position,
            )
            for position, cookie in enumerate(wanted["cookies"])
        ]


def _value(item: dict[str, Any], name: str) -> Any:
    """A field of a normalised entry (``as_data()`` leaves out empty translations)."""
    return item.get(name, {}) if name == "translations" else item[name]


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
