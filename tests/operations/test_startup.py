"""cms.startup.warm_up runs in gunicorn's master before it forks: nothing it opens may be inherited."""

import pytest

from django.core.cache import caches

from cms.startup import warm_up


@pytest.mark.django_db
def test_warm_up_uses_neither_the_database_nor_the_cache(django_assert_num_queries, monkeypatch):
    def refuse(self, alias):
        raise AssertionError(f"warm_up used the {alias!r} cache")

    monkeypatch.setattr(type(caches), "__getitem__", refuse)
    with django_assert_num_queries(0):
        warm_up()
        warm_up()  # and can run again
