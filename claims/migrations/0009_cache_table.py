"""The database cache's table (settings.CACHES), so `migrate` alone prepares a fresh
database: the API's throttle counters live there, shared by every worker process."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # createcachetable reads the table names from settings.CACHES and skips a table
    # that already exists.
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_record_versions"),
    ]

    # The table is the cache's, not a model's: leaving it in place on reversal
    # loses nothing a later `migrate` would not recreate.
    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
