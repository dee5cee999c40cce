"""Which policy texts a visitor accepted: the policy versions in force when they chose."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch

from policy_pages.versions import policy_versions_in_force as published_policy_versions_in_force
from site_data.generation import shared_per_generation

from .models import ConsentRecord
from .recording import PolicyVersionReference


def policy_versions_in_force(language: str) -> tuple[PolicyVersionReference, ...]:
    """The published version of each live policy right now as ``language``'s visitors read it.

    Every consent POST needs this; it only changes when a policy is published or unpublished (which
    bumps the site generation), so each worker keeps it until then, as plain values, per language.
    """
    return shared_per_generation(
        f"consent.policy_versions_in_force:{language}", lambda: _load_policy_versions_in_force(language)
    )


def _load_policy_versions_in_force(language: str) -> tuple[PolicyVersionReference, ...]:
    references = []
    for version in published_policy_versions_in_force(language=language):
        try:
            url = version.get_absolute_url()
        except (TypeError, NoReverseMatch):  # a page with no URL (no site) must not lose the record
            url = ""
        references.append(
            PolicyVersionReference(
                version_id=version.pk,
                title=version.title,
                number=version.number,
                effective_date=version.effective_date,
                url=url or "",
                language=version.language or settings.LANGUAGE_CODE,
            )
        )
    return tuple(references)


def policy_version_links(record: ConsentRecord) -> list[dict[str, Any]]:
    """Title, number, effective date (a date) and current archive URL of each policy version a record points to.

    Follows the protected links (so the URL follows the page if it moved); falls back to the JSON copy
    kept on the record.
    """
    links = list(record.policy_versions.select_related("page").order_by("page__path"))
    if not links:
        return [
            {**item, "effective_date": _as_date(item.get("effective_date"))}
            for item in record.policy_versions_snapshot
        ]
    result = []
    for version in links:
        try:
            url = version.get_absolute_url()
        except (TypeError, NoReverseMatch):
            url = ""
        result.append(
            {
                "title": version.title,
                "number": version.number,
                "effective_date": version.effective_date,
                "url": url or "",
            }
        )
    return result


def _as_date(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
