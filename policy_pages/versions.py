"""Reading policy versions: the public interface other apps (consent records, feeds) rely on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from languages.locales import language_of
from site_data.generation import shared_per_generation

from .models import PolicyPage, PolicyVersion

if TYPE_CHECKING:
    from wagtail.models import Revision


def in_language(versions: list[PolicyVersion], language: str | None) -> list[PolicyVersion]:
    """One version per policy as a visitor of ``language`` reads it, in the given order.

    A policy's translations share a Wagtail ``translation_key``: its version in ``language`` if it
    has one, else the default language's (what an untranslated policy falls back to). ``None``
    keeps every version.
    """
    if language is None:
        return versions
    groups: dict[object, list[PolicyVersion]] = {}
    for version in versions:
        groups.setdefault(version.page.translation_key, []).append(version)

    def rank(version: PolicyVersion) -> int:
        own = version.language or settings.LANGUAGE_CODE
        return 0 if own == language else 1 if own == settings.LANGUAGE_CODE else 2

    chosen = {id(min(group, key=rank)) for group in groups.values()}
    return [version for version in versions if id(version) in chosen]


def policy_versions_in_force(
    at: datetime.datetime | None = None, language: str | None = None
) -> list[PolicyVersion]:
    """The version of each live policy page that the public was shown at ``at`` (default: now).

    A version is in force from the moment it was published (scheduled versions are published on
    their effective date) until the next one is. With ``language``, one per policy as readers of
    that language saw it (``in_language``). One query, whatever the number of policies.
    """
    at = at or timezone.now()
    latest_number = (
        PolicyVersion.objects.filter(page=OuterRef("page"), published_at__lte=at)
        .order_by("-number")
        .values("number")[:1]
    )
    versions = list(
        PolicyVersion.objects.filter(page__live=True, published_at__lte=at, number=Subquery(latest_number))
        .select_related("page")
        # Every consent POST calls this: leave the frozen texts and snapshots (tens of KB each) unread.
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("page__path")
    )
    return in_language(versions, language)


def latest_material_versions(language: str | None = None) -> list[PolicyVersion]:
    """The latest published material version of each live policy (one query, a row per policy at most).

    With ``language``: one per policy, in that language where it is translated (``in_language``).
    """
    latest_number = (
        PolicyVersion.objects.filter(
            page=OuterRef("page"), is_material_change=True, published_at__lte=timezone.now()
        )
        .order_by("-number")
        .values("number")[:1]
    )
    versions = list(
        PolicyVersion.objects.filter(page__live=True, number=Subquery(latest_number))
        .select_related("page")
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("published_at")
    )
    return in_language(versions, language)


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


def in_force(page: PolicyPage) -> tuple[PolicyVersion | None, Revision | None]:
    """``current_version`` and ``upcoming_revision`` of a page, shared per worker until the site
    changes (a publish, or scheduling a go-live, bumps it). Read-only."""
    return shared_per_generation(
        f"policy_pages.in_force:{page.pk}", lambda: (current_version(page), upcoming_revision(page))
    )


@dataclass(frozen=True)
class TranslationLag:
    """A translation whose source (default-language) policy has a newer material version."""

    translated_from: PolicyVersion | None  # the source version the translation's current one followed
    newer_source: PolicyVersion  # the latest material source version it has not followed

    @property
    def source_url(self) -> str:
        return self.newer_source.get_absolute_url()


def translation_lag(page: PolicyPage) -> TranslationLag | None:
    """Whether ``page``, a translation, is behind a material change of its source (two queries).

    Wording fixes of the source are not reported: only versions marked as material changes.
    """
    if not page.pk or language_of(page) == settings.LANGUAGE_CODE:
        return None
    current = (
        PolicyVersion.objects.filter(page_id=page.pk)
        .select_related("translates")
        .only("number", "translates__number", "translates__page_id")
        .order_by("-number")
        .first()
    )
    translated_from = current.translates if current else None
    newer = (
        PolicyVersion.objects.filter(
            page__translation_key=page.translation_key,
            page__locale__language_code=settings.LANGUAGE_CODE,
            is_material_change=True,
            published_at__lte=timezone.now(),
            number__gt=translated_from.number if translated_from else 0,
        )
        .select_related("page")
        .defer("body_html", "body_text", "summary_html", "registry_snapshot", "workflow_history")
        .order_by("-number")
        .first()
    )
    if newer is None:
        return None
    return TranslationLag(translated_from=translated_from, newer_source=newer)
