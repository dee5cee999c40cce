"""/cookie-settings/ and its JSON download: per visitor, without JavaScript, never fooled by a bad cookie."""

from __future__ import annotations

import datetime
import html
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.conf import settings as django_settings
from django.core import signing

from consent.cookie import decode_consent_cookie, encode_consent_cookie
from consent.models import ConsentRecord

from .conftest import choice, post_form, post_json

NO_CHOICE = "No choice yet"
SETTINGS_URL = "/cookie-settings/"
DOWNLOAD_URL = "/cookie-settings/record.json"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_first_visit_shows_no_choice_and_the_form(client, registry):
    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    text = page_text(response)
    assert NO_CHOICE in text
    assert 'action="/consent/"' in text
    assert f'name="registry_version" value="{registry.version.number}"' in text
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_no_js_flow_saves_and_shows_the_choice(client, registry, policy_version):
    """Tick Analytics, press Save, follow the redirect: the page shows the stored choice."""
    saved = post_form(
        client,
        [("action", "custom"), ("granted", "analytics"), ("registry_version", str(registry.version.number))],
    )
    assert saved.status_code == 303

    response = client.get(saved["Location"])

    text = page_text(response)
    record = ConsentRecord.objects.get()
    assert "Your choices have been saved." in text
    assert NO_CHOICE not in text
    assert record.consent_id in text
    assert "Custom choice" in text
    assert 'value="analytics" checked' in text
    assert 'value="marketing" checked' not in text
    assert f'href="{policy_version.get_absolute_url()}"' in text
    assert "Privacy policy, version 1</a> (effective 1 January 2026)" in text
    assert DOWNLOAD_URL in text
    assert "no-store" in response["Cache-Control"]


def test_changing_your_mind_on_the_page(client, registry):
    version = str(registry.version.number)
    post_form(client, [("action", "accept_all"), ("registry_version", version)])
    post_form(client, [("action", "custom"), ("granted", "marketing"), ("registry_version", version)])

    text = page_text(client.get(SETTINGS_URL))

    assert "Withdrawal" in text  # analytics was granted before and is refused now
    assert 'value="marketing" checked' in text
    assert 'value="analytics" checked' not in text
    assert ConsentRecord.objects.values("consent_id").distinct().count() == 1


def test_outdated_choice_asks_again_without_pre_ticking(client, registry):
    from cookie_registry.models import RegistryVersion

    post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    RegistryVersion.objects.create(
        number=registry.version.number + 1, snapshot={}, changes=["New category: X"]
    )

    text = page_text(client.get(SETTINGS_URL))

    assert "Our cookie use has changed since you chose" in text
    assert " checked aria-describedby" not in text.replace("checked disabled", "")


def test_record_download_returns_the_whole_history(client, registry):
    first = post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    post_json(client, choice("reject_all", [], registry.version.number), **{"Sec-GPC": "1"})

    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    consent_id = first.json()["consent_id"]
    assert response["Content-Disposition"] == f'attachment; filename="consent-record-{consent_id}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["consent_id"] == consent_id
    assert [record["action"] for record in data["@graph"]] == ["accept_all", "withdraw"]
    assert data["@graph"][1]["gpc"] is True
    assert data["@graph"][1]["refused"] == ["analytics", "marketing", "preferences"]


def test_record_download_without_a_valid_cookie_is_404(client, registry):
    assert client.get(DOWNLOAD_URL).status_code == 404
    client.cookies[django_settings.CONSENT_COOKIE_NAME] = "1|forged-consent-id-123|1|0|analytics:bad"
    assert client.get(DOWNLOAD_URL).status_code == 404


def test_download_only_shows_your_own_records(client, registry):
    other = post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    client.cookies.clear()
    mine = post_json(client, choice("reject_all", [], registry.version.number))

    data = client.get(DOWNLOAD_URL).json()

    assert {record["dpv:hasDataSubject"]["dct:identifier"] for record in data["@graph"]} == {
        mine.json()["consent_id"]
    }
    assert other.json()["consent_id"] != mine.json()["consent_id"]


def valid_cookie(registry) -> str:
    return encode_consent_cookie(
        "valid-consent-id-0001",
        registry.version.number,
        datetime.datetime.now(tz=datetime.UTC),
        {"analytics"},
    )


def resign(payload: str) -> str:
    return signing.Signer(salt="consent.cookie").sign(payload)


@pytest.mark.parametrize(
    "make_value",
    [
        lambda cookie: cookie[:-1] + ("A" if cookie[-1] != "A" else "B"),  # signature changed
        lambda cookie: cookie.replace("analytics", "marketing"),  # payload changed, old signature
        lambda cookie: cookie.split(":")[0],  # signature stripped
        lambda cookie: signing.Signer(salt="another.salt").sign(cookie.split(":")[0]),
        lambda cookie: resign("2|valid-consent-id-0001|1|0|analytics"),  # signed, unknown format version
        lambda cookie: resign("1|short|1|0|analytics"),  # signed, bad consent id
        lambda cookie: resign("1|valid-consent-id-0001|one|0|analytics"),
        lambda cookie: resign("1|valid-consent-id-0001|1|0|Analytics"),
        lambda cookie: resign("1|valid-consent-id-0001|1|0|analytics+analytics"),
        lambda cookie: resign("1|valid-consent-id-0001|1|0"),
        lambda cookie: resign("1|valid-consent-id-0001|1|99999999999999|analytics"),
        lambda cookie: "",
        lambda cookie: "x" * 5000,
    ],
)
def test_tampered_or_malformed_cookie_means_no_choice(client, registry, make_value):
    value = make_value(valid_cookie(registry))
    client.cookies[django_settings.CONSENT_COOKIE_NAME] = value

    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    assert NO_CHOICE in page_text(response)
    assert "valid-consent-id-0001" not in page_text(response)
    assert decode_consent_cookie(value) is None


def test_the_untampered_cookie_is_a_choice(client, registry):
    client.cookies[django_settings.CONSENT_COOKIE_NAME] = valid_cookie(registry)

    text = page_text(client.get(SETTINGS_URL))

    assert NO_CHOICE not in text
    assert "valid-consent-id-0001" in text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(max_codepoint=255), max_size=300))  # WSGI headers are latin-1
def test_arbitrary_cookie_values_never_show_consent_or_crash(client, registry, value):
    client.cookies[django_settings.CONSENT_COOKIE_NAME] = value

    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    assert NO_CHOICE in page_text(response)
    assert decode_consent_cookie(value) is None


@settings(max_examples=200, deadline=None)
@given(
    consent_id=st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True),
    version=st.integers(min_value=0, max_value=10**9),
    # The times a cookie can carry: 2000-01-01 up to now (outside: no consent, tests/consent/test_hardening.py).
    seconds=st.integers(
        min_value=946_684_800, max_value=int(datetime.datetime.now(tz=datetime.UTC).timestamp())
    ),
    granted=st.frozensets(st.from_regex(r"[a-z0-9_-]{1,20}", fullmatch=True), max_size=5),
)
def test_encode_then_decode_round_trips(consent_id, version, seconds, granted):
    chosen_at = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    value = encode_consent_cookie(consent_id, version, chosen_at, granted)

    cookie = decode_consent_cookie(value)

    assert cookie is not None
    assert (cookie.consent_id, cookie.registry_version, cookie.chosen_at, cookie.granted) == (
        consent_id,
        version,
        chosen_at,
        granted,
    )
    assert value == signing.Signer(salt="consent.cookie").sign(value.rsplit(":", 1)[0])
