"""Search: one contract, run against the database's own backend (PostgreSQL full-text
search or SQLite FTS5, whichever DATABASE_URL selects) and the plain fallback."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from claims import search
from claims.models import (
    Actor,
    ActorAlias,
    Citation,
    Claim,
    Source,
    Statement,
    Topic,
)
from claims.search import SearchHit, SearchQueryError, search_all, search_queryset
from claims.search_backends import (
    install_search_index,
    sqlite,
    uninstall_search_index,
)


@pytest.fixture(params=["native", "fallback"])
def backend(request, settings):
    """The backend under test: the database's own, or the fallback forced."""
    if request.param == "fallback":
        settings.FACTDB_SEARCH_BACKEND = "fallback"
    return search.get_backend().name


def ids(queryset):
    return [obj.pk for obj in queryset]


def statements(query):
    return ids(search_queryset(Statement.objects.all(), query))


def every_kind():
    return {kind: model.objects.all() for kind, model in search.MODELS.items()}


# Matching -----------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_without_fts5_falls_back_to_the_plain_backend(monkeypatch, seeds):
    monkeypatch.setattr(sqlite, "fts5_available", lambda: False)
    assert search.get_backend().name == "fallback"
    assert statements("hodgepodge") == [58, 59]


def test_the_native_backend_is_the_databases_own(settings):
    expected = {"postgresql": "postgresql", "sqlite": "sqlite"}[connection.vendor]
    if connection.vendor == "sqlite" and not sqlite.fts5_available():
        expected = "fallback"
    assert search.get_backend().name == expected
    settings.FACTDB_SEARCH_BACKEND = "fallback"
    assert search.get_backend().name == "fallback"


def test_a_word_in_a_quote_finds_the_statements_citing_it(seeds, backend):
    # 58 says "hodgepodge" in its summary and its quote; 59 only in its quote.
    assert statements("hodgepodge") == [58, 59]
    assert statements("HODGEPODGE") == [58, 59]


def test_an_alias_finds_its_actor(seeds, backend):
    found = search_queryset(Actor.objects.all(), "Beijing")
    # The Government of China by its alias; its foreign ministry by its description
    # ("holds regular news briefings in Beijing"), ranked below.
    assert [actor.slug for actor in found] == ["government-of-china", "mfa-china"]


def test_a_phrase_matches_its_words_in_order_only(seeds, backend):
    found = statements('"false information"')
    assert found[0] == 58
    assert sorted(found) == [58, 59, 61]
    assert statements("\u201cfalse information\u201d") == found
    assert statements('"information false"') == []


def test_or_matches_either_term(seeds, backend):
    assert sorted(statements("hodgepodge OR farce")) == [58, 59, 61, 62]
    assert sorted(statements("hodgepodge or farce")) == [58, 59, 61, 62]


def test_a_minus_excludes_a_word(seeds, backend):
    # 59's only "hodgepodge" quote also says "political purposes".
    assert statements("hodgepodge -political") == [58]
    assert statements('hodgepodge -"political purposes"') == [58]


def test_stemming_finds_other_forms_of_a_word(seeds, backend):
    found = set(statements("denies"))
    # 19 "China denied for months ..." says "denied", never "denies".
    assert 19 in found
    native = {17, 19, 56, 63, 71}
    # The fallback's crude stem "deni" also matches "denial" (10) and "denials" (70).
    expected = native | {10, 70} if backend == "fallback" else native
    assert found == expected


def test_claims_match_on_their_slug_text_and_description(seeds, backend):
    def claims(query):
        return [claim.slug for claim in search_queryset(Claim.objects.all(), query)]

    # Only in the slug; only in the description; in the text.
    assert claims("lawfully") == ["xinjiang-camps-operate-lawfully"]
    assert claims("million") == ["xinjiang-mass-arbitrary-detention"]
    assert claims('"fake news"') == ["bbc-covid-coverage-fake-news"]


def test_sources_match_on_their_title_and_text(seeds, backend):
    def sources(query):
        return ids(search_queryset(Source.objects.all(), query))

    # Source 3's title: "Beijing slams UN report which finds ...".
    assert sources("slams report")[:1] == [3]
    # "The Straits Times" is a publisher, not in any title or text.
    assert sources("Straits") == []
    assert sorted(sources('"Islamic extremism"')) == [1, 2]


