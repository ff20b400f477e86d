"""Database triggers that refuse any write breaking a citation (claims.integrity)."""

from django.db import migrations

from claims.integrity import install_citation_triggers, uninstall_citation_triggers


def install(apps, schema_editor):
    install_citation_triggers(schema_editor.connection)


def uninstall(apps, schema_editor):
    uninstall_citation_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
