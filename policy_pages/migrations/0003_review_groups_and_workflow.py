"""Default roles and the legal review workflow.

* "Editors" (Wagtail's default group, extended): draft and submit pages and registry entries;
  no publish permission.
* "Legal reviewers": approve and publish pages and registry entries.
* Workflow "Legal review" (one GroupApprovalTask for Legal reviewers) on each policy page (policy
  pages created later get it from ``policy_pages.apps``) and on the registry snippets. Workflows
  on other pages, the root included, are the site's own and are kept.

Idempotent and additive: existing groups and permissions are kept; the only permissions taken away
are the publish permissions this migration governs (pages at the root, the registry snippets), from
Editors.
"""

from django.db import migrations

REGISTRY_MODELS = ("cookiecategory", "provider", "retentionrule", "thirdpartyscript")
WORKFLOW_NAME = "Legal review"
TASK_NAME = "Legal review"
EDITORS = "Editors"
LEGAL_REVIEWERS = "Legal reviewers"

PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page", "lock_page"),
    LEGAL_REVIEWERS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
SNIPPET_ACTIONS = {
    EDITORS: ("add", "change", "view", "lock"),
    LEGAL_REVIEWERS: ("add", "change", "delete", "view", "publish", "lock", "unlock"),
}
MEDIA_PERMISSIONS = {
    "wagtailimages": ("image", ("add", "change", "choose")),
    "wagtaildocs": ("document", ("add", "change", "choose")),
}


def permission(apps, app_label, model, codename, verbose_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    action = codename.split("_", 1)[0]
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {action} {verbose_name}"[:255]}
    )
    return perm


def create_review_setup(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    legal, _ = Group.objects.get_or_create(name=LEGAL_REVIEWERS)
    groups = {EDITORS: editors, LEGAL_REVIEWERS: legal}

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin", "access Wagtail admin")
    view_versions = permission(apps, "policy_pages", "policyversion", "view_policyversion", "policy version")
    for group in groups.values():
        group.permissions.add(access_admin, view_versions)

    root = Page.objects.filter(depth=1).order_by("path").first()
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            perm = permission(apps, "wagtailcore", "page", codename, "page")
            if root is not None:
                GroupPagePermission.objects.get_or_create(group=groups[name], page=root, permission=perm)

    for name, actions in SNIPPET_ACTIONS.items():
        for model_name in REGISTRY_MODELS:
            model = apps.get_model("cookie_registry", model_name)
            for action in actions:
                perm = permission(
                    apps, "cookie_registry", model_name, f"{action}_{model_name}", model._meta.verbose_name
                )
                groups[name].permissions.add(perm)

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, (model_name, actions) in MEDIA_PERMISSIONS.items():
            for action in actions:
                perm = permission(apps, app_label, model_name, f"{action}_{model_name}", model_name)
                for group in groups.values():
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )

    # Editors must not publish what this workflow reviews, whatever an earlier setup gave them;
    # their other permissions (other apps, other page subtrees) are not ours to change.
    if root is not None:
        GroupPagePermission.objects.filter(
            group=editors, page=root, permission__codename="publish_page"
        ).delete()
    editors.permissions.remove(
        *editors.permissions.filter(
            content_type__app_label="cookie_registry",
            codename__in=[f"publish_{model_name}" for model_name in REGISTRY_MODELS],
        )
    )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(legal)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # Policy pages only (new ones get it when created: policy_pages.apps); a workflow on any
    # other page, the root included, is the site's own and is left alone.
    PolicyPage = apps.get_model("policy_pages", "PolicyPage")
    for page_id in PolicyPage.objects.values_list("pk", flat=True):
        WorkflowPage.objects.get_or_create(page_id=page_id, defaults={"workflow": workflow})
    for model_name in REGISTRY_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="cookie_registry", model=model_name)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("policy_pages", "0002_policy_versions"),
        ("cookie_registry", "0002_last_seen_state"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_review_setup, migrations.RunPython.noop)]
