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
* ``record_registry_change()`` - called from the publish/unpublish/delete signals;
* ``on_registry_change()`` - higher apps register a listener that runs after every recorded change,
  inside its transaction (``policy_pages`` freezes the policies whose tables changed, so a live
  policy can never be committed ahead of its archive).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .approval_routes import route_fields, workflow_record
from .models import LastSeenRegistryState, RegistryVersion
from .registry_diff import RegistryChange, consent_changes, diff_registries
from .snapshot import CategoryEntry, CookieEntry, RegistrySnapshot, load_registry

if TYPE_CHECKING:
    from wagtail.models import Revision

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedRegistryChange:
    """One published registry change, as listeners of ``on_registry_change`` receive it."""

    previous: RegistrySnapshot
    current: RegistrySnapshot
    version: RegistryVersion | None  # None when the change did not affect consent
    published_at: datetime.datetime
    # ``approval_routes.route_fields()`` of the revision that went live ({} when none is known).
    route: dict[str, Any] = field(default_factory=dict)

    @property
    def changes(self) -> list[RegistryChange]:
        return diff_registries(self.previous, self.current)

    @property
    def asks_consent(self) -> bool:
        return bool(consent_changes(self.previous, self.current))


RegistryChangeListener = Callable[[RecordedRegistryChange], object]
_change_listeners: list[RegistryChangeListener] = []


def on_registry_change(listener: RegistryChangeListener) -> None:
    """Call ``listener`` after each recorded registry change, in the same transaction.

    Higher apps register in ``AppConfig.ready()`` (the registry never imports them). A listener that
    raises fails the publish: what it records (a policy's archive) must commit with the change or not
    at all.
    """
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def registry_snapshot(language: str | None = None) -> dict[str, Any]:
    """The whole *published* registry as plain JSON data (frozen into versions and archived policies).

    In ``language`` (default: the site's), as that language's readers saw it, translations left out.
    """
    from django.conf import settings

    return load_registry().localized(language or settings.LANGUAGE_CODE).as_data()


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


_batch_state: ContextVar[dict[str, Any] | None] = ContextVar("registry_change_batch", default=None)


@contextmanager
def one_registry_change() -> Iterator[None]:
    """Treat every publish inside the block as one change (demo loading, imports): one version at most."""
    if _batch_state.get() is not None:  # already batching further up
        yield
        return
    batch: dict[str, Any] = {"pending": False, "revision": None, "may_start": False}
    token = _batch_state.set(batch)
    try:
        yield
        pending, revision, may_start = batch["pending"], batch["revision"], batch["may_start"]
    finally:
        _batch_state.reset(token)
    if pending:
        record_registry_change(revision, may_start=may_start)


def registry_changed(revision: Revision | None = None, *, may_start: bool = True) -> RegistryVersion | None:
    """Signal entry point: record now, or once at the end of a ``one_registry_change`` block.

    ``revision``: the revision that went live (None for an unpublish or a delete), for the route.
    ``may_start``: whether this change may create version 1 (a category's may; a provider's,
    retention rule's or script's alone may not, as before they were listened to).
    """
    batch = _batch_state.get()
    if batch is not None:
        batch["pending"] = True
        batch["revision"] = revision or batch["revision"]
        batch["may_start"] = batch["may_start"] or may_start
        return None
    return record_registry_change(revision, may_start=may_start)


def record_registry_change(
    revision: Revision | None = None, *, may_start: bool = True
) -> RegistryVersion | None:
    """Compare the published registry with the last seen state; create a version if consent is affected.

    Returns the new version, or None when the change was cosmetic. Safe to call after any publish.
    Every call, versioned or not, is passed on to the ``on_registry_change`` listeners.
    """
    with transaction.atomic():
        LastSeenRegistryState.objects.get_or_create(pk=1)
        # Lock first, then read: concurrent publishes are compared one after the other.
        last_seen = LastSeenRegistryState.objects.select_for_update().get(pk=1)
        snapshot = load_registry()
        latest = RegistryVersion.objects.order_by("-number").first()
        previous = last_seen_snapshot(last_seen.state or (latest.snapshot if latest else {}))
        if latest is None:
            changes = ["First version of the cookie registry"] if may_start else []
        else:
            changes = consent_changes(previous, snapshot)
        data = snapshot.as_data()
        last_seen.state = data
        last_seen.save()
        route = (
            route_fields(workflow_record(revision, latest.created_at if latest else None))
            if revision is not None
            else {}
        )
        version = None
        if changes:
            number = (latest.number if latest else 0) + 1
            version = RegistryVersion.objects.create(number=number, snapshot=data, changes=changes, **route)
        recorded = RecordedRegistryChange(
            previous=previous,
            current=snapshot,
            version=version,
            published_at=version.created_at if version else timezone.now(),
            route=route,
        )
        for listener in list(_change_listeners):
            listener(recorded)
        return version


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
    "RecordedRegistryChange",
    "current_registry_version",
    "on_registry_change",
    "ensure_registry_version",
    "record_registry_change",
    "registry_snapshot",
]
