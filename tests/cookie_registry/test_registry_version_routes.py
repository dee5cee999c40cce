"""Registry versions record how they went live, like policy versions (route, submitter, approver)."""

from __future__ import annotations

import pytest

from django.urls import reverse

from wagtail.models import WorkflowState

from cookie_registry.approval_routes import ApprovalRoute
from cookie_registry.models import CookieCategory, RegistryVersion
from tests.fixtures.registry import cookie

from .test_admin import category_form_data, url
from .test_edit_view_approval import people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_approved_in_legal_review_records_submitter_and_approver(client, registry, people):  # noqa: F811
    editor, reviewer = people
    category = CookieCategory.objects.get(key="analytics")
    client.force_login(editor)
    data = category_form_data(category, purpose="Counting visits, reviewed.")
    data["action-submit"] = "action-submit"
    assert client.post(url("edit", category.pk), data).status_code == 302
    assert WorkflowState.objects.filter(object_id=str(category.pk), status="in_progress").exists()

    client.force_login(reviewer)
    data = category_form_data(category, purpose="Counting visits, reviewed.")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    assert client.post(url("edit", category.pk), data).status_code == 302

    version = RegistryVersion.objects.order_by("-number").first()
    assert version is not None and "Purpose changed: Analytics" in version.changes
    assert version.approval_route == ApprovalRoute.REVIEW
    assert version.submitted_by == editor and version.submitted_by_name == "eddie"
    assert version.approved_by == reviewer and version.approved_by_name == "laura"
    assert version.approved_at is not None and version.workflow_history

    response = client.get(reverse("cookie_registry_versions:index"))
    html = response.content.decode()
    assert "Approved in Legal review" in html and "laura" in html and "eddie" in html


def test_direct_publish_is_recorded_as_such(registry, admin_user):
    category = CookieCategory.objects.get(key="analytics")
    category.cookies.add(cookie("_gcl_au"))
    category.save_revision(user=admin_user).publish()

    version = RegistryVersion.objects.order_by("-number").first()
    assert version is not None and version.approval_route == ApprovalRoute.DIRECT
    assert version.approved_by == admin_user and version.submitted_by is None
