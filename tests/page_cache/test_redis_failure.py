"""Redis unreachable or full: the site answers, consent is recorded, /healthz/ says so, recovery is automatic.

The caches are configured exactly as ``REDIS_URL`` configures them (``site_caches_from_env``), pointing
at a port where nothing listens, or at a redis-server this test starts with a small ``maxmemory``.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time

import pytest
import redis

from cms.settings.environment import site_caches_from_env
from consent.models import ConsentRecord
from page_cache import resilient_redis
from page_cache.store import worker_pages
from tests.consent.conftest import choice, post_json
from tests.operations.helpers import free_port

PUBLIC_PAGES = [
    "/",
    "/privacy-policy/",
    "/cookie-policy/",
    "/cookie-policy/?utm_source=newsletter",
    "/cookie-settings/",
    "/cookie-policy/versions/",
    "/cookie-policy/versions/1/",
    "/cookie-policy/versions/feed/",
    "/policies/feed/",
]


def use_redis(settings, monkeypatch, tmp_path, url: str) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("CACHE_KEY_PREFIX", f"t{free_port()}")
    caches, alias = site_caches_from_env(tmp_path, 3600)
    settings.CACHES = caches
    settings.PAGE_CACHE_ALIAS = alias
    worker_pages.clear()


@pytest.fixture
def dead_redis(settings, monkeypatch, tmp_path):
    port = free_port()  # nothing listens there
    resilient_redis._health.clear()
    use_redis(settings, monkeypatch, tmp_path, f"redis://127.0.0.1:{port}/0")
    yield port
    resilient_redis._health.clear()


def registry_version() -> int:
    from cookie_registry.versioning import current_registry_version

    version = current_registry_version()
    assert version is not None
    return version.number


def test_every_public_page_answers_200_without_redis(client, demo_site, dead_redis):
    for path in PUBLIC_PAGES:
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.get("X-Page-Cache") in (None, "uncached"), path


def test_consent_is_recorded_without_redis(client, demo_site, dead_redis):
    response = post_json(client, choice("reject_all", [], registry_version()))
    assert response.status_code == 201, response.content
    assert ConsentRecord.objects.filter(consent_id=response.json()["consent_id"]).exists()


def test_healthz_reports_the_cache_unavailable_but_stays_up(client, db, dead_redis):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_the_failure_is_logged_once_per_interval_not_per_request(client, demo_site, dead_redis, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/privacy-policy/").status_code == 200
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and "unavailable" in r.getMessage()]
    assert 1 <= len(warnings) <= 3, [r.getMessage() for r in warnings]  # at most one per cache


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own: small maxmemory, noeviction, no persistence."""
    if shutil.which("redis-server") is None:
        pytest.skip(
            "redis-server is not installed (Debian package redis-server; the project's machines and CI have it)"
        )
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--maxmemory", "3mb",
            "--maxmemory-policy", "noeviction",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    resilient_redis._health.clear()
    yield port, client, process
    process.terminate()
    process.wait(timeout=10)
    resilient_redis._health.clear()


def fill(client: redis.Redis) -> None:
    """Write until even a tiny write is refused (OOM under noeviction)."""
    for size in (64 * 1024, 1024, 16):
        for n in range(10_000):
            try:
                client.set(f"filler:{size}:{n}", b"x" * size)
            except redis.ResponseError as error:
                assert "maxmemory" in str(error)
                break
        else:
            pytest.fail("redis never filled up")


def test_a_full_redis_keeps_the_site_answering(
    client, demo_site, settings, monkeypatch, tmp_path, redis_server
):
    port, raw, _ = redis_server
    use_redis(settings, monkeypatch, tmp_path, f"redis://127.0.0.1:{port}/0")
    assert client.get("/cookie-policy/").status_code == 200  # creates the generation while there is room
    fill(raw)
    worker_pages.clear()
    health = client.get("/healthz/")
    assert health.status_code == 200
    assert health.json()["cache"] == "unavailable"
    for n in range(20):
        for path in ("/", "/cookie-policy/", f"/privacy-policy/?utm_source={n}", "/cookie-policy/versions/"):
            assert client.get(path).status_code == 200, path
    response = post_json(client, choice("reject_all", [], registry_version()))
    assert response.status_code == 201
    assert ConsentRecord.objects.filter(consent_id=response.json()["consent_id"]).exists()


def test_a_redis_that_comes_back_is_used_again(
    client, demo_site, settings, monkeypatch, tmp_path, redis_server
):
    port, raw, _ = redis_server
    use_redis(settings, monkeypatch, tmp_path, f"redis://127.0.0.1:{port}/0")
    raw.config_set("maxmemory", "1mb")
    fill(raw)
    assert client.get("/cookie-policy/").status_code == 200
    raw.flushdb()
    raw.config_set("maxmemory", "64mb")
    monkeypatch.setattr(resilient_redis, "RETRY_SECONDS", 0.0)
    client.get("/cookie-policy/")
    response = client.get("/cookie-policy/")
    assert response["X-Page-Cache"] == "hit"
    assert client.get("/healthz/").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert any(key.startswith(b"t") and b"-pages:" in key for key in raw.scan_iter())
