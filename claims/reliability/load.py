"""The load run: Locust's users (locustfile.py) on gunicorn over loopback, first as
fast as they can, then at fixed rates stepped up to find the highest rate served
within the latency budget; afterwards, no edit is lost.

Lost updates are checked per edited statement: its version now is its version
before the run plus the number of acknowledged edits (each acknowledged edit
raised it by exactly one and none raised it unacknowledged); the acknowledged
versions are each acknowledged once; the stored summary is that of the last one;
the history holds every acknowledged version with its summary; and each 412 named
a version that another user's acknowledged edit had replaced.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings

from claims.models import Claim, Statement

from .server import Gunicorn

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
P99_BUDGET_MS = 250.0
EDITED_STATEMENTS = 8  # few enough that concurrent edits of one statement happen
# locustfile.py's tasks: ten of eleven make one request, an edit two (GET, PATCH).
REQUESTS_PER_TASK = 12 / 11

STATEMENT_QUERIES = [
    {"actor": "china", "stance": "denies,rejects"},
    {"responds_to": "1"},
    {"document": "9"},
    {"date_from": "2021-02-01", "date_to": "2021-02-28", "ordering": "-date"},
    {"claim": "xinjiang-camps-sexual-violence"},
    {"q": '"false information"'},
    {"stance": "rejects", "ordering": "-date", "page_size": "100"},
]
SEARCHES = ["hodgepodge", "rape camps", '"human rights"', "Wang Wenbin", "BBC -fake"]


@dataclass
class LoadStep:
    users: int
    seconds: int
    target_rps: float | None  # None: as fast as the users can
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    edits: list[dict] = field(default_factory=list)
    # request kind -> (count, p50 ms, p99 ms)
    by_kind: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    server_cpu_seconds: float = 0.0  # gunicorn's workers, over the step

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(1, self.requests)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def other_failures(self) -> int:
        """No answer at all, or a 4xx other than the 412s of lost races."""
        return sum(
            n
            for status, n in self.statuses.items()
            if status == 0 or (400 <= status < 500 and status != 412)
        )

    @property
    def held(self) -> bool:
        """Served the target rate (within 5 %) with p99 inside the budget and no
        error."""
        return (
            self.target_rps is not None
            and self.rps >= 0.95 * self.target_rps
            and self.p99_ms <= P99_BUDGET_MS
            and not self.server_errors
            and not self.other_failures
        )


def load_config(token: str) -> dict:
    """What the users request: seed claims and published statements, the README's
    filters and searches, and the statements editors change."""
    published = list(
        Statement.objects.published().order_by("pk").values_list("pk", flat=True)
    )
    return {
        "token": token,
        "claims": list(Claim.objects.order_by("slug").values_list("slug", flat=True)),
        "statements": published,
        "edited_statements": published[:EDITED_STATEMENTS],
        "statement_queries": [
            urlencode(query, quote_via=quote) for query in STATEMENT_QUERIES
        ],
        "searches": [quote(terms) for terms in SEARCHES],
    }


def run_step(
    server: Gunicorn,
    config: dict,
    *,
    users: int,
    seconds: int,
    target_rps: float | None,
) -> LoadStep:
    """One Locust run of `users` users for `seconds`, at `target_rps` in all."""
    cpu_before = server.cpu_seconds()
    rate = target_rps / users / REQUESTS_PER_TASK if target_rps else 0
    recorded = run_locust(
        LOCUSTFILE,
        server.url,
        {**config, "rate_per_user": rate},
        users=users,
        seconds=seconds,
    )
    cpu = server.cpu_seconds() - cpu_before
    requests = recorded["requests"]
    return LoadStep(
        users=users,
        seconds=seconds,
        target_rps=target_rps,
        requests=len(requests),
        statuses=Counter(status for _name, status, _ms in requests),
        p50_ms=percentile([ms for _name, _status, ms in requests], 50),
        p99_ms=percentile([ms for _name, _status, ms in requests], 99),
        edits=recorded["edits"],
        by_kind={
            name: (len(ms), percentile(ms, 50), percentile(ms, 99))
            for name, ms in sorted(by_name(requests).items())
        },
        server_cpu_seconds=cpu,
    )


def run_locust(
    locustfile: Path,
    url: str,
    config: dict,
    *,
    users: int,
    seconds: float,
    warmup: float = 0,
) -> dict:
    """Locust headless with `locustfile` (whose users mix in measuring.Measured)
    against `url`: `users` users, measured for `seconds` after `warmup`, flat out
    unless `config` sets `rate_per_user`. What the locustfile recorded."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "requests.json"
        config = {
            "rate_per_user": 0,
            **config,
            "users": users,
            "seconds": seconds,
            "warmup": warmup,
            "output": str(output),
        }
        # The users end the run when the window closes; --run-time is a backstop.
        backstop = math.ceil(warmup + seconds) + 60
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                *("-f", str(locustfile), "--headless", "--host", url),
                *("--users", str(users), "--spawn-rate", str(users)),
                *("--run-time", f"{backstop}s", "--stop-timeout", "60"),
                *("--only-summary", "--loglevel", "WARNING"),
                *("--exit-code-on-error", "0"),
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "FACTDB_LOAD_CONFIG": json.dumps(config)},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return json.loads(output.read_text())


