"""Turn an *undeclared* finding into a draft cookie: a new revision of the category, never published.

The registry's live rows stay as they are; the editor reviews the draft and submits it to Legal review.
"""

from __future__ import annotations

import re

from django.db import transaction

from cookie_registry.models import Cookie, CookieCategory, DurationUnit, Party, Provider

from .known_cookies import all_rows, lookup
from .models import ScanFinding

RETENTION = re.compile(r"^\s*(\d+)\s*(day|month|year)s?\s*$", re.IGNORECASE)


def duration_for(finding: ScanFinding, retention: str = "") -> tuple[str, int | None]:
    """The declared duration to propose: the known cookie's, else what the scan saw, else session."""
    match = RETENTION.match(retention or "")
    if match:
        return {"day": DurationUnit.DAYS, "month": DurationUnit.MONTHS, "year": DurationUnit.YEARS}[
            match.group(2).lower()
        ], int(match.group(1))
    days = (finding.evidence or {}).get("expires_in_days")
    if isinstance(days, int | float) and days >= 1:
        return DurationUnit.DAYS, min(int(round(days)), 10_000)
    return DurationUnit.SESSION, None


def proposed_cookie(finding: ScanFinding) -> Cookie:
    row = lookup(finding.name, all_rows())
    unit, value = duration_for(finding, row.retention if row else "")
    provider_name = finding.suggested_provider
    provider = Provider.objects.filter(name__iexact=provider_name).first() if provider_name else None
    domain = (finding.evidence or {}).get("domain", "")
    purpose = (
        row.description
        if row and row.description
        else f"Found by the cookie scanner on {finding.page or 'the site'}: describe its purpose."
    )
    return Cookie(
        name=finding.name,
        provider=provider,
        domain="" if not domain or domain.lstrip(".") in {"127.0.0.1", "localhost"} else domain,
        party=Party.THIRD if provider is not None else Party.FIRST,
        purpose=purpose[:400],
        duration_unit=unit,
        duration_value=value,
        storage_type=finding.storage_type or "cookie",
    )


@transaction.atomic
def add_draft_cookie(finding: ScanFinding, category: CookieCategory, user) -> CookieCategory:
    """Save a draft revision of ``category`` (its latest draft, if any) with the finding's cookie added."""
    draft = category.get_latest_revision_as_object()
    if any(cookie.name == finding.name for cookie in draft.cookies.all()):
        return draft
    cookie = proposed_cookie(finding)
    cookie.sort_order = len(draft.cookies.all())
    draft.cookies.add(cookie)
    draft.save_revision(user=user, log_action=True)
    return draft
