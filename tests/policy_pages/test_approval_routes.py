"""Approvals recorded as they happened: review, direct publish (keeping a bypassed submitter), scheduled."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from cookie_registry.approval_routes import ApprovalRoute

from .conftest import edit_form_data
from .test_admin_workflow import edit_url, today


def submit_as(client, user, page, summary: str) -> None:
    client.force_login(user)
    data = edit_form_data(page, effective_date=today(), change_summary=summary)
    data["action-submit"] = "action-submit"
    assert client.post(edit_url(page), data).status_code == 302


def test_approved_in_legal_review(client, editor, legal_reviewer, published_policy):
    from wagtail.models import WorkflowState

    submit_as(client, editor, published_policy, "Reviewed change.")
    state = WorkflowState.objects.get(object_id=str(published_policy.pk), status="in_progress")
    client.force_login(legal_reviewer)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[published_policy.pk, "approve", state.current_task_state.pk],
    )
    client.post(approve_url, {"comment": "ok"})
    version = published_policy.versions.get(number=2)
    assert version.approval_route == ApprovalRoute.REVIEW
    assert (version.submitted_by, version.approved_by) == (editor, legal_reviewer)


def test_published_directly_without_review(client, legal_reviewer, published_policy):
    client.force_login(legal_reviewer)
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Typo.")
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(published_policy), data).status_code == 302
    version = published_policy.versions.get(number=2)
    assert version.approval_route == ApprovalRoute.DIRECT
    assert version.approved_by == legal_reviewer and version.submitted_by is None


def test_a_reviewer_publishing_a_submitted_change_keeps_the_submitter(
    client, editor, legal_reviewer, published_policy
):
    submit_as(client, editor, published_policy, "Editor's change.")
    client.force_login(legal_reviewer)
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Editor's change.")
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(published_policy), data).status_code == 302
    version = published_policy.versions.get(number=2)
    assert version.approval_route == ApprovalRoute.DIRECT  # Publish, not Approve: a bypass, said as such
    assert version.submitted_by == editor and version.submitted_by_name == "eddie"
    assert version.approved_by == legal_reviewer


def test_a_scheduled_version_says_so(published_policy):
    from django.core.management import call_command

    go_live = timezone.now() - datetime.timedelta(minutes=1)
    published_policy.change_summary = "Scheduled change."
    published_policy.effective_date = timezone.localdate()
    revision = published_policy.save_revision(approved_go_live_at=go_live)
    revision.publish()  # in the past: Wagtail publishes at once; else publish_scheduled does it
    call_command("publish_scheduled", verbosity=0)
    version = published_policy.versions.order_by("-number").first()
    assert version.number == 2 and version.approval_route == ApprovalRoute.SCHEDULED


def test_the_report_shows_and_filters_the_route(admin_client, published_policy):
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Direct change.")
    data["action-publish"] = "action-publish"
    admin_client.post(edit_url(published_policy), data)
    direct = admin_client.get(
        "/admin/reports/policy-versions/results/?approval_route=direct"
    ).content.decode()
    assert "Direct change." in direct and "Published directly" in direct
    review = admin_client.get(
        "/admin/reports/policy-versions/results/?approval_route=review"
    ).content.decode()
    assert "Direct change." not in review
    export = b"".join(
        admin_client.get("/admin/reports/policy-versions/?export=csv").streaming_content
    ).decode()
    assert ",Route," in export.splitlines()[0]
