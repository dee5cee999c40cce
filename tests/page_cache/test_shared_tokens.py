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
        "page_tokens": {"BACKEND": "page_cache.token_store.FileTokenCache", "LOCATION": str(tmp_path)},
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


def test_token_files_add_only_once_and_set_replaces(tmp_path):
    from page_cache.token_store import FileTokenCache

    worker_a = FileTokenCache(str(tmp_path), {})
    worker_b = FileTokenCache(str(tmp_path), {})
    assert worker_a.get_many(["generation"]) == {}
    assert worker_a.add("generation", "first") is True
    assert worker_b.add("generation", "second") is False, "the first worker won"
    assert worker_b.get("generation") == "first"
    worker_b.set_many({"generation": "third", "subtree": "x"})
    assert worker_a.get_many(["generation", "subtree", "missing"]) == {"generation": "third", "subtree": "x"}
    worker_a.clear()
    assert worker_b.get("generation") is None
    assert not list(tmp_path.glob(".tmp-*")), "no temporary file is left behind"
