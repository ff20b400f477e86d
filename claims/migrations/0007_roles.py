"""The three roles as groups: Editors, Reviewers, Viewers.

Editors write drafts of every record and delete only the parts of a record edited
inline (citations, aliases, affiliations); Reviewers also publish and delete
statements; Viewers read. The history tables (historical*) get no grants: the
admin's history and revert views check the permissions of the recorded model.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_DELETABLE = {"citation", "actoralias", "affiliation"}
REVIEWER_EXTRA = {"publish_statement", "delete_statement"}


def _claims_permissions(apps):
    # Permissions are normally created after the last migration (post_migrate):
    # create this app's now, so the groups can be granted them on a fresh database.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label="claims"
        ).select_related("content_type")
        if not permission.content_type.model.startswith("historical")
    ]


def role_permissions(permissions) -> dict[str, list]:
    def editable(p) -> bool:
        action = p.codename.split("_", 1)[0]
        return action in {"view", "add", "change"} or (
            action == "delete" and p.content_type.model in EDITOR_DELETABLE
        )

    editors = [p for p in permissions if editable(p)]
    reviewers = editors + [p for p in permissions if p.codename in REVIEWER_EXTRA]
    viewers = [p for p in permissions if p.codename.startswith("view_")]
    return {"Editors": editors, "Reviewers": reviewers, "Viewers": viewers}


def create_roles(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(_claims_permissions(apps)).items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Editors", "Reviewers", "Viewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0006_history_and_publish_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
