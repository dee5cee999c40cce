"""A Redis cache backend that degrades instead of failing when Redis is unreachable or full.

Every cache user (Wagtail's site-root cache, template fragments, the page store) then behaves as on
a cache miss: reads return the default, writes are dropped. After a connection failure the backend
stops trying for ``RETRY_SECONDS`` (a circuit breaker, so requests do not each wait for a timeout)
and then tries again: it recovers by itself. Failures are logged once per interval per cache.

``OPTIONS: {"RAISE_ERRORS": True}`` raises :class:`CacheUnavailable` instead, for callers that must
know a write was lost (the site generation: a lost bump is retried, never ignored).

:meth:`ResilientRedisCache.get_tracked` serves a small, rarely changed value (the site generation)
from this process without a round trip per read: Redis's own key tracking (``CLIENT TRACKING ...
BCAST PREFIX``, Redis 6+) pushes an invalidation to a listening connection of this process whenever
any client (another worker, another instance, an eviction or a flush) changes a key of this cache,
and the next read drains those messages with a non-blocking poll before answering. Without a live
listener the read is an ordinary ``GET``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any, TypeVar, cast

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# A kept value is read again after this long even without a push: bounds what a lost push (a network
# partition that never closes the listener's socket) can leave stale, for one GET per second.
TRACKED_MAX_AGE_SECONDS = 1.0
LOG_INTERVAL_SECONDS = 60.0
T = TypeVar("T")


class CacheUnavailable(Exception):
    """Redis could not be reached or refused the command (e.g. OOM under ``noeviction``)."""


class _TrackedValues:
    """Values of one cache kept in this process while Redis reports no change to its keys.

    ``epoch`` moves on with every invalidation, so a read that raced with one never stores the
    value it fetched before it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, tuple[float, Any]] = {}  # key -> (monotonic time read, value)
        self.epoch = 0
        self.listener: redis.connection.ConnectionInterface | None = None
        self.pid = 0
        self.retry_at = 0.0

    def forget(self) -> None:
        with self.lock:
            self.values.clear()
            self.epoch += 1

    def _close(self) -> None:
        """Drop the listener and everything it vouched for (called with the lock held)."""
        listener, self.listener = self.listener, None
        self.values.clear()
        self.epoch += 1
        if listener is not None and self.pid == os.getpid():
            with suppress(Exception):
                listener.disconnect()

    def _listen(self, url: str, prefix: str, options: dict[str, Any]) -> redis.connection.ConnectionInterface:
        """One connection that asks Redis to push invalidations of ``prefix*`` keys to itself."""
        listener = redis.Redis.from_url(url, protocol=2, **options).connection_pool.make_connection()
        try:
            listener.connect()
            listener.send_command("CLIENT", "ID")
            client_id = listener.read_response()
            listener.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", prefix
            )
            listener.read_response()
            listener.send_command("SUBSCRIBE", "__redis__:invalidate")
            listener.read_response()
        except BaseException:
            listener.disconnect()
            raise
        self.listener = listener
        self.pid = os.getpid()
        return listener

    def live_epoch(self, url: str, prefix: str, options: dict[str, Any]) -> int | None:
        """Apply pushed invalidations; the epoch while a listener is live, else None."""
        with self.lock:
            if self.listener is not None and self.pid != os.getpid():  # a forked worker: not its socket
                self.listener = None
                self.values.clear()
                self.epoch += 1
            try:
                listener = self.listener
                if listener is None:
                    if time.monotonic() < self.retry_at:
                        return None
                    listener = self._listen(url, prefix, options)
                while listener.can_read(timeout=0):
                    listener.read_response()  # an invalidation (or a flush): all values go
                    self.values.clear()
                    self.epoch += 1
            except (RedisError, OSError):
                self._close()
                self.retry_at = time.monotonic() + RETRY_SECONDS
                return None
            return self.epoch


class _Health:
    """Per-process state of one Redis location, shared by the per-thread backend instances."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_log = -LOG_INTERVAL_SECONDS
        self.tracked = _TrackedValues()

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
        self._listener_options = {
            name: options[name] for name in ("socket_connect_timeout", "socket_timeout") if name in options
        }
        # The first server: where Django's writes go (its parsed list is not in the stubs).
        self._url: str = cast(Any, self)._servers[0]
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

    def get_tracked(self, key: str, default: Any = None) -> Any:
        """``get``, answered from this process until Redis reports a change to this cache's keys."""
        full_key = self.make_and_validate_key(key)
        tracked = self.health.tracked
        epoch = self._guard(
            lambda: tracked.live_epoch(self._url, self.make_key(""), self._listener_options), None
        )
        if epoch is not None:
            with tracked.lock:
                kept = tracked.values.get(full_key)
                if kept is not None and time.monotonic() - kept[0] < TRACKED_MAX_AGE_SECONDS:
                    return kept[1]
        read_at = time.monotonic()
        value = self.get(key, default)
        if epoch is not None and value is not default:
            with tracked.lock:
                if tracked.epoch == epoch:  # no invalidation arrived while it was read
                    tracked.values[full_key] = (read_at, value)
        return value

    def _forget_tracked(self) -> None:
        """This process's own writes hide the kept values at once, before Redis's push arrives."""
        self.health.tracked.forget()

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        self._forget_tracked()
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._forget_tracked()
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: str, version: int | None = None) -> bool:
        self._forget_tracked()
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        self._forget_tracked()
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._forget_tracked()
        keys = list(keys)
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._forget_tracked()
        self._guard(lambda: super(ResilientRedisCache, self).clear(), None)
