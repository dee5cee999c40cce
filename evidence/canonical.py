"""The one canonical form that every chain hash is computed over (reproducible outside this code)."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_datetime(value: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with microseconds, so the same instant always gives the same text."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def canonical_json(document: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes an outsider hashes to check a row."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link_hash(chain: str, sequence: int, previous_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 of one link: the chain's name, the row's position, the previous hash and the content."""
    document = {"chain": chain, "sequence": sequence, "previous_hash": previous_hash, "content": content}
    return hashlib.sha256(canonical_json(document)).hexdigest()
