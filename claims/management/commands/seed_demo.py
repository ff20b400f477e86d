"""Load the seed fixtures into an empty database and create a local demo editor."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from claims.models import Actor, Citation, Claim, Source, Statement

# Fixture names, found through settings.FIXTURE_DIRS.
SEED_FIXTURES = ["actors", "sources", "claims", "statements"]
DEMO_USERNAME = "editor"
DEMO_PASSWORD = "factdb-demo"
EDITORS_GROUP = "Editors"
# Editors write everything in the claims app; deleting is limited to the parts of a
# record edited inline (citations, aliases, affiliations).
EDITOR_DELETABLE = {"citation", "actoralias", "affiliation"}


class Command(BaseCommand):
    help = (
        "For a local run: load the seed fixtures unless the database already holds "
        f"data, and create the demo editor account ({DEMO_USERNAME}). Refused when "
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
        editors = self.editors_group()
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(editors)
        self.stdout.write(
            self.style.SUCCESS(
                "Log in at http://127.0.0.1:8000/admin/ as "
                f"{DEMO_USERNAME} / {DEMO_PASSWORD}"
                + ("" if created else " (existing account, password unchanged)")
            )
        )

    @staticmethod
    def editors_group() -> Group:
        group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
        permissions = Permission.objects.filter(content_type__app_label="claims")
        group.permissions.set(
            p
            for p in permissions
            if not p.codename.startswith("delete_")
            or p.content_type.model in EDITOR_DELETABLE
        )
        return group
