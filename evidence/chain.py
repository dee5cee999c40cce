"""Appending to a chain (inside the writer's transaction) and recording purge checkpoints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connections, transaction
from django.db.models import F

from .canonical import link_hash
from .models import ChainCheckpoint, ChainHead

if TYPE_CHECKING:
    from .models import ChainedRecord


def _locked_head(chain: str, using: str) -> ChainHead:
    """The chain's head row, locked until the surrounding transaction ends.

    PostgreSQL: SELECT … FOR UPDATE makes concurrent writers queue on this row. SQLite ignores FOR
    UPDATE, so a no-op UPDATE first takes the database's single write lock before the head is read.
    """
    heads = ChainHead.objects.using(using)
    if connections[using].vendor == "sqlite":
        if not heads.filter(pk=chain).update(sequence=F("sequence")):
            heads.get_or_create(chain=chain)
        return heads.get(pk=chain)
    try:
        return heads.select_for_update().get(pk=chain)
    except ChainHead.DoesNotExist:
        heads.get_or_create(chain=chain)
        return heads.select_for_update().get(pk=chain)


def append_to_chain(record: ChainedRecord, *, using: str) -> None:
    """Give ``record`` the next position and its hash; the caller inserts it in the same transaction."""
    if not connections[using].in_atomic_block:
        raise transaction.TransactionManagementError("A chain link must be written inside a transaction.")
    chain = record.evidence_chain_name()
    head = _locked_head(chain, using)
    record.chain_sequence = head.sequence + 1
    record.previous_hash = head.head_hash
    record.chain_hash = link_hash(
        chain, record.chain_sequence, record.previous_hash, record.evidence_content()
    )
    ChainHead.objects.using(using).filter(pk=chain).update(
        sequence=record.chain_sequence, head_hash=record.chain_hash
    )


def record_purge_checkpoint(
    chain: str, rows: Iterable[tuple[int, str, str]], *, using: str = "default"
) -> list[ChainCheckpoint]:
    """Record the rows a purge is about to delete; call it in the same transaction as the delete.

    ``rows`` are ``(chain_sequence, previous_hash, chain_hash)`` of the deleted records. Each run of
    consecutive positions becomes one checkpoint, so any rows (not only the oldest) may be purged.
    """
    checkpoints: list[ChainCheckpoint] = []
    run: list[tuple[int, str, str]] = []
    for row in [*sorted(rows), None]:
        if run and (row is None or row[0] != run[-1][0] + 1):
            checkpoints.append(
                ChainCheckpoint(
                    chain=chain,
                    first_sequence=run[0][0],
                    sequence=run[-1][0],
                    previous_hash=run[0][1],
                    chain_hash=run[-1][2],
                    purged_count=len(run),
                )
            )
            run = []
        if row is not None:
            run.append(row)
    return ChainCheckpoint.objects.using(using).bulk_create(checkpoints)
