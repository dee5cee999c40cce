"""Writing proof of consent: one append-only ConsentRecord per choice, with its links, atomically."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import router, transaction
from django.utils import timezone

from cookie_registry.models import RegistryVersion
from evidence.chain import LinkRows, append_in_one_statement

from .models import ConsentAction, ConsentRecord, ConsentRecordPolicyVersion


def new_consent_id() -> str:
    """A random, unguessable pseudonym (32 URL-safe characters) for a visitor's consent history."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class PolicyVersionReference:
    """What a consent record keeps about one policy in force: enough to find and cite the text."""

    version_id: int  # policy_pages.models.PolicyVersion
    title: str
    number: int
    effective_date: datetime.date | None
    url: str
    language: str = ""

    def as_json(self) -> dict[str, Any]:
        data = {
            "title": self.title,
            "number": self.number,
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
            "url": self.url,
        }
        if self.language:
            data["language"] = self.language
        return data


def record_consent(
    *,
    consent_id: str,
    action: ConsentAction,
    requested_action: str,
    granted: frozenset[str],
    refused: frozenset[str],
    registry_version: RegistryVersion,
    policy_versions: Sequence[PolicyVersionReference],
    gpc: bool,
    ip_network: str,
    user_agent_family: str,
    lifetime_days: int,
    created_at: datetime.datetime | None = None,
    language: str = "",
) -> ConsentRecord:
    """Store one choice and its links to the policy versions in force, all or nothing."""
    created_at = created_at or timezone.now()
    record = ConsentRecord(
        consent_id=consent_id,
        created_at=created_at,
        expires_at=created_at + datetime.timedelta(days=lifetime_days),
        action=action,
        requested_action=requested_action,
        granted=sorted(granted),
        refused=sorted(refused),
        registry_version=registry_version,
        registry_version_number=registry_version.number,
        policy_versions_snapshot=[reference.as_json() for reference in policy_versions],
        gpc=gpc,
        ip_network=ip_network,
        user_agent_family=user_agent_family,
        language=language,
    )
    using = router.db_for_write(ConsentRecord)
    links = LinkRows(
        ConsentRecordPolicyVersion, "record", "policy_version", [ref.version_id for ref in policy_versions]
    )
    # SQLite serialises writers itself (transaction_mode IMMEDIATE and a busy timeout, cms/settings).
    with transaction.atomic(using=using):
        # PostgreSQL: one statement while the chain is locked; elsewhere (or for the very first
        # record, which creates the chain's head) the ordinary save and insert.
        if not append_in_one_statement(record, links, using=using):
            record.save(using=using)
            link_policy_versions(record, policy_versions, using=using)
    return record


def link_policy_versions(
    record: ConsentRecord, policy_versions: Sequence[PolicyVersionReference], using: str
) -> None:
    """Protected links from the record to the exact policy versions in force."""
    ConsentRecordPolicyVersion.objects.using(using).bulk_create(
        [
            ConsentRecordPolicyVersion(record=record, policy_version_id=reference.version_id)
            for reference in policy_versions
        ]
    )
