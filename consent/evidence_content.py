"""What a consent record's chain hash covers. Never change it: every stored hash depends on it.

Plain attribute access only, so the migration that links existing rows can use it on historical models.
"""

from __future__ import annotations

from typing import Any

from evidence.canonical import canonical_datetime


def consent_record_content(record: Any) -> dict[str, Any]:
    content = {
        "consent_id": record.consent_id,
        "created_at": canonical_datetime(record.created_at),
        "expires_at": canonical_datetime(record.expires_at),
        "action": str(record.action),
        "requested_action": str(record.requested_action),
        "granted": list(record.granted),
        "refused": list(record.refused),
        "registry_version_id": record.registry_version_id,
        "registry_version_number": record.registry_version_number,
        "policy_versions": list(record.policy_versions_snapshot),
        "gpc": bool(record.gpc),
        "ip_network": record.ip_network,
        "user_agent_family": record.user_agent_family,
    }
    # Added with languages: only when set, so records stored before keep their hashes.
    if getattr(record, "language", ""):
        content["language"] = record.language
    return content
