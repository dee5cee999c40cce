"""The daily digest: stable public URLs, reproducible hash, chained day to day, Atom feed, tamper-evident."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import xml.etree.ElementTree as ET

import pytest

from django.core.management import CommandError, call_command
from django.db import models

from evidence.canonical import GENESIS_HASH
from evidence.digest import publish_digest
from evidence.models import EvidenceDigest
from tests.consent.conftest import choice, post_json

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def two_days(registry, client):
    for action in ("accept_all", "reject_all"):
        assert (
            post_json(
                client,
                choice(
                    action, [] if action == "reject_all" else ["analytics", "marketing", "preferences"], 1
                ),
            ).status_code
            == 201
        )
    first, _ = publish_digest(datetime.date(2026, 11, 30))
    assert post_json(client, choice("reject_all", [], 1)).status_code == 201
    second, _ = publish_digest(datetime.date(2026, 12, 1))
    return first, second


def test_the_command_publishes_once_a_day(registry):
    out = io.StringIO()
    call_command("publish_evidence_digest", stdout=out)
    call_command("publish_evidence_digest", stdout=out)
    assert EvidenceDigest.objects.count() == 1
    assert "Published: evidence digest" in out.getvalue()
    assert "Already published: evidence digest" in out.getvalue()


def test_a_digest_names_each_chain_head_and_count(two_days):
    first, second = two_days
    chains = second.document["chains"]
    assert chains["consent.ConsentRecord"]["rows"] == 3
    assert chains["consent.ConsentRecord"]["head_sequence"] == 3
    assert first.document["chains"]["consent.ConsentRecord"]["head_sequence"] == 2
    assert chains["cookie_registry.RegistryVersion"]["rows"] == 1
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.digest_hash == second.document["previous_digest_hash"]


def test_an_outsider_recomputes_the_digest_hash_from_the_public_json(client, two_days):
    _, second = two_days
    response = client.get("/evidence/digests/2026-12-01.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    published = json.loads(response.content)
    canonical = json.dumps(published["document"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == published["digest_hash"] == second.digest_hash


def test_index_latest_and_unknown_days(client, two_days):
    index = client.get("/evidence/digests/").json()
    assert [entry["date"] for entry in index["digests"]] == ["2026-12-01", "2026-11-30"]
    assert client.get("/evidence/digests/latest/")["Location"].endswith("/evidence/digests/2026-12-01.json")
    assert client.get("/evidence/digests/2026-01-01.json").status_code == 404
    assert client.get("/evidence/digests/not-a-date.json").status_code == 404


def test_no_digest_yet_is_a_404(client, db):
    assert client.get("/evidence/digests/latest/").status_code == 404


def test_the_atom_feed_lists_each_day_with_its_hash(client, two_days):
    first, second = two_days
    response = client.get("/evidence/digests/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own response)
    assert [entry.find(f"{ATOM}id").text for entry in entries] == [
        f"urn:sha256:{second.digest_hash}",
        f"urn:sha256:{first.digest_hash}",
    ]


def test_a_rewritten_digest_is_reported(two_days):
    first, _ = two_days
    document = dict(first.document, date="2026-11-29")
    models.QuerySet(EvidenceDigest).filter(pk=first.pk).update(document=document)
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence", stdout=io.StringIO())
    assert f"evidence_evidencedigest id={first.pk}: its document no longer matches its hash" in str(
        failure.value
    )


def test_a_digest_for_an_earlier_day_than_the_latest_is_refused(two_days):
    with pytest.raises(ValueError, match="later day"):
        publish_digest(datetime.date(2026, 11, 1))


def test_the_index_and_feed_show_a_new_digest_at_once(client, registry):
    publish_digest(datetime.date(2026, 11, 30))
    assert len(client.get("/evidence/digests/").json()["digests"]) == 1
    client.get("/evidence/digests/feed/")
    publish_digest(datetime.date(2026, 12, 1))
    assert len(client.get("/evidence/digests/").json()["digests"]) == 2  # not a cached copy
    assert client.get("/evidence/digests/feed/").content.count(b"<entry>") == 2
    detail = client.get("/evidence/digests/2026-12-01.json")
    assert "private" not in detail.get("Cache-Control", "")  # an immutable document may be shared
