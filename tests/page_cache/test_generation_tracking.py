"""The site generation read through Redis key tracking: no round trip per read, still invalidated at
once by a write from any other client (another worker or instance), and degraded when Redis dies.

Each test starts its own redis-server (``redis_server``) and configures the caches as ``REDIS_URL``
does (``use_redis``).
"""

from __future__ import annotations

import time

import pytest
import redis

from django.core.cache import caches

from page_cache import resilient_redis
from page_cache.resilient_redis import ResilientRedisCache
from site_data import generation
from tests.page_cache.test_redis_failure import redis_server, use_redis

__all__ = ["redis_server"]


def generation_key() -> str:
    cache = caches["site_generation"]
    assert isinstance(cache, ResilientRedisCache)
    return cache.make_and_validate_key(generation.GENERATION_KEY)


def get_commands(raw: redis.Redis) -> int:
    return int(raw.info("commandstats").get("cmdstat_get", {}).get("calls", 0))


def next_generation_after(old: str | None) -> str | None:
    """Read until the token differs: the pushed invalidation travels over loopback (a few ms)."""
    for _ in range(200):
        token = generation.current_generation()
        if token != old:
            return token
        time.sleep(0.01)
    return old


@pytest.fixture
def tracked_redis(settings, monkeypatch, tmp_path, redis_server):
    port, raw, process = redis_server
    use_redis(settings, monkeypatch, tmp_path, f"redis://127.0.0.1:{port}/0")
    yield raw, process


def test_repeated_reads_make_no_redis_command(tracked_redis, monkeypatch):
    raw, _ = tracked_redis
    monkeypatch.setattr(resilient_redis, "TRACKED_MAX_AGE_SECONDS", 3600.0)  # however slow the machine
    first = generation.current_generation()
    assert first is not None
    time.sleep(0.05)  # the push for this process's own creation of the key arrives, then one more GET
    assert generation.current_generation() == first
    before = get_commands(raw)
    assert [generation.current_generation() for _ in range(50)] == [first] * 50
    assert get_commands(raw) == before


def test_a_write_by_another_client_is_seen_by_the_next_reads(tracked_redis):
    raw, _ = tracked_redis
    first = generation.current_generation()
    generation.current_generation()  # now answered from this process
    other_instance = redis.Redis(port=raw.connection_pool.connection_kwargs["port"])
    serializer = caches["site_generation"]._cache._serializer
    other_instance.set(generation_key(), serializer.dumps("from-elsewhere"))
    assert next_generation_after(first) == "from-elsewhere"


def test_a_flush_or_eviction_of_the_key_is_seen(tracked_redis):
    raw, _ = tracked_redis
    first = generation.current_generation()
    generation.current_generation()
    raw.flushdb()
    token = next_generation_after(first)
    assert token is not None and token != first


def test_this_processs_bump_is_seen_at_once(tracked_redis):
    first = generation.current_generation()
    generation.current_generation()
    generation.bump_generation()
    assert generation.current_generation() not in (first, None)


def test_a_dead_redis_degrades_to_no_generation(tracked_redis):
    _, process = tracked_redis
    assert generation.current_generation() is not None
    process.terminate()
    process.wait(timeout=10)
    assert generation.current_generation() is None


def test_a_kept_value_is_read_again_after_its_max_age(tracked_redis, monkeypatch):
    """A push lost without the listener noticing (a silent partition) leaves it stale at most this long."""
    raw, _ = tracked_redis
    generation.current_generation()
    monkeypatch.setattr(resilient_redis, "TRACKED_MAX_AGE_SECONDS", 0.0)
    before = get_commands(raw)
    generation.current_generation()
    generation.current_generation()
    assert get_commands(raw) == before + 2
