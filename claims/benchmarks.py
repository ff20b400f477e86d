"""The read benchmarks of `manage.py bench`: each API read, and its floor.

A floor is the same answer produced the plainest fast way: hand-written SQL through
a raw cursor, rows turned into dicts and `json.dumps`. The ratio API/floor is what
the framework (ORM, serializers, filters, middleware) costs on top of the
database's own work. Floors are PostgreSQL SQL, like the dataset they run on.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db import connection

from claims.models import SourceKind
from claims.search_backends.postgres import HEADLINE_OPTIONS, SNIPPET_DOCUMENTS
from claims.search_backends.query import marked_to_html
from claims.stances import Stance

HOST = "http://testserver"


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95) of `samples`."""
    ordered = sorted(samples)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def _moment(value: datetime | None) -> str | None:
    """A timestamp as DRF writes it (ISO 8601, UTC as Z)."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Statements with everything the API shows of them, in two queries. -----------------

_KIND_LABELS = dict(SourceKind.choices)


def _actor(row: Sequence[Any]) -> dict[str, Any] | None:
    if row[0] is None:
        return None
    return {"id": row[0], "slug": row[1], "name": row[2], "kind": row[3]}


# A source reference: id, title, kind, published_on, url, then its publisher.
_SOURCE_COLUMNS = "{s}.id, {s}.title, {s}.kind, {s}.published_on, {s}.url, " + (
    "{p}.id, {p}.slug, {p}.name, {p}.kind"
)


def _source(row: Sequence[Any]) -> dict[str, Any] | None:
    if row[0] is None:
        return None
    pk, title, kind, published_on, url = row[:5]
    publisher = _actor(row[5:9])
    label = title
    if not title:
        parts = [_KIND_LABELS[kind], publisher["name"] if publisher else ""]
        parts.append(published_on.isoformat() if published_on else "")
        label = f"Untitled ({', '.join(p for p in parts if p)})"
    return {
        "id": pk,
        "title": title,
        "label": label,
        "kind": kind,
        "publisher": publisher,
        "published_on": _day(published_on),
        "url": url,
    }


# `{ids}` is a query of the statements' ids. The joins start from it: past eight
# tables PostgreSQL keeps the join order as written (join_collapse_limit), and a
# filter placed after the joins would make it join every statement first.
STATEMENT_SELECT = f"""
    SELECT s.id, s.stance, s.made_on, s.date_precision, s.responds_to_id, s.context,
        s.summary, s.status, s.created_at, s.updated_at,
        a.id, a.slug, a.name, a.kind,
        b.id, b.slug, b.name, b.kind,
        c.id, c.slug, c.text,
        {_SOURCE_COLUMNS.format(s="d", p="dp")},
        {_SOURCE_COLUMNS.format(s="m", p="mp")},
        r.status
    FROM ({{ids}}) picked
    JOIN claims_statement s ON s.id = picked.id
    JOIN claims_actor a ON a.id = s.actor_id
    LEFT JOIN claims_actor b ON b.id = s.on_behalf_of_id
    LEFT JOIN claims_claim c ON c.id = s.claim_id
    LEFT JOIN claims_source d ON d.id = s.document_id
    LEFT JOIN claims_actor dp ON dp.id = d.publisher_id
    LEFT JOIN claims_source m ON m.id = s.made_in_id
    LEFT JOIN claims_actor mp ON mp.id = m.publisher_id
    LEFT JOIN claims_statement r ON r.id = s.responds_to_id
    ORDER BY s.made_on, s.id
