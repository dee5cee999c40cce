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

The comparison itself is ``registry_diff.diff_registries`` (the one registry diff); the state is
a ``snapshot.RegistrySnapshot`` (the one serialisation).

Public interface:

* ``current_registry_version()`` - the latest ``RegistryVersion`` or None; never writes;
* ``ensure_registry_version()`` - the latest, creating number 1 first if there is none (write paths);
* ``registry_snapshot()`` - the published registry as JSON-able data (``RegistrySnapshot.as_data()``);
* ``record_registry_change()`` - called from the publish/unpublish/delete signals.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import IntegrityError, transaction

from .models import LastSeenRegistryState, RegistryVersion
from .registry_diff import consent_changes
from .snapshot import CategoryEntry, CookieEntry, RegistrySnapshot, load_registry


def registry_snapshot() -> dict[str, Any]:
    """The whole *published* registry as plain JSON data (frozen into versions and archived policies)."""
    return load_registry().as_data()


def last_seen_snapshot(state: dict[str, Any]) -> RegistrySnapshot:
    """The registry last seen by ``record_registry_change``.

    Rows written before the snapshot existed hold only the consent-relevant part, keyed by category.
    """
    if "categories" in state or not state:
        return RegistrySnapshot.from_data(state)
    return RegistrySnapshot(
        categories=tuple(
            CategoryEntry(
                key=key,
                name=item.get("name", key),
                purpose=item.get("purpose", ""),
                is_essential=bool(item.get("is_essential")),
                consent_mode_signals=tuple(item.get("consent_mode_signals") or ()),
                cookies=tuple(CookieEntry(name=name, provider=None) for name in item.get("cookies") or ()),
            )
            for key, item in state.items()
        )
    )


_batch_state: ContextVar[dict[str, bool] | None] = ContextVar("registry_change_batch", default=None)


@contextmanager
def one_registry_change() -> Iterator[None]:
    """Treat every publish inside the block as one change (demo loading, imports): one version at most."""
    if _batch_state.get() is not None:  # already batching further up
        yield
        return
    batch: dict[str, bool] = {"pending": False}
    token = _batch_state.set(batch)
    try:
        yield
        pending = batch["pending"]
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
        snapshot = load_registry()
        latest = RegistryVersion.objects.order_by("-number").first()
        if latest is None:
            changes = ["First version of the cookie registry"]
        else:
            previous = last_seen_snapshot(last_seen.state or latest.snapshot)
            changes = consent_changes(previous, snapshot)
        data = snapshot.as_data()
        last_seen.state = data
        last_seen.save()
        if not changes:
            return None
        number = (latest.number if latest else 0) + 1
        return RegistryVersion.objects.create(number=number, snapshot=data, changes=changes)


def current_registry_version() -> RegistryVersion | None:
    """The version visitors' consent must carry, or None before the registry was first published.

    A read: never writes (versions are created when the registry is published).
    """
    return RegistryVersion.objects.order_by("-number").first()


def ensure_registry_version() -> RegistryVersion:
    """The current version, recording number 1 from the published registry if there is none yet."""
    latest = current_registry_version()
    if latest is not None:
        return latest
    try:
        with transaction.atomic():
            created = record_registry_change()
    except IntegrityError:  # another request created number 1 at the same moment
        created = None
    if created is not None:
        return created
    existing = RegistryVersion.objects.order_by("-number").first()
    if existing is None:  # number 1 was just created, here or by the concurrent request
        raise RuntimeError("No registry version after creating the first one.")
    return existing


__all__ = [
    "current_registry_version",
    "ensure_registry_version",
    "record_registry_change",
    "registry_snapshot",
]
