"""docs/reliability.md's measured part: written between two markers, so the
hand-written text around it stays as it is."""

from __future__ import annotations

import os
import platform
import subprocess
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .faults import FaultReport
from .load import P99_BUDGET_MS, LoadStep

BEGIN = (
    "<!-- reliability:begin (written by `make reliability`; edits here are lost) -->"
)
END = "<!-- reliability:end -->"


def write_section(path: Path, body: str) -> None:
    text = path.read_text() if path.exists() else f"# Reliability\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = f"{text.rstrip()}\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n{body.strip()}\n{END}{tail}")


def environment(workers: int) -> str:
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = " with uncommitted changes" if _git("status", "--porcelain") else ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"Run finished {timezone.now():%Y-%m-%d %H:%M} UTC, commit `{commit}`{dirty}, "
        f"on {platform.system()} {platform.machine()} with {os.cpu_count()} CPUs "
        f"({_cpu_model()}) and {memory:.0f} GiB, PostgreSQL {postgres}, Python "
        f"{platform.python_version()}, gunicorn {version('gunicorn')} "
        f"(`factdb/gunicorn.conf.py`, {workers} sync workers) and Locust "
        f"{version('locust')}, all on this one machine over loopback{_load()}. "
        "FactDB runs "
        "with its production settings (`DJANGO_DEBUG=false`, HTTPS as told by a "
        "proxy's `X-Forwarded-Proto`, `DATABASE_CONN_MAX_AGE=300`), the rate "
        "limits raised out of the way, on "
        "a database of its own (`factdb_reliability`: migrated, seeded)."
    )


def faults_section(report: FaultReport) -> str:
    log, audit = report.log, report.audit
    lines = [
        "### Faults under a stream of writes",
        "",
        f"{len(report.faults)} faults in {report.seconds:.0f} s while "
        "editors' writes streamed in through the API:",
        "",
        "| # | fault | what | serving again after |",
        "| --- | --- | --- | --- |",
        *(
            f"| {f.number} | {f.kind} | {f.detail} | {f.recovery_seconds} s |"
            for f in report.faults
        ),
        "",
        "| write | attempted | acknowledged (2xx) | not acknowledged, by answer |",
        "| --- | --- | --- | --- |",
    ]
    for kind in sorted(log.attempted):
        failures = Counter(
            {outcome: n for (k, outcome), n in log.failed.items() if k == kind}
        )
        listed = ", ".join(f"{outcome}: {n}" for outcome, n in failures.most_common())
        lines.append(
            f"| {kind} | {log.attempted[kind]} | {log.acknowledged[kind]} | "
            f"{listed or 'none'} |"
        )
    refusals = [
        f"- {kind}, {outcome}: `{example}`"
        for (kind, outcome), example in sorted(log.examples.items())
        if outcome.isdigit() and int(outcome) < 500
    ]
    if refusals:
        lines += ["", "The 4xx answers, the first of each kind:", "", *refusals]
    versions = sum(len(v) for v in log.statement_versions.values())
    lines += [
        "",
        f"Afterwards: {len(log.statement_versions)} acknowledged statements with "
        f"{versions} acknowledged versions and {len(log.citations)} acknowledged "
        "citations checked against the database and its history; "
        f"{audit.records} records and {audit.history_rows} history rows audited "
        f"(each history whole and ending in its record); {audit.citations} "
        "citations re-verified against their sources.",
        "",
        _verdict(
            report.problems,
            "every acknowledged write is there as "
            "acknowledged, no record is half-written, every citation verifies",
        ),
    ]
    return "\n".join(lines)


def load_section(
    steps: list[LoadStep], edits: dict[str, int], problems: list[str]
) -> str:
    lines = [
        "### Load",
        "",
        f"{steps[0].users} Locust users, reads and conditional edits mixed as "
        "described above; the first run as fast as they can, then fixed rates.",
        "",
        "| users | seconds | target rps | served rps | p50 ms | p99 ms | 5xx | 412 "
        "| other errors | held | gunicorn CPU ms per request |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for step in steps:
        target = f"{step.target_rps:.0f}" if step.target_rps else "as fast as possible"
        held = "yes" if step.held else ("—" if step.target_rps is None else "no")
        lines.append(
            f"| {step.users} | {step.seconds} | {target} | {step.rps:.1f} | "
            f"{step.p50_ms:.0f} | {step.p99_ms:.0f} | {step.server_errors} | "
            f"{step.statuses.get(412, 0)} | {step.other_failures} | {held} | "
            f"{step.cpu_ms_per_request:.0f} |"
        )
    held = [step for step in steps if step.held]
    best = (
        f"**{held[-1].target_rps:.0f} requests per second**"
        if held
        else "none of the rates"
    )
    lines += [
        "",
        f"Highest rate held within p99 ≤ {P99_BUDGET_MS:.0f} ms: {best}.",
    ]
    shown = held[-1] if held else steps[0]
    lines += [
        "",
        f"By kind of request, at {shown.target_rps:.0f} requests per second:"
        if held
        else "By kind of request, flat out:",
        "",
        "| request | count | p50 ms | p99 ms |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | {count} | {p50:.0f} | {p99:.0f} |"
            for name, (count, p50, p99) in shown.by_kind.items()
        ),
        "",
        f"Edits: {edits['edits']} sent, {edits['acknowledged']} acknowledged, "
        f"{edits['refused_412']} refused with 412 (each because another user's "
        f"acknowledged edit had replaced the version it was based on), "
        f"{edits['other']} otherwise.",
        "",
        _verdict(
            problems,
            "no 5xx, no lost update: every edited statement's "
            "version is its version before plus its acknowledged edits, its "
            "summary the last one's, and every acknowledged version is in its "
            "history",
        ),
    ]
    return "\n".join(lines)


def _verdict(problems: list[str], good: str) -> str:
    if not problems:
        return f"Result: {good}."
    listed = "\n".join(f"- {problem}" for problem in problems[:50])
    more = f"\n- and {len(problems) - 50} more" if len(problems) > 50 else ""
    return f"Result: **{len(problems)} problem(s)**:\n\n{listed}{more}"


def _load() -> str:
    """The machine's load over the run: above its number of CPUs, other work
    competed for them."""
    load = os.getloadavg()[2]
    busy = ", other work sharing the CPUs" if load > (os.cpu_count() or 1) else ""
    return f" (load average {load:.1f} over the last 15 minutes{busy})"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True
    ).stdout.strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
