"""The throughput run of `manage.py bench`: gunicorn serving the bench's database on
loopback with the production settings (claims/reliability/server.py), and Locust's
users (locustfile.py) requesting the main reads flat out, each on a connection of
its own; requests per second, p50, p99 and errors, per read and in all."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from claims.reliability.load import by_name, percentile, run_locust
from claims.reliability.server import Gunicorn, server_environment

from .scenarios import Scenario

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
USERS = 32  # the 32 connections
# gunicorn's own advice, as factdb/gunicorn.conf.py's default.
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1
THREAD = re.compile(r"^/api/v1/statements/(\d+)/thread/$")
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@dataclass
class Served:
    """The requests of one read, or of all, in the measured seconds."""

    name: str
    path: str
    times_ms: list[float]
    errors: int  # any answer but a 2xx, or none
    seconds: float

    @property
    def requests(self) -> int:
        return len(self.times_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p50(self) -> float:
        return percentile(self.times_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.times_ms, 99)


@dataclass
class Throughput:
    reads: list[Served]
    total: Served
    workers: int
    users: int
    seconds: int
    warmup: float
    load_before: float  # the 1-minute load average, before gunicorn started
    load_after: float
    cpu_ms_per_request: float  # gunicorn's workers'
    log: str | None  # gunicorn's log, kept when a request erred


def reads(scenarios: list[Scenario]) -> list[tuple[str, str]]:
    """The bench's reads by name and path, and a statement's detail: that of the
    thread's statement. A read with the cache emptied first is left out: served,
    the cache is as readers leave it."""
    chosen = []
    for scenario in scenarios:
        if scenario.cold:
            continue
        chosen.append((scenario.name, scenario.path))
        thread = THREAD.match(scenario.path)
        if thread:
            chosen.append(("statement detail", f"/api/v1/statements/{thread[1]}/"))
    return chosen


def database_url() -> str:
    """DATABASE_URL for the database this process uses (under pytest, the test
    database)."""
    database = connection.settings_dict
    password = (
        f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    )
    port = f":{database['PORT']}" if database["PORT"] else ""
    return (
        f"postgres://{quote(database['USER'] or '', safe='')}{password}@"
        f"{quote(database['HOST'] or '', safe='')}{port}/"
        f"{quote(database['NAME'], safe='')}"
    )


def collect_static(root: Path) -> None:
    """Static files as `collectstatic` leaves them in production: the pages name
    them by the manifest of hashed names. Django's own manifest storage writes the
    same manifest in a second; production's WhiteNoise storage also compresses
    every file, for half a minute, and no read measured here fetches one."""
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}},
    ):
        call_command("collectstatic", interactive=False, verbosity=0)


def measure_throughput(
    scenarios: list[Scenario],
    *,
    seconds: int,
    workers: int = DEFAULT_WORKERS,
    users: int = USERS,
) -> Throughput:
    """`users` users reading flat out for `seconds`, after a warm-up of a tenth
    of that (1 to 5 s): every worker's first requests load code and open its
    database connection."""
    chosen = reads(scenarios)
    warmup = min(5.0, max(1.0, seconds / 10))
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="factdb-bench-static-") as static,
        tempfile.NamedTemporaryFile(
            "w", prefix="factdb-bench-gunicorn-", suffix=".log", delete=False
        ) as log,
    ):
        collect_static(Path(static))
        env = {
            **server_environment(),
            "DATABASE_URL": database_url(),
            "DJANGO_STATIC_ROOT": static,
        }
        with Gunicorn(env=env, workers=workers, log=log) as server:
            cpu_before = server.cpu_seconds()
            recorded = run_locust(
                LOCUSTFILE,
                server.url,
                {"reads": chosen},
                users=users,
                seconds=seconds,
                warmup=warmup,
            )
            cpu = server.cpu_seconds() - cpu_before
    requests = recorded["requests"]
    times = by_name(requests)
    errors = {name: 0 for name, _path in chosen}
    for name, status, _ms in requests:
        errors[name] += not 200 <= status < 300
    served = [
        Served(name, path, times.get(name, []), errors[name], seconds)
        for name, path in chosen
    ]
    total = Served(
        "all reads",
        "",
        [ms for _name, _status, ms in requests],
        sum(errors.values()),
        seconds,
    )
    if not total.errors:
        Path(log.name).unlink()
    return Throughput(
        reads=served,
        total=total,
        workers=workers,
        users=users,
        seconds=seconds,
        warmup=warmup,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        # The warm-up's requests are counted in the CPU but not the requests;
        # a few percent.
        cpu_ms_per_request=1000 * cpu / max(1, total.requests),
        log=log.name if total.errors else None,
    )


def section(result: Throughput) -> str:
    """The run as a markdown section of docs/benchmarks.md."""
    lines = [
        f"Throughput: gunicorn (`factdb/gunicorn.conf.py`, {result.workers} sync "
        "workers, production settings, rate limits raised) serving this database "
        f"on loopback to {result.users} Locust users, each requesting the reads "
        "below in turn as fast as it can (a new connection per request: sync "
        f"workers close them), measured for {result.seconds} s after a "
        f"{result.warmup:.0f} s warm-up; load average {result.load_before:.1f} "
        f"before, {result.load_after:.1f} at the end (1 minute); gunicorn CPU "
        f"{result.cpu_ms_per_request:.1f} ms per request.",
        "",
        "| endpoint | requests | rps | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for served in [*result.reads, result.total]:
        name = (
            f"{served.name} (`{served.path}`)" if served.path else f"**{served.name}**"
        )
        lines.append(
            f"| {name} | {served.requests:,} | {served.rps:.1f} | {served.p50:.1f} "
            f"| {served.p99:.1f} | {served.errors} |"
        )
    if result.log:
        lines += ["", f"gunicorn's log: `{result.log}`."]
    return "\n".join(lines) + "\n"
