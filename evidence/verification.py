"""Walking every chain and the digest chain: streamed in position order, stopping at a chain's first fault."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from .canonical import GENESIS_HASH, canonical_json, link_hash
from .models import ChainCheckpoint, ChainedRecord, ChainHead, EvidenceDigest


@dataclass(frozen=True)
class Fault:
    """The first row of a chain that does not match: where it is and why."""

    table: str
    row_id: object
    reason: str

    def __str__(self) -> str:
        return f"{self.table} id={self.row_id}: {self.reason}"


@dataclass
class ChainReport:
    chain: str
    table: str
    checked: int = 0
    first_sequence: int | None = None
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    purged_up_to: int = 0
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults


def chained_models() -> list[type[ChainedRecord]]:
    """Every installed model that is a chain, in a stable order."""
    found = [model for model in apps.get_models() if issubclass(model, ChainedRecord)]
    return sorted(found, key=lambda model: model._meta.label)


def _rows(model: type[ChainedRecord], using: str, chunk_size: int) -> Iterator[ChainedRecord]:
    queryset: models.QuerySet = model._base_manager.using(using).filter(chain_sequence__isnull=False)
    prepare = getattr(model, "prepare_evidence_queryset", None)
    if prepare is not None:
        queryset = prepare(queryset)
    return queryset.order_by("chain_sequence").iterator(chunk_size=chunk_size)


def verify_chain(model: type[ChainedRecord], *, using: str = "default", chunk_size: int = 500) -> ChainReport:
    """Check every remaining row of one chain: positions contiguous, hashes linked and recomputed.

    Rows and purge checkpoints are both streamed in position order; a checkpoint stands in for the
    rows it removed (its hashes must join the rows on both sides).
    """
    chain = model.evidence_chain_name()
    table = model._meta.db_table
    report = ChainReport(chain=chain, table=table)
    checkpoint_table = ChainCheckpoint._meta.db_table

    unlinked = model._base_manager.using(using).filter(chain_sequence__isnull=True).order_by("pk").first()
    if unlinked is not None:
        report.faults.append(Fault(table, unlinked.pk, "the row is not linked into the chain (no position)"))
        return report

    checkpoints = (
        ChainCheckpoint.objects.using(using)
        .filter(chain=chain)
        .order_by("first_sequence")
        .iterator(chunk_size=chunk_size)
    )
    next_checkpoint = next(checkpoints, None)
    expected, previous = 1, GENESIS_HASH

    def step_over_checkpoints() -> Fault | None:
        nonlocal next_checkpoint, expected, previous
        while next_checkpoint is not None and next_checkpoint.first_sequence <= expected:
            checkpoint = next_checkpoint
            if checkpoint.first_sequence != expected or checkpoint.previous_hash != previous:
                return Fault(checkpoint_table, checkpoint.pk, "the purge checkpoint does not join the chain")
            report.purged_up_to = checkpoint.sequence
            expected, previous = checkpoint.sequence + 1, checkpoint.chain_hash
            next_checkpoint = next(checkpoints, None)
        return None

    for row in _rows(model, using, chunk_size):
        fault = step_over_checkpoints()
        if fault is None:
            reason = _row_fault(row, chain, expected, previous)
            fault = Fault(table, row.pk, reason) if reason else None
        if fault is not None:
            report.faults.append(fault)
            return report
        report.first_sequence = report.first_sequence or row.chain_sequence
        report.checked += 1
        previous = row.chain_hash
        expected += 1
    fault = step_over_checkpoints()
    if fault is not None:
        report.faults.append(fault)
        return report

    report.head_sequence, report.head_hash = expected - 1, previous
    head = ChainHead.objects.using(using).filter(pk=chain).first()
    head_sequence, head_hash = (head.sequence, head.head_hash) if head else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (report.head_sequence, report.head_hash):
        if head_sequence > report.head_sequence:
            reason = f"rows {report.head_sequence + 1}–{head_sequence} of the chain are missing (deleted)"
        else:
            reason = f"the chain head (position {head_sequence}) does not match the last row"
        report.faults.append(Fault(ChainHead._meta.db_table, chain, reason))
    return report


def _row_fault(row: ChainedRecord, chain: str, expected: int, previous: str) -> str:
    try:
        if row.chain_sequence != expected:
            return f"position {row.chain_sequence} found where {expected} was expected (rows missing)"
        if row.previous_hash != previous:
            return f"its previous hash does not match the hash of position {expected - 1} (broken link)"
        problems = row.evidence_problems()
        if problems:
            return "; ".join(problems)
        if link_hash(chain, expected, previous, row.evidence_content()) != row.chain_hash:
            return "its content no longer matches its chain hash (changed after it was written)"
        return ""
    except Exception as error:  # a row so damaged it cannot even be read counts as a fault, not a crash
        return f"it could not be checked ({type(error).__name__}: {error})"


def digest_hash(document: dict) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def verify_digests(*, using: str = "default") -> ChainReport:
    """The published daily digests form their own chain: each names the hash of the one before."""
    table = EvidenceDigest._meta.db_table
    report = ChainReport(chain="evidence.EvidenceDigest", table=table)
    previous = GENESIS_HASH
    for digest in EvidenceDigest.objects.using(using).order_by("date").iterator(chunk_size=200):
        try:
            if digest.previous_hash != previous or digest.document.get("previous_digest_hash") != previous:
                reason = "its previous digest hash does not match the digest before it"
            elif digest_hash(digest.document) != digest.digest_hash:
                reason = "its document no longer matches its hash"
            else:
                reason = ""
        except Exception as error:
            reason = f"it could not be checked ({type(error).__name__}: {error})"
        if reason:
            report.faults.append(Fault(table, digest.pk, reason))
            return report
        previous = digest.digest_hash
        report.checked += 1
    report.head_hash = previous
    return report
