"""Editors draft and submit; only legal reviewers approve and publish; versions are read-only in the admin."""

from __future__ import annotations

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState

from cookie_registry.models import CookieCategory
from policy_pages.models import PolicyPage

from .conftest import edit_form_data


def edit_url(page: PolicyPage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def legal_client(client, legal_reviewer):
    client.force_login(legal_reviewer)
    return client


def test_editor_cannot_publish_a_policy(editor_client, published_policy):
    assert 'name="action-publish"' not in editor_client.get(edit_url(published_policy)).content.decode()

    data = edit_form_data(published_policy, effective_date=today(), change_summary="Sneaky change")
    data["action-publish"] = "action-publish"
    editor_client.post(edit_url(published_policy), data)

    published_policy.refresh_from_db()
    assert published_policy.versions.count() == 1
    assert published_policy.has_unpublished_changes  # kept as a draft, not published


def test_submitting_requires_effective_date_and_change_summary(editor_client, published_policy):
    data = edit_form_data(published_policy)
    data["action-submit"] = "action-submit"
    response = editor_client.post(edit_url(published_policy), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["effective_date"] == [
        "Enter the date this version takes effect. It is required to publish."
    ]
    assert errors["change_summary"][0].startswith("Describe what changed and why.")
    assert not WorkflowState.objects.filter(object_id=str(published_policy.pk)).exists()


def test_drafts_may_omit_publishing_metadata(editor_client, published_policy):
    response = editor_client.post(edit_url(published_policy), edit_form_data(published_policy))
    assert response.status_code == 302
    published_policy.refresh_from_db()
    assert published_policy.has_unpublished_changes


@pytest.mark.parametrize(
    ("effective_date", "change_summary", "field", "message"),
    [
        (
            lambda: (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "Later",
            "effective_date",
            "The effective date is after the day this would go live",
        ),
        (
            lambda: (timezone.localdate() - datetime.timedelta(days=60)).isoformat(),
            "Backdated",
            "effective_date",
            "Version 1 took effect on",
        ),
        (
            today,
            "First published version.",
            "change_summary",
            "This is still the change summary of version 1.",
        ),
    ],
)
def test_publishing_metadata_must_make_sense(
    admin_client, published_policy, effective_date, change_summary, field, message
):
    data = edit_form_data(published_policy, effective_date=effective_date(), change_summary=change_summary)
    data["action-publish"] = "action-publish"
    response = admin_client.post(edit_url(published_policy), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert published_policy.versions.count() == 1


def test_editor_submits_and_legal_reviewer_approves(client, editor, legal_reviewer, published_policy):
    client.force_login(editor)
    data = edit_form_data(
        published_policy,
        effective_date=today(),
        change_summary="Explain consent by category.",
        is_material_change="on",
    )
    data["action-submit"] = "action-submit"
    assert client.post(edit_url(published_policy), data).status_code == 302
    workflow_state = WorkflowState.objects.get(object_id=str(published_policy.pk), status="in_progress")
    assert workflow_state.workflow.name == "Legal review"
    assert published_policy.versions.count() == 1  # nothing public yet

    # The editor cannot approve their own submission.
    task_state = workflow_state.current_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[published_policy.pk, "approve", task_state.pk]
    )
    client.post(approve_url, {"comment": ""})
    assert published_policy.versions.count() == 1

    client.force_login(legal_reviewer)
    response = client.post(approve_url, {"comment": "Checked against the registry."})
    assert response.status_code in (200, 302)

    version = published_policy.versions.get(number=2)
    assert version.change_summary == "Explain consent by category."
    assert version.is_material_change
    assert version.submitted_by == editor and version.submitted_by_name == "eddie"
    assert version.approved_by == legal_reviewer and version.approved_by_name == "laura"
    assert version.submitted_at <= version.approved_at
    assert [
        (step["task"], step["status"], step["finished_by"], step["comment"])
        for step in version.workflow_history
    ] == [("Legal review", "approved", "laura", "Checked against the registry.")]


def test_legal_reviewer_can_publish_directly(legal_client, legal_reviewer, published_policy):
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Typo fixes.")
    data["action-publish"] = "action-publish"
    assert legal_client.post(edit_url(published_policy), data).status_code == 302

    version = published_policy.versions.get(number=2)
    assert version.approved_by == legal_reviewer
    assert version.submitted_by is None and version.workflow_history == []


def test_registry_snippets_go_through_legal_review(published_policy):
    assert CookieCategory.objects.get(key="analytics").get_workflow().name == "Legal review"
    assert published_policy.get_workflow().name == "Legal review"


def test_versions_are_read_only_in_the_admin(admin_client, published_policy):
    # No snippet or model viewset: there is no edit, delete or create view to reach.
    assert admin_client.get("/admin/snippets/policy_pages/policyversion/").status_code == 404

    report = admin_client.get("/admin/reports/policy-versions/")
    assert report.status_code == 200
    html = report.content.decode()
    assert "/cookie-policy/versions/1/" in html
    assert "/edit/" not in html.split("<table", 1)[1].split("</table>", 1)[0]


def test_version_report_filters_and_exports(admin_client, published_policy):
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Material update.")
    data["is_material_change"] = "on"
    data["action-publish"] = "action-publish"
    admin_client.post(edit_url(published_policy), data)

    export = admin_client.get("/admin/reports/policy-versions/?export=csv")
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("Policy,Version,Effective date,Published at,Approved by")
    assert rows[1].startswith("Cookie Policy,2,") and "Material update." in rows[1]
    assert rows[1].endswith("/cookie-policy/versions/2/")

    material_only = admin_client.get("/admin/reports/policy-versions/results/?is_material_change=true")
    html = material_only.content.decode()
    assert "Material update." in html and "First published version." not in html

    xlsx = admin_client.get("/admin/reports/policy-versions/?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_editors_see_the_report_but_anonymous_visitors_do_not(client, editor, published_policy):
    assert client.get("/admin/reports/policy-versions/").status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get("/admin/reports/policy-versions/").status_code == 200


def test_a_policy_with_versions_cannot_be_deleted(admin_client, published_policy):
    response = admin_client.post(
        reverse("wagtailadmin_pages:delete", args=[published_policy.pk]), follow=True
    )
    assert response.status_code == 200
    assert "are legal records and must stay available" in response.content.decode()
    assert PolicyPage.objects.filter(pk=published_policy.pk).exists()
    assert published_policy.versions.count() == 1

    home = published_policy.get_parent()
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[home.pk]))
    assert PolicyPage.objects.filter(pk=published_policy.pk).exists()


def test_bulk_delete_keeps_policies_with_versions(admin_client, published_policy):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    admin_client.post(f"{url}?id={published_policy.pk}", {})
    assert PolicyPage.objects.filter(pk=published_policy.pk).exists()


def test_a_published_policy_keeps_its_address(admin_client, published_policy):
    data = edit_form_data(published_policy, slug="cookies", effective_date=today(), change_summary="Moved.")
    data["action-publish"] = "action-publish"
    response = admin_client.post(edit_url(published_policy), data)
    assert response.status_code == 200
    assert "its address cannot change" in response.context["form"].errors["slug"][0]


def test_deleting_a_user_keeps_their_name_on_the_versions_they_approved(
    legal_client, legal_reviewer, published_policy
):
    data = edit_form_data(published_policy, effective_date=today(), change_summary="Typo fixes.")
    data["action-publish"] = "action-publish"
    legal_client.post(edit_url(published_policy), data)

    legal_reviewer.delete()

    version = published_policy.versions.get(number=2)
    assert version.approved_by is None
    assert version.approved_by_name == "laura"