# Ranking and snippets -----------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_one_in_the_body(backend, make_source):
    in_body = make_source("Ships left for Zanzibar at dawn.", title="Harbour notes")
    in_title = make_source("Cloves and coconuts.", title="Zanzibar shipping")
    found = list(search_queryset(Source.objects.all(), "zanzibar"))
    assert found == [in_title, in_body]
    assert found[0].search_rank > found[1].search_rank > 0


def test_search_all_merges_the_kinds_by_rank_with_marked_snippets(seeds, backend):
    hits = search_all("hodgepodge", querysets=every_kind())
    assert [(hit.kind, hit.id) for hit in hits] == [
        ("statement", 58),
        ("statement", 59),
        ("source", 3),
    ]
    assert hits[0].title == (
        "Wang Wenbin called the UN assessment a hodgepodge of false information, "
        "completely illegal and invalid."
    )
    assert hits[2].title == (
        "Beijing slams UN report which finds serious human rights violations in "
        "Xinjiang"
    )
    assert all("<mark>hodgepodge</mark>" in hit.snippet for hit in hits)
    assert all(isinstance(hit, SearchHit) and hit.rank > 0 for hit in hits)
    assert [hit.rank for hit in hits] == sorted(
        (hit.rank for hit in hits), reverse=True
    )
    assert len(search_all("hodgepodge", querysets=every_kind(), limit=2)) == 2


def test_a_snippet_marks_the_stemmed_form_found_in_the_text(seeds, backend):
    (hit,) = search_all(
        "denies", querysets={"statement": Statement.objects.filter(pk=19)}
    )
    assert "<mark>denied</mark>" in hit.snippet
    assert search.snippet_for(Statement.objects.get(pk=19), "denies") == hit.snippet


def test_a_snippet_is_escaped_html(backend, make_source):
    make_source(
        'The page said <script>alert("x")</script> about zanzibar trade '
        "\ue000and kept a stray marker.",
        title="Page capture",
    )
    (hit,) = search_all("zanzibar", querysets={"source": Source.objects.all()})
    assert "&lt;script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "<mark>zanzibar</mark>" in hit.snippet
    assert hit.snippet.count("<mark>") == hit.snippet.count("</mark>") == 1
    assert "\ue000" not in hit.snippet


def test_a_snippet_is_empty_for_a_record_that_does_not_match(seeds, backend):
    assert search.snippet_for(Statement.objects.get(pk=1), "hodgepodge") == ""


# Visibility ---------------------------------------------------------------------------


def test_a_draft_statement_left_out_of_the_querysets_never_appears(
    backend, make_statement
):
    published = make_statement(
        summary="Zanzibar officials denied it.", status=Statement.Status.PUBLISHED
    )
    draft = make_statement(summary="Zanzibar officials confirmed it.")
    assert draft.status == Statement.Status.DRAFT
    visible = {"statement": Statement.objects.published()}
    assert [hit.id for hit in search_all("zanzibar", querysets=visible)] == [
        published.pk
    ]
    assert search_all("confirmed", querysets=visible) == []
    assert ids(search_queryset(Statement.objects.published(), "zanzibar")) == [
        published.pk
    ]
    everything = {"statement": Statement.objects.all()}
    assert {hit.id for hit in search_all("zanzibar", querysets=everything)} == {
        published.pk,
        draft.pk,
    }


# Bad input ----------------------------------------------------------------------------