"""


def _statements(ids: str, params: Sequence[Any], prefix: str = "") -> list[tuple]:
    """The rows of STATEMENT_SELECT for the statements `ids` selects, in time order;
    `prefix` holds the WITH clause `ids` may refer to."""
    return _fetch(prefix + STATEMENT_SELECT.format(ids=ids), params)


CITATIONS_SELECT = f"""
    SELECT c.statement_id, c.id, c.quote, c.start, c."end", c.prefix, c.suffix,
        c.quote_kind, c.attribution, c.translation, c.translator, c.verification,
        c.verified_at, {_SOURCE_COLUMNS.format(s="src", p="p")}
    FROM claims_citation c
    JOIN claims_source src ON src.id = c.source_id
    LEFT JOIN claims_actor p ON p.id = src.publisher_id
    WHERE c.statement_id = ANY(%s)
    ORDER BY c.source_id, c.start, c.id
"""


def _statement(row: Sequence[Any]) -> dict[str, Any]:
    claim = (
        None
        if row[18] is None
        else dict(zip(("id", "slug", "text"), row[18:21], strict=True))
    )
    return {
        "id": row[0],
        "actor": _actor(row[10:14]),
        "on_behalf_of": _actor(row[14:18]),
        "stance": row[1],
        "made_on": _day(row[2]),
        "date_precision": row[3],
        "claim": claim,
        "document": _source(row[21:30]),
        "made_in": _source(row[30:39]),
        # A reader is not told that the statement answered is a draft.
        "responds_to": row[4] if row[39] == "published" else None,
        "context": row[5],
        "summary": row[6],
        "status": row[7],
        "citations": [],
        "created_at": _moment(row[8]),
        "updated_at": _moment(row[9]),
    }


def statements_with_citations(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Statement rows of _statements() as the API shows them, citations added
    with one more query."""
    statements = [_statement(row) for row in rows]
    by_id = {s["id"]: s for s in statements}
    if by_id:
        for row in _fetch(CITATIONS_SELECT, [list(by_id)]):
            by_id[row[0]]["citations"].append(
                {
                    "id": row[1],
                    "quote": row[2],
                    "start": row[3],
                    "end": row[4],
                    "prefix": row[5],
                    "suffix": row[6],
                    "quote_kind": row[7],
                    "attribution": row[8],
                    "translation": row[9],
                    "translator": row[10],
                    "verification": row[11],
                    "verified_at": _moment(row[12]),
                    "source": _source(row[13:22]),
                }
            )
    return statements


def _page(
    path: str, params: dict[str, str], count: int, results: list, page_size: int
) -> dict[str, Any]:
    """The API's page envelope for page 1."""
    next_link = None
    if count > page_size:
        query = sorted({**params, "page": "2"}.items())
        next_link = f"{HOST}{path}?{urlencode(query)}"
    return {"count": count, "next": next_link, "previous": None, "results": results}


# Floors, one per scenario. ---------------------------------------------------------


def floor_statement_list(stances: list[str], date_from: str, page_size: int) -> str:
    where = "s.status = 'published' AND s.stance = ANY(%s) AND s.made_on >= %s"
    (count,) = _fetch(
        f"SELECT count(*) FROM claims_statement s WHERE {where}", [stances, date_from]
    )[0]
    rows = _statements(
        f"SELECT id FROM claims_statement s WHERE {where} "
        "ORDER BY s.made_on, s.id LIMIT %s",
        [stances, date_from, page_size],
    )
    params = {
        "stance": ",".join(stances),
        "date_from": date_from,
        "page_size": str(page_size),
    }
    page = _page(
        "/api/v1/statements/", params, count, statements_with_citations(rows), page_size
    )
    return json.dumps(page)


_ACTORS_OF = """
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM claims_actor WHERE slug = %s
        UNION SELECT a.id FROM claims_actor a JOIN tree ON a.parent_id = tree.id
    )
    SELECT array_agg(id) FROM (
        SELECT id FROM tree
        UNION SELECT person_id FROM claims_affiliation
        WHERE organisation_id IN (SELECT id FROM tree)
    ) actors
"""


