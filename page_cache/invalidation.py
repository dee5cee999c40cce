"""What to retire when something changes: the whole site, one page's subtree, one exact path.

Each function changes the tokens now and again when the current transaction commits (see the
package docstring), and purges the CDN after the commit when one is configured.
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.conf import settings
from django.db import transaction

from wagtail.models import Page, Site

from .tokens import (
    SITE_GENERATION_KEY,
    change_tokens,
    exact_path_key,
    subtree_key,
    token_cache,
)

logger = logging.getLogger(__name__)

NAVIGATION_FINGERPRINT_KEY = "page-cache:navigation-fingerprint"


def _change_now_and_on_commit(keys: list[str]) -> None:
    change_tokens(keys)
    transaction.on_commit(lambda: change_tokens(keys))


def _change_site_generation_after_commit() -> None:
    change_tokens([SITE_GENERATION_KEY])


def invalidate_site() -> None:
    """Every page: the page tree or navigation changed (site data bumps ``site_data`` instead)."""
    change_tokens([SITE_GENERATION_KEY])
    # Publishing a category saves each of its cookies: queue one after-commit change, not hundreds.
    connection = transaction.get_connection()
    queued = any(
        callback is _change_site_generation_after_commit for _, callback, _ in connection.run_on_commit
    )
    if not queued:
        transaction.on_commit(_change_site_generation_after_commit)


def invalidate_page(page: Page) -> None:
    """A page was published or unpublished: its own routes, its parent's listing, maybe the nav."""
    path = page_path(page)
    if path is None or path == "/":
        invalidate_site()
        return
    keys = [subtree_key(path)]
    parent = page.get_parent()
    parent_path = page_path(parent) if parent is not None else None
    if parent_path is not None:
        keys.append(exact_path_key(parent_path))
    _change_now_and_on_commit(keys)
    if navigation_changed():
        invalidate_site()


def invalidate_page_routes(page: Page) -> None:
    """Something only this page's routes show changed (e.g. its list of policy versions)."""
    path = page_path(page)
    if path is None or path == "/":
        invalidate_site()
        return
    _change_now_and_on_commit([subtree_key(path)])
    if frontend_cache_configured():
        from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

        transaction.on_commit(lambda: purge_page_from_cache(page))


def page_path(page: Page) -> str | None:
    """The page's path relative to its site root ("/cookie-policy/"), or None if it has no route."""
    parts = page.get_url_parts()
    if parts is None or parts[2] is None:
        return None
    return parts[2]


def navigation_changed() -> bool:
    """Compare the top-level pages every page links to (menu, banner) with the last check."""
    fingerprint = _navigation_fingerprint()
    cache = token_cache()
    previous = cache.get(NAVIGATION_FINGERPRINT_KEY)
    cache.set(NAVIGATION_FINGERPRINT_KEY, fingerprint, timeout=None)
    return previous != fingerprint  # a forgotten fingerprint counts as a change: safe


def _navigation_fingerprint() -> str:
    menus = []
    for site in Site.objects.select_related("root_page").order_by("pk"):
        items = site.root_page.get_children().live().values_list("pk", "title", "url_path", "show_in_menus")
        menus.append([site.pk, site.root_page_id, *items])
    return hashlib.sha256(json.dumps(menus, default=str).encode()).hexdigest()


def frontend_cache_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_all_live_pages_from_cdn() -> None:
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().specific())
    try:
        batch.purge()
    except Exception:  # a CDN outage must not fail a publish; the s-maxage bounds the staleness
        logger.exception("Purging the CDN after a site-wide change failed")
