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

# Rendering a page costs its queries once per worker and site generation: the route (site, pages,
# view restrictions), the organisation, the navigation, a policy's version in force, the registry
# snapshot and the banner data are shared until something public changes (site_data/). What is left
# on every render is what only that URL reads: the version list, one archived version, one stored
# comparison, and the visitor's own consent record on the settings page.
QUERY_BUDGET = {
    "home": 0,
    "privacy policy": 0,
    "cookie policy": 0,
    "version list": 2,
    "archived version": 1,
    "compare": 1,
    "cookie settings": 1,
}
# The first render after a change pays for what is shared: a fixed number of queries whatever the
# registry's size (one budget for 10 and for 1,000 cookies).
FIRST_RENDER_BUDGET = {
    "home": 22,
    "privacy policy": 23,
    "cookie policy": 23,
    "version list": 23,
    "archived version": 24,
    "compare": 22,
    "cookie settings": 11,
}

SIZES = [
    pytest.param(10, 3, id="10-cookies-3-versions"),
    pytest.param(1000, 4, id="1000-cookies-4-versions"),
]


@pytest.mark.parametrize(("cookies", "versions"), SIZES)
def test_every_public_page_renders_within_its_query_budget_and_costs_none_cached(
    client, sized_registry_site, settings, cookies, versions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from site_data.generation import bump_generation

    settings.PAGE_CACHE_ENABLED = False
    sized_registry_site(cookies=cookies, versions=versions)
    for name, path in PAGES.items():
        assert client.get(path).status_code == 200, path  # Wagtail's own caches warm
        bump_generation()
        with CaptureQueriesContext(connection) as first:
            assert client.get(path).status_code == 200, path
        assert len(first) <= FIRST_RENDER_BUDGET[name], (name, [q["sql"] for q in first])
        with CaptureQueriesContext(connection) as again:
            assert client.get(path).status_code == 200, path
        assert len(again) <= QUERY_BUDGET[name], (name, [q["sql"] for q in again])
    # Names carry <wbr> after "_" (they wrap there on phones).
    assert f"cookie_<wbr>{cookies - 1}" in client.get("/cookie-policy/").content.decode(), (
        "the whole registry is shown"
    )

    settings.PAGE_CACHE_ENABLED = True
    for name, path in PAGES.items():
        if name == "cookie settings":
            continue  # per visitor: never cached (tests/page_cache)
        client.get(path)
        with CaptureQueriesContext(connection) as cached:
            assert client.get(path)["X-Page-Cache"] == "hit", path
        assert len(cached) == 0, path


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
