"""Registry versions: when must visitors be asked for their consent again?

A visitor's consent covers what the registry said when they chose. Their choice stays valid until a
*published* change alters what they agreed to. The rule:

Bumps the version (visitors are asked again):

* a category is added (published for the first time, or re-published after being withdrawn);
* a category is removed (deleted, or unpublished);
* a category's ``purpose`` text changes (what they are told the category is for);
* a category's ``is_essential`` flag changes (in either direction);
* a cookie is added to a non-essential category (compared by declared name within the category);
* a category's Google Consent Mode signals widen (a signal is granted that was not before).

Does not bump (cosmetic or narrowing edits):

* descriptions, display names, ordering, providers' names and links, durations, domains, retention
  rules, third-party scripts;
* removing a cookie, or narrowing the Consent Mode signals (the visitor agreed to more already);
* adding a cookie to an essential category (essential cookies need no consent).

"Last seen" state: every publish, unpublish and delete stores the consent-relevant state it saw in
``LastSeenRegistryState``, whether or not it created a version. Comparisons are made against that
state, not against the snapshot of the latest version, so a cookie that is removed (no bump) and later
re-added is correctly treated as new (bump).

Public interface (used by the consent banner and policy versions):

* ``current_registry_version()`` - the latest ``RegistryVersion``; creates number 1 if there is none;
* ``registry_snapshot()`` - the whole published registry as JSON-able data;
* ``diff_snapshots(old, new)`` - every difference between two snapshots, each with a ``text``;
* ``record_registry_change()`` - called from the publish/unpublish/delete signals.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

if TYPE_CHECKING:
    from .services import PublishedRegistry

from .models import Cookie, CookieCategory, LastSeenRegistryState, RegistryVersion

CATEGORY_FIELDS = (
    "key",
    "name",
    "purpose",
    "description",
    "is_essential",
    "default_enabled",
    "consent_mode_signals",
    "sort_order",
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
)
PROVIDER_FIELDS = ("name", "website", "privacy_policy_url")
RETENTION_FIELDS = ("data_category", "period", "period_days", "ending_rule", "legal_basis", "sort_order")


def cookie_as_dict(cookie: Cookie) -> dict[str, Any]:
    data = {field: getattr(cookie, field) for field in COOKIE_FIELDS if field != "provider"}
    data["provider"] = cookie.provider.name if cookie.provider_id else None
    return {field: data[field] for field in COOKIE_FIELDS}


def category_as_dict(category: CookieCategory, cookies: list[Cookie]) -> dict[str, Any]:
    data = {field: getattr(category, field) for field in CATEGORY_FIELDS}
    data["consent_mode_signals"] = list(category.consent_mode_signals or [])
    data["cookies"] = [cookie_as_dict(cookie) for cookie in cookies]
    return data


def registry_snapshot() -> dict[str, Any]:
    """The whole *published* registry as plain JSON data (frozen into versions and archived policies)."""
    from .services import query_published_registry

    registry = query_published_registry()
    return snapshot_from_registry(registry)


def snapshot_from_registry(registry: PublishedRegistry) -> dict[str, Any]:
    return {
        "categories": [
            category_as_dict(category, category.published_cookies) for category in registry.categories
        ],
        "providers": [{field: getattr(p, field) for field in PROVIDER_FIELDS} for p in registry.providers],
        "retention_rules": [
            {field: getattr(rule, field) for field in RETENTION_FIELDS} for rule in registry.retention_rules
        ],
    }


def consent_state(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The part of a snapshot a visitor consents to, keyed by category key."""
    return {
        category["key"]: {
            "name": category["name"],
            "purpose": category["purpose"],
            "is_essential": bool(category["is_essential"]),
            "consent_mode_signals": sorted(set(category.get("consent_mode_signals") or [])),
            "cookies": sorted({cookie["name"] for cookie in category.get("cookies", [])}),
            "cookie_entries": {
                cookie["name"]: cookie_entry_text(cookie) for cookie in category.get("cookies", [])
            },
        }
        for category in snapshot.get("categories", [])
    }


