"""The consent endpoint's PostgreSQL path: the database hashes and inserts the link while it holds the lock.

Whatever path wrote a record, Python's verification must recompute the same hash, the row must hold
exactly what was submitted, and its policy-version links must be there.
"""

from __future__ import annotations

import datetime

import pytest

from django.db import connection

from consent.models import ConsentAction, ConsentRecord
from consent.recording import PolicyVersionReference, record_consent
from evidence.canonical import canonical_json, link_document_parts, link_hash
from evidence.models import ChainHead
from evidence.verification import verify_chain

CONTENTS = [
    {},
    {"title": "Datenschutzerklärung", "quote": 'say "hi"', "slash": "a\\b", "line": "a\nb"},
    {"emoji": "🍪", "nested": {"b": [1, 2.5, None, True], "a": "é"}, "empty": ""},
]


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize(("sequence", "previous"), [(1, "0" * 64), (12_345, "ab" * 32)])
def test_the_parts_rebuild_the_canonical_document(content, sequence, previous):
    before, between, after = link_document_parts("consent.ConsentRecord", content)
    rebuilt = (before + previous + between + str(sequence) + after).encode("utf-8")
    document = {
        "chain": "consent.ConsentRecord",
        "sequence": sequence,
        "previous_hash": previous,
        "content": content,
    }
    assert rebuilt == canonical_json(document)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"
)


def store(registry, policy_version, *, language: str = "", title: str | None = None) -> ConsentRecord:
    reference = PolicyVersionReference(
        version_id=policy_version.pk,
        title=title or "Privacy policy",
        number=policy_version.number,
        effective_date=datetime.date(2026, 3, 1),
        url="/privacy-policy/versions/1/",
        language=language,
    )
    return record_consent(
        consent_id="c0ns3nt-id-" + (language or "en"),
        action=ConsentAction.ACCEPT_ALL,
        requested_action="accept_all",
        granted=frozenset({"analytics", "marketing"}),
        refused=frozenset({"preferences"}),
        registry_version=registry.version,
        policy_versions=[reference],
        gpc=True,
        ip_network="203.0.113.0/24",
        user_agent_family="Firefox 140 / Linux",
        lifetime_days=180,
        language=language,
    )


@postgresql_only
def test_records_written_in_one_statement_verify_and_hold_what_was_submitted(registry, policy_version):
    first = store(registry, policy_version)  # creates the chain's head (the ordinary path)
    second = store(registry, policy_version, language="de", title="Datenschutzerklärung „neu“")
    third = store(registry, policy_version, language="fr", title='L\'avis "cookies" 🍪')

    head = ChainHead.objects.get(pk="consent.ConsentRecord")
    assert (head.sequence, head.head_hash) == (third.chain_sequence, third.chain_hash)
    assert [first.chain_sequence + 1, first.chain_sequence + 2] == [
        second.chain_sequence,
        third.chain_sequence,
    ]
    assert second.previous_hash == first.chain_hash and third.previous_hash == second.chain_hash

    for written in (second, third):
        stored = ConsentRecord.objects.get(pk=written.pk)
        assert stored.chain_hash == link_hash(
            "consent.ConsentRecord", stored.chain_sequence, stored.previous_hash, stored.evidence_content()
        )
        assert stored.evidence_content() == written.evidence_content()
        assert list(stored.policy_versions.values_list("pk", flat=True)) == [policy_version.pk]
        assert stored.granted == ["analytics", "marketing"] and stored.gpc is True
    assert ConsentRecord.objects.get(pk=third.pk).policy_versions_snapshot[0]["title"] == (
        'L\'avis "cookies" 🍪'
    )
    report = verify_chain(ConsentRecord)
    assert report.ok and report.checked == 3


@postgresql_only
def test_a_failed_insert_leaves_the_chain_head_untouched(registry, policy_version):
    from django.db import DataError, transaction

    store(registry, policy_version)
    head_before = ChainHead.objects.values_list("sequence", "head_hash").get(pk="consent.ConsentRecord")
    with pytest.raises(DataError), transaction.atomic():
        record_consent(
            consent_id="x" * 500,  # longer than the column: the insert fails inside the statement
            action=ConsentAction.ACCEPT_ALL,
            requested_action="reject_all",
            granted=frozenset(),
            refused=frozenset({"analytics"}),
            registry_version=registry.version,
            policy_versions=[],
            gpc=False,
            ip_network="",
            user_agent_family="",
            lifetime_days=180,
        )
    assert (
        ChainHead.objects.values_list("sequence", "head_hash").get(pk="consent.ConsentRecord") == head_before
    )
    assert verify_chain(ConsentRecord).ok
