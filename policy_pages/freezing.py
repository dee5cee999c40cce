"""Freezing a published policy into an immutable :class:`PolicyVersion`.

Runs from Wagtail's ``page_published`` signal, which fires for every way a page goes live: the
Publish button, a workflow approval, and ``manage.py publish_scheduled`` for scheduled revisions.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from cookie_registry.approval_routes import route_fields
from cookie_registry.approval_routes import workflow_record as registry_workflow_record
from cookie_registry.blocks import ANCHORS_CONTEXT_KEY

from .models import PolicyPage, PolicyVersion

if TYPE_CHECKING:
    from wagtail.models import Revision

    from cookie_registry.versioning import RecordedRegistryChange

BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|tr|table|ul|ol|div|address|section|caption)>|<br\s*/?>", re.IGNORECASE
)
CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)


def public_request_for(page: PolicyPage) -> HttpRequest:
    """A request as an anonymous visitor of the page's site would make it, for rendering."""
    request = HttpRequest()
    site = page.get_site()
    hostname = site.hostname if site else "localhost"
    request.META.update({"SERVER_NAME": hostname, "SERVER_PORT": str(site.port if site else 80)})
    request.META["HTTP_HOST"] = hostname
    request.path = request.path_info = page.url or "/"
    request.user = AnonymousUser()
    return request


def render_policy_content(page: PolicyPage, request: HttpRequest | None = None) -> dict[str, Any]:
    """The summary, table of contents and body exactly as the public page renders them.

    Without a request (publishing), in the page's own language, whatever the editor's admin language.
    """
    if request is None:
        with translation.override(page.locale.language_code):
            return render_policy_content(page, public_request_for(page))
    context = {"page": page, "self": page, ANCHORS_CONTEXT_KEY: set()}
    return {
        "summary_html": render_to_string(
            "policy_pages/includes/summary.html", context, request=request
        ).strip(),
        "table_of_contents": page.table_of_contents(),
        "body_html": render_to_string("policy_pages/includes/body.html", context, request=request).strip(),
    }


