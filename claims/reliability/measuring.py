"""What the locustfiles share; they run inside Locust, apart from Django. The
configuration comes as JSON in FACTDB_LOAD_CONFIG; the requests recorded are
written as JSON to its `output` when Locust quits.

The measuring window opens `warmup` seconds after every user is spawned and lasts
`seconds`: requests before it are not recorded, a user starts no task after it,
and the last user to stop ends the run.

At a fixed rate (`rate_per_user` tasks per second and user) each user runs its
tasks on a schedule of slots, whatever the answers take, the users' schedules out
of phase so that all together their tasks arrive evenly spaced: an open-loop
generator, as wrk2 is. A task started late because the user's previous one overran
its slot counts the delay in its first request's time, as wrk2 does, instead of
hiding it (coordinated omission). Locust's `constant_throughput` is no substitute:
its pacing starts when the user is created, so users created together fire
together, in bursts of one task each, however their first task is delayed.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import gevent
from gevent.event import Event
from locust import events
from locust.exception import StopUser

CONFIG = json.loads(os.environ["FACTDB_LOAD_CONFIG"])
# `requests`: (name, status, milliseconds), status 0 when no answer came; a
# locustfile may add lists of its own.
OUTPUT: dict[str, list] = {"requests": []}
_opened = Event()
_window: dict[str, float] = {}
_numbers = itertools.count(1)
_stopped = itertools.count(1)


@events.spawning_complete.add_listener
def _open_window(**_kwargs) -> None:
    start = time.time() + CONFIG.get("warmup", 0)
    _window.update(start=start, end=start + CONFIG["seconds"])
    _opened.set()


@events.request.add_listener
def _record(name, response_time, start_time, response=None, context=None, **_kw):
    if _opened.is_set() and start_time >= _window["start"]:
        status = getattr(response, "status_code", 0) or 0
        late_ms = (context or {}).get("late_ms", 0.0)
        OUTPUT["requests"].append((name, status, response_time + late_ms))


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    Path(CONFIG["output"]).write_text(json.dumps(OUTPUT))


class Measured:
    """Mixed into a locustfile's User class before Locust's own (`class
    Reader(Measured, FastHttpUser)`): the window, and the fixed rate's schedule."""

    def on_start(self) -> None:
        self.number = next(_numbers)  # 1, 2, ... in the order the users start
        self.late_ms = 0.0
        _opened.wait()
        rate = CONFIG["rate_per_user"]
        if rate:
            self.period = 1 / rate
            offset = (self.number - 1) / CONFIG["users"] * self.period
            self.slot = _window["start"] + offset - self.period
            gevent.sleep(self.wait_time())

    def wait_time(self) -> float:
        """Until the next slot at a fixed rate, else none. A user stops at the
        window's end, even behind its schedule (as wrk2 does: overloaded, the
        requests served in the window are what the server could serve)."""
        now = time.time()
        if now >= _window["end"]:
            self._stop()
        if not CONFIG["rate_per_user"]:
            return 0.0
        self.slot += self.period
        if self.slot >= _window["end"]:
            self._stop()
        self.late_ms = max(0.0, now - self.slot) * 1000
        return max(0.0, self.slot - now)

    def context(self) -> dict:
        """Locust asks as each request starts: a task's first request carries the
        task's delay."""
        late_ms, self.late_ms = self.late_ms, 0.0
        return {"late_ms": late_ms}

    def _stop(self) -> None:
        if next(_stopped) == CONFIG["users"]:
            gevent.spawn(self.environment.runner.quit)
        raise StopUser
