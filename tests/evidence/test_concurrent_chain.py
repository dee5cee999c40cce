"""500 visitors choosing at once on PostgreSQL: every POST stored, one unforked chain (the head row lock)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest

from django.core.management import call_command
from django.db import connection

from consent.models import ConsentRecord
from evidence.canonical import GENESIS_HASH
from evidence.models import ChainHead
from tests.consent.test_concurrency import post

TOTAL_REQUESTS = 500
THREADS = 24

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are what is tested; run with DATABASE_URL=postgres://…",
)


def test_concurrent_choices_form_one_valid_chain(live_server, transactional_db, registry):
    url = f"{live_server.url}/consent/"
    bodies = [
        {"action": action, "granted": granted, "registry_version": registry.version.number}
        for action, granted in [("accept_all", ["analytics", "marketing", "preferences"]), ("reject_all", [])]
    ] * (TOTAL_REQUESTS // 2)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda body: post(url, body), bodies))

    assert [status for status, _, _ in results] == [201] * TOTAL_REQUESTS
    rows = list(
        ConsentRecord.objects.order_by("chain_sequence").values_list(
            "chain_sequence", "previous_hash", "chain_hash"
        )
    )
    assert len(rows) == TOTAL_REQUESTS
    assert [sequence for sequence, _, _ in rows] == list(range(1, TOTAL_REQUESTS + 1))  # no gap, no fork
    previous = GENESIS_HASH
    for _, previous_hash, chain_hash in rows:
        assert previous_hash == previous
        previous = chain_hash
    head = ChainHead.objects.get(pk="consent.ConsentRecord")
    assert (head.sequence, head.head_hash) == (TOTAL_REQUESTS, previous)
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert f"consent_consentrecord: {TOTAL_REQUESTS} rows checked" in out.getvalue()