def html_to_text(fragment: str) -> str:
    """Readable plain text: one line per paragraph, heading, list item or table row."""
    text = CELL_END.sub("\t", fragment)
    text = BLOCK_END.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def content_digest(title: str, effective_date: str, summary_html: str, body_html: str) -> str:
    """SHA-256 over a canonical JSON document of what the public read (reproducible by anyone)."""
    document = json.dumps(
        {
            "title": title,
            "effective_date": effective_date,
            "summary_html": summary_html,
            "body_html": body_html,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def workflow_record(revision: Revision) -> dict[str, Any]:
    """The route of a page revision; a cut-short review counts only since the page's last version."""
    last_version = PolicyVersion.objects.filter(page_id=int(revision.object_id)).order_by("-number").first()
    return registry_workflow_record(revision, last_version.published_at if last_version else None)


def freeze_policy_version(page: PolicyPage, revision: Revision) -> PolicyVersion:
    """Create the next version of ``page`` from the revision that has just gone live."""
    existing = PolicyVersion.objects.filter(page=page, revision=revision).order_by("-number").first()
    if existing is not None:  # the same revision published twice (e.g. a retried task)
        return existing

    published_at = page.last_published_at or timezone.now()
    effective_date = page.effective_date or timezone.localdate(published_at)
    rendered = render_policy_content(page)
    return _create_version(
        page,
        revision=revision,
        effective_date=effective_date,
        published_at=published_at,
        rendered=rendered,
        change_summary=lambda number: (
            page.change_summary.strip() or ("First published version." if number == 1 else "")
        ),
        is_material_change=page.is_material_change,
        route=route_fields(workflow_record(revision)),
    )


def _create_version(
    page: PolicyPage,
    *,
    revision: Revision,
    effective_date: datetime.date,
    published_at: datetime.datetime,
    rendered: dict[str, Any],
    change_summary: Callable[[int], str],
    is_material_change: bool,
    route: dict[str, Any],
) -> PolicyVersion:
    """The next-numbered version of ``page`` holding ``rendered`` (retried if a concurrent one won)."""
    from cookie_registry.versioning import registry_snapshot

    for _attempt in range(3):
        number = (PolicyVersion.objects.filter(page=page).aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                return PolicyVersion.objects.create(
                    page=page,
                    number=number,
                    revision=revision,
                    title=page.title,
                    effective_date=effective_date,
                    published_at=published_at,
                    change_summary=change_summary(number),
                    is_material_change=is_material_change,
                    summary_html=rendered["summary_html"],
                    table_of_contents=rendered["table_of_contents"],
                    body_html=rendered["body_html"],
                    body_text=html_to_text(rendered["summary_html"] + "\n" + rendered["body_html"]),
                    content_sha256=content_digest(
                        page.title,
                        effective_date.isoformat(),
                        rendered["summary_html"],
                        rendered["body_html"],
                    ),
                    registry_snapshot=registry_snapshot(),
                    **route,
                )
        except IntegrityError:  # a concurrent publish took this number; take the next one
            continue
    raise IntegrityError(f"Could not number a new version of {page}")


def registry_change_summary(change: RecordedRegistryChange) -> str:
    """The change summary of a version created by a registry change: the registry diff, one per line."""
    lines = [item.text for item in change.changes]
    return "\n".join(["Cookie registry updated:", *lines] if lines else ["Cookie registry updated."])


def freeze_registry_change(change: RecordedRegistryChange) -> list[PolicyVersion]:
    """After a registry change: a new version of every live policy whose public text it changed.

    Compared by SHA-256 of the rendered summary and body (with the current version's title and date),
    so a change no policy shows (a category outside its tables, a field the tables leave out)
    creates nothing. Keeps the live page equal to its current archived version.
    """
    from .versions import current_version

    created = []
    pages = PolicyPage.objects.live().select_related("live_revision", "latest_revision")
    for page in pages:
        current = current_version(page)
        if current is None:  # never frozen: its first version comes from publishing (or the backfill)
            continue
        rendered = render_policy_content(page)
        digest = content_digest(
            current.title, current.effective_date.isoformat(), rendered["summary_html"], rendered["body_html"]
        )
        if digest == current.content_sha256 and page.title == current.title:
            continue
        revision = page.live_revision or page.latest_revision or page.save_revision(log_action=False)
        created.append(
            _create_version(
                page,
                revision=revision,
                effective_date=timezone.localdate(change.published_at),
                published_at=change.published_at,
                rendered=rendered,
                change_summary=lambda _number: registry_change_summary(change),
                is_material_change=change.asks_consent,
                route=change.route,
            )
        )
    return created


def backfill_policy_versions(
    using: str = "default", verbosity: int = 1, **kwargs: Any
) -> list[PolicyVersion]:
    """After ``migrate``: freeze a version of every live policy page that has none yet.

    Pages published before ``PolicyVersion`` existed (or created live without a publish, e.g. by a
    script) would otherwise have no archive and nothing for consent records to link to. A data
    migration cannot do this: freezing renders the page with the current templates and registry.
    Idempotent: a page with any version is left alone.
    """
    created = []
    pages = (
        PolicyPage.objects.using(using)
        .live()
        .exclude(pk__in=PolicyVersion.objects.using(using).values("page_id"))
        .select_related("live_revision", "latest_revision")
    )
    for page in pages:
        revision = page.live_revision or page.latest_revision or page.save_revision(log_action=False)
        created.append(freeze_policy_version(page, revision))
        if verbosity:
            print(f"Froze version 1 of the live policy page {page.title!r} (it had none).")
    return created


def on_page_published(sender: type, instance: PolicyPage, revision: Revision, **kwargs: Any) -> None:
    """Freeze the version only when the revision is really live (not merely scheduled)."""
    if not isinstance(instance, PolicyPage) or not instance.live or instance.live_revision_id != revision.pk:
        return
    freeze_policy_version(instance, revision)
