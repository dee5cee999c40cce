"""Which published changes make visitors consent again (a new RegistryVersion), and which do not."""

from __future__ import annotations

import pytest

from cookie_registry.models import Cookie, CookieCategory, Provider, RegistryVersion
from cookie_registry.registry_diff import diff_registries
from cookie_registry.snapshot import RegistrySnapshot, load_registry
from cookie_registry.versioning import (
    current_registry_version,
    ensure_registry_version,
    registry_snapshot,
)
from tests.fixtures.registry import cookie, make_category, publish

pytestmark = pytest.mark.django_db


def latest() -> RegistryVersion:
    version = RegistryVersion.objects.order_by("-number").first()
    assert version is not None
    return version


def edit_and_publish(category: CookieCategory, **fields) -> CookieCategory:
    category = CookieCategory.objects.get(pk=category.pk)
    for name, value in fields.items():
        setattr(category, name, value)
    category.save_revision().publish()
    return category


def set_cookies(category: CookieCategory, cookies: list[Cookie]) -> CookieCategory:
    category = CookieCategory.objects.get(pk=category.pk)
    category.cookies = cookies
    category.save_revision().publish()
    return category


def test_first_version_is_created_from_the_current_state(registry):
    version = ensure_registry_version()
    assert version.number == 1
    assert [c["key"] for c in version.snapshot["categories"]] == [c.key for c in registry.categories]
    assert ensure_registry_version().pk == version.pk  # no new row on a second call


def test_current_version_exists_even_for_an_empty_registry(db):
    assert ensure_registry_version().number == 1
    assert ensure_registry_version().number == 1


def test_reading_the_current_version_never_writes(registry, client, django_assert_num_queries):
    RegistryVersion.objects.all().delete()
    with django_assert_num_queries(1):
        assert current_registry_version() is None
    assert client.get("/cookie-settings/").status_code == 200  # renders the banner and the form
    assert not RegistryVersion.objects.exists(), "a read path created a version"


@pytest.mark.parametrize(
    ("change", "expected_text"),
    [
        ("new_category", "New category: Social Media"),
        ("purpose", "Purpose changed: Analytics"),
        ("essential_on", "Now essential (always on): Analytics"),
        ("new_cookie", "New cookie in Analytics: _gat (this website, 30 days)"),
        ("widened_signals", "New Consent Mode signals in Analytics: ad_storage"),
        ("unpublish", "Removed category: Analytics"),
        ("delete", "Removed category: Analytics"),
    ],
)
def test_consent_relevant_changes_bump_the_version(registry, change, expected_text):
    analytics = registry.analytics
    before = ensure_registry_version().number
    if change == "new_category":
        make_category("social_media", "Social Media", cookies=[cookie("li_gc")])
    elif change == "purpose":
        edit_and_publish(analytics, purpose="Now we also build audience profiles.")
    elif change == "essential_on":
        edit_and_publish(analytics, is_essential=True, default_enabled=True)
    elif change == "new_cookie":
        existing = list(analytics.cookies.all())
        set_cookies(analytics, [*[cookie(c.name, provider=c.provider) for c in existing], cookie("_gat")])
    elif change == "widened_signals":
        edit_and_publish(analytics, consent_mode_signals=["analytics_storage", "ad_storage"])
    elif change == "unpublish":
        CookieCategory.objects.get(pk=analytics.pk).unpublish()
    elif change == "delete":
        CookieCategory.objects.get(pk=analytics.pk).cookies.all().delete()
        CookieCategory.objects.get(pk=analytics.pk).delete()
    version = latest()
    assert version.number == before + 1
    assert expected_text in version.changes


