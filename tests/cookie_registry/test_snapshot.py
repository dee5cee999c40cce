"""The registry snapshot: plain immutable values, one serialisation, one diff."""

from __future__ import annotations

import dataclasses

import pytest

from django.db import models

from cookie_registry.registry_diff import consent_changes, diff_registries
from cookie_registry.snapshot import CategoryEntry, RegistrySnapshot, load_registry
from cookie_registry.versioning import last_seen_snapshot

pytestmark = pytest.mark.django_db


def walk(value):
    yield value
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from walk(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from walk(item)


def test_the_snapshot_holds_no_orm_instances_and_cannot_be_changed(registry):
    snapshot = load_registry()
    assert not [value for value in walk(snapshot) if isinstance(value, models.Model)]
    assert all(not isinstance(value, list | dict | set) for value in walk(snapshot)), "only immutable values"
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.categories[0].cookies[0].name = "changed"


def test_stored_data_reads_back_as_the_same_snapshot(registry):
    snapshot = load_registry()
    assert RegistrySnapshot.from_data(snapshot.as_data()) == dataclasses.replace(
        snapshot, version_number=0, version_id=None, recent_versions=()
    )


def test_the_one_diff_marks_what_asks_for_consent_again(registry):
    before = load_registry()
    analytics = before.category("analytics")
    cosmetic = dataclasses.replace(analytics, description="Fixed a typo.")
    widened = dataclasses.replace(analytics, consent_mode_signals=("analytics_storage", "ad_storage"))

    def with_analytics(category: CategoryEntry) -> RegistrySnapshot:
        others = tuple(c for c in before.categories if c.key != "analytics")
        return dataclasses.replace(before, categories=(*others, category))

    cosmetic_diff = diff_registries(before, with_analytics(cosmetic))
    assert [(c.kind, c.action, c.fields) for c in cosmetic_diff] == [
        ("category", "changed", ("description",))
    ]
    assert not cosmetic_diff[0].asks_consent
    assert consent_changes(before, with_analytics(cosmetic)) == []
    assert consent_changes(before, with_analytics(widened)) == [
        "New Consent Mode signals in Analytics: ad_storage"
    ]


def test_a_last_seen_state_stored_by_the_older_code_still_compares(registry):
    snapshot = load_registry()
    legacy = {  # LastSeenRegistryState.state as the older code wrote it
        category.key: {
            "name": category.name,
            "purpose": category.purpose,
            "is_essential": category.is_essential,
            "consent_mode_signals": sorted(category.consent_mode_signals),
            "cookies": sorted({cookie.name for cookie in category.cookies}),
        }
        for category in snapshot.categories
    }
    assert consent_changes(last_seen_snapshot(legacy), snapshot) == []
    legacy["analytics"]["cookies"] = ["_ga"]
    assert consent_changes(last_seen_snapshot(legacy), snapshot) == [
        "New cookie in Analytics: _gid (Google, 1 day)"
    ]
