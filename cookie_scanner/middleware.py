"""Runtime drift: cookie names the site itself sets (``Set-Cookie``) that the registry does not declare.

Only names and counts are kept: no values, no paths, nothing about the visitor. Memory is bounded
(at most ``MAX_NAMES`` distinct names per process between flushes) and so is the table
(``MAX_ROWS``). Counts are written to ``RuntimeCookieDrift`` at once for a new name and otherwise at
most every ``FLUSH_SECONDS``, so a busy site costs one small write a minute.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_NAMES = 200
MAX_ROWS = 500
MAX_NAME_LENGTH = 120
FLUSH_SECONDS = 60.0


class DriftCounter:
    """Per-process counts of undeclared cookie names, flushed to the database now and then."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: Counter[str] = Counter()
        self.flushed_names: set[str] = set()
        self.last_flush = time.monotonic()
        self.dropped = 0

    def note(self, names: Iterable[str]) -> None:
        flush_now = False
        with self.lock:
            for name in names:
                name = name[:MAX_NAME_LENGTH]
                if name not in self.pending and len(self.pending) >= MAX_NAMES:
                    self.dropped += 1
                    continue
                self.pending[name] += 1
                flush_now |= name not in self.flushed_names
            flush_now |= time.monotonic() - self.last_flush >= FLUSH_SECONDS
            if not flush_now or not self.pending:
                return
            batch, self.pending = self.pending, Counter()
            self.last_flush = time.monotonic()
        self.write(batch)

    def write(self, batch: Counter[str]) -> None:
        from .models import RuntimeCookieDrift

        now = timezone.now()
        try:
            with transaction.atomic():
                for name, count in batch.items():
                    updated = RuntimeCookieDrift.objects.filter(name=name).update(
                        count=F("count") + count, last_seen=now
                    )
                    if not updated and RuntimeCookieDrift.objects.count() < MAX_ROWS:
                        RuntimeCookieDrift.objects.create(name=name, count=count, last_seen=now)
            with self.lock:
                self.flushed_names |= set(batch)
                if len(self.flushed_names) > MAX_ROWS:
                    self.flushed_names = set(batch)
        except DatabaseError:  # drift is a diagnostic: never break a response for it
            logger.warning("Could not record runtime cookie drift", exc_info=True)


drift_counter = DriftCounter()


def undeclared_names(names: Iterable[str], request: HttpRequest | None = None) -> list[str]:
    from .registry_adapter import declared_cookie_names

    declared = declared_cookie_names(request)
    return [name for name in names if not any(item.matches(name, "cookie") for item in declared)]


class RuntimeCookieDriftMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only cookies being set (a Max-Age=0 deletion is not a cookie the site stores).
        names = [name for name, morsel in response.cookies.items() if morsel.get("max-age") != 0]
        if names:
            try:
                undeclared = undeclared_names(names, request)
            except DatabaseError:
                undeclared = []
            if undeclared:
                drift_counter.note(undeclared)
        return response
