"""Hash chains: every legal record is linked, verify_evidence finds the first tampered row by table and id."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import models

from consent.models import ConsentRecord
from cookie_registry.models import RegistryVersion
from evidence.backfill import link_existing_rows
from evidence.canonical import GENESIS_HASH, canonical_json
from evidence.models import ChainCheckpoint, ChainHead
from policy_pages.models import PolicyVersion
from tests.consent.conftest import choice, make_record, post_json


def verify() -> str:
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


def raw_update(model: type[models.Model], pk: int, **fields) -> None:
    """What someone with database access could do: bypass the append-only guards."""
    models.QuerySet(model).filter(pk=pk).update(**fields)


@pytest.fixture
def records(registry, policy_version, client):
    for action, granted in [
        ("accept_all", ["analytics", "marketing", "preferences"]),
        ("reject_all", []),
        ("custom", ["analytics"]),
    ]:
        response = post_json(client, choice(action, granted, registry.version.number))
        assert response.status_code == 201, response.content
    return list(ConsentRecord.objects.order_by("chain_sequence"))


def test_each_record_links_to_the_one_before(records):
    assert [record.chain_sequence for record in records] == [1, 2, 3]
    assert records[0].previous_hash == GENESIS_HASH
    assert records[1].previous_hash == records[0].chain_hash
    assert records[2].previous_hash == records[1].chain_hash
    head = ChainHead.objects.get(pk="consent.ConsentRecord")
    assert (head.sequence, head.head_hash) == (3, records[2].chain_hash)


def test_an_outsider_can_recompute_a_hash_from_the_documented_canonical_form(records):
    record = records[1]
    document = {
        "chain": "consent.ConsentRecord",
        "sequence": record.chain_sequence,
        "previous_hash": record.previous_hash,
        "content": record.evidence_content(),
    }
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert hashlib.sha256(encoded).hexdigest() == record.chain_hash


def test_policy_and_registry_versions_are_chained_too(records, policy_version):
    assert policy_version.chain_sequence == 1 and policy_version.previous_hash == GENESIS_HASH
    assert RegistryVersion.objects.get().chain_sequence == 1


def test_untouched_evidence_verifies(records):
    output = verify()
    assert "consent_consentrecord: 3 rows checked" in output
    assert "policy_pages_policyversion: 1 rows checked" in output
    assert "cookie_registry_registryversion: 1 rows checked" in output
    assert "All evidence verifies" in output


def test_a_changed_consent_record_is_named_by_table_and_id(records):
    raw_update(ConsentRecord, records[1].pk, granted=["analytics", "marketing"])
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence", stdout=out)
    assert f"consent_consentrecord id={records[1].pk}" in str(failure.value)
    assert "content no longer matches" in str(failure.value)
    assert (
        f"consent_consentrecord: 1 rows verified, then FAULT at consent_consentrecord id={records[1].pk}"
        in out.getvalue()
    )


def test_a_record_rewritten_with_a_fresh_hash_breaks_the_next_link(records):
    forged = records[0]
    forged.granted = []
    content = forged.evidence_content()
    from evidence.canonical import link_hash

    raw_update(
        ConsentRecord,
        forged.pk,
        granted=[],
        chain_hash=link_hash("consent.ConsentRecord", 1, GENESIS_HASH, content),
    )
    message = verify_fails()
    assert f"consent_consentrecord id={records[1].pk}" in message
    assert "broken link" in message


def test_a_deleted_record_is_reported(records):
    models.QuerySet(ConsentRecord).filter(pk=records[1].pk).delete()
    message = verify_fails()
    assert f"consent_consentrecord id={records[2].pk}" in message
    assert "rows missing" in message


def test_deleting_the_newest_record_is_reported_at_the_chain_head(records):
    models.QuerySet(ConsentRecord).filter(pk=records[2].pk).delete()
    message = verify_fails()
    assert "evidence_chainhead id=consent.ConsentRecord" in message
    assert "rows 3–3 of the chain are missing" in message


def test_a_changed_frozen_policy_text_is_reported(records, policy_version):
    raw_update(PolicyVersion, policy_version.pk, body_html="<p>Something else</p>")
    message = verify_fails()
    assert f"policy_pages_policyversion id={policy_version.pk}: its frozen text no longer matches" in message


def test_a_frozen_text_changed_together_with_its_digest_is_still_caught(records, policy_version):
    from policy_pages.freezing import content_digest

    body = "<p>Rewritten</p>"
    digest = content_digest(
        policy_version.title, policy_version.effective_date.isoformat(), policy_version.summary_html, body
    )
    raw_update(PolicyVersion, policy_version.pk, body_html=body, content_sha256=digest)
    message = verify_fails()
    assert f"policy_pages_policyversion id={policy_version.pk}: its content no longer matches" in message


def test_a_missing_frozen_text_is_reported(registry):
    import datetime

    from wagtail.models import Site

    from policy_pages.models import PolicyPage

    page = PolicyPage(
        title="Cookie policy",
        slug="cookie-policy",
        effective_date=datetime.date(2026, 1, 1),
        body=[("paragraph", "<p>We use cookies.</p>")],
    )
    Site.objects.get(is_default_site=True).root_page.add_child(instance=page)
    page.save_revision().publish()
    version = PolicyVersion.objects.get(page=page)
    assert "We use cookies." in version.body_html
    raw_update(PolicyVersion, version.pk, body_html="", body_text="")
    message = verify_fails()
    assert f"policy_pages_policyversion id={version.pk}: its frozen text is missing" in message


def test_an_unreadable_row_is_a_fault_not_a_traceback(records, monkeypatch):
    def broken(self):
        raise ValueError("bad data")

    monkeypatch.setattr(ConsentRecord, "evidence_content", broken)
    message = verify_fails()
    assert (
        f"consent_consentrecord id={records[0].pk}: it could not be checked (ValueError: bad data)" in message
    )


def test_a_record_written_outside_the_chain_is_reported(records):
    raw_update(ConsentRecord, records[2].pk, chain_sequence=None)
    message = verify_fails()
    assert f"consent_consentrecord id={records[2].pk}: the row is not linked" in message


def test_purging_old_records_keeps_the_chain_verifiable(registry):
    # Created out of time order on purpose: the purge removes runs from the middle of the chain too.
    kept_young = make_record(
        registry, "young-record-000000000001", "custom", days_ago=10, granted=["analytics"]
    )
    make_record(registry, "ancient-record-00000000001", "reject_all", days_ago=2000)
    make_record(registry, "ancient-record-00000000002", "reject_all", days_ago=1900)
    kept_fresh = make_record(registry, "fresh-record-000000000001", "accept_all", days_ago=1)
    make_record(registry, "ancient-record-00000000003", "withdraw", days_ago=1800)
    out = io.StringIO()
    call_command("purge_consent_records", "--older-than-days", "365", "--batch-size", "2", stdout=out)
    assert "Deleted 3 consent records" in out.getvalue()
    assert set(ConsentRecord.objects.values_list("pk", flat=True)) == {kept_young.pk, kept_fresh.pk}
    assert ChainCheckpoint.objects.filter(chain="consent.ConsentRecord").count() == 2  # runs 2–3 and 5
    output = verify()
    assert "consent_consentrecord: 2 rows checked, positions up to 5 purged" in output
    assert "All evidence verifies" in output


def test_a_forged_purge_checkpoint_is_reported(registry):
    make_record(registry, "ancient-record-00000000001", "reject_all", days_ago=2000)
    make_record(registry, "fresh-record-000000000001", "accept_all", days_ago=1)
    call_command("purge_consent_records", "--older-than-days", "365", stdout=io.StringIO())
    checkpoint = ChainCheckpoint.objects.get()
    models.QuerySet(ChainCheckpoint).filter(pk=checkpoint.pk).update(chain_hash="f" * 64)
    message = verify_fails()
    assert "consent_consentrecord id=" in message and "broken link" in message


def test_migration_links_rows_that_existed_before_the_chain(records, registry):
    models.QuerySet(ConsentRecord).update(chain_sequence=None, previous_hash="", chain_hash="")
    ChainHead.objects.filter(pk="consent.ConsentRecord").delete()
    from consent.evidence_content import consent_record_content

    link_existing_rows(
        django_apps, "consent", "ConsentRecord", consent_record_content, ("created_at", "pk"), batch_size=2
    )
    relinked = list(ConsentRecord.objects.order_by("created_at", "pk"))
    assert [record.chain_sequence for record in relinked] == [1, 2, 3]
    assert relinked[0].previous_hash == GENESIS_HASH
    assert "All evidence verifies" in verify()
    # and new records continue the backfilled chain
    new = make_record(
        records[0].registry_version
        and type(
            "R", (), {"version": records[0].registry_version, "optional_keys": ["analytics", "marketing"]}
        ),
        "late-record-0000000000001",
        "reject_all",
        days_ago=0,
    )
    assert new.chain_sequence == 4 and new.previous_hash == relinked[-1].chain_hash
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
