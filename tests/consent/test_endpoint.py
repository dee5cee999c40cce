"""POST /consent/: what a valid choice stores and answers, and how the stored action is derived."""

from __future__ import annotations

import datetime
import json

import pytest

from django.conf import settings
from django.core import signing
from django.test import override_settings

from consent.cookie import decode_consent_cookie, encode_consent_cookie
from consent.models import ConsentRecord

from .conftest import ENDPOINT, choice, consent_cookie_value, post_form, post_json

CHROME_ON_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
)


def test_accept_all_answers_201_and_stores_one_record(client, registry, policy_version):
    response = post_json(
        client,
        choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number),
        **{"User-Agent": CHROME_ON_LINUX, "Sec-GPC": "1"},
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "consent_id",
        "action",
        "granted",
        "refused",
        "registry_version",
        "created_at",
        "expires_at",
        "policy_versions",
        "language",
    }
    assert body["action"] == "accept_all"
    assert body["language"] == "en"
    assert body["granted"] == ["analytics", "marketing", "preferences"]
    assert body["refused"] == []
    assert body["registry_version"] == registry.version.number
    assert body["policy_versions"] == [
        {
            "title": "Privacy policy",
            "number": 1,
            "effective_date": "2026-01-01",
            "url": policy_version.get_absolute_url(),
            "language": "en",
        }
    ]
    record = ConsentRecord.objects.get()
    assert record.language == "en"
    assert record.consent_id == body["consent_id"]
    assert record.registry_version == registry.version
    assert list(record.policy_versions.all()) == [policy_version]
    assert record.gpc is True
    assert record.user_agent_family == "Chrome 156 / Linux"
    assert record.ip_network == "127.0.0.0/24"  # the test client's REMOTE_ADDR, truncated
    assert record.expires_at - record.created_at == datetime.timedelta(days=182)


def test_cookie_follows_the_contract(client, registry):
    response = post_json(client, choice("custom", ["analytics"], registry.version.number))

    morsel = response.cookies[settings.CONSENT_COOKIE_NAME]
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == 182 * 24 * 60 * 60
    assert not morsel["httponly"]
    assert not morsel["secure"]  # plain HTTP in tests; see the next test
    payload = signing.Signer(salt="consent.cookie").unsign(morsel.value)
    version, consent_id, registry_version, unix_seconds, granted = payload.split("|")
    assert (version, consent_id, registry_version, granted) == (
        "1",
        response.json()["consent_id"],
        str(registry.version.number),
        "analytics",
    )
    assert int(unix_seconds) == int(ConsentRecord.objects.get().created_at.timestamp())


def test_cookie_is_secure_over_https_and_when_the_setting_says_so(client, registry):
    over_https = post_json(client, choice("reject_all", [], registry.version.number), secure=True)
    with override_settings(CONSENT_COOKIE_SECURE=True):
        configured = post_json(client, choice("reject_all", [], registry.version.number))
    # Production's Secure session cookie does not make the consent cookie Secure over plain HTTP,
    # where the browser would drop it and ask the visitor again on every page.
    with override_settings(SESSION_COOKIE_SECURE=True):
        plain_http = post_json(client, choice("reject_all", [], registry.version.number))

    assert over_https.status_code == configured.status_code == plain_http.status_code == 201
    assert over_https.cookies[settings.CONSENT_COOKIE_NAME]["secure"]
    assert configured.cookies[settings.CONSENT_COOKIE_NAME]["secure"]
    assert not plain_http.cookies[settings.CONSENT_COOKIE_NAME]["secure"]


def test_listing_an_essential_category_is_accepted_and_ignored(client, registry):
    response = post_json(client, choice("reject_all", ["necessary"], registry.version.number))

    assert response.status_code == 201
    assert response.json()["granted"] == []
    assert response.json()["refused"] == ["analytics", "marketing", "preferences"]


def test_returning_visitor_keeps_their_consent_id(client, registry):
    first = post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    second = post_json(client, choice("custom", ["analytics"], registry.version.number))
    third = post_json(client, choice("custom", ["analytics", "marketing"], registry.version.number))

    ids = {first.json()["consent_id"], second.json()["consent_id"], third.json()["consent_id"]}
    assert len(ids) == 1
    assert ConsentRecord.objects.for_consent_id(ids.pop()).count() == 3


def test_a_tampered_cookie_gets_a_new_consent_id(client, registry):
    first = post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    value = consent_cookie_value(first)
    client.cookies[settings.CONSENT_COOKIE_NAME] = value.replace("|", "|x", 1)

    second = post_json(client, choice("reject_all", [], registry.version.number))

    assert second.status_code == 201
    assert second.json()["consent_id"] != first.json()["consent_id"]
    assert second.json()["action"] == "reject_all"  # not a withdrawal: the tampered cookie proved nothing


