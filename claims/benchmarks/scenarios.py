"""What `manage.py bench` measures, on records chosen from the data: each read with
its floor, and the export's date range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .floors import (
    fetch,
    floor_actor_statements,
    floor_claim_page,
    floor_search,
    floor_statement_list,
    floor_thread,
    floor_timeline,
)

# What to measure, chosen from the data. ---------------------------------------------


@dataclass
class Scenario:
    name: str
    path: str
    floor: Callable[[], str]
    # Whether the floor's JSON is the API's (a page's floor is its data, not HTML).
    comparable: bool = True
    # Whether the cache is emptied before each request: a kept claim timeline or
    # page is then read as the first reader after an edit reads it
    # (claims/caching.py).
    cold: bool = False


@dataclass
class ExportTarget:
    date_from: str
    date_to: str
    citations: int

    @property
    def path(self) -> str:
        return (
            f"/api/v1/citations/export/?format=csl-json&date_from={self.date_from}"
            f"&date_to={self.date_to}"
        )


def _claims_by_size() -> tuple[tuple[str, int], tuple[str, int]]:
    """The median claim and the largest, by published statements: (slug, count)."""
    rows = fetch(
        """
        SELECT c.slug, count(*) FROM claims_statement s
        JOIN claims_claim c ON c.id = s.claim_id
        WHERE s.status = 'published' GROUP BY c.slug ORDER BY count(*), c.slug
        """
    )
    return rows[len(rows) // 2], rows[-1]


def _busiest_state() -> str:
    """The top of the hierarchy whose government bodies speak most."""
    rows = fetch(
        """
        SELECT a.id FROM claims_statement s JOIN claims_actor a ON a.id = s.actor_id
        WHERE a.kind = 'government_body' GROUP BY a.id ORDER BY count(*) DESC, a.id
        LIMIT 1
        """
    ) or fetch(
        "SELECT actor_id FROM claims_statement GROUP BY actor_id "
        "ORDER BY count(*) DESC, actor_id LIMIT 1"
    )
    (slug,) = fetch(
        """
        WITH RECURSIVE up(id, parent, slug) AS (
            SELECT id, parent_id, slug FROM claims_actor WHERE id = %s
            UNION ALL SELECT a.id, a.parent_id, a.slug FROM claims_actor a
            JOIN up ON a.id = up.parent
        )
        SELECT slug FROM up WHERE parent IS NULL
        """,
        [rows[0][0]],
    )[0]
    return slug


def _busiest_thread() -> int:
    """A published answer to the published statement answered most often (or any
    published statement, when none is answered)."""
    rows = fetch(
        """
        SELECT max(s.id) FROM claims_statement s
        JOIN claims_statement r ON r.id = s.responds_to_id
        WHERE s.status = 'published' AND r.status = 'published'
        GROUP BY s.responds_to_id ORDER BY count(*) DESC, s.responds_to_id LIMIT 1
        """
    ) or fetch("SELECT min(id) FROM claims_statement WHERE status = 'published'")
    return rows[0][0]


def _rare_word(claim_text: str) -> str:
    """A word few records hold: the place a generated claim names, or its last
    word."""
    words = [w.strip(".") for w in claim_text.split()]
    if len(words) > 3 and words[-2] == "in" and words[-1].isdigit():
        return words[-3]
    return words[-1]


def export_target(citations: int) -> ExportTarget:
    """The first days of published statements holding about `citations` citations."""
    days = fetch(
        """
        SELECT s.made_on, count(*) FROM claims_citation c
        JOIN claims_statement s ON s.id = c.statement_id
        WHERE s.status = 'published' GROUP BY s.made_on ORDER BY s.made_on
        """
    )
    total, last = 0, days[-1][0]
    for day, count in days:
        total += count
        if total >= citations:
            last = day
            break
    return ExportTarget(days[0][0].isoformat(), last.isoformat(), total)


def scenarios() -> list[Scenario]:
    """The reads `manage.py bench` measures, on records chosen from the data."""
    (middle,) = fetch(
        "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY made_on) "
        "FROM claims_statement"
    )[0]
    date_from = middle.isoformat()
    (median_slug, median_size), (largest_slug, largest_size) = _claims_by_size()
    state = _busiest_state()
    thread = _busiest_thread()
    (claim_text,) = fetch(
        "SELECT text FROM claims_claim WHERE slug = %s", [median_slug]
    )[0]
    rare = _rare_word(claim_text)
    common = "detention"
    return [
        Scenario(
            "statements: denies/rejects since a date, page of 50",
            f"/api/v1/statements/?stance=denies,rejects&date_from={date_from}"
            "&page_size=50",
            lambda: floor_statement_list(["denies", "rejects"], date_from, 50),
        ),
        Scenario(
            f"claim timeline, median claim ({median_size} statements)",
            f"/api/v1/claims/{median_slug}/timeline/",
            lambda: floor_timeline(median_slug),
        ),
        Scenario(
            f"claim timeline, largest claim ({largest_size} statements), kept",
            f"/api/v1/claims/{largest_slug}/timeline/",
            lambda: floor_timeline(largest_slug),
        ),
        Scenario(
            "claim timeline, first read after an edit, largest claim "
            f"({largest_size} statements)",
            f"/api/v1/claims/{largest_slug}/timeline/",
            lambda: floor_timeline(largest_slug),
            cold=True,
        ),
        Scenario(
            "statements of a state with its bodies and people",
            f"/api/v1/statements/?actor={state}",
            lambda: floor_actor_statements(state),
        ),
        Scenario(
            f"search, common word ({common})",
            f"/api/v1/search/?q={common}",
            lambda: floor_search(common),
        ),
        Scenario(
            f"search, rare word ({rare})",
            f"/api/v1/search/?q={rare}",
            lambda: floor_search(rare),
        ),
        Scenario(
            "thread of the most answered statement",
            f"/api/v1/statements/{thread}/thread/",
            lambda: floor_thread(thread),
        ),
        Scenario(
            f"public claim page, median claim ({median_size} statements)",
            f"/claims/{median_slug}/",
            lambda: floor_claim_page(median_slug),
            comparable=False,
        ),
        Scenario(
            f"public claim page, largest claim ({largest_size} statements), kept",
            f"/claims/{largest_slug}/",
            lambda: floor_claim_page(largest_slug),
            comparable=False,
        ),
        Scenario(
            "public claim page, first read after an edit, largest claim "
            f"({largest_size} statements)",
            f"/claims/{largest_slug}/",
            lambda: floor_claim_page(largest_slug),
            comparable=False,
            cold=True,
        ),
    ]
