"""The two-step workflow "Redaktion → Freigabe" on the home page (and so every page).

Step 1 "Redaktion": a member of the Redaktion group reviews the change.
Step 2 "Freigabe": a member of the Administration group approves and publishes.
Redaktion may add and edit pages, images and documents; only Administration publishes.
"""

from django.db import migrations

WORKFLOW_NAME = "Redaktion → Freigabe"
STEPS = [("Redaktion", "Redaktion"), ("Freigabe", "Administration")]


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")

    home = Page.objects.filter(depth=2, content_type__app_label="editorial").first()
    if home is None:
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (task_name, group_name) in enumerate(STEPS):
        group, _ = Group.objects.get_or_create(name=group_name)
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=task_name, active=True, content_type=task_type
            )
        task.groups.add(group)
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})

    page_perms = {
        "Redaktion": ["add_page", "change_page", "lock_page"],
        "Administration": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    }
    for group_name, codenames in page_perms.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=permission
                )
    media_perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__in=[
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
    )
    for group_name in page_perms:
        Group.objects.get(name=group_name).permissions.add(*media_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_magazine_podcast_publications"),
        ("accounts", "0003_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