def cookie_entry_text(cookie: dict[str, Any]) -> str:
    """A cookie as people read it in a list of changes: "_ga (Google, 2 years)", "_hj_* (name pattern; Hotjar, 1 year)"."""
    from .models import duration_in_words

    details = [cookie.get("provider") or ("this website" if cookie.get("party") == "first" else "")]
    details.append(duration_in_words(cookie.get("duration_unit") or "", cookie.get("duration_value")))
    described = ", ".join(part for part in details if part)
    if "*" in cookie["name"]:
        described = f"name pattern; {described}"
    return f"{cookie['name']} ({described})"


def consent_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Human-readable reasons to ask visitors again; an empty list means existing consent stays valid."""
    changes: list[str] = []
    for key, category in new.items():
        before = old.get(key)
        name = category["name"]
        if before is None:
            changes.append(f"New category: {name}")
            continue
        if before["purpose"] != category["purpose"]:
            changes.append(f"Purpose changed: {name}")
        if before["is_essential"] != category["is_essential"]:
            if category["is_essential"]:
                changes.append(f"Now essential (always on): {name}")
            else:
                changes.append(f"No longer essential, now optional: {name}")
        widened = sorted(set(category["consent_mode_signals"]) - set(before["consent_mode_signals"]))
        if widened:
            changes.append(f"New Consent Mode signals in {name}: {', '.join(widened)}")
        if not category["is_essential"]:
            entries = category.get("cookie_entries") or {}
            for cookie_name in sorted(set(category["cookies"]) - set(before["cookies"])):
                changes.append(f"New cookie in {name}: {entries.get(cookie_name, cookie_name)}")
    for key, category in old.items():
        if key not in new:
            changes.append(f"Removed category: {category['name']}")
    return changes


_batch_state: ContextVar[dict[str, bool] | None] = ContextVar("registry_change_batch", default=None)


@contextmanager
def one_registry_change() -> Iterator[None]:
    """Treat every publish inside the block as one change (demo loading, imports): one version at most."""
    if _batch_state.get() is not None:  # already batching further up
        yield
        return
    token = _batch_state.set({"pending": False})
    try:
        yield
        pending = _batch_state.get()["pending"]
    finally:
        _batch_state.reset(token)
    if pending:
        record_registry_change()


def registry_changed() -> RegistryVersion | None:
    """Signal entry point: record now, or once at the end of a ``one_registry_change`` block."""
    batch = _batch_state.get()
    if batch is not None:
        batch["pending"] = True
        return None
    return record_registry_change()


def record_registry_change() -> RegistryVersion | None:
    """Compare the published registry with the last seen state; create a version if consent is affected.

    Returns the new version, or None when the change was cosmetic. Safe to call after any publish.
    """
    with transaction.atomic():
        LastSeenRegistryState.objects.get_or_create(pk=1)
        # Lock first, then read: concurrent publishes are compared one after the other.
        last_seen = LastSeenRegistryState.objects.select_for_update().get(pk=1)
        snapshot = registry_snapshot()
        new_state = consent_state(snapshot)
        latest = RegistryVersion.objects.order_by("-number").first()
        if latest is None:
            changes = ["First version of the cookie registry"]
        else:
            previous_state = last_seen.state if last_seen.state else consent_state(latest.snapshot)
            changes = consent_changes(previous_state, new_state)
        last_seen.state = new_state
        last_seen.save()
        if not changes:
            return None
        number = (latest.number if latest else 0) + 1
        return RegistryVersion.objects.create(number=number, snapshot=snapshot, changes=changes)


def current_registry_version() -> RegistryVersion:
    """The version visitors' consent must carry; created from the current state the first time."""
    latest = RegistryVersion.objects.order_by("-number").first()
    if latest is not None:
        return latest
    try:
        with transaction.atomic():
            created = record_registry_change()
    except IntegrityError:  # another request created number 1 at the same moment
        created = None
    return created or RegistryVersion.objects.order_by("-number").first()