NO_WORDS = (
    "Give at least one word to search for that is not excluded with '-', an "
    "operator (OR) or a common word such as 'the'."
)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type something to search for."),
        ("   \t\n", "Type something to search for."),
        ('"" - OR', NO_WORDS),
        ("*", NO_WORDS),
        ("AND OR NOT", NO_WORDS),
        ("the of", NO_WORDS),
        ("-hodgepodge", NO_WORDS),
        ("x" * 201, "Use at most 200 characters; the search has 201."),
    ],
)
def test_a_bad_query_is_refused_with_a_message_saying_why(backend, query, message):
    with pytest.raises(SearchQueryError) as error:
        search_queryset(Statement.objects.all(), query)
    assert str(error.value) == message
    with pytest.raises(SearchQueryError) as error:
        search_all(query, querysets=every_kind())
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NEAR(hodgepodge", []),
        ("NEAR(hodgepodge farce)", []),
        ("hodgepodge*", [58, 59]),
        ("^hodgepodge", [58, 59]),
        ("(hodgepodge)", [58, 59]),
        ('"hodgepodge', [58, 59]),
        ('hodgepodge"', [58, 59]),
        ("hodgepodge AND", [58, 59]),
        ("hodgepodge NOT", [58, 59]),
        ("summary:hodgepodge", []),
        ("col:term", []),
        ("hodgepodge OR", [58, 59]),
        ("OR hodgepodge", [58, 59]),
        ("hodgepodge --political", [58]),
        ("'hodgepodge'", [58, 59]),
        ("hodgepodge\x00farce", []),
        ("\ud800hodgepodge", [58, 59]),
        ("hodgepodge \\ % _ ;--", [58, 59]),
    ],
)
def test_search_syntax_of_the_databases_is_plain_text(backend, seeds, query, expected):
    assert statements(query) == expected
    hits = search_all(query, querysets=every_kind())
    assert [hit.id for hit in hits if hit.kind == "statement"] == expected


def test_only_the_searchable_models_can_be_searched(db):
    with pytest.raises(TypeError):
        search_queryset(Topic.objects.all(), "hodgepodge")


def test_an_unknown_backend_setting_is_a_configuration_error(settings):
    settings.FACTDB_SEARCH_BACKEND = "elasticsearch"
    with pytest.raises(ImproperlyConfigured):
        search.get_backend()


# Staying in sync ----------------------------------------------------------------------


def test_the_index_follows_saves_bulk_updates_raw_sql_and_deletes(backend, make_source):
    source = make_source("Ships left for Zanzibar.", title="Harbour notes")
    assert ids(search_queryset(Source.objects.all(), "zanzibar")) == [source.pk]

    source.text = "Ships left for Pemba."
    source.save()
    assert ids(search_queryset(Source.objects.all(), "zanzibar")) == []
    assert ids(search_queryset(Source.objects.all(), "pemba")) == [source.pk]

    Source.objects.filter(pk=source.pk).update(title="Unguja almanac")
    assert ids(search_queryset(Source.objects.all(), "unguja")) == [source.pk]
    assert ids(search_queryset(Source.objects.all(), "harbour")) == []

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_source SET title = %s WHERE id = %s",
            ["Mafia island log", source.pk],
        )
    assert ids(search_queryset(Source.objects.all(), "mafia")) == [source.pk]

    source.delete()
    assert ids(search_queryset(Source.objects.all(), "pemba")) == []


def test_the_index_follows_bulk_updates_of_statements_aliases_and_citations(
    backend, seeds, make_citation, make_source
):
    Statement.objects.filter(pk__in=[28, 29, 30]).update(summary="Zanzibar outcry.")
    assert statements("zanzibar") == [28, 29, 30]

    ActorAlias.objects.create(actor_id=2, name="Zhongnanhai")
    assert ids(search_queryset(Actor.objects.all(), "zhongnanhai")) == [2]
    ActorAlias.objects.filter(name="Zhongnanhai").update(name="Xibaipo")
    assert ids(search_queryset(Actor.objects.all(), "zhongnanhai")) == []
    assert ids(search_queryset(Actor.objects.all(), "xibaipo")) == [2]
    ActorAlias.objects.filter(name="Xibaipo").delete()
    assert ids(search_queryset(Actor.objects.all(), "xibaipo")) == []

    source = make_source("Officials in Pemba spoke of a hodgepodge.")
    citation = make_citation(
        statement=Statement.objects.get(pk=1), source=source, quote="a hodgepodge"
    )
    assert sorted(statements("hodgepodge")) == [1, 58, 59]
    Citation.objects.filter(pk=citation.pk).delete()
    assert statements("hodgepodge") == [58, 59]


# Composing with the ORM ---------------------------------------------------------------


