"""What a policy version's chain hash covers. Never change it: every stored hash depends on it.

Plain attribute access only, so the migration that links existing rows can use it on historical models.
"""

from __future__ import annotations

from typing import Any

from evidence.canonical import canonical_date, canonical_datetime


def policy_version_content(version: Any) -> dict[str, Any]:
    content = {
        "page_id": version.page_id,
        "number": version.number,
        "revision_id": version.revision_id,
        "title": version.title,
        "effective_date": canonical_date(version.effective_date),
        "published_at": canonical_datetime(version.published_at),
        "change_summary": version.change_summary,
        "is_material_change": bool(version.is_material_change),
        "summary_html": version.summary_html,
        "table_of_contents": version.table_of_contents,
        "body_html": version.body_html,
        "body_text": version.body_text,
        "content_sha256": version.content_sha256,
        "registry_snapshot": version.registry_snapshot,
        "submitted_by_name": version.submitted_by_name,
        "submitted_at": canonical_datetime(version.submitted_at),
        "approved_by_name": version.approved_by_name,
        "approved_at": canonical_datetime(version.approved_at),
        "workflow_history": version.workflow_history,
    }
    # Recorded from issue 10 on; absent (not empty) in older rows so their hashes stay valid.
    if getattr(version, "approval_route", ""):
        content["approval_route"] = version.approval_route
    return content
