"""Which policy texts a visitor accepted: the policy versions in force when they chose."""

from __future__ import annotations

from typing import Any

from .recording import PolicyVersionReference


def policy_versions_in_force() -> list[PolicyVersionReference]:
    """The published version of each live policy page right now (filled in once policy versions exist)."""
    return []


def policy_version_links(record: Any) -> list[dict[str, Any]]:
    """Title, number, effective date and archive URL of each policy version a record points to."""
    return list(record.policy_versions_snapshot)
