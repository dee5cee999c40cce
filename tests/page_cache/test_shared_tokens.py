"""Several workers, each with its own page memory, sharing only the token files (no Redis)."""

import pytest

from django.core.cache import caches

from .conftest import publish

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def two_workers(settings, tmp_path):
    """Shared token files, and one local-memory page store per simulated worker."""
    settings.CACHES = {
        **settings.CACHES,
        "page_tokens": {"BACKEND": "site_data.token_store.FileTokenCache", "LOCATION": str(tmp_path)},
        "pages_worker_a": {"BACKEND": LOCMEM, "LOCATION": "worker-a"},
        "pages_worker_b": {"BACKEND": LOCMEM, "LOCATION": "worker-b"},
    }

    def as_worker(name):
        settings.PAGE_CACHE_ALIAS = f"pages_worker_{name}"

    yield as_worker
    for alias in ("page_tokens", "pages_worker_a", "pages_worker_b"):
        caches[alias].clear()


def test_a_publish_handled_by_one_worker_is_seen_by_every_worker(client, small_site, two_workers):
    for worker in ("a", "b"):
        two_workers(worker)
        client.get("/privacy-policy/")
        assert client.get("/privacy-policy/")["X-Page-Cache"] == "hit"

    two_workers("a")  # the editor's publish runs in worker A
    privacy = small_site["privacy-policy"]
    privacy.title = "Privacy notice"
    publish(privacy)

    two_workers("b")  # worker B still holds the old page in its memory, but can no longer reach it
    response = client.get("/privacy-policy/")
    assert response["X-Page-Cache"] == "miss"
    assert "Privacy notice" in response.content.decode()
