"""Every public page renders with a fixed number of SQL queries, whatever the size of the registry.

Rendering is measured with the page cache switched off (a cached page costs no query at all, also
asserted here). Each page is requested once first, so the lookups Wagtail keeps in the cache (the
site's root paths) are warm, as they are on a running server.
"""

import pytest

PAGES = {
    "home": "/",
    "privacy policy": "/privacy-policy/",
    "cookie policy": "/cookie-policy/",
    "version list": "/cookie-policy/versions/",
    "archived version": "/cookie-policy/versions/2/",
    "compare": "/cookie-policy/versions/2/compare/3/",
    "cookie settings": "/cookie-settings/",
}

# Where the queries go, for the policy pages: site (1), page routing (3), alias check (1),
# view restrictions (1), current version (1), upcoming revision (1), organisation settings (1),
# navigation (1); the policy
# pages' contents and body come from a fragment cache keyed by the page's publication and the
# site generation (after a change they cost one more: the declarations block's category choices, read
# when the table of contents walks the body). The banner data (registry snapshot with its gated
# scripts and recent changes, and the consent settings) costs nothing here: the worker shares it
# until the site generation changes (its 7 queries are paid by the first request after a change;
# tests/performance/test_registry_sharing.py).
# Wagtail pages include one query for the active locale (routing through ``root_page.localized``).
QUERY_BUDGET = {
    "home": 10,
    "privacy policy": 11,
    "cookie policy": 11,
    "version list": 11,
    "archived version": 11,
    "compare": 10,
    "cookie settings": 3,
}

SIZES = [
    pytest.param(10, 3, id="10-cookies-3-versions"),
    pytest.param(1000, 4, id="1000-cookies-4-versions"),
]


@pytest.mark.parametrize(("cookies", "versions"), SIZES)
def test_every_public_page_renders_within_its_query_budget_and_costs_none_cached(
    client, sized_registry_site, settings, django_assert_num_queries, cookies, versions
):
    settings.PAGE_CACHE_ENABLED = False
    sized_registry_site(cookies=cookies, versions=versions)
    for name, path in PAGES.items():
        assert client.get(path).status_code == 200, path
        with django_assert_num_queries(QUERY_BUDGET[name]):
            response = client.get(path)
        assert response.status_code == 200, path
    # Names carry <wbr> after "_" (they wrap there on phones).
    assert f"cookie_<wbr>{cookies - 1}" in client.get("/cookie-policy/").content.decode(), (
        "the whole registry is shown"
    )

    settings.PAGE_CACHE_ENABLED = True
    for name, path in PAGES.items():
        if name == "cookie settings":
            continue  # per visitor: never cached (tests/page_cache)
        client.get(path)
        with django_assert_num_queries(0):
            assert client.get(path)["X-Page-Cache"] == "hit", path


def test_a_translated_policy_renders_with_about_the_queries_of_the_default_language_one(
    client, sized_registry_site, settings, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policy_pages.models import PolicyPage
    from tests.languages.translating import translate

    settings.PAGE_CACHE_ENABLED = False
    sized_registry_site(cookies=50, versions=2)
    german = translate(
        PolicyPage.objects.get(slug="cookie-policy", locale__language_code="en"), "de", "Cookies"
    )
    counts = {}
    for path in ("/cookie-policy/", german.url):
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[path] = len(queries)
    # Wagtail's routing pays two more for a translation: the site root's translation
    # (``root_page.localized``) and the default-language root for the view-restriction check. Registry,
    # banner, navigation and locale lookups cost nothing more (shared per language and generation).
    assert counts[german.url] <= counts["/cookie-policy/"] + 2, counts
