"""Issue 11's smaller gaps: control characters in ``next``, and consent-cookie times out of range."""

from __future__ import annotations

import datetime

import pytest

from django.conf import settings
from django.core import signing
from django.utils import timezone

from consent.cookie import SIGNER_SALT, decode_consent_cookie
from consent.models import ConsentRecord

from .conftest import choice, post_form, post_json

CONSENT_ID = "abcdefghijklmnop1234"


@pytest.mark.parametrize(
    "next_url", ["/\t/evil.example/", "/\n/evil.example/", "/a\rb", "/\x00", "/x\x7f", "/\x1b[2J"]
)
def test_next_with_control_characters_is_refused_and_nothing_is_written(client, registry, next_url):
    response = post_form(
        client,
        [("action", "reject_all"), ("registry_version", str(registry.version.number)), ("next", next_url)],
    )

    assert response.status_code == 400
    assert "path on this site" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_clean_next_path_is_followed(client, registry):
    response = post_form(
        client,
        [("action", "reject_all"), ("registry_version", str(registry.version.number)), ("next", "/privacy/")],
    )
    assert response.status_code == 303 and response["Location"] == "/privacy/"


def signed_cookie(unix_seconds: int) -> str:
    return signing.Signer(salt=SIGNER_SALT).sign(f"1|{CONSENT_ID}|1|{unix_seconds}|analytics")


@pytest.mark.parametrize(
    "unix_seconds",
    [
        253402300799,  # 9999-12-31: adding the lifetime overflowed into a 500
        int((timezone.now() + datetime.timedelta(days=30)).timestamp()),  # chosen in the future
        0,  # 1970: before this site could have issued it
    ],
)
def test_out_of_range_times_are_no_consent_never_a_500(client, registry, unix_seconds):
    value = signed_cookie(unix_seconds)
    assert decode_consent_cookie(value) is None
    client.cookies[settings.CONSENT_COOKIE_NAME] = value

    page = client.get("/cookie-settings/")
    assert page.status_code == 200
    assert CONSENT_ID not in page.content.decode()

    answer = post_json(client, choice("reject_all", [], registry.version.number))
    assert answer.status_code == 201
    assert answer.json()["consent_id"] != CONSENT_ID  # asked again: a fresh choice, a fresh id


def test_a_recent_time_is_still_read(registry):
    cookie = decode_consent_cookie(signed_cookie(int(timezone.now().timestamp()) - 3600))
    assert cookie is not None and cookie.consent_id == CONSENT_ID
