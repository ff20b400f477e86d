"""Locust's users for the load run (claims.reliability.load starts Locust with it).

Each user reads the API as the public does (statement lists with filters, claim
timelines, searches, statement details) and, one task in eleven, edits a statement
as an editor: GET it for its ETag, PATCH it with If-Match. Every request in the
measuring window and every edit is recorded and written as JSON when Locust quits,
for the load run to check (the window, the fixed rate's schedule and the
configuration: measuring.py).
"""

from __future__ import annotations

import itertools
import random

from locust import FastHttpUser, task

from claims.reliability.measuring import CONFIG, OUTPUT, Measured

EDITS: list[dict] = OUTPUT.setdefault("edits", [])


class Reader(Measured, FastHttpUser):
    network_timeout = connection_timeout = 60.0
    # Behind FactDB's TLS-terminating proxy (DJANGO_SECURE_PROXY_SSL_HEADER).
    default_headers = {"Accept": "application/json", "X-Forwarded-Proto": "https"}

    def on_start(self) -> None:
        self.edits = itertools.count(1)
        self.editor = {"Authorization": f"Token {CONFIG['token']}"}
        super().on_start()

    @task(4)
    def statement_list(self) -> None:
        query = random.choice(CONFIG["statement_queries"])
        self.client.get(f"/api/v1/statements/?{query}", name="statements?filters")

    @task(2)
    def claim_timeline(self) -> None:
        slug = random.choice(CONFIG["claims"])
        self.client.get(f"/api/v1/claims/{slug}/timeline/", name="claim timeline")

    @task(2)
    def search(self) -> None:
        terms = random.choice(CONFIG["searches"])
        self.client.get(f"/api/v1/search/?q={terms}", name="search")

    @task(2)
    def statement_detail(self) -> None:
        pk = random.choice(CONFIG["statements"])
        self.client.get(f"/api/v1/statements/{pk}/", name="statement")

    @task(1)
    def edit_statement(self) -> None:
        pk = random.choice(CONFIG["edited_statements"])
        read = self.client.get(
            f"/api/v1/statements/{pk}/", headers=self.editor, name="statement (editor)"
        )
        if read.status_code != 200:
            return
        version = int(read.headers["ETag"].strip('"'))
        summary = f"Load run: user {self.number}, edit {next(self.edits)}."
        with self.client.patch(
            f"/api/v1/statements/{pk}/",
            json={"summary": summary},
            headers={**self.editor, "If-Match": f'"{version}"'},
            name="PATCH statement",
            catch_response=True,
        ) as response:
            edit = {"statement": pk, "sent": version, "status": response.status_code}
            if response.status_code == 200:
                edit.update(version=int(response.headers["ETag"].strip('"')))
                edit.update(summary=summary)
            elif response.status_code == 412:
                # Another user's edit won: expected, and checked afterwards.
                edit.update(current=response.json()["current_version"])
                response.success()
            EDITS.append(edit)
