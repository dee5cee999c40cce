"""policy_pages 0003: the review setup keeps what a site already had that is not ours."""

import pytest

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from policy_pages.models import PolicyPage

from .conftest import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]


def test_an_existing_root_workflow_and_other_publish_permissions_are_kept():
    migrate([("policy_pages", "0002_policy_versions")])
    # The state before 0003 ran (its reverse is a no-op): no review setup yet.
    WorkflowPage.objects.all().delete()
    Workflow.objects.all().delete()
    GroupPagePermission.objects.all().delete()
    root = Page.objects.get(depth=1)
    own_workflow = Workflow.objects.create(name="Marketing sign-off")
    WorkflowPage.objects.create(page=root, workflow=own_workflow)
    editors, _ = Group.objects.get_or_create(name="Editors")
    other_app_permission = Permission.objects.get(codename="add_image")  # a permission of another app
    editors.permissions.add(other_app_permission)
    subtree = root.get_children().first() or root.add_child(instance=Page(title="News", slug="news"))
    publish_page = Permission.objects.get(codename="publish_page", content_type__app_label="wagtailcore")
    GroupPagePermission.objects.create(group=editors, page=subtree, permission=publish_page)

    policy = root.add_child(instance=PolicyPage(title="Cookie Policy", slug="cookie-policy-review"))

    migrate([("policy_pages", "0003_review_groups_and_workflow")])

    assert WorkflowPage.objects.get(page=root).workflow == own_workflow, "the site's workflow stays"
    assert WorkflowPage.objects.get(page=policy).workflow.name == "Legal review", "policy pages are reviewed"
    assert editors.permissions.filter(pk=other_app_permission.pk).exists()
    assert GroupPagePermission.objects.filter(group=editors, page=subtree, permission=publish_page).exists()