def floor_actor_statements(slug: str, page_size: int = 50) -> str:
    (actors,) = _fetch(_ACTORS_OF, [slug])[0]
    where = (
        "s.status = 'published' "
        "AND (s.actor_id = ANY(%s) OR s.on_behalf_of_id = ANY(%s))"
    )
    (count,) = _fetch(
        f"SELECT count(*) FROM claims_statement s WHERE {where}", [actors, actors]
    )[0]
    rows = _statements(
        f"SELECT id FROM claims_statement s WHERE {where} "
        "ORDER BY s.made_on, s.id LIMIT %s",
        [actors, actors, page_size],
    )
    page = _page(
        "/api/v1/statements/",
        {"actor": slug},
        count,
        statements_with_citations(rows),
        page_size,
    )
    return json.dumps(page)


def _claim(slug: str) -> dict[str, Any]:
    pk, text, description, created_at, updated_at = _fetch(
        "SELECT id, text, description, created_at, updated_at FROM claims_claim "
        "WHERE slug = %s",
        [slug],
    )[0]
    topics = [
        row[0]
        for row in _fetch(
            "SELECT t.slug FROM claims_topic t JOIN claims_claim_topics ct "
            "ON ct.topic_id = t.id WHERE ct.claim_id = %s ORDER BY t.name",
            [pk],
        )
    ]
    counts = dict(
        _fetch(
            "SELECT stance, count(*) FROM claims_statement WHERE claim_id = %s "
            "AND status = 'published' GROUP BY stance",
            [pk],
        )
    )
    return {
        "id": pk,
        "slug": slug,
        "text": text,
        "description": description,
        "topics": topics,
        "statement_counts": {s: counts.get(s, 0) for s in Stance.values},
        "created_at": _moment(created_at),
        "updated_at": _moment(updated_at),
    }


# The statements on a claim and the answers to them: one IN over a UNION of two
# index lookups (an OR would read every statement).
_TIMELINE_IDS = """
    SELECT id FROM claims_statement WHERE status = 'published' AND id IN (
        SELECT id FROM claims_statement WHERE claim_id = %s
        UNION SELECT id FROM claims_statement WHERE responds_to_id IN (
            SELECT id FROM claims_statement WHERE claim_id = %s))
"""


def floor_timeline(slug: str) -> str:
    claim = _claim(slug)
    rows = _statements(_TIMELINE_IDS, [claim["id"], claim["id"]])
    return json.dumps({"claim": claim, "statements": statements_with_citations(rows)})


def floor_claim_page(slug: str) -> str:
    """The data of the public claim page: the timeline's, and what each statement
    answers (its speaker, claim and status)."""
    claim = _claim(slug)
    rows = _statements(_TIMELINE_IDS, [claim["id"], claim["id"]])
    statements = statements_with_citations(rows)
    answered = {s["responds_to"] for s in statements} - {None}
    if answered:
        parents = {
            row[0]: dict(
                zip(("status", "actor", "name", "claim"), row[1:], strict=True)
            )
            for row in _fetch(
                """
                SELECT r.id, r.status, a.slug, a.name, c.slug FROM claims_statement r
                JOIN claims_actor a ON a.id = r.actor_id
                LEFT JOIN claims_claim c ON c.id = r.claim_id
                WHERE r.id = ANY(%s)
                """,
                [list(answered)],
            )
        }
        for statement in statements:
            statement["answers"] = parents.get(statement["responds_to"])
    return json.dumps({"claim": claim, "statements": statements})


_THREAD = """
    WITH RECURSIVE up(id, parent, depth) AS (
        SELECT id, responds_to_id, 0 FROM claims_statement
        WHERE id = %s AND status = 'published'
        UNION ALL
        SELECT s.id, s.responds_to_id, up.depth + 1 FROM claims_statement s
        JOIN up ON s.id = up.parent
        WHERE s.status = 'published' AND up.depth < 10000
    ),
    root AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
    down(id) AS (
        SELECT id FROM root
        UNION
        SELECT s.id FROM claims_statement s JOIN down ON s.responds_to_id = down.id
        WHERE s.status = 'published'
    )
"""


