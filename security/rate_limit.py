"""Fixed-window request counters in the shared cache, failing open when the cache is unreachable.

A limit is written ``"count/seconds"``; several are separated by commas (``"60/60,5000/86400"``: at
most 60 a minute and 5000 a day). Counters live in the cache named by ``RATE_LIMIT_CACHE`` (``default``:
Redis in production, so every instance shares them). When that cache fails, the request is allowed and
the failure is logged once until the cache works again: refusing every visitor because Redis is down
would be worse than a short window without limits.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

_cache_failing = False


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def parse_limits(text: str, *, setting: str = "rate limit") -> tuple[Limit, ...]:
    """``"60/60,5000/86400"`` → two limits; ``""`` or ``"off"`` → none. Fails with one sentence."""
    text = (text or "").strip()
    if text.lower() in {"", "off", "0"}:
        return ()
    limits = []
    for part in text.split(","):
        count, _, seconds = part.strip().partition("/")
        try:
            limit = Limit(int(count), int(seconds))
        except ValueError:
            limit = Limit(0, 0)
        if limit.count <= 0 or limit.seconds <= 0:
            raise ImproperlyConfigured(
                f"{setting} must be like 60/60,5000/86400 (requests/seconds, comma-separated), not {text!r}."
            )
        limits.append(limit)
    return tuple(limits)


def hit(scope: str, key: str, limits: tuple[Limit, ...], *, now: float | None = None) -> int:
    """Count one request for ``key``; 0 when it is allowed, else the seconds until it would be.

    Every window counts the request, allowed or not, so a client hammering past the limit stays
    refused until it slows down.
    """
    global _cache_failing
    if not limits:
        return 0
    now = time.time() if now is None else now
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    windows = [(limit, int(now // limit.seconds)) for limit in limits]
    keys = [f"ratelimit:{scope}:{limit.seconds}:{window}:{digest}" for limit, window in windows]
    retry_after = 0
    try:
        counts = _count_in_redis(cache, keys, windows) if _is_redis(cache) else _count(cache, keys, windows)
        for (limit, window), used in zip(windows, counts, strict=True):
            if used > limit.count:
                retry_after = max(retry_after, math.ceil((window + 1) * limit.seconds - now))
    except Exception:  # any cache backend error: fail open
        if not _cache_failing:
            logger.error("Rate limit %s not applied: the cache is unavailable.", scope, exc_info=True)
        _cache_failing = True
        return 0
    if _cache_failing:
        logger.warning("Rate limit %s applied again: the cache is back.", scope)
        _cache_failing = False
    return max(retry_after, 1) if retry_after else 0


def _is_redis(cache: Any) -> bool:
    return isinstance(cache, RedisCache)


def _count_in_redis(cache: Any, keys: list[str], windows: list[tuple[Limit, int]]) -> list[int]:
    """One round trip for every window: INCR and EXPIRE in a pipeline (Django's ``incr`` takes three)."""
    pipeline = cache._cache.get_client(write=True).pipeline(transaction=False)
    for key, (limit, _window) in zip(keys, windows, strict=True):
        full_key = cache.make_and_validate_key(key)
        pipeline.incr(full_key)
        pipeline.expire(full_key, limit.seconds + 1)
    return [int(value) for value in pipeline.execute()[::2]]


def _count(cache: Any, keys: list[str], windows: list[tuple[Limit, int]]) -> list[int]:
    counts = []
    for key, (limit, _window) in zip(keys, windows, strict=True):
        cache.add(key, 0, timeout=limit.seconds + 1)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.seconds + 1)
            counts.append(1)
    return counts
