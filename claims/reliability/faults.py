"""The fault run: editors' writes stream in through gunicorn while its workers and
then the database are killed, and afterwards every write the API acknowledged is
there as acknowledged, and nothing is there half-written.

The API writes a statement and each of its citations in separate requests, each
one transaction, so "half-written" is judged per request: a citation whose quote
does not verify, a history missing a version or disagreeing with its record, or an
acknowledged change missing. A write whose answer was lost with its worker may or
may not have been committed; either is correct, and both are counted.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from claims.models import Citation, Statement

from .audit import Audit, audit_database
from .client import Api, Reply
from .server import Gunicorn, PostgresCluster

WORKER = "kill -9 a gunicorn worker"
DATABASE = "stop PostgreSQL immediately (no checkpoint), start it again"


@dataclass
class Fault:
    number: int
    kind: str
    detail: str
    recovery_seconds: float


@dataclass
class WriteLog:
    """What the writers sent and what the API acknowledged (2xx), by kind."""

    attempted: Counter = field(default_factory=Counter)
    acknowledged: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)  # (kind, outcome)
    # statement id -> [(version, summary)] acknowledged, oldest first
    statement_versions: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # summaries sent whose answer never came: they may have been committed
    unanswered_summaries: dict[int, set[str]] = field(default_factory=dict)
    citations: dict[int, dict[str, Any]] = field(default_factory=dict)
    # (kind, outcome) -> the first answer of that kind, for the summary
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, reply: Reply) -> bool:
        with self.lock:
            self.attempted[kind] += 1
            if 200 <= reply.status < 300:
                self.acknowledged[kind] += 1
                return True
            self.failed[kind, reply.outcome] += 1
            body = reply.body if isinstance(reply.body, dict) else reply.error
            self.examples.setdefault((kind, reply.outcome), str(body)[:300])
            return False


@dataclass
class FaultReport:
    faults: list[Fault]
    log: WriteLog
    audit: Audit
    problems: list[str]
    seconds: float


class Writer(threading.Thread):
    """One editor: creates a statement, cites it twice, edits it twice; again."""

    def __init__(
        self, number: int, api: Api, log: WriteLog, stop: threading.Event, seed: dict
    ) -> None:
        super().__init__(name=f"writer-{number}", daemon=True)
        self.number = number
        self.api = api
        self.log = log
        self.stop = stop
        self.seed = seed

    def run(self) -> None:
        for write in itertools.count(1):
            if self.stop.is_set():
                return
            if not self.write_one(f"Fault run: writer {self.number}, write {write}"):
                time.sleep(0.2)  # the server or the database is down

    def write_one(self, summary: str) -> bool:
        log, api = self.log, self.api
        created = api.request(
            "POST",
            "/api/v1/statements/",
            {**self.seed["statement"], "summary": f"{summary}."},
        )
        if not log.record("create statement", created):
            return False
        statement = created.body["id"]
        with log.lock:
            log.statement_versions[statement] = [(created.version, f"{summary}.")]
        for quote in random.sample(self.seed["quotes"], 2):
            cited = api.request(
                "POST", "/api/v1/citations/", {"statement": statement, **quote}
            )
            if log.record("create citation", cited):
                with log.lock:
                    log.citations[cited.body["id"]] = {
                        "statement": statement,
                        **{key: cited.body[key] for key in ("quote", "start", "end")},
                        "source": cited.body["source"]["id"],
                    }
        version = created.version
        for edit in (1, 2):
            text = f"{summary}, edit {edit}."
            changed = api.request(
                "PATCH",
                f"/api/v1/statements/{statement}/",
                {"summary": text},
                if_match=version,
            )
            if log.record("edit statement", changed):
                version = changed.version
                with log.lock:
                    log.statement_versions[statement].append((version, text))
                continue
            if changed.status == 0 or changed.status >= 500:
                with log.lock:
                    log.unanswered_summaries.setdefault(statement, set()).add(text)
            # Read the version as it now is, as a client would before retrying.
            current = api.request("GET", f"/api/v1/statements/{statement}/")
            if current.status != 200:
                return False
            version = current.version
        return True


def seed_writes() -> dict:
    """What the writers send: a seed statement's speaker, claim and date, and the
    quotes of seed citations (with their start, so each locates one passage)."""
    model = Statement.objects.select_related("actor", "claim").get(pk=1)
    # One per passage: a statement cannot cite the same passage twice.
    passages = {
        (c.source_id, c.start, c.end): {
            "source": c.source_id,
            "quote": c.quote,
            "start": c.start,
        }
        for c in Citation.objects.order_by("pk")[:12]
    }
    quotes = list(passages.values())
    return {
        "statement": {
            "actor": model.actor.slug,
            "claim": model.claim.slug,
            "stance": "reports",
            "made_on": model.made_on.isoformat(),
        },
        "quotes": quotes,
    }


def run_faults(
    server: Gunicorn,
    cluster: PostgresCluster,
    *,
    token: str,
    faults: int,
    database_faults: int,
    writers: int,
    progress: Callable[[str], None],
) -> FaultReport:
    """Inject `faults` faults, `database_faults` of them database crashes, 3 to 6
    seconds apart under a stream of writes from `writers` editors; then audit."""
    log, stop = WriteLog(), threading.Event()
    seed = seed_writes()
    threads = [
        Writer(n, Api(server.url, token=token), log, stop, seed)
        for n in range(1, writers + 1)
    ]
    # The database crashes spread among the worker kills (3, 6 and 8 of 10).
    crashes = {
        faults * (i + 1) // (database_faults + 1) + 1 for i in range(database_faults)
    }
    kinds = [DATABASE if n in crashes else WORKER for n in range(1, faults + 1)]
    injected: list[Fault] = []
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        for number, kind in enumerate(kinds, start=1):
            time.sleep(random.uniform(3, 6))
            began = time.monotonic()
            if kind == WORKER:
                detail = f"worker pid {server.kill_worker()}"
            else:
                cluster.crash()
                time.sleep(1)
                cluster.start()
                detail = f"PostgreSQL {cluster.version}/{cluster.name}"
            server.wait_ready()
            injected.append(
                Fault(number, kind, detail, round(time.monotonic() - began, 1))
            )
            progress(
                f"  fault {number}/{len(kinds)}: {kind} ({detail}); serving again "
                f"after {injected[-1].recovery_seconds} s; "
                f"{sum(log.acknowledged.values())} writes acknowledged so far"
            )
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        cluster.start()
    seconds = time.monotonic() - started
    # This process's own connection did not survive the database's crashes.
    connections.close_all()
    problems = check_acknowledged(log)
    audit = audit_database()
    return FaultReport(injected, log, audit, problems + audit.problems, seconds)


def check_acknowledged(log: WriteLog) -> list[str]:
    """Every acknowledged write is stored with its acknowledged content."""
    problems = []
    stored = {s.pk: s for s in Statement.objects.filter(pk__in=log.statement_versions)}
    history = {
        (row["id"], row["version"]): row["summary"]
        for row in Statement.history.filter(id__in=log.statement_versions).values(
            "id", "version", "summary"
        )
    }
    for pk, versions in log.statement_versions.items():
        statement = stored.get(pk)
        if statement is None:
            problems.append(f"statement {pk}: acknowledged, missing")
            continue
        for version, summary in versions:
            if history.get((pk, version)) != summary:
                problems.append(
                    f"statement {pk}: version {version} acknowledged as "
                    f"{summary!r}, history has {history.get((pk, version))!r}"
                )
        last_version, last_summary = versions[-1]
        later = log.unanswered_summaries.get(pk, set())
        if statement.version == last_version:
            if statement.summary != last_summary:
                problems.append(f"statement {pk}: acknowledged content replaced")
        elif statement.version < last_version or statement.summary not in later:
            problems.append(
                f"statement {pk}: version {statement.version} stored, "
                f"{last_version} acknowledged"
            )
    citations = Citation.objects.in_bulk(list(log.citations))
    for pk, acknowledged in log.citations.items():
        citation = citations.get(pk)
        if citation is None:
            problems.append(f"citation {pk}: acknowledged, missing")
            continue
        stored_values = {
            "statement": citation.statement_id,
            "quote": citation.quote,
            "start": citation.start,
            "end": citation.end,
            "source": citation.source_id,
        }
        if stored_values != acknowledged:
            problems.append(
                f"citation {pk}: stored {stored_values}, not {acknowledged}"
            )
    return problems