def floor_thread(pk: int) -> str:
    """The response tree around a statement: one recursive query, then citations."""
    statements = statements_with_citations(
        _statements("SELECT id FROM down", [pk], prefix=_THREAD)
    )
    by_id = {s["id"]: s for s in statements}
    for statement in statements:
        statement["responses"] = []
    # Chronological, so each statement's answers come out in order.
    for statement in statements:
        if statement["responds_to"] in by_id:
            by_id[statement["responds_to"]]["responses"].append(statement)
    # The root is the one statement whose parent is outside the thread (or none).
    root = next(s for s in statements if s["responds_to"] not in by_id)
    return json.dumps(root)


_HEADLINE = (
    "ts_headline('english', translate({text}, '<>' || chr(57344) || chr(57345), "
    "chr(57346) || chr(57347)), {query}, %s)"
)
_BRACKETS = str.maketrans({"\ue002": "<", "\ue003": ">"})


def _own_headline(kind: str) -> str:
    parts = ", ".join(f"NULLIF({p}, '')" for p in SNIPPET_DOCUMENTS[kind])
    return _HEADLINE.format(text=f"concat_ws(' … ', {parts})", query="TSQUERY")


def floor_search(query: str, limit: int = 50) -> str:
    """Search in one statement: each kind's best `limit` matches by rank, merged,
    cut to `limit`, then a snippet for each hit kept."""
    ranked = """
        (SELECT '{kind}' AS kind, {order} AS ord, t.id,
            {rank} AS rank
        FROM {table} t
        WHERE {match}
        ORDER BY rank DESC, t.id LIMIT %(limit)s)
    """
    related_rank = (
        "GREATEST(ts_rank(t.search_vector, TSQUERY, 1), (SELECT max(ts_rank("
        "r.search_vector, TSQUERY, 1)) FROM {related} r WHERE r.{fk} = t.id "
        "AND r.search_vector @@ TSQUERY))"
    )
    related_match = (
        "t.id IN (SELECT o.id FROM {table} o WHERE o.search_vector @@ TSQUERY "
        "UNION SELECT r.{fk} FROM {related} r WHERE r.search_vector @@ TSQUERY)"
    )
    parts = [
        ranked.format(
            kind="claim",
            order=0,
            table="claims_claim",
            rank="ts_rank(t.search_vector, TSQUERY, 1)",
            match="t.search_vector @@ TSQUERY",
        ),
        ranked.format(
            kind="statement",
            order=1,
            table="claims_statement",
            rank=related_rank.format(related="claims_citation", fk="statement_id"),
            match=related_match.format(
                table="claims_statement", related="claims_citation", fk="statement_id"
            )
            + " AND t.status = 'published'",
        ),
        ranked.format(
            kind="source",
            order=2,
            table="claims_source",
            rank="ts_rank(t.search_vector, TSQUERY, 1)",
            match="t.search_vector @@ TSQUERY",
        ),
        ranked.format(
            kind="actor",
            order=3,
            table="claims_actor",
            rank=related_rank.format(related="claims_actoralias", fk="actor_id"),
            match=related_match.format(
                table="claims_actor", related="claims_actoralias", fk="actor_id"
            ),
        ),
    ]
    own = {kind: _own_headline(kind) for kind in SNIPPET_DOCUMENTS}
    related_headline = (
        "CASE WHEN t.search_vector @@ TSQUERY THEN {own} ELSE (SELECT "
        + _HEADLINE.format(text="r.{column}", query="TSQUERY")
        + " FROM {related} r WHERE r.{fk} = t.id AND r.search_vector @@ TSQUERY "
        "ORDER BY ts_rank(r.search_vector, TSQUERY, 1) DESC, r.id LIMIT 1) END"
    )
    snippets = {
        "claim": f"(SELECT {own['claim']} FROM claims_claim t WHERE t.id = hit.id)",
        "source": f"(SELECT {own['source']} FROM claims_source t WHERE t.id = hit.id)",
        "statement": "(SELECT "
        + related_headline.format(
            own=own["statement"],
            column="quote",
            related="claims_citation",
            fk="statement_id",
        )
        + " FROM claims_statement t WHERE t.id = hit.id)",
        "actor": "(SELECT "
        + related_headline.format(
            own=own["actor"], column="name", related="claims_actoralias", fk="actor_id"
        )
        + " FROM claims_actor t WHERE t.id = hit.id)",
    }
    sql = f"""
        WITH hit AS (
            SELECT * FROM ({" UNION ALL ".join(parts)}) ranked
            ORDER BY rank DESC, ord, id LIMIT %(limit)s
        )
        SELECT hit.kind, hit.id, hit.rank,
            CASE hit.kind
                WHEN 'claim' THEN (SELECT text FROM claims_claim WHERE id = hit.id)
                WHEN 'statement' THEN
                    (SELECT summary FROM claims_statement WHERE id = hit.id)
                WHEN 'actor' THEN (SELECT name FROM claims_actor WHERE id = hit.id)
            END,
            src.title, src.kind, src.published_on, sp.id, sp.name,
            CASE hit.kind
                {" ".join(f"WHEN '{k}' THEN {v}" for k, v in snippets.items())}
            END
        FROM hit
        LEFT JOIN claims_source src ON hit.kind = 'source' AND src.id = hit.id
        LEFT JOIN claims_actor sp ON sp.id = src.publisher_id
        ORDER BY hit.rank DESC, hit.ord, hit.id
    """
    # Named placeholders; HEADLINE_OPTIONS fill every %s of the headlines.
    sql = sql.replace("%s", "%(options)s").replace(
        "TSQUERY", "websearch_to_tsquery('english', %(query)s)"
    )
    rows = _fetch(
        sql, {"query": f'"{query}"', "limit": limit, "options": HEADLINE_OPTIONS}
    )
    results = []
    for kind, pk, rank, title, src_title, src_kind, day, pub, name, snip in rows:
        if kind == "source":  # its title, or a description of it
            row = (pk, src_title, src_kind, day, None, pub, None, name, None)
            title = _source(row)["label"]
        results.append(
            {
                "kind": kind,
                "id": pk,
                "title": title,
                "snippet": marked_to_html((snip or "").translate(_BRACKETS)),
                "rank": float(rank),
            }
        )
    return json.dumps({"count": len(results), "results": results})


