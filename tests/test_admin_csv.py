"""Bulk CSV export and import of actors and sources in the admin
(claims/admin/resources.py): round trips of the seeds, row errors with nothing
written, formula-safe cells, who may import, and the export's query count."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.admin.resources import as_imported, spreadsheet_safe
from claims.models import Actor, ActorAlias, Source
from claims.services import attach_citation, verify_citations

pytestmark = pytest.mark.django_db

ACTOR_COLUMNS = [
    "slug",
    "name",
    "kind",
    "country",
    "parent",
    "wikidata_id",
    "description",
    "aliases",
    "version",
]
SOURCE_COLUMNS = [
    "id",
    "kind",
    "title",
    "publisher",
    "author",
    "byline",
    "dateline",
    "published_on",
    "language",
    "url",
    "archive_url",
    "accessed_on",
    "text",
    "text_sha256",
    "version",
]


# Helpers: the admin's three steps, as a browser sends them. -----------------------


def export(client, model: str, query: str = "") -> tuple[list[str], list[dict]]:
    response = client.get(reverse(f"admin:claims_{model}_export") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return reader.fieldnames, list(reader)


def as_csv(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def preview(client, model: str, content: bytes, name: str = "rows.csv"):
    """The first step: upload, dry run, and the page with the preview or errors."""
    response = client.post(
        reverse(f"admin:claims_{model}_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": "0"},
    )
    assert response.status_code == 200
    return response


def confirm(client, model: str, previewed):
    """The second step: the confirm form the preview rendered, posted back."""
    form = previewed.context["confirm_form"]
    assert form is not None, "the preview offered no confirmation"
    return client.post(
        reverse(f"admin:claims_{model}_process_import"), form.initial, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def row_errors(response) -> list[tuple[int, dict]]:
    """Each invalid row of a preview: its number and its errors by column."""
    return [
        (row.number, row.error_dict) for row in response.context["result"].invalid_rows
    ]


def member_of(group: str):
    """A staff user in one of the groups of migration 0007_roles (without a
    password: hashing one takes most of a test's time)."""
    user = get_user_model().objects.create_user(username=group.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def snapshot() -> tuple:
    """Everything an import may write: the rows and their history rows."""
    return (
        list(Actor.objects.order_by("pk").values()),
        list(ActorAlias.objects.order_by("pk").values()),
        list(Source.objects.order_by("pk").values()),
        Actor.history.count(),
        ActorAlias.history.count(),
        Source.history.count(),
    )


@pytest.fixture
def editor_client(client):
    client.force_login(member_of("Editors"))
    return client


@pytest.fixture
def seeded_client(seeds, editor_client):
    return editor_client


@pytest.fixture
def actors_client(editor_client):
    """With the seed actors alone (fixtures/actors.json), a third of all seeds'
    loading time."""
    call_command("loaddata", "actors", verbosity=0)
    return editor_client


# Export ---------------------------------------------------------------------------


def test_the_actor_export_is_every_seed_actor_with_its_parent_and_aliases(
    actors_client,
):
    header, rows = export(actors_client, "actor")

    assert header == ACTOR_COLUMNS
    assert len(rows) == 40
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug["government-of-china"] == {
        "slug": "government-of-china",
        "name": "Government of China",
        "kind": "government_body",
        "country": "CN",
        "parent": "china",
        "wikidata_id": "",
        "description": by_slug["government-of-china"]["description"],
        "aliases": "Beijing|Chinese authorities|Chinese government",
        "version": "1",
    }
    assert by_slug["china"]["wikidata_id"] == "Q148"
    assert by_slug["deng-li"]["aliases"] == ""


def test_the_export_is_the_filtered_and_searched_changelist(actors_client):
    _, people = export(actors_client, "actor", "?kind=person")
    _, found = export(actors_client, "actor", "?q=Beijing")

    assert {row["slug"] for row in people} == set(
        Actor.objects.filter(kind="person").values_list("slug", flat=True)
    )
    assert len(people) == 7
    # Found by its alias, as the changelist's search does.
    assert [row["slug"] for row in found] == ["government-of-china"]


def test_the_source_export_has_the_full_texts_their_hashes_and_actor_slugs(
    seeded_client,
):
    header, rows = export(seeded_client, "source")

    assert header == SOURCE_COLUMNS
    assert len(rows) == 12
    for row in rows:
        source = Source.objects.get(pk=row["id"])
        assert as_imported(row["text"]) == source.text
        assert row["text_sha256"] == source.text_sha256
        assert row["publisher"] == (source.publisher.slug if source.publisher else "")
    texts = [row["text"] for row in rows if row["text"]]
    assert len(texts) == 5
    # The articles begin with a space, kept as it is.
    assert all(text == Source.objects.get(text=text).text for text in texts)


def test_formulae_are_neutralised_in_the_file_and_read_back_exactly(
    actors_client, make_actor
):
    make_actor(
        '=HYPERLINK("http://evil.example","x")',
        slug="formula",
        kind=Actor.Kind.GROUP,
        description="-1+1",
        aliases=["+SUM(A1)"],
    )
    header, rows = export(actors_client, "actor")
    by_slug = {row["slug"]: row for row in rows}

    assert by_slug["formula"]["name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert by_slug["formula"]["description"] == "'-1+1"
    assert by_slug["formula"]["aliases"] == "'+SUM(A1)"
    # A seed alias that starts with "@": the whole cell is neutralised.
    assert by_slug["china-mission-geneva"]["aliases"].startswith("'@ChinaMissionGva|")
    before = snapshot()

    previewed = preview(actors_client, "actor", as_csv(header, rows))
    assert previewed.context["result"].totals["skip"] == 41
    confirm(actors_client, "actor", previewed)
    assert snapshot() == before


def test_an_export_with_a_filter_the_changelist_lacks_is_refused_not_a_500(
    editor_client,
):
    response = editor_client.get(
        reverse("admin:claims_actor_export") + "?nonsense=1", follow=True
    )

    assert response.redirect_chain == [(reverse("admin:claims_actor_changelist"), 302)]
    (message,) = messages_of(response)
    assert message.startswith("Nothing was exported: Cannot resolve keyword 'nonsense'")


@pytest.mark.parametrize(
    "value",
    ["plain", "=1+1", "-", "'=1+1", "''@x", "'quoted'", "\uff1dfull-width", ""],
)
def test_a_neutralised_cell_reads_back_as_the_value_it_was_made_from(value):
    cell = spreadsheet_safe(value)

    assert as_imported(cell) == value
    assert not cell.startswith(("=", "+", "-", "@", "\uff1d"))


def test_exporting_actors_takes_the_same_queries_for_40_actors_as_for_100(
    actors_client, make_actor, django_assert_num_queries
):
    # The page's four (session, user, its permissions, its groups' permissions),
    # the count, the page of actors with their parents, and their aliases.
    with django_assert_num_queries(7):
        export(actors_client, "actor")
    parent = Actor.objects.get(slug="china")
    for n in range(60):
        make_actor(f"Body {n}", parent=parent, aliases=[f"B{n}", f"Body no. {n}"])

    with django_assert_num_queries(7):
        _, rows = export(actors_client, "actor")
    assert len(rows) == 100


# Round trips ----------------------------------------------------------------------


def test_reimporting_the_exported_actors_changes_nothing(actors_client):
    header, rows = export(actors_client, "actor")
    before = snapshot()

    previewed = preview(actors_client, "actor", as_csv(header, rows))
    assert previewed.context["result"].totals == {
        "new": 0,
        "update": 0,
        "delete": 0,
        "skip": 40,
        "error": 0,
        "invalid": 0,
    }
    done = confirm(actors_client, "actor", previewed)

    assert messages_of(done) == [
        "Import finished: 0 new, 0 updated, 0 deleted and 40 skipped actors."
    ]
    assert snapshot() == before


def test_an_edited_name_changes_that_actor_alone_with_a_history_row_by_the_importer(
    actors_client,
):
    header, rows = export(actors_client, "actor")
    names = dict(Actor.objects.values_list("slug", "name"))
    (row,) = [row for row in rows if row["slug"] == "mfa-china"]
    row["name"] = "Ministry of Foreign Affairs of the PRC"
    history = Actor.history.count()

    previewed = preview(actors_client, "actor", as_csv(header, rows))
    result = previewed.context["result"]
    assert (result.totals["update"], result.totals["skip"]) == (1, 39)
    (update,) = [row for row in result.valid_rows() if row.import_type == "update"]
    assert "the PRC" in update.diff[ACTOR_COLUMNS.index("name")]
    # The preview wrote nothing.
    assert Actor.objects.get(slug="mfa-china").name == names["mfa-china"]
    done = confirm(actors_client, "actor", previewed)

    assert messages_of(done) == [
        "Import finished: 0 new, 1 updated, 0 deleted and 39 skipped actors."
    ]
    names["mfa-china"] = "Ministry of Foreign Affairs of the PRC"
    assert dict(Actor.objects.values_list("slug", "name")) == names
    assert Actor.history.count() == history + 1
    record = Actor.history.latest("history_id")
    assert (record.slug, record.history_type) == ("mfa-china", "~")
    assert record.history_user.username == "editors"
    assert record.history_change_reason == "CSV import of rows.csv"


def test_new_actors_and_changed_aliases_are_written_with_their_history(
    actors_client,
):
    header = ACTOR_COLUMNS
    rows = [
        {
            "slug": "ministry-of-commerce-china",
            "name": "Ministry of Commerce of China",
            "kind": "government_body",
            "country": "CN",
            "parent": "government-of-china",
            "aliases": "MOFCOM|Chinese Commerce Ministry",
        },
        # Of the three aliases, "Beijing" goes and "Zhongnanhai" comes.
        {
            "slug": "government-of-china",
            "name": "Government of China",
            "kind": "government_body",
            "country": "CN",
            "parent": "china",
            "aliases": "Chinese authorities|Chinese government|Zhongnanhai",
        },
    ]
    alias_history = ActorAlias.history.count()

    done = confirm(
        actors_client, "actor", preview(actors_client, "actor", as_csv(header, rows))
    )

    assert messages_of(done) == [
        "Import finished: 1 new, 1 updated, 0 deleted and 0 skipped actors."
    ]
    new = Actor.objects.get(slug="ministry-of-commerce-china")
    assert new.parent.slug == "government-of-china"
    assert sorted(new.aliases.values_list("name", flat=True)) == [
        "Chinese Commerce Ministry",
        "MOFCOM",
    ]
    assert sorted(
        Actor.objects.get(slug="government-of-china").aliases.values_list(
            "name", flat=True
        )
    ) == ["Chinese authorities", "Chinese government", "Zhongnanhai"]
    # Two aliases added to the new actor, one added and one deleted on the other.
    added = ActorAlias.history.order_by("-history_id")[:4]
    assert ActorAlias.history.count() == alias_history + 4
    assert sorted((r.name, r.history_type) for r in added) == [
        ("Beijing", "-"),
        ("Chinese Commerce Ministry", "+"),
        ("MOFCOM", "+"),
        ("Zhongnanhai", "+"),
    ]
    assert {r.history_user.username for r in added} == {"editors"}
    assert new.history.get().history_user.username == "editors"


def test_reimporting_the_exported_sources_keeps_every_text_and_citation(
    seeded_client,
):
    header, rows = export(seeded_client, "source")
    texts = dict(Source.objects.values_list("pk", "text"))
    before = snapshot()

    previewed = preview(seeded_client, "source", as_csv(header, rows))
    assert previewed.context["result"].totals["skip"] == 12
    done = confirm(seeded_client, "source", previewed)

    assert messages_of(done) == [
        "Import finished: 0 new, 0 updated, 0 deleted and 12 skipped sources."
    ]
    assert snapshot() == before
    assert dict(Source.objects.values_list("pk", "text")) == texts
    assert verify_citations().ok


def test_an_edited_source_title_changes_that_source_alone_and_its_citations_hold(
    seeded_client,
):
    header, rows = export(seeded_client, "source")
    (row,) = [row for row in rows if row["id"] == "3"]
    row["title"] = "Beijing slams the UN report"
    # The hash column is export only: a changed one is not read.
    row["text_sha256"] = "0" * 64
    texts = dict(Source.objects.values_list("pk", "text"))
    titles = dict(Source.objects.values_list("pk", "title"))

    done = confirm(
        seeded_client, "source", preview(seeded_client, "source", as_csv(header, rows))
    )

    assert messages_of(done) == [
        "Import finished: 0 new, 1 updated, 0 deleted and 11 skipped sources."
    ]
    titles[3] = "Beijing slams the UN report"
    assert dict(Source.objects.values_list("pk", "title")) == titles
    assert dict(Source.objects.values_list("pk", "text")) == texts
    assert Source.objects.get(pk=3).text_sha256 == Source.hash_text(texts[3])
    record = Source.history.latest("history_id")
    assert (record.id, record.history_user.username) == (3, "editors")
    assert verify_citations().ok


# Bad files: the error names the row and the column, and nothing is written. -------

GOOD_ACTOR = {
    "slug": "new-body",
    "name": "A new body",
    "kind": "group",
    "country": "",
    "parent": "",
    "wikidata_id": "",
    "description": "",
    "aliases": "",
}


@pytest.mark.parametrize(
    "bad, column, message",
    [
        ({"kind": "planet"}, "kind", "Value 'planet' is not a valid choice."),
        (
            {"country": "cn"},
            "country",
            "Use the two-letter ISO 3166-1 code in capitals, e.g. CN.",
        ),
        (
            {"parent": "atlantis"},
            "parent",
            "No actor has the slug \u201catlantis\u201d.",
        ),
        ({"wikidata_id": "148"}, "wikidata_id", "A Wikidata id looks like Q148."),
        (
            {"slug": "not a slug"},
            "slug",
            "Enter a valid \u201cslug\u201d consisting of letters, numbers, "
            "underscores or hyphens.",
        ),
    ],
)
def test_a_bad_actor_row_is_reported_with_its_row_and_column_and_nothing_is_written(
    editor_client, bad, column, message
):
    # Two good rows first: they are not imported either.
    rows = [
        {**GOOD_ACTOR, "slug": "good-1"},
        {**GOOD_ACTOR, "slug": "good-2"},
        {**GOOD_ACTOR, **bad},
    ]
    before = snapshot()

    previewed = preview(editor_client, "actor", as_csv(ACTOR_COLUMNS, rows))

    assert row_errors(previewed) == [(3, {column: [message]})]
    assert "confirm_form" not in previewed.context
    page = previewed.content.decode()
    assert "Some rows failed to validate" in page
    assert message.replace("'", "&#x27;") in page
    assert snapshot() == before


@pytest.mark.parametrize(
    "content, error",
    [
        # An image renamed .csv.
        (
            b"\x89PNG\r\n\x1a\n\x00\xff\xfe",
            "'UnicodeDecodeError' encountered while trying to read file. "
            "Ensure you have chosen the correct format for the file.",
        ),
        # Rows of different lengths.
        (
            b"slug,name\nchina\nx,y,z\n",
            "'InvalidDimensions' encountered while trying to read file. "
            "Ensure you have chosen the correct format for the file.",
        ),
        (
            b"",
            "The submitted file is empty.",
        ),
    ],
)
def test_a_file_that_is_not_csv_is_refused_and_nothing_is_written(
    editor_client, content, error
):
    before = snapshot()

    previewed = preview(editor_client, "actor", content, "a.csv")

    assert previewed.context["form"].errors["import_file"] == [error]
    assert "confirm_form" not in previewed.context
    assert snapshot() == before


def test_a_file_over_the_import_limit_is_refused_and_nothing_is_written(
    editor_client, settings
):
    content = as_csv(ACTOR_COLUMNS, [GOOD_ACTOR])
    settings.FACTDB_IMPORT_MAX_BYTES = len(content) - 1
    before = snapshot()

    previewed = preview(editor_client, "actor", content)

    assert previewed.context["form"].errors["import_file"] == [
        f"The file has {len(content)} bytes; an import takes at most "
        f"{len(content) - 1} (FACTDB_IMPORT_MAX_BYTES). Split it into smaller files."
    ]
    assert "confirm_form" not in previewed.context
    assert snapshot() == before


def test_a_file_with_an_unknown_column_is_refused_and_nothing_is_written(
    editor_client,
):
    # A misspelt column would otherwise be ignored without a word.
    content = as_csv(
        ["slug", "name", "kind", "contry"],
        [{"slug": "new-body", "name": "A new body", "kind": "group", "contry": "CN"}],
    )
    before = snapshot()

    previewed = preview(editor_client, "actor", content)

    result = previewed.context["result"]
    assert [str(error.error) for error in result.base_errors] == [
        "Unknown column(s): contry. The columns are: slug, name, kind, country, "
        "parent, wikidata_id, description, aliases, version."
    ]
    assert "confirm_form" not in previewed.context
    assert snapshot() == before


@pytest.mark.parametrize(
    "model, header, rows, error",
    [
        (
            "actor",
            ACTOR_COLUMNS,
            [
                {**GOOD_ACTOR, "slug": "good-1"},
                {**GOOD_ACTOR, "slug": "good-2", "description": "A\x00B"},
            ],
            "NUL characters are not text: row 2, column description. "
            "Remove them and import the file again.",
        ),
        (
            "source",
            ["id", "kind", "title", "text"],
            [
                {"id": "", "kind": "report", "title": "T\x00", "text": "One."},
                {"id": "", "kind": "report", "title": "Two", "text": "Tw\x00o."},
            ],
            "NUL characters are not text: row 1, column title; row 2, column text. "
            "Remove them and import the file again.",
        ),
        (
            "actor",
            ACTOR_COLUMNS,
            [{**GOOD_ACTOR, "slug": f"a-{n}", "name": "\x00"} for n in range(12)],
            "NUL characters are not text: "
            + "; ".join(f"row {n}, column name" for n in range(1, 11))
            + "; and 2 more. Remove them and import the file again.",
        ),
        (
            "actor",
            ["slug", "name\x00", "kind"],
            [{"slug": "x", "name\x00": "X", "kind": "group"}],
            "NUL characters are not text: the header, column 2. "
            "Remove them and import the file again.",
        ),
    ],
)
def test_a_nul_character_in_any_cell_refuses_the_file_naming_row_and_column(
    editor_client, model, header, rows, error
):
    # Stored as is by SQLite; refused by PostgreSQL with a database error (a 500).
    before = snapshot()

    previewed = preview(editor_client, model, as_csv(header, rows))

    result = previewed.context["result"]
    assert [str(e.error) for e in result.base_errors] == [error]
    assert "confirm_form" not in previewed.context
    assert snapshot() == before


def test_a_change_to_an_actor_saved_since_the_export_is_refused_naming_that_save(
    editor_client, make_actor
):
    """The file would otherwise undo the other editor's save without a word."""
    make_actor("Ministry of Commerce", slug="mofcom", kind=Actor.Kind.GOVERNMENT_BODY)
    renamed = make_actor("Xinhua", slug="xinhua", kind=Actor.Kind.MEDIA_OUTLET)
    header, rows = export(editor_client, "actor")
    assert [row["version"] for row in rows] == ["1", "1"]
    renamed.name = "Xinhua News Agency"
    renamed.save()
    rows[0]["description"] = "The ministry of commerce."
    before = snapshot()

    previewed = preview(editor_client, "actor", as_csv(header, rows))

    ((number, errors),) = row_errors(previewed)
    assert (number, rows[number - 1]["slug"]) == (2, "xinhua")
    (message,) = errors["version"]
    assert message.startswith(
        "This actor was saved after the file was exported (version 1 in the file, "
        "2 now): export it again and reapply your edits. "
        "name: \u201cXinhua\u201d \u2192 \u201cXinhua News Agency\u201d (by "
    )
    assert snapshot() == before


def test_a_text_change_that_breaks_citations_is_refused_with_the_models_message(
    seeded_client,
):
    header, rows = export(seeded_client, "source")
    (row,) = [row for row in rows if row["id"] == "1"]
    source = Source.objects.get(pk=1)
    row["text"] = source.text.replace("rejected", "denied")
    assert row["text"] != source.text
    before = snapshot()

    previewed = preview(seeded_client, "source", as_csv(header, rows))

    ((number, errors),) = row_errors(previewed)
    assert number == [r["id"] for r in rows].index("1") + 1
    (message,) = errors["text"]
    assert message.startswith("This change would break ")
    assert message.endswith("Cited passages must stay exactly where they are.")
    assert "confirm_form" not in previewed.context
    assert snapshot() == before
    assert verify_citations().ok


@pytest.mark.parametrize(
    "row, column, message",
    [
        (
            {"id": "999", "kind": "report"},
            "id",
            "No source has the id 999; leave the id empty to add a new source.",
        ),
        (
            {"id": "three", "kind": "report"},
            "id",
            "\u201cthree\u201d is not a source id.",
        ),
        (
            {"id": "", "kind": "report", "url": "https://example.org/assessment"},
            "url",
            "Source {held} already has this URL: put {held} in the id column to "
            "change that source.",
        ),
        (
            {"id": "", "kind": "report", "text": "The assessment's text."},
            "text",
            "Source {held} already has this text: put {held} in the id column to "
            "change that source.",
        ),
        (
            {"id": "", "kind": "report", "publisher": "nobody"},
            "publisher",
            "No actor has the slug \u201cnobody\u201d.",
        ),
        (
            {"id": "", "kind": "leaflet"},
            "kind",
            "Value 'leaflet' is not a valid choice.",
        ),
    ],
)
def test_a_bad_source_row_is_reported_and_nothing_is_written(
    editor_client, make_source, row, column, message
):
    held = make_source(
        "The assessment's text.",
        url="https://example.org/assessment",
        kind=Source.Kind.REPORT,
    )
    before = snapshot()

    previewed = preview(
        editor_client,
        "source",
        as_csv(["id", "kind", "url", "publisher", "text"], [row]),
    )

    assert row_errors(previewed) == [(1, {column: [message.format(held=held.pk)]})]
    assert snapshot() == before


def test_a_row_that_fails_at_the_confirmation_rolls_back_the_whole_file(
    editor_client, make_source, make_statement
):
    """Someone cites the source between the preview and the confirmation: the
    confirmed import runs the rows again and writes none of them."""
    other = make_source("A text nobody cites.")
    source = make_source("China rejected the report on Thursday.")
    header = ["id", "title", "text"]
    rows = [
        {"id": str(other.pk), "title": "A retitled article", "text": other.text},
        {"id": str(source.pk), "title": source.title, "text": "China denied it."},
    ]
    previewed = preview(editor_client, "source", as_csv(header, rows))
    assert previewed.context["result"].totals["update"] == 2
    attach_citation(
        statement=make_statement(), source=source, quote="China rejected the report"
    )
    before = snapshot()

    done = confirm(editor_client, "source", previewed)

    (message,) = messages_of(done)
    assert message.startswith(
        "Nothing was imported: Row 2, text: This change would break 1 citation(s)"
    )
    assert done.redirect_chain[-1][0] == reverse("admin:claims_source_import")
    assert snapshot() == before


def test_confirming_the_same_preview_twice_imports_it_once(editor_client):
    content = as_csv(ACTOR_COLUMNS, [GOOD_ACTOR])
    previewed = preview(editor_client, "actor", content)
    confirm(editor_client, "actor", previewed)
    before = snapshot()

    again = confirm(editor_client, "actor", previewed)

    assert again.redirect_chain == [(reverse("admin:claims_actor_import"), 302)]
    assert messages_of(again) == [
        "Nothing was imported: the previewed file is gone (it was already imported, "
        "or expired). Upload it again."
    ]
    assert Actor.objects.filter(slug="new-body").count() == 1
    assert snapshot() == before


# Who may import -------------------------------------------------------------------


def test_a_viewer_exports_but_cannot_import(client, make_actor):
    make_actor("Government of China", slug="government-of-china")
    client.force_login(member_of("Viewers"))
    changelist = client.get(reverse("admin:claims_actor_changelist")).content.decode()
    header, rows = export(client, "actor")
    content = as_csv(header, rows)
    before = snapshot()

    assert 'class="export_link"' in changelist
    assert 'class="import_link"' not in changelist
    assert [row["slug"] for row in rows] == ["government-of-china"]
    assert client.get(reverse("admin:claims_source_import")).status_code == 403
    upload = {"import_file": SimpleUploadedFile("a.csv", content), "format": "0"}
    assert client.post(reverse("admin:claims_actor_import"), upload).status_code == 403
    assert (
        client.post(
            reverse("admin:claims_actor_process_import"),
            {"import_file_name": "x", "original_file_name": "a.csv", "format": "0"},
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_editors_and_reviewers_see_both_buttons(client, db):
    for group in ("Editors", "Reviewers"):
        client.force_login(member_of(group))
        page = client.get(reverse("admin:claims_source_changelist")).content.decode()
        assert 'class="export_link"' in page
        assert 'class="import_link"' in page
        # The import page lists the columns it reads.
        form = client.get(reverse("admin:claims_source_import"))
        assert form.context["fields_list"] == [("SourceResource", SOURCE_COLUMNS)]
