"""Default roles and the legal review workflow.

* "Editors" (Wagtail's default group, extended): draft and submit pages and registry entries;
  no publish permission.
* "Legal reviewers": approve and publish pages and registry entries.
* Workflow "Legal review" (one GroupApprovalTask for Legal reviewers) on the root page, so every
  page, including every policy page added later, goes through it; and on the registry snippets.

Idempotent and additive: existing groups and permissions are kept.
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

    # Editors must not publish, whatever an earlier setup gave them.
    GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").delete()
    editors.permissions.remove(*editors.permissions.filter(codename__startswith="publish_"))

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(legal)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
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