def _by(items: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {item[key]: item for item in items}


def _changed_fields(old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [field for field in fields if field != "cookies" and old.get(field) != new.get(field)]


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every difference between two registry snapshots (cosmetic ones included), in reading order.

    Each entry: ``kind`` (category, cookie, provider, retention_rule), ``action`` (added, removed,
    changed), ``key``/``name`` identifying the entry, ``fields`` for changes, and ``text`` for people.
    """
    diff: list[dict[str, Any]] = []
    old_categories = _by(old.get("categories", []), "key")
    new_categories = _by(new.get("categories", []), "key")
    for key, category in new_categories.items():
        before = old_categories.get(key)
        if before is None:
            diff.append(
                _entry("category", "added", key, category["name"], f"New category: {category['name']}")
            )
            before = {"cookies": []}
        else:
            fields = _changed_fields(before, category, CATEGORY_FIELDS)
            if fields:
                text = f"Category {category['name']} changed: {', '.join(fields)}"
                diff.append(_entry("category", "changed", key, category["name"], text, fields))
        diff.extend(
            _diff_cookies(key, category["name"], before.get("cookies", []), category.get("cookies", []))
        )
    for key, category in old_categories.items():
        if key not in new_categories:
            diff.append(
                _entry("category", "removed", key, category["name"], f"Removed category: {category['name']}")
            )
    diff.extend(
        _diff_flat("provider", "Provider", old.get("providers", []), new.get("providers", []), "name")
    )
    diff.extend(
        _diff_flat(
            "retention_rule",
            "Retention rule",
            old.get("retention_rules", []),
            new.get("retention_rules", []),
            "data_category",
        )
    )
    return diff


def _entry(
    kind: str, action: str, key: str, name: str, text: str, fields: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "kind": kind,
        "action": action,
        "key": key,
        "name": name,
        "fields": fields or [],
        "text": text,
        **extra,
    }


def _diff_cookies(
    category_key: str, category_name: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    ambiguous = {
        cookie["name"]
        for cookies in (old, new)
        for cookie in cookies
        if [other["name"] for other in cookies].count(cookie["name"]) > 1
    }

    def identity(cookie: dict[str, Any]) -> tuple[str, str | None]:
        # By name, so a changed provider reads as a change; by name and provider when a name repeats.
        return (cookie["name"], cookie.get("provider") if cookie["name"] in ambiguous else None)

    old_by = {identity(cookie): cookie for cookie in old}
    new_by = {identity(cookie): cookie for cookie in new}
    diff = []
    for ident, cookie in new_by.items():
        name = cookie["name"]
        if ident not in old_by:
            text = f"New cookie in {category_name}: {name}"
            diff.append(_entry("cookie", "added", name, name, text, category=category_key))
        else:
            fields = _changed_fields(old_by[ident], cookie, COOKIE_FIELDS)
            if fields:
                text = f"Cookie {name} in {category_name} changed: {', '.join(fields)}"
                diff.append(_entry("cookie", "changed", name, name, text, fields, category=category_key))
    for ident, cookie in old_by.items():
        if ident not in new_by:
            name = cookie["name"]
            text = f"Removed cookie from {category_name}: {name}"
            diff.append(_entry("cookie", "removed", name, name, text, category=category_key))
    return diff


def _diff_flat(
    kind: str, label: str, old: list[dict[str, Any]], new: list[dict[str, Any]], key_field: str
) -> list[dict[str, Any]]:
    fields_of = PROVIDER_FIELDS if kind == "provider" else RETENTION_FIELDS
    old_by, new_by = _by(old, key_field), _by(new, key_field)
    diff = []
    for key, item in new_by.items():
        if key not in old_by:
            diff.append(_entry(kind, "added", key, key, f"New {label.lower()}: {key}"))
        else:
            fields = _changed_fields(old_by[key], item, fields_of)
            if fields:
                diff.append(
                    _entry(kind, "changed", key, key, f"{label} {key} changed: {', '.join(fields)}", fields)
                )
    for key in old_by:
        if key not in new_by:
            diff.append(_entry(kind, "removed", key, key, f"Removed {label.lower()}: {key}"))
    return diff


__all__ = [
    "consent_changes",
    "consent_state",
    "current_registry_version",
    "diff_snapshots",
    "record_registry_change",
    "registry_snapshot",
]
