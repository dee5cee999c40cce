"""The site generation: read, bump on commit, and data shared per worker until it changes.

The token lives in the ``site_generation`` cache (Redis with ``REDIS_URL``, read without a round trip
while Redis's key tracking reports no change; otherwise files under
``var/`` shared by the host's workers). When that cache cannot be reached, readers get ``None``:
callers then neither cache nor share (they render fresh), and the failure is logged once per
interval. A bump that could not be written is retried on this worker's next successful contact.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "site-data:generation"
FAILURE_LOG_INTERVAL_SECONDS = 60.0

logger = logging.getLogger(__name__)
T = TypeVar("T")

_lock = threading.Lock()
_shared: dict[str, tuple[str, Any]] = {}  # name -> (generation, value)
_state = {"last_failure_log": 0.0, "bump_pending": False}
_committed_listeners: list[Callable[[], None]] = []

# Fields Wagtail writes when saving a draft, locking or scheduling: invisible to visitors.
WAGTAIL_DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "has_unpublished_changes",
        "draft_title",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def generation_cache() -> BaseCache:
    return caches[getattr(settings, "SITE_GENERATION_CACHE_ALIAS", "site_generation")]


def _log_failure(action: str, error: BaseException) -> None:
    """One warning per interval, not one per request, while the shared cache is down."""
    now = time.monotonic()
    with _lock:
        if now - _state["last_failure_log"] < FAILURE_LOG_INTERVAL_SECONDS:
            return
        _state["last_failure_log"] = now
    logger.warning("Site generation cache unavailable (%s): %s; serving uncached", action, error)


def _new_token() -> str:
    return secrets.token_hex(8)


def _read_token(cache: BaseCache) -> str | None:
    """The token; a Redis backend that offers ``get_tracked`` (page_cache.resilient_redis) answers
    from this process until Redis pushes a change of the key, so a cache hit costs no round trip."""
    get_tracked = getattr(cache, "get_tracked", None)
    return get_tracked(GENERATION_KEY) if get_tracked is not None else cache.get(GENERATION_KEY)


def current_generation() -> str | None:
    """The shared generation (created if missing), or None when the cache cannot be reached."""
    cache = generation_cache()
    try:
        if _state["bump_pending"]:
            cache.set(GENERATION_KEY, _new_token(), timeout=None)
            _state["bump_pending"] = False
        token = _read_token(cache)
        if token is None:
            cache.add(GENERATION_KEY, _new_token(), timeout=None)
            token = cache.get(GENERATION_KEY)
    except Exception as error:  # any backend error: degrade to uncached
        _log_failure("read", error)
        return None
    return token


def _write_new_generation() -> None:
    try:
        generation_cache().set(GENERATION_KEY, _new_token(), timeout=None)
    except Exception as error:
        _state["bump_pending"] = True
        _log_failure("bump", error)
    with _lock:
        _shared.clear()  # this worker's copies go at once, whatever the shared cache says


def _write_new_generation_after_commit() -> None:
    _write_new_generation()
    _notify_committed()


def _notify_committed() -> None:
    for listener in list(_committed_listeners):
        try:
            listener()
        except Exception:  # a listener (a CDN purge) must never fail the publish that committed
            logger.exception("A site-generation listener failed")


def on_committed_bump(listener: Callable[[], None]) -> None:
    """Call ``listener`` after each committed bump (e.g. to purge a CDN); caches register here."""
    if listener not in _committed_listeners:
        _committed_listeners.append(listener)


def bump_generation() -> None:
    """Retire everything derived from public data: now, and again when the transaction commits.

    The first write hides the change from requests of this worker at once; the one after commit
    retires anything another request rendered from the old data in between. Many saves in one
    transaction (a category and its cookies) queue one after-commit bump.
    """
    _write_new_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        queued = any(
            callback is _write_new_generation_after_commit for _, callback, _ in connection.run_on_commit
        )
        if not queued:
            transaction.on_commit(_write_new_generation_after_commit)
    else:
        _notify_committed()


def shared_per_generation(name: str, load: Callable[[], T]) -> T:
    """``load()``'s result, kept in this worker until the site generation changes.

    Callers must treat the value as read-only (prefer immutable values). Without a reachable
    generation the value is loaded fresh each time: correct, only slower.
    """
    generation = current_generation()
    if generation is None:
        return load()
    with _lock:
        entry = _shared.get(name)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = load()
    with _lock:
        _shared[name] = (generation, value)
    return value


def forget_shared() -> None:
    """Drop this worker's shared values (tests, or after a restore)."""
    with _lock:
        _shared.clear()


# What alters public output ------------------------------------------------------------------

_watched: dict[str, frozenset[str]] = {}


def _on_write(
    sender: type[Model], instance: Any, update_fields: Iterable[str] | None = None, **kwargs: Any
) -> None:
    ignore = _watched.get(sender._meta.label, frozenset())
    if update_fields and set(update_fields) <= ignore:
        return
    bump_generation()


def watch_models(*models: type[Model], ignore_fields: Iterable[str] = WAGTAIL_DRAFT_FIELDS) -> None:
    """Bump the generation on every save or delete of these models (saves that only touch
    ``ignore_fields``, by default Wagtail's draft and lock bookkeeping, are ignored)."""
    for model in models:
        _watched[model._meta.label] = frozenset(ignore_fields)
        uid = f"site_data_{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}_save", weak=False)
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}_delete", weak=False)


def watch_wagtail_core() -> None:
    """Wagtail's own public structure: page publish/unpublish/move/rename/delete, Sites, and page
    privacy (a view restriction makes a cached public copy wrong at once)."""
    from wagtail.models import Page, PageViewRestriction, Revision, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    def on_page_event(**kwargs: Any) -> None:
        bump_generation()

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(on_page_event, dispatch_uid=f"site_data_{id(signal)}", weak=False)
    watch_models(Site, PageViewRestriction)
    m2m_changed.connect(
        on_page_event, sender=PageViewRestriction.groups.through, dispatch_uid="site_data_restriction_groups"
    )

    def on_page_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
        if isinstance(instance, Page) and instance.live:
            bump_generation()

    # Page deletions arrive per concrete page model: listen to all senders, keep the pages.
    post_delete.connect(on_page_deleted, dispatch_uid="site_data_page_deleted", weak=False)

    def on_revision_saved(
        sender: type, instance: Revision, created: bool = False, update_fields: Any = None, **kwargs: Any
    ) -> None:
        """Scheduling or cancelling a go-live changes a page's "upcoming version" notice."""
        if (update_fields is not None and "approved_go_live_at" in update_fields) or (
            created and instance.approved_go_live_at is not None
        ):
            bump_generation()

    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="site_data_revision_saved", weak=False)
