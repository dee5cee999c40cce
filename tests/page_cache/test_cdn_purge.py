"""A committed site-generation bump purges every live page from a configured CDN."""

from unittest import mock

import pytest

from django.db import transaction

from cookie_registry.models import CookieCategory

from .conftest import publish

HTTP_PURGE = {
    "http": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://127.0.0.1:9/",
    }
}


def purged_urls(purge_batch):
    return {url for call in purge_batch.call_args_list for url in call.args[0]}


def rename_analytics() -> None:
    analytics = CookieCategory.objects.get(key="analytics")
    analytics.name = "Visit statistics"
    publish(analytics)


@pytest.mark.django_db(transaction=True)
def test_a_registry_publish_purges_every_live_page_after_commit(small_site, settings):
    settings.WAGTAILFRONTENDCACHE = HTTP_PURGE
    with mock.patch("wagtail.contrib.frontend_cache.backends.HTTPBackend.purge_batch") as purge_batch:
        with transaction.atomic():
            rename_analytics()
            assert purge_batch.call_count == 0, "nothing is purged before the commit"
        urls = purged_urls(purge_batch)
    assert {
        "http://localhost/",
        "http://localhost/privacy-policy/",
        "http://localhost/cookie-policy/",
    } <= urls


@pytest.mark.django_db(transaction=True)
def test_without_a_cdn_nothing_is_purged(small_site, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    with mock.patch("wagtail.contrib.frontend_cache.utils.PurgeBatch.purge") as purge:
        rename_analytics()
    purge.assert_not_called()
