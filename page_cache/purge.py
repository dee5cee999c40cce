"""Purge a CDN in front of the site when the site generation moves on (``WAGTAILFRONTENDCACHE``).

Wagtail's frontend-cache app purges a published page itself; a generation bump can change every
page (banner, navigation, footer), so every live page is purged after the commit, in batches.
"""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def frontend_cache_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_live_pages_from_cdn() -> None:
    if not frontend_cache_configured():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().specific())
    try:
        batch.purge()
    except Exception:  # a CDN outage must not fail a publish; the s-maxage bounds the staleness
        logger.exception("Purging the CDN after a site change failed")
