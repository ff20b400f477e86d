"""Locust's readers for the throughput run of `manage.py bench` (throughput.py
starts Locust with it): anonymous, each requesting the configured reads in turn
as fast as it can. The measuring window and what is recorded:
claims/reliability/measuring.py.
"""

from __future__ import annotations

import itertools

from locust import FastHttpUser, task

from claims.reliability.measuring import CONFIG, Measured


class Reader(Measured, FastHttpUser):
    network_timeout = connection_timeout = 60.0
    # Behind FactDB's TLS-terminating proxy (DJANGO_SECURE_PROXY_SSL_HEADER).
    default_headers = {"X-Forwarded-Proto": "https"}

    def on_start(self) -> None:
        super().on_start()
        reads = [tuple(read) for read in CONFIG["reads"]]
        first = self.number % len(reads)  # the users spread over the reads
        self.reads = itertools.cycle(reads[first:] + reads[:first])

    @task
    def read(self) -> None:
        name, path = next(self.reads)
        self.client.get(path, name=name)
