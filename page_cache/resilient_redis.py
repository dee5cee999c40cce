"""A Redis cache backend that degrades instead of failing when Redis is unreachable or full.

Every cache user (Wagtail's site-root cache, template fragments, the page store) then behaves as on
a cache miss: reads return the default, writes are dropped. After a connection failure the backend
stops trying for ``RETRY_SECONDS`` (a circuit breaker, so requests do not each wait for a timeout)
and then tries again: it recovers by itself. Failures are logged once per interval per cache.

``OPTIONS: {"RAISE_ERRORS": True}`` raises :class:`CacheUnavailable` instead, for callers that must
know a write was lost (the site generation: a lost bump is retried, never ignored).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_INTERVAL_SECONDS = 60.0
T = TypeVar("T")


class CacheUnavailable(Exception):
    """Redis could not be reached or refused the command (e.g. OOM under ``noeviction``)."""


class _Health:
    """Per-process state of one Redis location, shared by the per-thread backend instances."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_log = -LOG_INTERVAL_SECONDS

    def log(self, alias: str, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            if now - self.last_log < LOG_INTERVAL_SECONDS:
                return
            self.last_log = now
        logger.warning("Cache %r unavailable, serving without it: %s", alias, error)


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_for(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; any Redis error is a miss (or :class:`CacheUnavailable`)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.raise_errors = bool(options.pop("RAISE_ERRORS", False))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = f"{server}|{params.get('KEY_PREFIX', '')}"
        self._alias = str(params.get("KEY_PREFIX", "")) or server

    @property
    def health(self) -> _Health:
        return _health_for(self._location)

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        health = self.health
        if time.monotonic() < health.down_until:
            if self.raise_errors:
                raise CacheUnavailable("Redis was unreachable moments ago")
            return fallback
        try:
            return call()
        except (RedisError, OSError) as error:
            if isinstance(error, RedisConnectionError | RedisTimeoutError | OSError):
                health.down_until = time.monotonic() + RETRY_SECONDS
            health.log(self._alias, error)
            if self.raise_errors:
                raise CacheUnavailable(str(error)) from error
            return fallback

    def probe(self) -> None:
        """Raise :class:`CacheUnavailable` unless Redis answers and accepts a write (health checks)."""
        try:
            client = cast(Any, self)._cache.get_client(write=True)  # Django's client; not in the stubs
            client.set(self.make_key("healthz-probe"), b"1", ex=10)
        except (RedisError, OSError) as error:
            raise CacheUnavailable(str(error)) from error

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).clear(), None)