def test_search_composes_with_filter_count_slicing_and_prefetch(seeds, backend):
    found = search_queryset(
        Statement.objects.select_related("actor").prefetch_related("citations"),
        "hodgepodge OR farce",
    ).filter(actor__slug="wang-wenbin")
    assert ids(found) == [58, 59]
    assert found.count() == 2
    assert ids(found[:1]) == [58]
    assert ids(found[1:2]) == [59]
    assert [s.actor.slug for s in found] == ["wang-wenbin", "wang-wenbin"]
    assert [len(s.citations.all()) for s in found] == [2, 2]
    # Used as a subquery, the search still refers to the right rows.
    assert sorted(
        Statement.objects.filter(
            pk__in=search_queryset(Statement.objects.all(), "farce")
        ).values_list("pk", flat=True)
    ) == [61, 62]


def test_several_matching_citations_do_not_repeat_a_statement(seeds, backend):
    # 13 has two citations saying "imprisonment", and its summary says it too.
    assert Citation.objects.filter(
        statement=13, quote__icontains="imprisonment"
    ).count()
    found = search_queryset(Statement.objects.all(), "imprisonment")
    assert ids(found) == [13, 14]
    assert found.count() == 2


def test_search_all_runs_a_bounded_number_of_queries(
    seeds, backend, django_assert_max_num_queries
):
    # Per kind: the ranked matches, then snippets (own fields, then related rows).
    with django_assert_max_num_queries(3 * len(search.SEARCHABLE)):
        hits = search_all("China", querysets=every_kind(), limit=200)
    assert {hit.kind for hit in hits} == set(search.SEARCHABLE)
    assert all("<mark>" in hit.snippet for hit in hits)


def test_search_all_ranks_only_the_most_recent_matches_of_each_kind(
    seeds, backend, monkeypatch
):
    # "China" matches statements through their summaries and through their quotes.
    matching = ids(search_queryset(Statement.objects.all(), "China"))
    assert len(matching) > 3
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 3)
    hits = search_all("China", querysets={"statement": Statement.objects.all()})
    assert sorted(hit.id for hit in hits) == sorted(matching)[-3:]
    # A filter by words is not a search: it keeps every match.
    assert len(ids(search_queryset(Statement.objects.all(), "China"))) == len(matching)


def test_the_recent_candidates_are_counted_before_the_readers_filter(
    seeds, backend, monkeypatch
):
    """Drafts among the most recent matches leave fewer hits, never older ones: the
    candidates are the same for every reader."""
    matching = sorted(ids(search_queryset(Statement.objects.all(), "China")))
    Statement.objects.filter(pk=matching[-1]).update(status=Statement.Status.DRAFT)
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 3)
    hits = search_all("China", querysets={"statement": Statement.objects.published()})
    assert sorted(hit.id for hit in hits) == matching[-3:-1]


# The DDL ------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_a_generated_vector_with_a_gin_index_per_searchable_table(db):
    tables = [
        "claims_actor",
        "claims_actoralias",
        "claims_citation",
        "claims_claim",
        "claims_source",
        "claims_statement",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'search_vector' AND is_generated = 'ALWAYS' "
            "ORDER BY table_name"
        )
        assert [row[0] for row in cursor.fetchall()] == tables
        cursor.execute(
            "SELECT tablename FROM pg_indexes WHERE indexname LIKE '%%_search_idx' "
            "AND indexdef LIKE '%%USING gin (search_vector)' ORDER BY tablename"
        )
        assert [row[0] for row in cursor.fetchall()] == tables


@pytest.mark.skipif(
    connection.vendor != "sqlite" or not sqlite.fts5_available(),
    reason="SQLite with FTS5 only",
)
def test_sqlite_has_an_fts5_table_and_three_triggers_per_searchable_table(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%%fts5%%' ORDER BY name"
        )
        fts_tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE '%%_fts_%%' GROUP BY tbl_name ORDER BY tbl_name"
        )
        triggers = cursor.fetchall()
    tables = [
        "claims_actor",
        "claims_actoralias",
        "claims_citation",
        "claims_claim",
        "claims_source",
        "claims_statement",
    ]
    assert fts_tables == [f"{table}_fts" for table in tables]
    assert triggers == [(table, 3) for table in tables]


def test_the_index_can_be_dropped_and_rebuilt_over_existing_rows(seeds):
    # What the migration does backwards and forwards, with the seed rows in place.
    uninstall_search_index(connection)
    install_search_index(connection)
    install_search_index(connection)  # idempotent
    assert statements("hodgepodge") == [58, 59]
    assert ids(search_queryset(Actor.objects.all(), "Beijing")) == [2, 3]
