"""The processes the long runs start and break on purpose: gunicorn serving FactDB
on loopback, and the local PostgreSQL cluster."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from django.conf import settings

from .client import Api

GUNICORN_CONFIG = settings.BASE_DIR / "factdb" / "gunicorn.conf.py"


def server_environment() -> dict[str, str]:
    """Production settings, behind a TLS-terminating proxy, with persistent
    database connections (README, "Scaling out"), rate limits raised. Raised per
    second, not per minute: a client's counter holds the times of its requests
    over the rate's period, and a minute of a load run's thousands, read and
    written whole on every request, would cost far more than production's
    120."""
    return {
        **os.environ,
        "DATABASE_CONN_MAX_AGE": "300",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "FACTDB_THROTTLE_ANON": "100000/second",
        "FACTDB_THROTTLE_USER": "100000/second",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.1)


class Gunicorn:
    """`gunicorn factdb.wsgi -c factdb/gunicorn.conf.py` on a free loopback port."""

    def __init__(self, *, env: dict[str, str], workers: int, log: IO[str]) -> None:
        self.env = env
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "factdb.wsgi", "-c", str(GUNICORN_CONFIG)],
            cwd=settings.BASE_DIR,
            env={
                **self.env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": str(self.workers),
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.wait_ready()
        except BaseException:
            self.__exit__()  # not called when __enter__ raises
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text()
        except FileNotFoundError:
            return []
        return [int(pid) for pid in children.split()]

    def cpu_seconds(self) -> float:
        """CPU time the workers have used (user and system): per request served,
        what FactDB costs whatever else shares the machine."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def wait_ready(self, seconds: float = 60) -> None:
        """Every worker up and a request answered."""
        api = Api(self.url, timeout=5)
        wait_until(
            lambda: (
                len(self.worker_pids()) == self.workers
                and api.request("GET", "/api/v1/topics/").status == 200
            ),
            seconds=seconds,
            what="gunicorn serving FactDB",
        )

    def kill_worker(self) -> int:
        """SIGKILL one worker, as the kernel's OOM killer would; the master starts
        another in its place."""
        victim = random.choice(self.worker_pids())
        os.kill(victim, signal.SIGKILL)
        wait_until(
            lambda: victim not in self.worker_pids(),
            seconds=30,
            what=f"worker {victim} gone",
        )
        return victim


class PostgresCluster:
    """The local cluster serving DATABASE_URL, stopped the hard way (`immediate`:
    no checkpoint, as after a power cut) and started again, whose WAL must bring
    back every committed transaction."""

    def __init__(self) -> None:
        database = settings.DATABASES["default"]
        if database.get("HOST") not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("only a PostgreSQL cluster on this machine is stopped")
        port = str(database.get("PORT") or 5432)
        listed = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout
        # Version, cluster, port, status, ...: the one on DATABASE_URL's port.
        rows = [line.split() for line in listed.splitlines() if line.strip()]
        matches = [row for row in rows if row[2] == port]
        if not matches:
            raise ValueError(f"no local PostgreSQL cluster listens on port {port}")
        self.version, self.name = matches[0][0], matches[0][1]
        self.port = port
        self.user = database.get("USER") or "postgres"

    def _ctl(self, action: str, *args: str, check: bool = True) -> int:
        return subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect"]
            + [self.version, self.name, action, *args],
            check=check,
            capture_output=True,
            text=True,
        ).returncode

    def is_running(self) -> bool:
        """The server process is up, if perhaps still recovering."""
        return self._ctl("status", check=False) == 0

    def is_ready(self) -> bool:
        """The server accepts connections."""
        return (
            subprocess.run(
                [
                    "pg_isready",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    self.port,
                    "-U",
                    self.user,
                ]
            ).returncode
            == 0
        )

    def crash(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def start(self) -> None:
        if not self.is_running():
            self._ctl("start")
        wait_until(self.is_ready, seconds=60, what="PostgreSQL accepting connections")
