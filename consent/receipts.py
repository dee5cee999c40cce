"""Consent receipts (ISO/IEC TS 27560 fields in W3C DPV terms, JSON-LD) and their verification.

A receipt carries the record's exact chain content and hashes, so anyone can recompute its hash; the
public verify page also compares it with the stored record and its neighbours in the chain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from evidence.canonical import GENESIS_HASH, canonical_datetime, link_hash
from evidence.models import ChainCheckpoint

from .models import ConsentAction, ConsentRecord

RECEIPT_MAX_BYTES = 64 * 1024
CHAIN = ConsentRecord.evidence_chain_name()
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
JSONLD_CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CONFORMS_TO = "ISO/IEC TS 27560:2023 consent record information structure; W3C DPV 2.0"


def consent_status(action: str) -> str:
    if action == ConsentAction.WITHDRAW:
        return "dpv:ConsentWithdrawn"
    if action == ConsentAction.REJECT_ALL:
        return "dpv:ConsentRefused"
    return "dpv:ConsentGiven"


def _category_names(record: ConsentRecord, versions: list[Any]) -> dict[str, str]:
    """Category names as the visitor read them, in the record's language.

    A policy version in force of that language froze the whole published registry as its readers saw
    it (translated wording included); otherwise the registry version's snapshot, translated where it
    can be.
    """
    from cookie_registry.snapshot import RegistrySnapshot

    language = record.language or None
    frozen = [v.registry_snapshot for v in versions if v.language == language and v.registry_snapshot]
    data = frozen[0] if frozen else record.registry_version.snapshot
    snapshot = RegistrySnapshot.from_data(data).localized(language)
    return {category.key: category.name for category in snapshot.categories if category.key}


def _controller(organisation: Any) -> dict[str, Any]:
    controller: dict[str, Any] = {"@type": "dpv:DataController"}
    if organisation is not None:
        controller["schema:name"] = organisation.legal_name
        if organisation.address:
            controller["schema:address"] = organisation.address
        if organisation.contact_email:
            controller["schema:email"] = organisation.contact_email
        if organisation.website:
            controller["schema:url"] = organisation.website
    return controller


def build_receipt(record: ConsentRecord, *, organisation: Any = None, base_url: str = "") -> dict[str, Any]:
    """One record as a receipt; ``evidence`` holds what the chain hash covers, byte for byte."""
    versions = list(record.policy_versions.order_by("page_id"))
    names = _category_names(record, versions)
    purposes = [
        {
            "@type": "dpv:Purpose",
            "dct:identifier": key,
            "dct:title": names.get(key, key),
            "dpv:hasConsentStatus": "dpv:ConsentGiven" if key in record.granted else "dpv:ConsentRefused",
        }
        for key in [*record.granted, *record.refused]
    ]
    notices = [
        {
            "@type": "dpv:PrivacyNotice",
            "dct:title": version.title,
            "dct:hasVersion": version.number,
            "dct:valid": version.effective_date.isoformat(),
            "schema:url": base_url + item_url if (item_url := _safe_url(version)) else "",
            "content_sha256": version.content_sha256,
            "chain_hash": version.chain_hash,
        }
        for version in versions
    ]
    registry = record.registry_version
    return {
        "@context": JSONLD_CONTEXT,
        "@id": f"urn:sha256:{record.chain_hash}",
        "@type": "dpv:ConsentRecord",
        "dct:conformsTo": CONFORMS_TO,
        "dct:created": canonical_datetime(record.created_at),
        "dpv:hasExpiryTime": canonical_datetime(record.expires_at),
        "dpv:hasDataController": _controller(organisation),
        "dpv:hasDataSubject": {"@type": "dpv:DataSubject", "dct:identifier": record.consent_id},
        "dpv:hasConsentStatus": consent_status(record.action),
        **({"dct:language": record.language} if record.language else {}),
        "action": record.action,
        "granted": list(record.granted),
        "refused": list(record.refused),
        "dpv:hasPurpose": purposes,
        "dpv:hasNotice": notices,
        "cookie_registry": {"version": registry.number, "chain_hash": registry.chain_hash},
        "gpc": record.gpc,
        "evidence": {
            "chain": CHAIN,
            "sequence": record.chain_sequence,
            "previous_hash": record.previous_hash,
            "chain_hash": record.chain_hash,
            "content": record.evidence_content(),
            "hash_rule": (
                'SHA-256 of canonical JSON (sorted keys, no whitespace, UTF-8) of {"chain", "sequence", '
                '"previous_hash", "content"}'
            ),
            "verify_url": f"{base_url}/consent/verify/",
            "digests_url": f"{base_url}/evidence/digests/",
        },
    }


def _safe_url(version: Any) -> str:
    try:
        return version.get_absolute_url() or ""
    except Exception:  # a page without a site has no URL; the receipt still names the version
        return ""


# --- Verification ---------------------------------------------------------------------------------


@dataclass
class ReceiptCheck:
    verified: bool
    reason: str
    sequence: int | None = None
    record: ConsentRecord | None = None
    details: list[str] = field(default_factory=list)


class ReceiptRejected(Exception):
    """The submitted text cannot be checked at all (too large, not JSON, not a receipt)."""


def parse_receipts(raw: bytes | str) -> list[dict[str, Any]]:
    """The receipts in a pasted or uploaded document: one receipt, or the download's ``@graph``."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="replace")
    if len(raw) > RECEIPT_MAX_BYTES:
        raise ReceiptRejected(str(_("The receipt is larger than 64 KB, so it is not one of ours.")))
    if not raw.strip():
        raise ReceiptRejected(str(_("Paste a receipt or choose a receipt file.")))
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReceiptRejected(str(_("The receipt is not valid JSON (is it complete?)."))) from None
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        receipts = document["@graph"]
    else:
        receipts = [document]
    if not receipts or len(receipts) > 200 or not all(isinstance(item, dict) for item in receipts):
        raise ReceiptRejected(str(_("This is not a consent receipt from this site.")))
    return receipts


