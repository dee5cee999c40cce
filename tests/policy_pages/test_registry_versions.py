"""A published registry change versions every policy whose public text it changes, and only those.

The invariant legal relies on: the live page always equals its current archived version (same
SHA-256 of the policy text), whatever kind of registry change was published.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from cookie_registry.models import CookieCategory, Provider, RetentionRule, ThirdPartyScript
from policy_pages.freezing import content_digest, render_policy_content
from policy_pages.models import PolicyPage
from policy_pages.versions import current_version
from tests.cookie_registry.conftest import COOKIE_POLICY_BODY
from tests.fixtures.registry import cookie, publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

PAGE_BODIES = {
    # Every registry table: cookie declarations, overview, providers, retention schedule.
    "cookie-policy": COOKIE_POLICY_BODY,
    # Only the retention schedule: cookie, category and provider changes are invisible here.
    "data-retention": [("retention_schedule", {"caption": "How long we keep your data"})],
    # No registry table at all.
    "privacy-notice": [("paragraph", "<p>We process your data lawfully.</p>")],
}


@pytest.fixture
def live_policies(home_page, registry) -> dict[str, PolicyPage]:
    """Three live policies, each at version 1."""
    pages = {}
    for slug, body in PAGE_BODIES.items():
        page = home_page.add_child(instance=PolicyPage(title=slug.title(), slug=slug, body=body, live=False))
        page.save_revision().publish()
        page.refresh_from_db()
        assert page.versions.count() == 1
        pages[slug] = page
    return pages


def analytics() -> CookieCategory:
    return CookieCategory.objects.get(key="analytics")


def edit_cookie(name: str, **fields: object) -> None:
    category = analytics()
    cookies = list(category.cookies.all())
    for item in cookies:
        if item.name == name:
            for field_name, value in fields.items():
                setattr(item, field_name, value)
    category.cookies = cookies
    publish(category)


def add_cookie() -> None:
    category = analytics()
    category.cookies.add(cookie("_gac_conv", duration_unit="days", duration_value=90))
    publish(category)


def remove_cookie() -> None:
    category = analytics()
    category.cookies.remove(next(item for item in category.cookies.all() if item.name == "_gid"))
    publish(category)


def change_category(**fields: object) -> Callable[[], None]:
    def change() -> None:
        category = analytics()
        for field_name, value in fields.items():
            setattr(category, field_name, value)
        publish(category)

    return change


def change_provider(**fields: object) -> Callable[[], None]:
    def change() -> None:
        provider = Provider.objects.get(name="Google")
        for field_name, value in fields.items():
            setattr(provider, field_name, value)
        publish(provider)

    return change


def change_retention_rule(**fields: object) -> Callable[[], None]:
    def change() -> None:
        rule = RetentionRule.objects.get()
        for field_name, value in fields.items():
            setattr(rule, field_name, value)
        publish(rule)

    return change


def move_the_last_category_further_down() -> None:
    """Marketing is the registry's last category: a larger sort order leaves every table as it was."""
    category = CookieCategory.objects.get(key="marketing")
    category.sort_order = 10
    publish(category)


def add_script() -> None:
    publish(ThirdPartyScript(name="Analytics loader", category=analytics(), src="https://stats.example/a.js"))


def unpublish_category() -> None:
    analytics().unpublish()


def unpublish_retention_rule() -> None:
    RetentionRule.objects.get().unpublish()


# (registry change, the policies whose public text it changes)
CHANGES: dict[str, tuple[Callable[[], None], set[str]]] = {
    "cookie added": (add_cookie, {"cookie-policy"}),
    "cookie purpose edited": (lambda: edit_cookie("_ga", purpose="Counts visits."), {"cookie-policy"}),
    "cookie duration edited": (
        lambda: edit_cookie("_ga", duration_unit="months", duration_value=13),
        {"cookie-policy"},
    ),
    "cookie removed": (remove_cookie, {"cookie-policy"}),
    "category renamed": (change_category(name="Audience measurement"), {"cookie-policy"}),
    "category description changed": (
        change_category(description="Helps us see which pages are read."),
        {"cookie-policy"},
    ),
    "category ordering only (no visible change)": (move_the_last_category_further_down, set()),
    "provider renamed": (change_provider(name="Google Ireland"), {"cookie-policy"}),
    "provider website changed (not in any table)": (
        change_provider(website="https://about.google.example/"),
        set(),
    ),
    "retention rule changed": (
        change_retention_rule(period="24 months"),
        {"cookie-policy", "data-retention"},
    ),
    "retention rule reordered only (no visible change)": (change_retention_rule(sort_order=3), set()),
    "retention rule unpublished": (unpublish_retention_rule, {"cookie-policy", "data-retention"}),
    "script added (scripts are not in the tables)": (add_script, set()),
    "category unpublished": (unpublish_category, {"cookie-policy"}),
}


def assert_live_equals_current_version(page: PolicyPage) -> None:
    page.refresh_from_db()
    version = current_version(page)
    assert version is not None
    rendered = render_policy_content(page)
    live_digest = content_digest(
        version.title, version.effective_date.isoformat(), rendered["summary_html"], rendered["body_html"]
    )
    assert live_digest == version.content_sha256, f"{page.slug}: the live page differs from its archive"


@pytest.mark.parametrize("kind", CHANGES)
def test_every_registry_change_keeps_live_pages_equal_to_their_archive(kind, live_policies):
    change, changed_pages = CHANGES[kind]
    before = {slug: page.versions.count() for slug, page in live_policies.items()}

    change()

    for slug, page in live_policies.items():
        expected = before[slug] + (1 if slug in changed_pages else 0)
        assert page.versions.count() == expected, f"{kind}: {slug} should have {expected} versions"
        assert_live_equals_current_version(page)


def test_registry_version_lists_the_change_its_route_and_material_flag(client, live_policies, admin_user):
    category = analytics()
    category.cookies.add(cookie("_gac_conv", duration_unit="days", duration_value=90))
    category.save_revision(user=admin_user).publish()
    page = live_policies["cookie-policy"]

    version = current_version(page)
    assert version is not None and version.number == 2
    version.refresh_from_db()
    assert "_gac_conv" in version.change_summary and "Cookie registry updated" in version.change_summary
    assert version.is_material_change  # a new cookie in an optional category asks for consent again
    assert version.approval_route == "direct" and version.approved_by == admin_user
    assert "_gac_conv" in version.body_text

    history = client.get("/cookie-policy/versions/").content.decode()
    assert 'href="/cookie-policy/versions/2/"' in history and "_gac_conv" in history
    assert 'href="/cookie-policy/versions/1/compare/2/"' in history
    feed = ET.fromstring(client.get("/cookie-policy/versions/feed/").content)  # noqa: S314 (our own response)
    titles = [entry.find(f"{ATOM}title").text or "" for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0].startswith("Cookie-Policy: version 2") and "(material change)" in titles[0]
    compare = client.get("/cookie-policy/versions/1/compare/2/")
    assert compare.status_code == 200 and "_gac_conv" in compare.content.decode()


def test_cosmetic_registry_change_is_not_material(live_policies):
    edit_cookie("_ga", purpose="Counts visits.")
    version = current_version(live_policies["cookie-policy"])
    assert version is not None and version.number == 2
    version.refresh_from_db()
    assert not version.is_material_change
    assert "_ga" in version.change_summary
