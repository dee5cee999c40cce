"""What a registry version's chain hash covers. Never change it: every stored hash depends on it.

Plain attribute access only, so the migration that links existing rows can use it on historical models.
"""

from __future__ import annotations

from typing import Any

from evidence.canonical import canonical_datetime


def registry_version_content(version: Any) -> dict[str, Any]:
    return {
        "number": version.number,
        "created_at": canonical_datetime(version.created_at),
        "snapshot": version.snapshot,
        "changes": version.changes,
    }