def _evidence_of(receipt: dict[str, Any]) -> tuple[int, str, str, dict[str, Any]]:
    evidence = receipt.get("evidence")
    if not isinstance(evidence, dict) or evidence.get("chain") != CHAIN:
        raise ReceiptRejected(str(_("This is not a consent receipt from this site (no evidence section).")))
    sequence, previous, own, content = (
        evidence.get("sequence"),
        evidence.get("previous_hash"),
        evidence.get("chain_hash"),
        evidence.get("content"),
    )
    if (
        not isinstance(sequence, int)
        or isinstance(sequence, bool)
        or sequence < 1
        or not isinstance(previous, str)
        or not isinstance(own, str)
        or not HASH_PATTERN.match(previous)
        or not HASH_PATTERN.match(own)
        or not isinstance(content, dict)
    ):
        raise ReceiptRejected(str(_("The receipt's evidence section is incomplete or malformed.")))
    return sequence, previous, own, content


def _readable_fields_mismatch(receipt: dict[str, Any], content: dict[str, Any]) -> list[str]:
    expected = {
        "granted": content.get("granted"),
        "refused": content.get("refused"),
        "action": content.get("action"),
        "dct:created": content.get("created_at"),
        "gpc": content.get("gpc"),
    }
    changed = [name for name, value in expected.items() if receipt.get(name) != value]
    subject = receipt.get("dpv:hasDataSubject")
    if not isinstance(subject, dict) or subject.get("dct:identifier") != content.get("consent_id"):
        changed.append("dpv:hasDataSubject")
    return changed


def verify_receipt(receipt: dict[str, Any]) -> ReceiptCheck:
    """Does this receipt match its own hash, the stored record and the stored record's neighbours?"""
    try:
        sequence, previous, own, content = _evidence_of(receipt)
    except ReceiptRejected as rejected:
        return ReceiptCheck(False, str(rejected))
    if link_hash(CHAIN, sequence, previous, content) != own:
        return ReceiptCheck(
            False, str(_("The receipt was altered: its content does not match its own hash.")), sequence
        )
    changed = _readable_fields_mismatch(receipt, content)
    if changed:
        return ReceiptCheck(
            False,
            str(_("The receipt was altered: its readable fields differ from its hashed content.")),
            sequence,
            details=changed,
        )
    stored = ConsentRecord.objects.filter(chain_sequence=sequence).select_related("registry_version").first()
    if stored is None:
        purged = ChainCheckpoint.objects.filter(
            chain=CHAIN, first_sequence__lte=sequence, sequence__gte=sequence
        ).first()
        if purged is not None:
            return ReceiptCheck(
                False,
                str(
                    _(
                        "The record was deleted at the end of its retention period (%(date)s); "
                        "the chain still proves that a record existed at this position."
                    )
                    % {"date": f"{purged.created_at:%Y-%m-%d}"}
                ),
                sequence,
            )
        return ReceiptCheck(False, str(_("No consent record is stored at this position.")), sequence)
    if stored.chain_hash != own or stored.previous_hash != previous:
        return ReceiptCheck(
            False, str(_("The receipt does not match the stored record (a forged receipt?).")), sequence
        )
    if link_hash(CHAIN, sequence, stored.previous_hash, stored.evidence_content()) != stored.chain_hash:
        return ReceiptCheck(
            False,
            str(_("The stored record no longer matches its hash: it was changed after this receipt.")),
            sequence,
            stored,
        )
    neighbour_fault = _neighbour_fault(stored)
    if neighbour_fault:
        return ReceiptCheck(False, neighbour_fault, sequence, stored)
    return ReceiptCheck(
        True,
        str(_("Verified: this receipt matches the stored record and its place in the chain.")),
        sequence,
        stored,
    )


def _neighbour_fault(stored: ConsentRecord) -> str:
    sequence = stored.chain_sequence
    if sequence is None:
        raise ValueError("Only records found by their chain position can be checked.")
    before = ConsentRecord.objects.filter(chain_sequence=sequence - 1).values_list("chain_hash", flat=True)
    before_hash = before.first()
    if before_hash is None:
        checkpoint = ChainCheckpoint.objects.filter(chain=CHAIN, sequence=sequence - 1).first()
        before_hash = checkpoint.chain_hash if checkpoint else (GENESIS_HASH if sequence == 1 else None)
    if before_hash != stored.previous_hash:
        return str(_("The record is not linked to the record before it: the chain was broken."))
    after = ConsentRecord.objects.filter(chain_sequence=sequence + 1).values_list("previous_hash", flat=True)
    after_hash = after.first()
    if after_hash is not None and after_hash != stored.chain_hash:
        return str(_("The record after this one does not link to it: the chain was broken."))
    return ""