EXPORT_SELECT = """
    SELECT c.id, c.quote, c.start, c."end", c.statement_id, st.made_on, st.stance,
        a.name, b.name, cl.slug, src.id, src.title, src.kind, src.published_on,
        src.url, p.name, au.name
    FROM claims_citation c
    JOIN claims_statement st ON st.id = c.statement_id
    JOIN claims_actor a ON a.id = st.actor_id
    LEFT JOIN claims_actor b ON b.id = st.on_behalf_of_id
    LEFT JOIN claims_claim cl ON cl.id = st.claim_id
    JOIN claims_source src ON src.id = c.source_id
    LEFT JOIN claims_actor p ON p.id = src.publisher_id
    LEFT JOIN claims_actor au ON au.id = src.author_id
    WHERE st.status = 'published' AND st.made_on BETWEEN %s AND %s
    ORDER BY lower(coalesce(nullif(au.name, ''), nullif(src.byline, ''),
        nullif(src.title, ''), nullif(p.name, ''))), src.published_on, src.id,
        c.start, c.id
"""
EXPORT_COLUMNS = (
    "id",
    "quote",
    "start",
    "end",
    "statement",
    "made_on",
    "stance",
    "actor",
    "on_behalf_of",
    "claim",
    "source",
    "title",
    "kind",
    "published_on",
    "url",
    "publisher",
    "author",
)


