"""The one comparison of two registry snapshots.

``diff_registries(old, new)`` lists every difference (cosmetic ones included) in reading order;
each change also says whether it asks visitors for consent again, with the sentence they are shown
(``consent_reasons``). The version rule (``versioning.py``) and the policy compare pages both read
this list: ``consent_changes()`` is only its consent-relevant part.

Asks for consent again: a category added or removed; a category's purpose or essential flag
changed; its Consent Mode signals widened; a cookie name new to a non-essential category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from .snapshot import (
    CATEGORY_FIELDS,
    COOKIE_FIELDS,
    PROVIDER_FIELDS,
    RETENTION_FIELDS,
    SCRIPT_FIELDS,
    CategoryEntry,
    CookieEntry,
    RegistrySnapshot,
)


@dataclass(frozen=True, slots=True)
class RegistryChange:
    kind: str  # category, cookie, provider, retention_rule, script
    action: str  # added, removed, changed
    key: str
    name: str
    text: str
    fields: tuple[str, ...] = ()
    category: str = ""  # for cookies: the category's key
    consent_reasons: tuple[str, ...] = ()

    @property
    def asks_consent(self) -> bool:
        return bool(self.consent_reasons)


def _changed(old: Any, new: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(old, name) != getattr(new, name))


def diff_registries(old: RegistrySnapshot, new: RegistrySnapshot) -> list[RegistryChange]:
    changes: list[RegistryChange] = []
    for category in new.categories:
        before = old.category(category.key)
        if before is None:
            text = f"New category: {category.name}"
            changes.append(
                RegistryChange(
                    "category", "added", category.key, category.name, text, consent_reasons=(text,)
                )
            )
            changes.extend(
                _diff_cookies(CategoryEntry(category.key, category.name, ""), category, asks=False)
            )
            continue
        fields = _changed(before, category, tuple(n for n in CATEGORY_FIELDS))
        if fields:
            text = f"Category {category.name} changed: {', '.join(fields)}"
            changes.append(
                RegistryChange(
                    "category",
                    "changed",
                    category.key,
                    category.name,
                    text,
                    fields,
                    consent_reasons=_category_reasons(before, category),
                )
            )
        changes.extend(_diff_cookies(before, category, asks=not category.is_essential))
    new_keys = {category.key for category in new.categories}
    for category in old.categories:
        if category.key not in new_keys:
            text = f"Removed category: {category.name}"
            changes.append(
                RegistryChange(
                    "category", "removed", category.key, category.name, text, consent_reasons=(text,)
                )
            )
    changes.extend(_diff_flat("provider", "Provider", old.providers, new.providers, "name", PROVIDER_FIELDS))
    changes.extend(
        _diff_flat(
            "retention_rule",
            "Retention rule",
            old.retention_rules,
            new.retention_rules,
            "data_category",
            RETENTION_FIELDS,
        )
    )
    if old.has_scripts and new.has_scripts:  # snapshots stored before scripts were recorded have none
        changes.extend(_diff_flat("script", "Script", old.scripts, new.scripts, "name", SCRIPT_FIELDS))
    return changes


def consent_changes(old: RegistrySnapshot, new: RegistrySnapshot) -> list[str]:
    """Why visitors must be asked again; empty when their consent stays valid."""
    return [reason for change in diff_registries(old, new) for reason in change.consent_reasons]


def cookie_entry_text(cookie: CookieEntry) -> str:
    """A cookie as people read it in a list of changes: "_ga (Google, 2 years)",
    "_hj_* (name pattern; Hotjar, 1 year)"."""
    with translation.override("en"):  # stored change texts are English, whoever publishes
        duration = cookie.duration_display
    details = [
        cookie.provider or ("this website" if cookie.party == "first" else ""),
        duration,
    ]
    described = ", ".join(part for part in details if part)
    if cookie.is_pattern:
        described = f"name pattern; {described}"
    return f"{cookie.name} ({described})"


def _category_reasons(before: CategoryEntry, category: CategoryEntry) -> tuple[str, ...]:
    reasons = []
    name = category.name
    if before.purpose != category.purpose:
        reasons.append(f"Purpose changed: {name}")
    if before.is_essential != category.is_essential:
        if category.is_essential:
            reasons.append(f"Now essential (always on): {name}")
        else:
            reasons.append(f"No longer essential, now optional: {name}")
    widened = sorted(set(category.consent_mode_signals) - set(before.consent_mode_signals))
    if widened:
        reasons.append(f"New Consent Mode signals in {name}: {', '.join(widened)}")
    return tuple(reasons)


def _diff_cookies(before: CategoryEntry, category: CategoryEntry, *, asks: bool) -> list[RegistryChange]:
    old, new = before.cookies, category.cookies
    names = [cookie.name for cookies in (old, new) for cookie in cookies]
    repeated = {
        name
        for name in names
        if [c.name for c in old].count(name) > 1 or [c.name for c in new].count(name) > 1
    }

    def identity(cookie: CookieEntry) -> tuple[str, str | None]:
        # By name, so a changed provider reads as a change; by name and provider when a name repeats.
        return (cookie.name, cookie.provider if cookie.name in repeated else None)

    old_by = {identity(cookie): cookie for cookie in old}
    new_by = {identity(cookie): cookie for cookie in new}
    old_names = {cookie.name for cookie in old}
    reasons_given: set[str] = set()
    changes = []
    where = category.name
    for ident, cookie in new_by.items():
        if ident not in old_by:
            text = f"New cookie in {where}: {cookie_entry_text(cookie)}"
            reasons: tuple[str, ...] = ()
            if asks and cookie.name not in old_names and cookie.name not in reasons_given:
                reasons_given.add(cookie.name)
                reasons = (text,)
            changes.append(
                RegistryChange("cookie", "added", cookie.name, cookie.name, text, (), category.key, reasons)
            )
            continue
        fields = _changed(old_by[ident], cookie, COOKIE_FIELDS)
        if fields:
            text = f"Cookie {cookie.name} in {where} changed: {', '.join(fields)}"
            changes.append(
                RegistryChange("cookie", "changed", cookie.name, cookie.name, text, fields, category.key)
            )
    for ident, cookie in old_by.items():
        if ident not in new_by:
            text = f"Removed cookie from {where}: {cookie.name}"
            changes.append(
                RegistryChange("cookie", "removed", cookie.name, cookie.name, text, (), category.key)
            )
    return changes


def _diff_flat(
    kind: str, label: str, old: tuple[Any, ...], new: tuple[Any, ...], key: str, names: tuple[str, ...]
) -> list[RegistryChange]:
    old_by = {getattr(item, key): item for item in old}
    new_by = {getattr(item, key): item for item in new}
    changes = []
    for identity, item in new_by.items():
        if identity not in old_by:
            changes.append(
                RegistryChange(kind, "added", identity, identity, f"New {label.lower()}: {identity}")
            )
            continue
        fields = _changed(old_by[identity], item, names)
        if fields:
            text = f"{label} {identity} changed: {', '.join(fields)}"
            changes.append(RegistryChange(kind, "changed", identity, identity, text, fields))
    for identity in old_by:
        if identity not in new_by:
            changes.append(
                RegistryChange(kind, "removed", identity, identity, f"Removed {label.lower()}: {identity}")
            )
    return changes