@pytest.mark.parametrize(
    ("before", "requested", "after", "stored"),
    [
        (["analytics", "marketing"], "custom", ["analytics"], "withdraw"),
        (["analytics", "marketing"], "reject_all", [], "withdraw"),
        (["analytics"], "withdraw", [], "withdraw"),
        (["analytics"], "custom", ["marketing"], "withdraw"),  # swapping still withdraws analytics
        (["analytics"], "accept_all", ["analytics", "marketing", "preferences"], "accept_all"),
        (["analytics"], "custom", ["analytics"], "custom"),  # same choice, still current: not a renewal
        ([], "withdraw", [], "reject_all"),  # nothing to withdraw
    ],
)
def test_stored_action_is_derived_from_the_previous_choice(
    client, registry, before, requested, after, stored
):
    first_action = "reject_all" if not before else "custom"
    post_json(client, choice(first_action, before, registry.version.number))

    response = post_json(client, choice(requested, after, registry.version.number))

    assert response.status_code == 201, response.json()
    assert response.json()["action"] == stored
    assert ConsentRecord.objects.order_by("-pk").first().requested_action == requested


def test_withdraw_cannot_grant_something_new(client, registry):
    post_json(client, choice("custom", ["analytics"], registry.version.number))

    response = post_json(client, choice("withdraw", ["marketing"], registry.version.number))

    assert response.status_code == 400
    assert "withdraw" in response.json()["error"]
    assert ConsentRecord.objects.count() == 1


def test_same_choice_after_a_registry_change_is_a_renewal(client, registry):
    from cookie_registry.models import RegistryVersion

    old = registry.version.number
    client.cookies[settings.CONSENT_COOKIE_NAME] = encode_consent_cookie(
        "returning-visitor-0001", old, datetime.datetime.now(tz=datetime.UTC), {"analytics"}
    )
    newer = RegistryVersion.objects.create(
        number=old + 1, snapshot={}, changes=["New cookie in Analytics: _x"]
    )

    response = post_json(client, choice("custom", ["analytics"], newer.number))

    assert response.status_code == 201
    assert response.json()["action"] == "renewal"
    assert response.json()["consent_id"] == "returning-visitor-0001"


def test_same_choice_after_expiry_is_a_renewal(client, registry):
    long_ago = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=400)
    client.cookies[settings.CONSENT_COOKIE_NAME] = encode_consent_cookie(
        "returning-visitor-0002", registry.version.number, long_ago, set()
    )

    response = post_json(client, choice("reject_all", [], registry.version.number))

    assert response.json()["action"] == "renewal"


def test_no_js_form_post_redirects_to_the_settings_page(client, registry):
    response = post_form(
        client,
        [("action", "custom"), ("granted", "analytics"), ("registry_version", str(registry.version.number))],
    )

    assert response.status_code == 303
    assert response["Location"] == "/cookie-settings/?saved=1"
    cookie = decode_consent_cookie(consent_cookie_value(response))
    assert cookie is not None and cookie.granted == {"analytics"}
    assert ConsentRecord.objects.get().granted == ["analytics"]


def test_form_post_follows_a_same_origin_next(client, registry):
    response = post_form(
        client,
        {"action": "reject_all", "registry_version": registry.version.number, "next": "/privacy-policy/?a=1"},
    )

    assert response.status_code == 303
    assert response["Location"] == "/privacy-policy/?a=1"


@pytest.mark.parametrize(
    ("button", "granted"), [("accept_all", ["analytics", "marketing", "preferences"]), ("reject_all", [])]
)
def test_form_buttons_accept_or_reject_all_whatever_the_checkboxes_say(client, registry, button, granted):
    """A plain HTML form always sends its ticked boxes; the button pressed is the choice."""
    response = post_form(
        client,
        [("action", button), ("granted", "analytics"), ("registry_version", str(registry.version.number))],
    )

    assert response.status_code == 303
    assert ConsentRecord.objects.get().granted == granted


def test_answers_are_never_cached(client, registry):
    response = post_json(client, choice("reject_all", [], registry.version.number))

    assert "no-store" in response["Cache-Control"]


def test_ipv6_clients_are_truncated_to_48_bits(client, registry):
    response = client.post(
        ENDPOINT,
        data=json.dumps(choice("reject_all", [], registry.version.number)),
        content_type="application/json",
        REMOTE_ADDR="2001:db8:1234:5678:9abc::1",
    )

    assert response.status_code == 201
    assert ConsentRecord.objects.get().ip_network == "2001:db8:1234::/48"


def test_a_registry_key_the_cookie_cannot_carry_is_refused_before_writing(client, registry):
    from .conftest import create_category_row

    create_category_row("Upper_Case", "Badly keyed", order=5)

    response = post_json(
        client,
        choice(
            "accept_all", ["analytics", "marketing", "preferences", "Upper_Case"], registry.version.number
        ),
    )

    assert response.status_code == 400
    assert "site owner" in response.json()["error"]
    assert ConsentRecord.objects.count() == 0