@pytest.mark.parametrize(
    "change",
    [
        "description",
        "name",
        "ordering",
        "provider_link",
        "cookie_duration",
        "narrowed_signals",
        "remove_cookie",
        "essential_cookie_added",
        "draft_only",
    ],
)
def test_cosmetic_or_narrowing_changes_do_not_bump(registry, change):
    analytics, necessary = registry.analytics, registry.necessary
    before = ensure_registry_version().number
    if change == "description":
        edit_and_publish(analytics, description="Fixed a typo in the long text.")
    elif change == "name":
        edit_and_publish(analytics, name="Analytics & statistics")
    elif change == "ordering":
        edit_and_publish(analytics, sort_order=99)
    elif change == "provider_link":
        google = Provider.objects.get(name="Google")
        google.privacy_policy_url = "https://policies.google.com/privacy?hl=en"
        google.save_revision().publish()
    elif change == "cookie_duration":
        set_cookies(analytics, [cookie("_ga", duration_unit="years", duration_value=1), cookie("_gid")])
    elif change == "narrowed_signals":
        edit_and_publish(analytics, consent_mode_signals=[])
    elif change == "remove_cookie":
        set_cookies(analytics, [cookie("_ga")])
    elif change == "essential_cookie_added":
        set_cookies(necessary, [cookie("sessionid"), cookie("csrftoken")])
    elif change == "draft_only":
        draft = CookieCategory.objects.get(pk=analytics.pk)
        draft.purpose = "A new purpose, not yet published."
        draft.cookies = [*draft.cookies.all(), cookie("_gat")]
        draft.save_revision()
    assert latest().number == before
    assert RegistryVersion.objects.count() == 1


def test_a_removed_cookie_that_comes_back_counts_as_new(registry):
    analytics = registry.analytics
    ensure_registry_version()
    set_cookies(analytics, [cookie("_ga")])  # _gid removed: no new version
    assert latest().number == 1
    set_cookies(analytics, [cookie("_ga"), cookie("_gid")])  # _gid is back: a new version
    assert latest().number == 2
    assert latest().changes == ["New cookie in Analytics: _gid (this website, 30 days)"]


def test_a_category_republished_after_unpublishing_counts_as_new(registry):
    ensure_registry_version()
    CookieCategory.objects.get(key="analytics").unpublish()
    publish(CookieCategory.objects.get(key="analytics"))
    assert [v.changes for v in RegistryVersion.objects.order_by("number")][1:] == [
        ["Removed category: Analytics"],
        ["New category: Analytics"],
    ]


def test_a_version_stores_the_full_snapshot_and_diff_describes_it(registry):
    first = ensure_registry_version()
    analytics = registry.analytics
    set_cookies(analytics, [cookie("_ga", duration_unit="years", duration_value=1), cookie("_gat")])
    second = latest()
    assert second.snapshot == registry_snapshot()
    diff = diff_registries(
        RegistrySnapshot.from_data(first.snapshot), RegistrySnapshot.from_data(second.snapshot)
    )
    texts = [change.text for change in diff]
    assert "New cookie in Analytics: _gat (this website, 30 days)" in texts
    assert "Removed cookie from Analytics: _gid" in texts
    assert any(text.startswith("Cookie _ga in Analytics changed:") for text in texts)


def test_diff_of_identical_snapshots_is_empty(registry):
    assert diff_registries(load_registry(), load_registry()) == []
    stored = RegistrySnapshot.from_data(registry_snapshot())
    assert diff_registries(stored, load_registry()) == [], "a stored copy reads back equal"


def test_snapshot_only_contains_published_data(registry):
    make_category("social_media", "Social Media", cookies=[cookie("_fbp")], live=False)
    draft = CookieCategory.objects.get(key="analytics")
    draft.purpose = "Draft purpose"
    draft.save_revision()
    snapshot = registry_snapshot()
    assert [c["key"] for c in snapshot["categories"]] == [
        "necessary",
        "preferences",
        "analytics",
        "marketing",
    ]
    assert snapshot["categories"][2]["purpose"] == "Why we use analytics cookies."
    assert [p["name"] for p in snapshot["providers"]] == ["Google"]
    assert snapshot["retention_rules"][0]["data_category"] == "Contact form submissions"
