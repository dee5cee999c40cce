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


def link_document_parts(chain: str, content: dict[str, Any]) -> tuple[str, str, str]:
    """``(before, between, after)`` such that ``before + previous_hash + between + str(sequence) + after``
    is exactly ``canonical_json`` of the link's document (decoded), for a database that computes the hash
    itself while it holds the chain's lock (``evidence.chain.append_in_one_statement``).

    The document's keys sort as chain < content < previous_hash < sequence, so the two values the
    database supplies are last and their JSON forms are plain (a hex string, an integer).
    """
    before = canonical_json({"chain": chain, "content": content})[:-1].decode("utf-8")
    return before + ',"previous_hash":"', '","sequence":', "}"
