"""Freezing a published policy into an immutable :class:`PolicyVersion`.

Runs from Wagtail's ``page_published`` signal, which fires for every way a page goes live: the
Publish button, a workflow approval, and ``manage.py publish_scheduled`` for scheduled revisions.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.models import TaskState, WorkflowState

from cookie_registry.blocks import ANCHORS_CONTEXT_KEY

from .models import ApprovalRoute, PolicyPage, PolicyVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from wagtail.models import Revision, WorkflowState

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
    """The summary, table of contents and body exactly as the public page renders them."""
    request = request or public_request_for(page)
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


def display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def approving_workflow_state(revision: Revision) -> WorkflowState | None:
    """The approved workflow run that led to this revision being published, if there was one."""
    task_state = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .select_related("workflow_state")
        .order_by("-finished_at")
        .first()
    )
    return task_state.workflow_state if task_state else None


def workflow_record(revision: Revision) -> dict[str, Any]:
    """Who submitted and who approved, by which route, with each task's history (the legal record)."""
    workflow_state = approving_workflow_state(revision)
    scheduled = revision.approved_go_live_at is not None
    if workflow_state is None:
        # Published by someone with publish permission without an approval. If an editor had submitted
        # this change for review (the reviewer pressed Publish instead of Approve), keep the submitter.
        bypassed = bypassed_workflow_state(revision)
        return {
            "submitted_by": bypassed.requested_by if bypassed else None,
            "submitted_at": bypassed.created_at if bypassed else None,
            "approved_by": revision.user,
            "approved_at": timezone.now(),
            "workflow_history": [],
            "route": ApprovalRoute.SCHEDULED if scheduled else ApprovalRoute.DIRECT,
        }
    task_states = list(
        workflow_state.task_states.select_related("task", "finished_by").order_by("started_at", "id")
    )
    history = [
        {
            "task": state.task.name,
            "status": state.status,
            "revision_id": state.revision_id,
            "started_at": state.started_at.isoformat() if state.started_at else None,
            "finished_at": state.finished_at.isoformat() if state.finished_at else None,
            "finished_by": display_name(state.finished_by),
            "comment": state.comment,
        }
        for state in task_states
    ]
    approvals = [state for state in task_states if state.status == TaskState.STATUS_APPROVED]
    last_approval = approvals[-1] if approvals else None
    return {
        "submitted_by": workflow_state.requested_by,
        "submitted_at": workflow_state.created_at,
        "approved_by": last_approval.finished_by if last_approval else revision.user,
        "approved_at": last_approval.finished_at if last_approval else timezone.now(),
        "workflow_history": history,
        "route": ApprovalRoute.SCHEDULED if scheduled else ApprovalRoute.REVIEW,
    }


def bypassed_workflow_state(revision: Revision) -> WorkflowState | None:
    """The review this publish cut short: the object's latest unapproved workflow since its last version."""
    states = WorkflowState.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_CANCELLED],
        created_at__lte=revision.created_at,
    )
    last_version = PolicyVersion.objects.filter(page_id=int(revision.object_id)).order_by("-number").first()
    if last_version is not None:
        states = states.filter(created_at__gt=last_version.published_at)
    return states.select_related("requested_by").order_by("-created_at").first()


def freeze_policy_version(page: PolicyPage, revision: Revision) -> PolicyVersion:
    """Create the next version of ``page`` from the revision that has just gone live."""
    from cookie_registry.versioning import registry_snapshot

    existing = PolicyVersion.objects.filter(page=page, revision=revision).first()
    if existing is not None:  # the same revision published twice (e.g. a retried task)
        return existing

    published_at = page.last_published_at or timezone.now()
    effective_date = page.effective_date or timezone.localdate(published_at)
    rendered = render_policy_content(page)
    workflow = workflow_record(revision)
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
                    change_summary=page.change_summary.strip()
                    or ("First published version." if number == 1 else ""),
                    is_material_change=page.is_material_change,
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
                    submitted_by=workflow["submitted_by"],
                    submitted_by_name=display_name(workflow["submitted_by"]),
                    submitted_at=workflow["submitted_at"],
                    approved_by=workflow["approved_by"],
                    approved_by_name=display_name(workflow["approved_by"]),
                    approved_at=workflow["approved_at"],
                    workflow_history=workflow["workflow_history"],
                    approval_route=workflow["route"],
                )
        except IntegrityError:  # a concurrent publish took this number; take the next one
            continue
    raise IntegrityError(f"Could not number a new version of {page}")


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
