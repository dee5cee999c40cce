"""How a change went live: the approval route recorded on policy *and* registry versions.

Lives in the registry app (below ``policy_pages``) so both kinds of version read one set of rules:
approved in Legal review, published directly (a bypass keeps the submitter), scheduled, imported.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import TaskState, WorkflowState

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from wagtail.models import Revision


class ApprovalRoute(models.TextChoices):
    """How a version went live, as it happened (shown and filtered in the versions reports)."""

    REVIEW = "review", _("Approved in Legal review")
    DIRECT = "direct", _("Published directly")
    SCHEDULED = "scheduled", _("Scheduled")
    IMPORTED = "imported", _("Imported")


class ApprovalRecord(models.Model):
    """Who submitted and who approved a version, when, and by which route (``route_fields()``)."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_name = models.CharField(_("submitted by"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.CharField(_("approved by"), max_length=255, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    workflow_history = models.JSONField(
        default=list, blank=True, help_text=_("Each workflow task: who acted, what they did, when, comment.")
    )
    approval_route = models.CharField(
        _("route"),
        max_length=20,
        choices=ApprovalRoute.choices,
        blank=True,
        help_text=_("How it went live. Empty on versions recorded before routes were."),
    )

    class Meta:
        abstract = True


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


def bypassed_workflow_state(
    revision: Revision, since: datetime.datetime | None = None
) -> WorkflowState | None:
    """The review this publish cut short: the object's latest unapproved workflow since ``since``
    (the object's previous version, so an old abandoned review is not claimed)."""
    states = WorkflowState.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_CANCELLED],
        created_at__lte=revision.created_at,
    )
    if since is not None:
        states = states.filter(created_at__gt=since)
    return states.select_related("requested_by").order_by("-created_at").first()


def workflow_record(revision: Revision, since: datetime.datetime | None = None) -> dict[str, Any]:
    """Who submitted and who approved, by which route, with each task's history (the legal record)."""
    workflow_state = approving_workflow_state(revision)
    scheduled = revision.approved_go_live_at is not None
    if workflow_state is None:
        # Published by someone with publish permission without an approval. If an editor had submitted
        # this change for review (the reviewer pressed Publish instead of Approve), keep the submitter.
        bypassed = bypassed_workflow_state(revision, since)
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


def route_fields(record: dict[str, Any]) -> dict[str, Any]:
    """``workflow_record()`` as the model fields both version models share."""
    return {
        "submitted_by": record["submitted_by"],
        "submitted_by_name": display_name(record["submitted_by"]),
        "submitted_at": record["submitted_at"],
        "approved_by": record["approved_by"],
        "approved_by_name": display_name(record["approved_by"]),
        "approved_at": record["approved_at"],
        "workflow_history": record["workflow_history"],
        "approval_route": record["route"],
    }


__all__ = [
    "ApprovalRecord",
    "ApprovalRoute",
    "approving_workflow_state",
    "bypassed_workflow_state",
    "display_name",
    "route_fields",
    "workflow_record",
]
