"""Appending to a chain (inside the writer's transaction) and recording purge checkpoints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections, models, transaction
from django.db.models import F

from .canonical import link_document_parts, link_hash
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


@dataclass(frozen=True)
class LinkRows:
    """Rows of ``model`` that point at a new chained record: one per value, ``value_field`` set to it."""

    model: type[models.Model]
    record_field: str
    value_field: str
    values: Sequence[int]


CHAINED_FIELDS = ("chain_sequence", "previous_hash", "chain_hash")


def append_in_one_statement(record: ChainedRecord, links: LinkRows, *, using: str) -> bool:
    """PostgreSQL: lock the chain's head, hash, insert ``record`` and its ``links`` in one statement.

    The same link as ``append_to_chain`` followed by the two inserts, but the head is locked for one
    round trip and the commit instead of four: concurrent writers (the consent endpoint) queue far
    less. The database computes the link hash over ``link_document_parts`` (PostgreSQL's
    ``sha256``); verification recomputes it in Python like any other. Returns False, writing nothing,
    where that does not apply (another database, or a chain without a head row yet): the caller then
    takes the ordinary path.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("A chain link must be written inside a transaction.")
    record.prepare_for_chain()
    chain = record.evidence_chain_name()
    before, between, after = link_document_parts(chain, record.evidence_content())
    quote = connection.ops.quote_name
    meta = type(record)._meta
    columns, values, params = [], [], []
    for field in meta.concrete_fields:
        if field.primary_key and getattr(field, "db_returning", False):
            continue  # the database's own id
        columns.append(quote(field.column))
        if field.attname in CHAINED_FIELDS:
            values.append(f"link.{field.attname}")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(record, True), connection))
    link_meta = links.model._meta
    record_column, value_column = (
        quote(field.column)
        for field in (link_meta.get_field(links.record_field), link_meta.get_field(links.value_field))
        if isinstance(field, models.Field)
    )
    # Identifiers come from model metadata, quoted; every value is a parameter.
    sql = f"""
        WITH head AS (
            SELECT chain, sequence, head_hash FROM {quote(ChainHead._meta.db_table)}
            WHERE chain = %s FOR UPDATE
        ), link AS (
            UPDATE {quote(ChainHead._meta.db_table)} AS next_head
            SET sequence = head.sequence + 1,
                head_hash = encode(sha256(convert_to(
                    %s || head.head_hash || %s || (head.sequence + 1)::text || %s, 'UTF8')), 'hex')
            FROM head WHERE next_head.chain = head.chain
            RETURNING next_head.sequence AS chain_sequence, head.head_hash AS previous_hash,
                      next_head.head_hash AS chain_hash
        ), new_row AS (
            INSERT INTO {quote(meta.db_table)} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM link
            RETURNING {quote(meta.pk.column)} AS id
        ), new_links AS (
            INSERT INTO {quote(link_meta.db_table)} ({record_column}, {value_column})
            SELECT new_row.id, value FROM new_row, unnest(%s::bigint[]) AS value
        )
        SELECT new_row.id, link.chain_sequence, link.previous_hash, link.chain_hash FROM new_row, link
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [chain, before, between, after, *params, list(links.values)])
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk, record.chain_sequence, record.previous_hash, record.chain_hash = row
    record._state.adding = False
    record._state.db = using
    return True


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
