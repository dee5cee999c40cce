"""Where cached pages live: this worker's memory first, then (with Redis) the shared store.

Keys carry the site generation, so an entry is never invalidated, only no longer asked for. The
worker copy holds ready-to-send bytes (no unpickling on a hit) within ``PAGE_CACHE_WORKER_BYTES``,
least recently used first out, and empties itself when the generation moves on. The shared store
(``PAGE_CACHE_ALIAS``, Redis) lets the other workers and instances skip the render; without Redis
there is none. Entries larger than ``PAGE_CACHE_MAX_ENTRY_BYTES`` are not kept anywhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches

DEFAULT_WORKER_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A shareable 200 response: headers without cookies or Date, plain and gzipped bodies."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped) + 64 * len(self.headers)


def max_entry_bytes() -> int:
    return int(getattr(settings, "PAGE_CACHE_MAX_ENTRY_BYTES", DEFAULT_MAX_ENTRY_BYTES))


class WorkerStore:
    """A byte-bounded LRU of :class:`CachedPage` for one generation, in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, CachedPage] = OrderedDict()
        self._generation: str | None = None
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _follow(self, generation: str) -> None:
        if generation != self._generation:  # everything older is unreachable: free it now
            self._entries.clear()
            self.bytes = 0
            self._generation = generation

    def get(self, generation: str, key: str) -> CachedPage | None:
        with self._lock:
            self._follow(generation)
            page = self._entries.get(key)
            if page is not None:
                self._entries.move_to_end(key)
            return page

    def put(self, generation: str, key: str, page: CachedPage) -> None:
        budget = int(getattr(settings, "PAGE_CACHE_WORKER_BYTES", DEFAULT_WORKER_BYTES))
        if page.size > min(budget, max_entry_bytes()):
            return
        with self._lock:
            if self._generation is None:
                self._follow(generation)
            elif generation != self._generation:
                return  # rendered under a generation that has moved on meanwhile
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.bytes -= previous.size
            self._entries[key] = page
            self.bytes += page.size
            while self.bytes > budget:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
            self._generation = None


worker_pages = WorkerStore()


def shared_store() -> BaseCache | None:
    """The store every worker shares (Redis), or None when pages live in worker memory only."""
    alias = getattr(settings, "PAGE_CACHE_ALIAS", None)
    return caches[alias] if alias else None


def get_page(generation: str, key: str) -> CachedPage | None:
    page = worker_pages.get(generation, key)
    if page is not None:
        return page
    store = shared_store()
    if store is None:
        return None
    page = store.get(key)  # a resilient backend: None when Redis is down or full
    if isinstance(page, CachedPage):
        worker_pages.put(generation, key, page)
        return page
    return None


def put_page(generation: str, key: str, page: CachedPage) -> bool:
    """Keep ``page`` unless it is over the entry cap; False when it was too large."""
    if page.size > max_entry_bytes():
        return False
    worker_pages.put(generation, key, page)
    store = shared_store()
    if store is not None:
        store.set(key, page, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600))
    return True
