"""The cookie policy's registry tables, as a visitor's browser receives them."""

from __future__ import annotations

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cookie_registry.models import Cookie, CookieCategory
from site_data.generation import bump_generation
from tests.fixtures.registry import cookie, make_category, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """These tests look at rendering; the anonymous page cache is tested by its own app."""
    settings.PAGE_CACHE_ENABLED = False


def policy_body(html: str) -> str:
    """The policy body only (the consent banner elsewhere on the page lists cookie names too)."""
    match = re.search(r'<div class="policy__body">.*</article>', html, flags=re.S)
    assert match is not None, "no policy body on the page"
    return match[0]


def policy_html(client, path: str = "/cookie-policy/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return policy_body(response.content.decode())


def test_each_category_section_has_its_key_as_anchor(client, registry, cookie_policy_page):
    html = policy_html(client)
    assert html.count('id="necessary"') == 1
    assert html.count('id="analytics"') == 1
    # The overview links to the sections instead of repeating the ids.
    assert '<a href="#analytics">Analytics</a>' in html


def test_tables_are_accessible_and_scroll_on_phones(client, registry, cookie_policy_page):
    html = policy_html(client)
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert len(tables) == 7  # overview, four categories, providers, retention
    for table in tables:
        assert "<caption" in table
        assert '<th scope="col">' in table
    assert html.count('<div class="table-scroll" tabindex="0" role="region" aria-label="') == 7, (
        "each table scrolls in a keyboard-reachable region"
    )


def test_declarations_show_name_provider_purpose_duration_party_storage(client, registry, cookie_policy_page):
    html = policy_html(client)
    analytics = re.search(r'<section class="cookie-category" id="analytics".*?</section>', html, flags=re.S)[
        0
    ]
    assert "<code>_ga</code>" in analytics
    assert '<a href="https://policies.google.com/privacy" rel="noopener">Google</a>' in analytics
    assert "What _ga is for." in analytics
    assert '<td data-label="Duration">2 years</td>' in analytics
    assert '<td data-label="Duration">1 day</td>' in analytics
    assert '<td data-label="Party">First party</td>' in analytics
    assert '<td data-label="Type">HTTP cookie</td>' in analytics
    assert "Optional." in analytics
    necessary = re.search(r'<section class="cookie-category" id="necessary".*?</section>', html, flags=re.S)[
        0
    ]
    assert '<td data-label="Duration">Session</td>' in necessary
    assert "Always on." in necessary


def test_providers_and_retention_tables(client, registry, cookie_policy_page):
    make_provider(
        "Unused", "https://unused.example/privacy"
    )  # no cookies: not a provider that "places cookies here"
    html = policy_html(client)
    providers = re.search(r"registry-table--providers.*?</table>", html, flags=re.S)[0]
    assert "Google" in providers
    assert "<code>_ga</code>, <code>_gid</code>" in providers
    assert "Unused" not in providers
    retention = re.search(r"registry-table--retention.*?</table>", html, flags=re.S)[0]
    assert '<th scope="row">Contact form submissions</th>' in retention
    assert '<td data-label="How long we keep it">12 months</td>' in retention


def test_only_published_data_is_shown(client, registry, cookie_policy_page):
    make_category("social_media", "Social Media", cookies=[cookie("_fbp")], live=False)
    draft = CookieCategory.objects.get(key="analytics")
    draft.purpose = "Unpublished purpose"
    draft.cookies = [*draft.cookies.all(), cookie("_draft_only")]
    draft.save_revision()
    html = policy_html(client)
    assert "Social Media" not in html
    assert "Unpublished purpose" not in html
    assert "_draft_only" not in html


def test_a_single_category_block_and_the_overview_anchor_fallback(client, registry, home_page):
    from policy_pages.models import PolicyPage

    page = home_page.add_child(
        instance=PolicyPage(
            title="Analytics",
            slug="analytics-only",
            body=[
                ("cookie_categories", {"caption": ""}),
                (
                    "cookie_declarations",
                    {"category": registry.analytics, "caption": "Analytics cookies we use"},
                ),
                ("cookie_declarations", {"category": registry.analytics, "caption": ""}),
            ],
        )
    )
    page.save_revision().publish()
    html = policy_html(client, "/analytics-only/")
    assert html.count('id="analytics"') == 1  # ids stay unique when a category is listed twice
    assert '<caption class="visually-hidden">Analytics cookies we use</caption>' in html
    assert "sessionid" not in html


def test_overview_rows_carry_the_anchors_when_there_is_no_declarations_block(client, registry, home_page):
    from policy_pages.models import PolicyPage

    page = home_page.add_child(
        instance=PolicyPage(title="Overview", slug="overview", body=[("cookie_categories", {"caption": ""})])
    )
    page.save_revision().publish()
    html = policy_html(client, "/overview/")
    assert '<tr id="analytics" data-category="analytics">' in html


def add_cookies(category: CookieCategory, count: int, provider) -> None:
    Cookie.objects.bulk_create(
        Cookie(
            category=category,
            name=f"bulk_{category.key}_{index}",
            provider=provider,
            purpose="Bulk cookie for the query count test.",
            duration_unit="days",
            duration_value=index % 400 + 1,
            sort_order=index,
        )
        for index in range(count)
    )
    bump_generation()  # bulk_create sends no signals; publishing and the importer do this themselves


def count_policy_queries(client) -> tuple[int, int, str]:
    """(all queries, queries reading cookie rows, policy body) for the first view after a registry change."""
    bump_generation()  # what any registry publish does: nothing shared by the worker survives it
    with CaptureQueriesContext(connection) as queries:
        html = policy_html(client)
    cookie_reads = [q for q in queries.captured_queries if 'FROM "cookie_registry_cookie"' in q["sql"]]
    return len(queries), len(cookie_reads), html


# Measured: rendering /cookie-policy/ runs 21 queries (page routing, site, organisation and consent
# settings, the banner, navigation, which pages have translations, the locale codes, and the registry). The registry blocks cost 5 of them
# (categories, cookies with their providers, providers, retention rules, current version), loaded
# once per request however many registry blocks the page has. The number belongs to the whole page,
# so other apps may move it; what must never change is that it is the same at 10 and 1,000 cookies.
MEASURED_POLICY_PAGE_QUERIES = 21


def test_cookie_policy_page_query_count_does_not_grow_with_the_registry(client, cookie_policy_page):
    google = make_provider("Google")
    meta = make_provider("Meta")
    analytics = make_category("analytics", "Analytics", order=1)
    marketing = make_category("marketing", "Marketing", order=2)
    add_cookies(analytics, 5, google)
    add_cookies(marketing, 5, meta)
    client.get("/cookie-policy/")  # warm-up: first request creates registry version 1 if needed

    with_10_cookies, cookie_reads_10, html = count_policy_queries(client)
    assert html.count("<code>bulk_") == 10 + 10  # each name in its category table and the providers table

    add_cookies(analytics, 495, google)
    add_cookies(marketing, 495, meta)
    with_1000_cookies, cookie_reads_1000, html = count_policy_queries(client)
    assert html.count("<code>bulk_") == 1000 + 1000

    assert with_10_cookies == with_1000_cookies, (
        f"{with_10_cookies} queries with 10 cookies, {with_1000_cookies} with 1,000"
    )
    assert cookie_reads_10 == cookie_reads_1000 == 1  # all cookies (and providers) in one query
    assert with_10_cookies <= MEASURED_POLICY_PAGE_QUERIES, f"the page now runs {with_10_cookies} queries"


def test_the_registry_snapshot_loads_in_six_queries_once_per_worker(registry, django_assert_num_queries):
    from cookie_registry.services import published_registry
    from cookie_registry.versioning import ensure_registry_version

    ensure_registry_version()
    with django_assert_num_queries(6):
        snapshot = published_registry()
    with django_assert_num_queries(0):
        assert published_registry() is snapshot
        assert [c.key for c in snapshot.categories] == ["necessary", "preferences", "analytics", "marketing"]
        assert [c.name for c in snapshot.category("analytics").cookies] == ["_ga", "_gid"]
        assert [p.name for p in snapshot.providers_with_cookies] == ["Google"]
        assert snapshot.version_number == registry.version.number == 1
