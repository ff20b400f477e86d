"""Re-check every citation against its source text; exit non-zero on any failure."""

from django.core.management.base import BaseCommand, CommandError

from claims.services import verify_citations


class Command(BaseCommand):
    help = (
        "Re-check every citation against its source text, record each one's "
        "verification status, list the failures and exit with status 1 if any fails."
    )

    def handle(self, *args, **options) -> None:
        report = verify_citations()
        for citation in report.failures:
            self.stderr.write(
                f"citation {citation.pk} ({citation.verification}): statement "
                f"{citation.statement_id}, source {citation.source_id}, offsets "
                f"{citation.start}-{citation.end}: \u201c{citation.quote[:80]}\u201d"
            )
        summary = (
            f"{report.checked} citation(s) checked, "
            f"{report.checked - len(report.failures)} verified, "
            f"{len(report.failures)} failed."
        )
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
