"""Every bad request to POST /consent/ gets its 4xx with a clear message and writes nothing."""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.models import ConsentRecord

from .conftest import ENDPOINT, choice, post_form, post_json

VERSION = 1  # the `registry` fixture's first version
hypothesis_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_refused(response, status: int) -> None:
    assert response.status_code == status, response.content
    assert ConsentRecord.objects.count() == 0
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            choice("accept_all", ["analytics", "marketing", "preferences", "unknown"], VERSION),
            400,
            "Unknown cookie category",
        ),
        (choice("custom", ["analytics"], VERSION, refused=["necessary"]), 400, "cannot be refused"),
        (choice("custom", ["analytics"], VERSION, refused=["analytics"]), 400, "both granted and refused"),
        (choice("custom", ["ANALYTICS"], VERSION), 400, "Unknown cookie category"),
        (choice("accept_all", ["analytics"], VERSION), 400, "accept_all must grant every optional category"),
        (choice("reject_all", ["marketing"], VERSION), 400, "reject_all must not grant"),
        (choice("withdraw", ["analytics"], VERSION), 400, "withdraw can only keep"),
        (choice("shrug", [], VERSION), 400, "Unknown action"),
        (choice("renewal", [], VERSION), 400, "Unknown action"),  # derived by the server, not requested
        (choice(None, [], VERSION), 400, "Unknown action"),
        (choice("custom", "analytics", VERSION), 400, "list of category keys"),
        (choice("custom", [1], VERSION), 400, "list of category keys"),
        (choice("custom", ["analytics", "analytics"], VERSION), 400, "more than once"),
        (choice("custom", [], "1"), 400, "registry_version must be a whole number"),
        (choice("custom", [], True), 400, "registry_version must be a whole number"),
        (choice("custom", [], 1.5), 400, "registry_version must be a whole number"),
        (choice("custom", [], -1), 400, "registry_version must be a whole number"),
        ({"action": "custom", "granted": []}, 400, "'registry_version' is missing"),
        ({"granted": [], "registry_version": VERSION}, 400, "'action' is missing"),
        (choice("custom", [], VERSION, extra=1), 400, "Unknown field"),
        ([], 400, "must be a JSON object"),
        ("not json", 400, "not valid JSON"),
        ('{"action": "custom",', 400, "not valid JSON"),
        ("[" * 3000 + "]" * 3000, 413, "larger than"),
        ("[" * 2000 + "]" * 2000, 400, "JSON"),  # deep nesting: refused, never a RecursionError 500
        (" ", 400, "not valid JSON"),
    ],
)
def test_bad_json_is_refused_with_a_clear_message(client, registry, body, status, message):
    response = post_json(client, body)

    assert_refused(response, status)
    assert message in response.json()["error"]


def test_stale_registry_version_is_409_with_the_current_version(client, registry):
    response = post_json(client, choice("custom", ["analytics", "removed_category"], VERSION + 7))

    assert_refused(response, 409)
    assert response.json()["registry_version"] == registry.version.number


def test_oversize_body_is_413_by_content_length(client, registry):
    body = json.dumps(choice("custom", ["analytics"], VERSION)) + " " * 5000

    assert_refused(post_json(client, body), 413)


def test_oversize_body_is_413_when_the_declared_length_lies(registry, rf):
    """The declared Content-Length is under the cap but the stream delivers more: the read catches it."""
    from consent.views import record_choice

    real = json.dumps(choice("custom", ["analytics"], VERSION)).encode() + b" " * 5000
    request = rf.post(ENDPOINT, data=real, content_type="application/json")
    request.META["CONTENT_LENGTH"] = "100"  # the header lies; the stream still holds every byte

    response = record_choice(request)

    assert response.status_code == 413
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin-1"],
)
def test_wrong_content_type_is_415(client, registry, content_type):
    response = client.post(
        ENDPOINT, data=json.dumps(choice("custom", [], VERSION)), content_type=content_type
    )

    assert_refused(response, 415)


