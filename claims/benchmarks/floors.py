"""The floors of `manage.py bench`: each API read's answer produced the plainest
fast way, hand-written SQL through a raw cursor, rows turned into dicts and
`json.dumps`. The ratio API/floor is what the framework (ORM, serializers, filters,
middleware) costs on top of the database's own work. Floors are PostgreSQL SQL,
like the dataset they run on.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Sequence
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


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
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
    return fetch(prefix + STATEMENT_SELECT.format(ids=ids), params)


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
        for row in fetch(CITATIONS_SELECT, [list(by_id)]):
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
    (count,) = fetch(
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
    (actors,) = fetch(_ACTORS_OF, [slug])[0]
    where = (
        "s.status = 'published' "
        "AND (s.actor_id = ANY(%s) OR s.on_behalf_of_id = ANY(%s))"
    )
    (count,) = fetch(
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
    pk, text, description, created_at, updated_at = fetch(
        "SELECT id, text, description, created_at, updated_at FROM claims_claim "
        "WHERE slug = %s",
        [slug],
    )[0]
    topics = [
        row[0]
        for row in fetch(
            "SELECT t.slug FROM claims_topic t JOIN claims_claim_topics ct "
            "ON ct.topic_id = t.id WHERE ct.claim_id = %s ORDER BY t.name",
            [pk],
        )
    ]
    counts = dict(
        fetch(
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
            for row in fetch(
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


def floor_search(query: str, limit: int = 50, candidates: int = 1000) -> str:
    """Search in one statement: each kind's best `limit` matches by rank among its
    `candidates` most recent matches, merged, cut to `limit`, then a snippet for
    each hit kept."""
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
    own_match = (
        "t.id = ANY(ARRAY(SELECT o.id FROM {table} o WHERE o.search_vector @@ "
        "TSQUERY ORDER BY o.id DESC LIMIT %(candidates)s))"
    )
    related_match = (
        "t.id = ANY(ARRAY(SELECT m.id FROM ((SELECT o.id FROM {table} o "
        "WHERE o.search_vector @@ TSQUERY ORDER BY o.id DESC LIMIT %(candidates)s) "
        "UNION (SELECT DISTINCT r.{fk} FROM {related} r "
        "WHERE r.search_vector @@ TSQUERY ORDER BY r.{fk} DESC "
        "LIMIT %(candidates)s)) m(id) ORDER BY m.id DESC LIMIT %(candidates)s))"
    )
    parts = [
        ranked.format(
            kind="claim",
            order=0,
            table="claims_claim",
            rank="ts_rank(t.search_vector, TSQUERY, 1)",
            match=own_match.format(table="claims_claim"),
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
            match=own_match.format(table="claims_source"),
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
    rows = fetch(
        sql,
        {
            "query": f'"{query}"',
            "limit": limit,
            "candidates": candidates,
            "options": HEADLINE_OPTIONS,
        },
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
