"""Many visitors choosing at once: every POST becomes exactly one record (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from consent.cookie import decode_consent_cookie
from consent.models import ConsentRecord

TOTAL_REQUESTS = 200
THREADS = 16
RETURNING_VISITOR_REQUESTS = 40


def post(url: str, body: dict, cookie: str | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode(errors="replace")}, ""


def test_concurrent_new_visitors_all_get_their_own_record(live_server, transactional_db, registry):
    url = f"{live_server.url}/consent/"
    bodies = [
        {"action": action, "granted": granted, "registry_version": registry.version.number}
        for action, granted in [
            ("accept_all", ["analytics", "marketing", "preferences"]),
            ("reject_all", []),
            ("custom", ["analytics"]),
            ("custom", ["marketing"]),
        ]
    ] * (TOTAL_REQUESTS // 4)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda body: post(url, body), bodies))

    statuses = [status for status, _, _ in results]
    assert statuses == [201] * TOTAL_REQUESTS, set(statuses)
    answered_ids = [answer["consent_id"] for _, answer, _ in results]
    assert len(set(answered_ids)) == TOTAL_REQUESTS  # new visitors: a new id each
    stored = list(ConsentRecord.objects.values_list("consent_id", "action"))
    assert len(stored) == TOTAL_REQUESTS  # none lost, none duplicated
    assert sorted(consent_id for consent_id, _ in stored) == sorted(answered_ids)
    expected_actions = sorted(answer["action"] for _, answer, _ in results)
    assert sorted(action for _, action in stored) == expected_actions


def test_concurrent_choices_by_one_returning_visitor_share_one_history(
    live_server, transactional_db, registry
):
    url = f"{live_server.url}/consent/"
    status, first, set_cookie = post(url, {"action": "reject_all", "granted": [], "registry_version": 1})
    assert status == 201
    cookie_value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    assert decode_consent_cookie(cookie_value).consent_id == first["consent_id"]
    cookie = f"{settings.CONSENT_COOKIE_NAME}={cookie_value}"
    body = {"action": "custom", "granted": ["analytics"], "registry_version": registry.version.number}

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda _: post(url, body, cookie), range(RETURNING_VISITOR_REQUESTS)))

    assert [status for status, _, _ in results] == [201] * RETURNING_VISITOR_REQUESTS
    assert {answer["consent_id"] for _, answer, _ in results} == {first["consent_id"]}
    assert (
        ConsentRecord.objects.filter(consent_id=first["consent_id"]).count() == RETURNING_VISITOR_REQUESTS + 1
    )
