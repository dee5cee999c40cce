"""Consent receipts: the download is a JSON-LD receipt per choice; /consent/verify/ checks one, never a 500."""

from __future__ import annotations

import copy
import json

import pytest
from pytest_django.asserts import assertContains

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from consent.models import ConsentRecord
from consent.receipts import RECEIPT_MAX_BYTES
from evidence.canonical import link_hash

from .conftest import choice, make_record, post_json

DOWNLOAD_URL = "/cookie-settings/record.json"
VERIFY_URL = "/consent/verify/"


@pytest.fixture
def receipts(client, registry, policy_version):
    post_json(
        client, choice("accept_all", ["analytics", "marketing", "preferences"], registry.version.number)
    )
    post_json(client, choice("custom", ["analytics"], registry.version.number), **{"Sec-GPC": "1"})
    return client.get(DOWNLOAD_URL).json()


def verify(client, text: str):
    return client.post(VERIFY_URL, {"receipt": text})


def test_the_download_is_a_dpv_receipt_per_choice(receipts, policy_version):
    assert "dpv" in receipts["@context"]
    first, second = receipts["@graph"]
    assert first["@type"] == "dpv:ConsentRecord"
    assert "ISO/IEC TS 27560" in first["dct:conformsTo"]
    assert first["dpv:hasConsentStatus"] == "dpv:ConsentGiven"
    assert first["dpv:hasDataController"]["@type"] == "dpv:DataController"
    assert {p["dct:identifier"]: p["dpv:hasConsentStatus"] for p in second["dpv:hasPurpose"]} == {
        "analytics": "dpv:ConsentGiven",
        "marketing": "dpv:ConsentRefused",
        "preferences": "dpv:ConsentRefused",
    }
    assert second["dpv:hasPurpose"][0]["dct:title"] == "Analytics"
    notice = first["dpv:hasNotice"][0]
    assert (notice["dct:title"], notice["dct:hasVersion"]) == ("Privacy policy", 1)
    assert notice["content_sha256"] == policy_version.content_sha256
    assert notice["chain_hash"] == policy_version.chain_hash
    assert first["cookie_registry"]["version"] == 1 and len(first["cookie_registry"]["chain_hash"]) == 64
    stored = ConsentRecord.objects.get(chain_sequence=second["evidence"]["sequence"])
    assert second["evidence"]["chain_hash"] == stored.chain_hash
    assert second["evidence"]["previous_hash"] == first["evidence"]["chain_hash"]
    evidence = second["evidence"]
    assert (
        link_hash(evidence["chain"], evidence["sequence"], evidence["previous_hash"], evidence["content"])
        == stored.chain_hash
    )


def test_a_genuine_receipt_verifies_pasted_whole_or_alone(client, receipts):
    response = verify(client, json.dumps(receipts))
    assert response.status_code == 200
    assert response.content.decode().count('data-receipt-result="verified"') == 2
    response = verify(client, json.dumps(receipts["@graph"][1]))
    assertContains(response, "Verified: this receipt matches the stored record")


def test_a_receipt_file_upload_verifies(client, receipts):
    upload = SimpleUploadedFile(
        "receipt.json", json.dumps(receipts["@graph"][0]).encode(), "application/json"
    )
    response = client.post(VERIFY_URL, {"receipt_file": upload})
    assertContains(response, 'data-receipt-result="verified"')


def test_the_verify_page_shows_the_form(client, db):
    response = client.get(VERIFY_URL)
    assertContains(response, 'name="receipt"')
    assertContains(response, 'type="file"')


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Paste a receipt"),
        ('{"@type": "dpv:ConsentRecord", "evidence": {"chain": "consent.Cons', "not valid JSON"),
        ("[1, 2, 3]", "not a consent receipt from this site"),
        ('{"hello": "world"}', "not a consent receipt from this site"),
        ('{"evidence": {"chain": "consent.ConsentRecord", "sequence": "1"}}', "incomplete or malformed"),
    ],
)
def test_malformed_input_is_not_verified_with_a_reason(client, db, text, reason):
    response = verify(client, text)
    assert response.status_code in (200, 400)  # 400: nothing could be checked; 200: checked, failed
    assertContains(response, "Not verified", status_code=response.status_code)
    assertContains(response, reason, status_code=response.status_code)
    assert 'data-receipt-result="verified"' not in response.content.decode()


def test_a_file_that_is_not_utf8_is_not_verified(client, db):
    upload = SimpleUploadedFile("receipt.json", b"\xff\xfe{not json", "application/json")
    assertContains(client.post(VERIFY_URL, {"receipt_file": upload}), "not valid JSON", status_code=400)


def test_an_oversized_receipt_is_refused_before_parsing(client, db):
    response = verify(client, " " * (RECEIPT_MAX_BYTES + 1))
    assertContains(response, "larger than 64 KB", status_code=400)
    upload = SimpleUploadedFile("big.json", b"{" + b" " * RECEIPT_MAX_BYTES + b"}", "application/json")
    assertContains(client.post(VERIFY_URL, {"receipt_file": upload}), "larger than 64 KB", status_code=400)


def test_a_receipt_with_edited_choices_is_not_verified(client, receipts):
    forged = copy.deepcopy(receipts["@graph"][1])
    forged["evidence"]["content"]["granted"] = ["analytics", "marketing"]
    assertContains(verify(client, json.dumps(forged)), "does not match its own hash")

    forged = copy.deepcopy(receipts["@graph"][1])
    forged["granted"] = ["analytics", "marketing"]
    response = verify(client, json.dumps(forged))
    assertContains(response, "readable fields differ")
    assertContains(response, "granted")


def test_a_forged_receipt_with_a_recomputed_hash_is_not_verified(client, receipts):
    forged = copy.deepcopy(receipts["@graph"][1])
    evidence = forged["evidence"]
    evidence["content"]["granted"] = forged["granted"] = ["analytics", "marketing"]
    evidence["content"]["refused"] = forged["refused"] = []
    evidence["chain_hash"] = link_hash(
        evidence["chain"], evidence["sequence"], evidence["previous_hash"], evidence["content"]
    )
    assertContains(verify(client, json.dumps(forged)), "does not match the stored record")


def test_a_receipt_for_a_position_that_was_never_written(client, receipts):
    forged = copy.deepcopy(receipts["@graph"][1])
    evidence = forged["evidence"]
    evidence["sequence"] = 99
    evidence["chain_hash"] = link_hash(evidence["chain"], 99, evidence["previous_hash"], evidence["content"])
    assertContains(verify(client, json.dumps(forged)), "No consent record is stored at this position")


def test_a_stored_record_changed_after_the_receipt_is_reported(client, receipts):
    record = ConsentRecord.objects.get(chain_sequence=receipts["@graph"][0]["evidence"]["sequence"])
    models.QuerySet(ConsentRecord).filter(pk=record.pk).update(granted=[])
    assertContains(verify(client, json.dumps(receipts["@graph"][0])), "changed after this receipt")


def test_a_purged_record_is_explained(client, registry):
    old = make_record(registry, "ancient-record-00000000001", "reject_all", days_ago=2000)
    client.cookies.clear()
    from consent.receipts import build_receipt

    receipt = build_receipt(old)
    ConsentRecord.objects.purge_created_before(old.created_at.replace(year=old.created_at.year + 1))
    assertContains(verify(client, json.dumps(receipt)), "deleted at the end of its retention period")