def floor_export(date_from: str, date_to: str, write: Callable[[str], Any]) -> int:
    """The same citations, in the bibliography's order, streamed from a server-side
    cursor as one JSON object per line; returns how many."""
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.itersize = 2000
        cursor.execute(EXPORT_SELECT, [date_from, date_to])
        for row in cursor:
            item = dict(zip(EXPORT_COLUMNS, row, strict=True))
            item["made_on"] = _day(item["made_on"])
            item["published_on"] = _day(item["published_on"])
            write(json.dumps(item) + "\n")
            count += 1
    return count


# What to measure, chosen from the data. ---------------------------------------------


@dataclass
class Scenario:
    name: str
    path: str
    floor: Callable[[], str]
    # Whether the floor's JSON is the API's (a page's floor is its data, not HTML).
    comparable: bool = True


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
    rows = _fetch(
        """
        SELECT c.slug, count(*) FROM claims_statement s
        JOIN claims_claim c ON c.id = s.claim_id
        WHERE s.status = 'published' GROUP BY c.slug ORDER BY count(*), c.slug
        """
    )
    return rows[len(rows) // 2], rows[-1]


def _busiest_state() -> str:
    """The top of the hierarchy whose government bodies speak most."""
    rows = _fetch(
        """
        SELECT a.id FROM claims_statement s JOIN claims_actor a ON a.id = s.actor_id
        WHERE a.kind = 'government_body' GROUP BY a.id ORDER BY count(*) DESC, a.id
        LIMIT 1
        """
    ) or _fetch(
        "SELECT actor_id FROM claims_statement GROUP BY actor_id "
        "ORDER BY count(*) DESC, actor_id LIMIT 1"
    )
    (slug,) = _fetch(
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
    rows = _fetch(
        """
        SELECT max(s.id) FROM claims_statement s
        JOIN claims_statement r ON r.id = s.responds_to_id
        WHERE s.status = 'published' AND r.status = 'published'
        GROUP BY s.responds_to_id ORDER BY count(*) DESC, s.responds_to_id LIMIT 1
        """
    ) or _fetch("SELECT min(id) FROM claims_statement WHERE status = 'published'")
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
    days = _fetch(
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
    (middle,) = _fetch(
        "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY made_on) "
        "FROM claims_statement"
    )[0]
    date_from = middle.isoformat()
    (median_slug, median_size), (largest_slug, largest_size) = _claims_by_size()
    state = _busiest_state()
    thread = _busiest_thread()
    (claim_text,) = _fetch(
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
            f"claim timeline, largest claim ({largest_size} statements)",
            f"/api/v1/claims/{largest_slug}/timeline/",
            lambda: floor_timeline(largest_slug),
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
            f"public claim page, largest claim ({largest_size} statements)",
            f"/claims/{largest_slug}/",
            lambda: floor_claim_page(largest_slug),
            comparable=False,
        ),
    ]


def canonical(data: Any) -> Any:
    """JSON with every list of citations in id order: the API orders a statement's
    citations by source and offset, and leaves ties to the database."""
    if isinstance(data, dict):
        return {
            key: sorted(map(canonical, value), key=lambda c: c["id"])
            if key == "citations"
            else canonical(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [canonical(item) for item in data]
    return data


def first_difference(api: Any, floor: Any, where: str = "") -> str | None:
    """Where two JSON documents first differ (`results[3].citations[0].quote`)."""
    if isinstance(api, dict) and isinstance(floor, dict):
        for key in sorted(api.keys() | floor.keys()):
            if key not in api or key not in floor:
                return f"{where}.{key}: only in the {'API' if key in api else 'floor'}"
            found = first_difference(api[key], floor[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(api, list) and isinstance(floor, list):
        if len(api) != len(floor):
            return f"{where}: {len(api)} items in the API, {len(floor)} in the floor"
        for index, (a, f) in enumerate(zip(api, floor, strict=True)):
            found = first_difference(a, f, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if api == floor else f"{where}: API {api!r}, floor {floor!r}"
