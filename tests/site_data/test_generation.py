"""The site generation: bumps on committed public changes, shared values, degradation."""

import pytest

from django.db import transaction
from django.test import override_settings

from site_data import generation

pytestmark = pytest.mark.django_db


def test_shared_value_kept_until_generation_bumps():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    assert generation.shared_per_generation("t", load) == 1
    assert generation.shared_per_generation("t", load) == 1
    generation.bump_generation()
    assert generation.shared_per_generation("t", load) == 2


def test_bump_inside_transaction_bumps_again_on_commit(django_capture_on_commit_callbacks):
    before = generation.current_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        generation.bump_generation()
        generation.bump_generation()
    assert generation.current_generation() != before
    assert len(callbacks) == 1  # many saves, one after-commit bump


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "site_generation": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
)
def test_unreachable_cache_degrades_to_fresh_loads(caplog, monkeypatch):
    monkeypatch.setitem(generation._state, "last_failure_log", -1e9)
    assert generation.current_generation() is None
    values = iter([1, 2])
    assert generation.shared_per_generation("t", lambda: next(values)) == 1
    assert generation.shared_per_generation("t", lambda: next(values)) == 2
    generation.bump_generation()  # must not raise
    assert sum("unavailable" in record.getMessage() for record in caplog.records) == 1
