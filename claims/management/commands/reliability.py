"""Reliability runs that are too long for the test suite, and a database digest.

    manage.py reliability snapshot [--every-table]   digest of this database (JSON)
    manage.py reliability run                         fault and load runs, then
                                                      docs/reliability.md

`run` needs a PostgreSQL DATABASE_URL whose database name contains "reliability":
it drops and recreates that database, serves it with gunicorn and kills workers
and the local PostgreSQL cluster on purpose (docs/reliability.md).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Statement
from claims.reliability import database, faults, load, report
from claims.reliability.server import (
    Gunicorn,
    PostgresCluster,
    server_environment,
)
from claims.reliability.snapshot import take_snapshot


class Command(BaseCommand):
    help = (
        "Digest this database table by table (`snapshot`), or run the fault and "
        "load tests against gunicorn and write docs/reliability.md (`run`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        snapshot = steps.add_parser(
            "snapshot",
            help="Print each table's row count and SHA-256, the triggers and a "
            "digest of the schema, as JSON: equal on a database and its restore.",
        )
        snapshot.add_argument(
            "--every-table",
            action="store_true",
            help="Also the tables a restore into a migrated database makes anew "
            "(migrations, sessions, cache, FTS5 internals), for pg_dump copies.",
        )

        run = steps.add_parser(
            "run",
            help="Fault run, then load run, against gunicorn on a fresh database; "
            "writes the figures into docs/reliability.md.",
        )
        run.add_argument("--workers", type=int, default=4)
        run.add_argument("--faults", type=int, default=10)
        run.add_argument("--database-faults", type=int, default=3)
        run.add_argument("--writers", type=int, default=4, help="concurrent editors")
        run.add_argument("--users", type=int, default=32, help="Locust users")
        run.add_argument("--seconds", type=int, default=60, help="the first load run")
        run.add_argument(
            "--step-seconds", type=int, default=45, help="each fixed-rate run"
        )
        run.add_argument(
            "--steps",
            default="0.2,0.4,0.6,0.75,0.9",
            help="fixed rates, as fractions of the rate the first run served: "
            "stepped up while held; the lowest halved until held if it is not",
        )
        run.add_argument("--skip-faults", action="store_true")
        run.add_argument("--skip-load", action="store_true")
        run.add_argument(
            "--output", default=str(settings.BASE_DIR / "docs" / "reliability.md")
        )

    def handle(self, *args: Any, step: str, **options: Any) -> None:
        if step == "snapshot":
            snapshot = take_snapshot(every_table=options["every_table"])
            self.stdout.write(json.dumps(snapshot, indent=2, sort_keys=True))
        else:
            self.run(**options)

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def run(self, **options: Any) -> None:
        try:
            name = database.check_reliability_database()
            cluster = PostgresCluster()
        except ValueError as error:
            raise CommandError(str(error)) from error
        database.recreate_database()
        token = database.editor_token()
        self.say(f"Database {name}: dropped, created, migrated, seeded.")
        sections: list[str] = []
        problems: list[str] = []
        with tempfile.NamedTemporaryFile(
            "w", prefix="factdb-gunicorn-", suffix=".log", delete=False
        ) as log:
            self.say(f"gunicorn: {options['workers']} workers; its log: {log.name}")
            try:
                with Gunicorn(
                    env=server_environment(), workers=options["workers"], log=log
                ) as server:
                    if not options["skip_faults"]:
                        section, found = self.run_faults(
                            server, cluster, token, options
                        )
                        sections.append(section)
                        problems += found
                    if not options["skip_load"]:
                        section, found = self.run_load(server, token, options)
                        sections.append(section)
                        problems += found
            finally:
                cluster.start()
        sections.insert(0, report.environment(options["workers"]))
        report.write_section(Path(options["output"]), "\n\n".join(sections))
        self.say(f"Figures written to {options['output']}.")
        if problems:
            for problem in problems[:20]:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(problems)} problem(s), listed in {options['output']}."
            )
        self.say(self.style.SUCCESS("No problem found."))

    def run_faults(
        self, server: Gunicorn, cluster: PostgresCluster, token: str, options: dict
    ) -> tuple[str, list[str]]:
        self.say(
            f"Fault run: {options['faults']} faults ({options['database_faults']} "
            f"database crashes) under writes from {options['writers']} editors."
        )
        result = faults.run_faults(
            server,
            cluster,
            token=token,
            faults=options["faults"],
            database_faults=options["database_faults"],
            writers=options["writers"],
            progress=self.say,
        )
        log = result.log
        for kind in sorted(log.attempted):
            refused = ", ".join(
                f"{outcome}: {n}"
                for (k, outcome), n in log.failed.most_common()
                if k == kind
            )
            self.say(
                f"  {kind}: {log.attempted[kind]} attempted, "
                f"{log.acknowledged[kind]} acknowledged"
                + (f", not acknowledged: {refused}" if refused else "")
            )
        for (kind, outcome), example in sorted(log.examples.items()):
            if outcome.isdigit() and int(outcome) < 500:
                self.say(f"  {kind}, {outcome}: {example}")
        self.say(
            f"  audit: {result.audit.records} records, {result.audit.history_rows} "
            f"history rows, {result.audit.citations} citations verified; "
            f"{len(result.problems)} problem(s) found."
        )
        return report.faults_section(result), result.problems

    def run_load(
        self, server: Gunicorn, token: str, options: dict
    ) -> tuple[str, list[str]]:
        config = load.load_config(token)
        before = dict(
            Statement.objects.filter(pk__in=config["edited_statements"]).values_list(
                "pk", "version"
            )
        )
        users = options["users"]
        self.say(f"Load run: {users} users for {options['seconds']} s, flat out.")
        steps = [
            load.run_step(
                server,
                config,
                users=users,
                seconds=options["seconds"],
                target_rps=None,
            )
        ]
        self.say_step(steps[-1])
        # Fixed rates, fractions of what the users served flat out, stepped up until
        # one is not held; if the lowest is not, halved until one is.
        served = steps[0].rps
        fractions = sorted(float(f) for f in options["steps"].split(","))
        targets = [max(1, round(served * fraction)) for fraction in fractions]
        for target in targets:
            steps.append(self.fixed_rate_step(server, config, target, options))
            if not steps[-1].held:
                break
        target = targets[0]
        while not any(step.held for step in steps) and target > 1:
            target = max(1, target // 2)
            steps.append(self.fixed_rate_step(server, config, target, options))
        counts, problems = load.check_edits(before, steps)
        problems += [
            f"{step.server_errors} responses with a 5xx status at "
            f"{step.target_rps or 'full'} rate"
            for step in steps
            if step.server_errors
        ]
        self.say(
            f"  edits: {counts['acknowledged']} acknowledged, "
            f"{counts['refused_412']} refused with 412; "
            f"{len(problems)} problem(s) found."
        )
        return report.load_section(steps, counts, problems), problems

    def fixed_rate_step(
        self, server: Gunicorn, config: dict, target: int, options: dict
    ) -> load.LoadStep:
        self.say(f"Load run: {options['users']} users at {target} requests/s.")
        step = load.run_step(
            server,
            config,
            users=options["users"],
            seconds=options["step_seconds"],
            target_rps=target,
        )
        self.say_step(step)
        return step

    def say_step(self, step: load.LoadStep) -> None:
        self.say(
            f"  {step.requests} requests, {step.rps:.1f}/s, p50 {step.p50_ms:.0f} "
            f"ms, p99 {step.p99_ms:.0f} ms, 5xx {step.server_errors}, 412 "
            f"{step.statuses.get(412, 0)}, other errors {step.other_failures}; "
            f"gunicorn CPU {step.cpu_ms_per_request:.0f} ms per request"
        )
