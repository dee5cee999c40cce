"""The daily digest: each chain's head and row count, hashed and chained to the previous day's digest."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .canonical import GENESIS_HASH, canonical_datetime
from .models import ChainCheckpoint, ChainHead, EvidenceDigest
from .verification import chained_models, digest_hash


def digest_document(day: datetime.date, previous_hash: str) -> dict:
    """What an outsider keeps: per chain, how many rows exist and the head's position and hash."""
    chains = {}
    for model in chained_models():
        chain = model.evidence_chain_name()
        head = ChainHead.objects.filter(pk=chain).first()
        checkpoint = ChainCheckpoint.objects.filter(chain=chain).order_by("-sequence").first()
        chains[chain] = {
            "table": model._meta.db_table,
            "rows": model._base_manager.count(),
            "head_sequence": head.sequence if head else 0,
            "head_hash": head.head_hash if head else GENESIS_HASH,
            "purged_up_to_sequence": checkpoint.sequence if checkpoint else 0,
            "purged_up_to_hash": checkpoint.chain_hash if checkpoint else None,
        }
    return {
        "type": "evidence-digest",
        "hash_algorithm": "SHA-256 over canonical JSON (sorted keys, no whitespace, UTF-8)",
        "date": day.isoformat(),
        "generated_at": canonical_datetime(timezone.now()),
        "previous_digest_hash": previous_hash,
        "chains": chains,
    }


def publish_digest(day: datetime.date | None = None) -> tuple[EvidenceDigest, bool]:
    """Create the digest for ``day`` (today, UTC) unless it exists; returns it and whether it is new."""
    day = day or timezone.now().date()
    with transaction.atomic():
        existing = EvidenceDigest.objects.filter(date=day).first()
        if existing is not None:
            return existing, False
        latest = EvidenceDigest.objects.select_for_update().order_by("-date").first()
        if latest is not None and latest.date > day:
            raise ValueError(f"A digest for a later day ({latest.date}) exists already.")
        previous_hash = latest.digest_hash if latest else GENESIS_HASH
        document = digest_document(day, previous_hash)
        digest = EvidenceDigest.objects.create(
            date=day, document=document, previous_hash=previous_hash, digest_hash=digest_hash(document)
        )
    return digest, True
