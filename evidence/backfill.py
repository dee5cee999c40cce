"""Linking rows that existed before their model became a chain (used by the migrations that add it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .canonical import GENESIS_HASH, link_hash


def link_existing_rows(
    apps: Any,
    app_label: str,
    model_name: str,
    content: Callable[[Any], dict],
    order_by: tuple[str, ...],
    batch_size: int = 500,
) -> None:
    """Give every unlinked row a position and hash in ``order_by`` order, continuing the chain head."""
    model = apps.get_model(app_label, model_name)
    head_model = apps.get_model("evidence", "ChainHead")
    chain = f"{app_label}.{model_name}"
    head, _ = head_model.objects.get_or_create(chain=chain, defaults={"head_hash": GENESIS_HASH})
    sequence, previous = head.sequence, head.head_hash
    pending = model._base_manager.filter(chain_sequence__isnull=True).order_by(*order_by)
    batch: list[Any] = []
    for row in pending.iterator(chunk_size=batch_size):
        sequence += 1
        row.chain_sequence, row.previous_hash = sequence, previous
        row.chain_hash = previous = link_hash(chain, sequence, previous, content(row))
        batch.append(row)
        if len(batch) >= batch_size:
            model._base_manager.bulk_update(batch, ["chain_sequence", "previous_hash", "chain_hash"])
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, ["chain_sequence", "previous_hash", "chain_hash"])
    head_model.objects.filter(pk=chain).update(sequence=sequence, head_hash=previous)