def test_invalid_utf8_is_400(client, registry):
    response = client.post(ENDPOINT, data=b'{"action": "\xff"}', content_type="application/json")

    assert_refused(response, 400)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "head", "options"])
def test_only_post_is_allowed(client, registry, method):
    response = getattr(client, method)(ENDPOINT)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": "https://evil.example/page"},
    ],
)
def test_cross_site_posts_are_refused(client, registry, headers):
    response = post_json(client, choice("accept_all", ["analytics", "marketing"], VERSION), **headers)

    assert_refused(response, 403)
    assert "this site" in response.json()["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        {"Referer": "http://testserver/cookie-settings/"},
        {},
    ],
)
def test_same_origin_posts_are_accepted(client, registry, headers):
    response = post_json(client, choice("reject_all", [], VERSION), **headers)

    assert response.status_code == 201


def test_trusted_origins_are_accepted(client, registry, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.org", "https://www.example.net"]

    for origin in ("https://www.example.org", "https://www.example.net"):
        assert post_json(client, choice("reject_all", [], VERSION), Origin=origin).status_code == 201
    assert (
        post_json(client, choice("reject_all", [], VERSION), Origin="https://example.com").status_code == 403
    )


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        (
            [("action", "custom"), ("granted", "nope"), ("registry_version", "1")],
            400,
            "Unknown cookie category",
        ),
        ([("action", "custom"), ("registry_version", "x1")], 400, "whole number"),
        ([("action", "custom")], 400, "'registry_version' is missing"),
        ([("action", "custom"), ("action", "accept_all"), ("registry_version", "1")], 400, "more than once"),
        (
            [("action", "custom"), ("registry_version", "1"), ("next", "https://evil.example/")],
            400,
            "path on this site",
        ),
        (
            [("action", "custom"), ("registry_version", "1"), ("next", "//evil.example/")],
            400,
            "path on this site",
        ),
        ([("action", "custom"), ("registry_version", "1"), ("surprise", "1")], 400, "Unknown form field"),
        ([("action", "custom"), ("registry_version", "3")], 409, "changed"),
    ],
)
def test_bad_form_posts_get_a_readable_page(client, registry, fields, status, message):
    response = post_form(client, fields)

    assert_refused(response, status)
    assert response["Content-Type"].startswith("text/html")
    assert message in html.unescape(response.content.decode())
    assert "/cookie-settings/" in response.content.decode()


@hypothesis_settings
@given(body=st.binary(max_size=5000))
def test_arbitrary_bytes_never_write_or_crash(client, registry, body):
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        response = client.post(ENDPOINT, data=body, content_type=content_type)
        assert 400 <= response.status_code < 500
    assert ConsentRecord.objects.count() == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
not_an_action = st.one_of(
    json_values.filter(lambda value: value not in ("accept_all", "reject_all", "custom", "withdraw"))
)


@hypothesis_settings
@given(action=not_an_action, granted=json_values, version=json_values)
def test_wrongly_typed_fields_never_write_or_crash(client, registry, action, granted, version):
    response = post_json(client, {"action": action, "granted": granted, "registry_version": version})

    assert 400 <= response.status_code < 500
    assert "error" in response.json()
    assert ConsentRecord.objects.count() == 0


@hypothesis_settings
@given(
    fields=st.lists(
        st.tuples(
            st.sampled_from(["action", "granted", "registry_version", "next", "refused", "x"]),
            st.text(max_size=30),
        ),
        max_size=8,
    )
)
def test_arbitrary_form_fields_never_crash(client, registry, fields):
    before = ConsentRecord.objects.count()

    response = post_form(client, fields)

    assert response.status_code in (303, 400, 409, 415)  # 415: an empty body carries no content type
    assert ConsentRecord.objects.count() == before + (1 if response.status_code == 303 else 0)
