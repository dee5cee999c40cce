"""Reading policy versions: the public interface other apps (consent records, feeds) rely on."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import PolicyPage, PolicyVersion

if TYPE_CHECKING:
    from wagtail.models import Revision


def policy_versions_in_force(at: datetime.datetime | None = None) -> list[PolicyVersion]:
    """The version of each live policy page that the public was shown at ``at`` (default: now).

    A version is in force from the moment it was published (scheduled versions are published on
    their effective date) until the next one is. One query, whatever the number of policies.
    """
    at = at or timezone.now()
    latest_number = (
        PolicyVersion.objects.filter(page=OuterRef("page"), published_at__lte=at)
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        PolicyVersion.objects.filter(page__live=True, published_at__lte=at, number=Subquery(latest_number))
        .select_related("page")
        # Every consent POST calls this: leave the frozen texts and snapshots (tens of KB each) unread.
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("page__path")
    )


def latest_material_versions() -> list[PolicyVersion]:
    """The latest published material version of each live policy (one query, a row per policy at most)."""
    latest_number = (
        PolicyVersion.objects.filter(
            page=OuterRef("page"), is_material_change=True, published_at__lte=timezone.now()
        )
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        PolicyVersion.objects.filter(page__live=True, number=Subquery(latest_number))
        .select_related("page")
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("published_at")
    )


def current_version(page: PolicyPage) -> PolicyVersion | None:
    """The latest published version of one policy (one query)."""
    return (
        PolicyVersion.objects.filter(page_id=page.pk)
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("-number")
        .first()
    )


def upcoming_revision(page: PolicyPage) -> Revision | None:
    """The approved revision waiting for its go-live date, if any (one query)."""
    if not page.pk:
        return None
    return page.revisions.filter(approved_go_live_at__isnull=False).order_by("-created_at").first()
