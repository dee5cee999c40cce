"""Approving a submitted registry entry from its edit view publishes it once and opens no new task."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Group

from wagtail.models import WorkflowState

from cookie_registry.models import CookieCategory

from .test_admin import category_form_data, url


@pytest.fixture
def people(db, django_user_model):
    editor = django_user_model.objects.create_user("eddie", "eddie@example.org", "password")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = django_user_model.objects.create_user("laura", "laura@example.org", "password")
    reviewer.groups.add(Group.objects.get(name="Legal reviewers"))
    return editor, reviewer


def test_approve_from_the_edit_view_publishes_once(client, registry, people):
    editor, reviewer = people
    category = CookieCategory.objects.get(key="analytics")
    client.force_login(editor)
    data = category_form_data(category, purpose="Counting visits, reviewed.")
    data["action-submit"] = "action-submit"
    assert client.post(url("edit", category.pk), data).status_code == 302
    state = WorkflowState.objects.get(object_id=str(category.pk), status="in_progress")

    client.force_login(reviewer)
    data = category_form_data(category, purpose="Counting visits, reviewed.")
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(url("edit", category.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    category.refresh_from_db()
    state.refresh_from_db()
    assert category.purpose == "Counting visits, reviewed."  # live
    assert state.status == "approved"
    assert not WorkflowState.objects.filter(object_id=str(category.pk), status="in_progress").exists()
    assert state.requested_by == editor
    from wagtail.models import ModelLogEntry

    publishes = ModelLogEntry.objects.filter(object_id=str(category.pk), action="wagtail.publish")
    assert publishes.filter(user=reviewer).count() == 1
