"""History, archived versions and the live page cost the same number of queries for 3 or 100 versions."""

from __future__ import annotations

import pytest

from django.core.cache import caches
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from policy_pages.models import PolicyVersion

from .conftest import publish_policy

URLS = (
    "/cookie-policy/",
    "/cookie-policy/versions/",
    "/cookie-policy/versions/2/",
    "/cookie-policy/versions/feed/",
)
# Queries reading policy versions, per page (the rest is the site frame: settings, registry, banner).
# Pages with the banner add one: its material-change notices (built once per site generation).
VERSION_QUERIES = {
    "/cookie-policy/": 2,  # "Version N · effective <date>"
    "/cookie-policy/versions/": 2,
    "/cookie-policy/versions/2/": 3,  # the version, and the latest number for the notice
    "/cookie-policy/versions/feed/": 1,
}


def add_versions(page, up_to: int) -> None:
    """Copies of version 1 numbered on to ``up_to`` (a long history, without 100 slow publishes)."""
    template = model_to_dict(page.versions.get(number=1), exclude=["id", "page", "revision", "number"])
    template.pop("submitted_by", None), template.pop("approved_by", None)
    start = page.versions.count() + 1
    PolicyVersion.objects.bulk_create(
        PolicyVersion(page=page, revision_id=page.live_revision_id, number=number, **template)
        for number in range(start, up_to + 1)
    )


def count_queries(client, url: str) -> tuple[int, int]:
    """(all queries, queries on policy versions) for one uncached request."""
    client.get(url)  # first request of a test run creates settings rows; not part of the measure
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    on_versions = [
        query for query in queries.captured_queries if "policy_pages_policyversion" in query["sql"]
    ]
    return len(queries), len(on_versions)


@pytest.fixture
def three_versions(published_policy):
    publish_policy(published_policy, summary="Second version.")
    add_versions(published_policy, 3)
    return published_policy


def test_query_counts_do_not_grow_with_the_history(client, three_versions, settings):
    settings.PAGE_CACHE_ENABLED = False  # measure the rendering, not a cache hit
    with_three = {url: count_queries(client, url) for url in URLS}
    add_versions(three_versions, 100)
    with_hundred = {url: count_queries(client, url) for url in URLS}

    assert with_hundred == with_three
    assert {url: counts[1] for url, counts in with_three.items()} == VERSION_QUERIES
    print("queries per page, 3 or 100 versions:", with_three)
