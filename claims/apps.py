from __future__ import annotations

import importlib
from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

ROLES_MIGRATION = ("claims", "0007_roles")


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self) -> None:
        # After Django's own receivers (auth's creates this app's permissions):
        # claims is installed after django.contrib.auth.
        post_migrate.connect(
            create_missing_roles, sender=self, dispatch_uid="claims.create_roles"
        )


def create_missing_roles(
    sender: AppConfig,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **kwargs: Any,
) -> None:
    """Create the role groups of migration 0007_roles that are missing, with their
    permissions by the migration's own rule.

    They are data, so `manage.py flush` (and a transactional test's flush) deletes
    them; Django then sends post_migrate, which brings them back. A group that
    exists is left as an administrator keeps it, and nothing is created while the
    migration is not applied (migrated back before it).
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # django.contrib.auth is not installed or not migrated
        return
    if not router.allow_migrate_model(using, Group):
        return
    if (
        ROLES_MIGRATION
        not in MigrationRecorder(connections[using]).applied_migrations()
    ):
        return
    roles = importlib.import_module("claims.migrations.0007_roles")
    existing = set(Group.objects.using(using).values_list("name", flat=True))
    permissions = [
        permission
        for permission in Permission.objects.using(using)
        .filter(content_type__app_label="claims")
        .select_related("content_type")
        if not permission.content_type.model.startswith("historical")
    ]
    for name, granted in roles.role_permissions(permissions).items():
        if name not in existing:
            Group.objects.using(using).create(name=name).permissions.set(granted)
