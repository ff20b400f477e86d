"""Load the seed fixtures into an empty database; create the demo accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from claims.models import Actor, Citation, Claim, Source, Statement

# Fixture names, found through settings.FIXTURE_DIRS.
SEED_FIXTURES = ["actors", "sources", "claims", "statements"]
DEMO_PASSWORD = "factdb-demo"
# The demo accounts and their groups; the groups come from migration 0007_roles.
DEMO_ACCOUNTS = {"editor": "Editors", "reviewer": "Reviewers"}


class Command(BaseCommand):
    help = (
        "For a local run: load the seed fixtures unless the database already holds "
        "data, and create the demo accounts editor and reviewer. Refused when "
        "DEBUG is off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo is for local runs only (DJANGO_DEBUG is off)."
            )
        if Source.objects.exists() or Actor.objects.exists():
            self.stdout.write("The database already holds data: seed fixtures skipped.")
        else:
            call_command("loaddata", *SEED_FIXTURES, verbosity=0)
            self.stdout.write(
                f"Loaded the seeds: {Actor.objects.count()} actors, "
                f"{Source.objects.count()} sources, {Claim.objects.count()} claims, "
                f"{Statement.objects.count()} statements, "
                f"{Citation.objects.count()} citations."
            )
        for username, group_name in DEMO_ACCOUNTS.items():
            try:
                group = Group.objects.get(name=group_name)
            except Group.DoesNotExist:
                raise CommandError(
                    f"The {group_name} group is missing: run migrate first."
                ) from None
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            self.stdout.write(
                self.style.SUCCESS(
                    "Log in at http://127.0.0.1:8000/admin/ as "
                    f"{username} / {DEMO_PASSWORD} ({group_name})"
                    + ("" if created else " (existing account, password unchanged)")
                )
            )
