"""Full-text search index: PostgreSQL generated tsvector columns with GIN indexes,
or SQLite FTS5 tables kept in sync by triggers (claims.search_backends)."""

from django.db import migrations

from claims.search_backends import install_search_index, uninstall_search_index


def install(apps, schema_editor):
    install_search_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    uninstall_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_statement_made_in")]

    operations = [migrations.RunPython(install, uninstall)]
