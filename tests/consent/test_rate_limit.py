"""POST /consent/ is rate-limited per client network; over the limit nothing is stored."""

from __future__ import annotations

import json
import logging

import pytest

from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from consent.models import ConsentRecord
from security import rate_limit

from .conftest import ENDPOINT, choice, post_form


@pytest.fixture(autouse=True)
def _fresh_failure_flag(monkeypatch):
    monkeypatch.setattr(rate_limit, "_cache_failing", False)


def accept(client, registry, address: str = "198.51.100.7", **headers: str):
    body = json.dumps(choice("accept_all", registry.optional_keys, registry.version.number))
    return client.post(
        ENDPOINT, data=body, content_type="application/json", headers=headers, REMOTE_ADDR=address
    )


@override_settings(CONSENT_RATE_LIMIT="3/60")
def test_over_the_limit_answers_429_with_retry_after_and_stores_nothing(client, registry):
    answers = [accept(client, registry).status_code for _ in range(3)]
    over = accept(client, registry)

    assert answers == [201, 201, 201]
    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 60
    assert over.json()["retry_after"] == int(over["Retry-After"])
    assert "Too many consent choices" in over.json()["error"]
    assert ConsentRecord.objects.count() == 3


@override_settings(CONSENT_RATE_LIMIT="2/60")
def test_the_limit_is_per_network_as_records_store_it(client, registry):
    assert accept(client, registry, "198.51.100.7").status_code == 201
    assert accept(client, registry, "198.51.100.200").status_code == 201  # same /24
    assert accept(client, registry, "198.51.100.9").status_code == 429
    assert accept(client, registry, "203.0.113.7").status_code == 201  # another network
    assert accept(client, registry, "2001:db8:1:2::1").status_code == 201
    assert accept(client, registry, "2001:db8:1:ffff::1").status_code == 201  # same /48
    assert accept(client, registry, "2001:db8:1::9").status_code == 429
    assert ConsentRecord.objects.count() == 5


@override_settings(CONSENT_RATE_LIMIT="1/60")
def test_the_no_js_form_is_limited_too(client, registry):
    fields = {"action": "reject_all", "registry_version": registry.version.number}
    assert post_form(client, fields).status_code == 303
    refused = post_form(client, fields)

    assert refused.status_code == 429
    assert "Too many consent choices" in refused.content.decode()
    assert refused["Retry-After"]
    assert ConsentRecord.objects.count() == 1


@override_settings(CONSENT_RATE_LIMIT="1/60,2/3600")
def test_every_window_applies(registry):
    limits = rate_limit.parse_limits(settings.CONSENT_RATE_LIMIT)
    assert rate_limit.hit("t", "k", limits, now=0) == 0
    assert rate_limit.hit("t", "k", limits, now=1) == 59  # the minute window is full
    assert rate_limit.hit("t", "k", limits, now=61) == 3600 - 61  # the hour window is full now
    assert rate_limit.hit("t", "k", limits, now=3600) == 0


@override_settings(
    CONSENT_RATE_LIMIT="1/60",
    TRUSTED_PROXY_COUNT=1,
)
def test_behind_a_trusted_proxy_each_visitor_network_has_its_own_counter(client, registry):
    proxy = "10.0.0.2"
    first = accept(client, registry, proxy, **{"X-Forwarded-For": "198.51.100.7"})
    second = accept(client, registry, proxy, **{"X-Forwarded-For": "203.0.113.7"})
    spoofed = accept(client, registry, proxy, **{"X-Forwarded-For": "192.0.2.1, 198.51.100.8"})

    assert (first.status_code, second.status_code, spoofed.status_code) == (201, 201, 429)
    assert set(ConsentRecord.objects.values_list("ip_network", flat=True)) == {
        "198.51.100.0/24",
        "203.0.113.0/24",
    }


def test_the_test_settings_leave_it_off_and_production_defaults_turn_it_on(client, registry):
    from cms.settings import base

    assert settings.CONSENT_RATE_LIMIT == "off"
    assert rate_limit.parse_limits(base.CONSENT_RATE_LIMIT)
    for _ in range(5):
        assert accept(client, registry).status_code == 201


def caches_with_redis_down() -> dict:
    return {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }


def test_with_the_cache_down_consent_is_still_recorded_and_logged_once(client, registry, caplog):
    with (
        override_settings(
            CACHES=caches_with_redis_down(), RATE_LIMIT_CACHE="down", CONSENT_RATE_LIMIT="1/60"
        ),
        caplog.at_level(logging.WARNING, logger="security.rate_limit"),
    ):
        answers = [accept(client, registry).status_code for _ in range(3)]

    assert answers == [201, 201, 201]
    assert ConsentRecord.objects.count() == 3
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "cache is unavailable" in errors[0].getMessage()


@override_settings(CONSENT_RATE_LIMIT="lots")
def test_a_malformed_setting_is_a_system_check_error():
    errors = [message for message in run_checks() if message.id == "consent.E001"]
    assert errors and "CONSENT_RATE_LIMIT must be like 60/60" in errors[0].msg