def by_name(requests: list) -> dict[str, list[float]]:
    """The recorded requests' times in milliseconds, by request name."""
    times: dict[str, list[float]] = {}
    for name, _status, ms in requests:
        times.setdefault(name, []).append(ms)
    return times


def percentile(times: list[float], percent: float) -> float:
    """The nearest-rank percentile of `times`, rounded to 0.1 ms (0 for none)."""
    if not times:
        return 0.0
    ordered = sorted(times)
    rank = max(0, math.ceil(percent / 100 * len(ordered)) - 1)
    return round(ordered[rank], 1)


def check_edits(
    before: dict[int, int], steps: list[LoadStep]
) -> tuple[dict[str, int], list[str]]:
    """Counts of the edits and the lost-update problems (see the module's doc)."""
    edits = [edit for step in steps for edit in step.edits]
    acknowledged = [edit for edit in edits if edit["status"] == 200]
    refused = [edit for edit in edits if edit["status"] == 412]
    problems = []
    won = {(edit["statement"], edit["version"]) for edit in acknowledged}
    for edit in refused:
        if edit["current"] <= edit["sent"] or (
            (edit["statement"], edit["sent"] + 1) not in won
        ):
            problems.append(f"412 without a concurrent acknowledged edit: {edit}")
    for edit in acknowledged:
        if edit["version"] != edit["sent"] + 1:
            problems.append(f"edit acknowledged with a version skipped: {edit}")
    if len(won) != len(acknowledged):
        problems.append("two edits were acknowledged with the same version")
    stored = Statement.objects.in_bulk(list(before))
    history = {
        (row["id"], row["version"]): row["summary"]
        for row in Statement.history.filter(id__in=list(before)).values(
            "id", "version", "summary"
        )
    }
    for pk, version in before.items():
        mine = sorted(
            (e for e in acknowledged if e["statement"] == pk),
            key=lambda e: e["version"],
        )
        if stored[pk].version != version + len(mine):
            problems.append(
                f"statement {pk}: version {version} before, {len(mine)} edits "
                f"acknowledged, version {stored[pk].version} now"
            )
        if mine and stored[pk].summary != mine[-1]["summary"]:
            problems.append(f"statement {pk}: the last acknowledged edit was lost")
        problems += [
            f"statement {pk}: version {e['version']} missing from the history"
            for e in mine
            if history.get((pk, e["version"])) != e["summary"]
        ]
    counts = {
        "edits": len(edits),
        "acknowledged": len(acknowledged),
        "refused_412": len(refused),
        "other": len(edits) - len(acknowledged) - len(refused),
    }
    return counts, problems
