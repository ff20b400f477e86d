"""The editors' workbench in the admin, on the seed data: a source's text with its
cited passages, the citation picker's JSON views (the same validation as saving),
prefilled statements, threads, restoring deleted records, and the query count of
each of these pages."""

import datetime
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import ERROR
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from claims.models import Actor, Citation, Claim, Source, Statement
from tests.conftest import SEED_FIXTURES
from tests.helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker):
    """The seed fixtures loaded once for this module, in a transaction rolled back
    after its last test: each test still runs in its own savepoint inside it, so
    what a test writes is gone before the next (loading them per test would cost
    seconds each)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The test users' passwords are never checked here: Argon2 would cost most
    # of each test's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeds(_seeded_module, db):
    """This module's seeds: conftest's fixture, loaded once (see above)."""


# Source 5 (the article of 2022-09-02) quotes the Geneva mission with curly quotes;
# seed citation 91 of statement 62 cites exactly this passage.
SOURCE = 5
PASTED = (
    'China firmly opposes the release of the so-called "assessment" on Xinjiang, '
    "which is nothing but a farce plotted by some Western countries and anti-China "
    "forces."
)
LOCATED = {
    "quote": "China firmly opposes the release of the so-called \u201cassessment\u201d "
    "on Xinjiang, which is nothing but a farce plotted by some Western countries "
    "and anti-China forces.",
    "start": 3356,
    "end": 3517,
    "before": "\u2026ntonly smears and slanders China, and interferes in China's "
    'internal affairs."\n\n',
    "after": " https://t.co/IJPmyO2Nyk pic.twitter.com/7Bh5aTzZ2M \u2014 China Mission "
    "Geneva (@Chi\u2026",
}
NOT_IN_SOURCE = "China firmly supports the release of the assessment"
NOT_IN_SOURCE_ERROR = {
    "error": "The quote is not in the source text. The closest passage (at offset "
    "3356) is: \u201cChina firmly opposes the release of the so-called "
    "\u201cassessment\u201d",
    "field": "quote",
}

# Every admin page starts with the session, the user, and the user's and groups'
# permissions (tests/test_admin.py).
PAGE = 4


def locate_url(source_id: int = SOURCE) -> str:
    return reverse("admin:claims_source_locate", args=[source_id])


class MarkedText(HTMLParser):
    """The cited-text element of a page: its marks (attributes and text), the
    citation anchors and the statement links after the passages."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.depth = 0  # > 0 inside the element
        self.marks: list[dict] = []
        self.anchors: list[int] = []
        self.links: list[str] = []
        self._mark: dict | None = None
        self._in_refs = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0:
            if attrs.get("id") == self.element_id:
                self.depth = 1
            return
        self.depth += 1
        if attrs.get("id", "").startswith("citation-"):
            self.anchors.append(int(attrs["id"].removeprefix("citation-")))
        if tag == "mark":
            self._mark = {**attrs, "text": ""}
            self.marks.append(self._mark)
        elif tag == "sup" and attrs.get("class") == "refs":
            self._in_refs = True
        elif tag == "a" and self._in_refs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        self.depth -= 1
        if tag == "mark":
            self._mark = None
        elif tag == "sup":
            self._in_refs = False

    def handle_data(self, data):
        if self._mark is not None:
            self._mark["text"] += data


def marked_text(html: str, element_id: str = "cited-text") -> MarkedText:
    parser = MarkedText(element_id)
    parser.feed(html)
    return parser


# 1. The source page ----------------------------------------------------------------


def test_a_seed_source_page_marks_every_cited_passage_and_links_it_to_its_statement(
    editor_client, seeds
):
    citations = Citation.objects.filter(source=SOURCE)

    response = editor_client.get(reverse("admin:claims_source_change", args=[SOURCE]))

    assert response.status_code == 200
    text = marked_text(response.text)
    # Overlapping passages are cut into several marks, so each citation is counted
    # by its anchor (on its first mark) and by the link to its statement after it.
    assert len(text.anchors) == citations.count() == 20
    assert set(text.anchors) == set(citations.values_list("pk", flat=True))
    assert Counter(text.links) == Counter(
        f"/admin/claims/statement/{pk}/change/"
        for pk in citations.values_list("statement_id", flat=True)
    )
    blinken = next(m for m in text.marks if m.get("id") == "citation-98")
    assert blinken == {
        "id": "citation-98",
        "data-statements": "67",
        "title": "Antony Blinken, welcomes, 1 Sep 2022",
        "text": Citation.objects.get(pk=98).quote,
    }
    assert "\u2018welcomed\u2019 the UN report" in blinken["text"]
    # The raw text stays editable, folded away below.
    assert (
        response.context["adminform"]
        .form["text"]
        .value()
        .startswith(" date 2022-09-02 Amid")
    )
    assert '<textarea name="text"' in response.text
    assert [
        (name, options.get("classes"))
        for name, options in response.context["adminform"].fieldsets
        if name in ("Text", "Edit the stored text")
    ] == [("Text", None), ("Edit the stored text", ("collapse",))]
    assert (
        '<a class="addlink" id="add-statement-citing-source" '
        'href="/admin/claims/statement/add/?source=5">'
        "Add a statement citing this source</a>"
    ) in response.text


def test_the_source_page_escapes_the_text(editor_client, make_source):
    source = make_source("<script>alert(1)</script> & more")

    response = editor_client.get(
        reverse("admin:claims_source_change", args=[source.pk])
    )

    assert (
        f'<div class="cited-text" id="cited-text" data-source="{source.pk}">'
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</div>"
    ) in response.text


def test_a_new_source_is_typed_in_an_open_text_field(editor_client, db):
    response = editor_client.get(reverse("admin:claims_source_add"))

    fieldsets = [
        (name, options.get("classes", ()))
        for name, options in response.context["adminform"].fieldsets
    ]
    assert ("Edit the stored text", ()) in fieldsets
    assert "Text" not in [name for name, _ in fieldsets]


@pytest.mark.parametrize("extra_citations", [0, 5])
def test_the_source_page_runs_the_same_queries_however_many_citations(
    editor_client, seeds, django_assert_num_queries, make_citation, extra_citations
):
    statement = Statement.objects.get(pk=62)
    for quote in ["Xinjiang", "China", "the", "and", "UN"][:extra_citations]:
        occurrence = Source.objects.get(pk=SOURCE).text.index(f" {quote} ") + 1
        make_citation(
            statement=statement,
            source=Source.objects.get(pk=SOURCE),
            quote=quote,
            start=occurrence,
        )

    ContentType.objects.clear_cache()  # else the count depends on earlier tests

    # + the source with its publisher and citation count (source 5 has no
    # publisher or author for the autocompletes to fetch), its content type (the
    # history link), the cited passages with their statements and speakers, the
    # "cited by" list.
    with django_assert_num_queries(PAGE + 4):
        response = editor_client.get(
            reverse("admin:claims_source_change", args=[SOURCE])
        )

    assert len(marked_text(response.text).anchors) == 20 + extra_citations


# 2. Picking quotes: the JSON views --------------------------------------------------


def test_the_text_view_gives_the_exact_text_and_its_marked_passages(
    editor_client, seeds
):
    response = editor_client.get(reverse("admin:claims_source_text", args=[SOURCE]))

    assert response.status_code == 200
    body = response.json()
    source = Source.objects.get(pk=SOURCE)
    assert body["text"] == source.text
    assert sorted(c["id"] for c in body["citations"]) == sorted(
        source.citations.values_list("pk", flat=True)
    )
    assert {
        "id": 98,
        "start": 586,
        "end": 901,
        "statement": 67,
        "label": "Antony Blinken, welcomes, 1 Sep 2022",
    } in body["citations"]
    assert set(marked_text(f'<div id="t">{body["html"]}</div>', "t").anchors) == {
        c["id"] for c in body["citations"]
    }


def test_a_pasted_quote_with_straight_quotes_is_located_as_the_sources_curly_text(
    editor_client, seeds
):
    response = editor_client.get(locate_url(), {"quote": PASTED})

    assert response.status_code == 200
    assert response.json() == LOCATED
    # The very passage the seeds cite, at the same offsets.
    seed = Citation.objects.get(pk=91)
    assert (seed.quote, seed.start, seed.end) == (
        LOCATED["quote"],
        LOCATED["start"],
        LOCATED["end"],
    )


def test_a_quote_not_in_the_source_is_a_400_with_the_exact_error(editor_client, seeds):
    response = editor_client.get(locate_url(), {"quote": NOT_IN_SOURCE})

    assert response.status_code == 400
    assert response.json() == NOT_IN_SOURCE_ERROR


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"quote": "China", "start": "soon"},
            {"error": "Enter a whole number.", "field": "start"},
        ),
        (
            {"quote": "Xinjiang", "start": "12"},
            {
                "error": "The quote does not start at offset 12; it occurs at "
                "offset(s) 319, 575, 980, 1273, 1472, 1882, 2219, 2804, 3422, 4096.",
                "field": "quote",
            },
        ),
        ({"quote": ""}, {"error": "This field is required.", "field": "quote"}),
        (
            {"quote": PASTED, "citation": "x1"},
            {"error": "citation must be a citation's id.", "field": "citation"},
        ),
    ],
)
def test_bad_preview_input_is_a_400_naming_the_field(
    editor_client, seeds, params, expected
):
    response = editor_client.get(locate_url(), params)

    assert response.status_code == 400
    assert response.json() == expected


def test_a_source_without_text_cannot_be_quoted(editor_client, seeds):
    response = editor_client.get(locate_url(6), {"quote": "rape"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "This source has no stored text to quote from yet.",
        "field": "source",
    }


@pytest.mark.parametrize("view", ["text", "locate"])
def test_an_unknown_source_is_a_404(editor_client, seeds, view):
    response = editor_client.get(
        reverse(f"admin:claims_source_{view}", args=[999]), {"quote": PASTED}
    )

    assert response.status_code == 404
    assert response.json() == {"error": "No source has the id 999."}


@pytest.mark.parametrize("view", ["text", "locate"])
def test_the_json_views_need_the_admins_view_permission(client, seeds, view):
    url = reverse(f"admin:claims_source_{view}", args=[SOURCE])
    params = {"quote": PASTED}

    anonymous = client.get(url, params)
    client.force_login(get_user_model().objects.create_user("intern", is_staff=True))
    without_permission = client.get(url, params)
    client.force_login(member_of("Viewers"))
    viewer = client.get(url, params)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert without_permission.status_code == 403
    assert without_permission.json() == {"error": "You may not view sources."}
    assert viewer.status_code == 200


def test_a_saved_rows_untouched_stale_offset_is_dropped_as_the_save_drops_it(
    editor_client, seeds
):
    seed = Citation.objects.get(pk=91)
    # The row as the form shows it, with only the quote changed: its stored start,
    # prefix and suffix no longer fit the new quote, and saving forgets them.
    row = {
        "quote": "a farce plotted by some Western countries",
        "start": seed.start,
        "prefix": seed.prefix,
        "suffix": seed.suffix,
    }

    as_saved_row = editor_client.get(locate_url(), {**row, "citation": seed.pk})
    as_new_row = editor_client.get(locate_url(), {**row, "prefix": "", "suffix": ""})

    assert as_saved_row.status_code == 200
    assert as_saved_row.json()["start"] == 3453
    assert as_new_row.status_code == 400
    assert as_new_row.json()["error"] == (
        "The quote does not start at offset 3356; it occurs at offset(s) 3453."
    )


def statement_form(source_id: int, quote: str) -> dict:
    actor = Actor.objects.get(slug="china-mission-geneva")
    return {
        "actor": actor.pk,
        "stance": "rejects",
        "claim": 11,
        "made_on": "2022-09-01",
        "date_precision": "day",
        "summary": "The mission calls the assessment a farce.",
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-source": source_id,
        "citations-0-quote": quote,
        "citations-0-quote_kind": "direct",
        "status": "draft",
    }


def test_the_preview_and_the_save_agree_on_the_passage_and_on_the_error(
    editor_client, seeds
):
    add = reverse("admin:claims_statement_add")
    statements = Statement.objects.count()

    refused = editor_client.post(add, statement_form(SOURCE, NOT_IN_SOURCE))
    assert refused.status_code == 200
    assert refused.context["inline_admin_formsets"][0].formset.errors == [
        {"quote": [NOT_IN_SOURCE_ERROR["error"]]}
    ]
    assert Statement.objects.count() == statements

    saved = editor_client.post(add, statement_form(SOURCE, PASTED))
    assert saved.status_code == 302
    citation = Statement.objects.latest("pk").citations.get()
    assert (citation.quote, citation.start, citation.end) == (
        LOCATED["quote"],
        LOCATED["start"],
        LOCATED["end"],
    )


def test_a_saved_citation_row_shows_its_quote_in_context(editor_client, seeds):
    response = editor_client.get(reverse("admin:claims_statement_change", args=[62]))

    assert (
        '<span class="quote-context" id="citation-91-context">\u2026ntonly smears '
        "and slanders China, and interferes in China&#x27;s internal affairs.&quot;"
        '\n\n<strong class="quote-context-quote">China firmly opposes the release of '
        "the so-called \u201cassessment\u201d on Xinjiang"
    ) in response.text


def test_the_statement_page_loads_the_picker_without_inline_scripts(
    editor_client, seeds
):
    response = editor_client.get(reverse("admin:claims_statement_add"))

    assert '<script src="/static/claims/admin/citation_picker.js">' in response.text
    assert (
        '<div id="citation-picker-config" hidden '
        'data-text-url="/admin/claims/source/{id}/text/" '
        'data-locate-url="/admin/claims/source/{id}/locate/"></div>'
    ) in response.text
    assert " onclick=" not in response.text


# 3. Prefill ------------------------------------------------------------------------


def test_adding_a_statement_from_a_source_prefills_the_first_citation_row(
    editor_client, seeds
):
    response = editor_client.get(reverse("admin:claims_statement_add"), {"source": 5})

    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert rows[0]["source"].value() == SOURCE
    assert '<option value="5" selected>' in response.text


@pytest.mark.parametrize("value", ["abc", "999", "-1", "5.0", "\u0665", "9" * 30, ""])
def test_an_unknown_or_malformed_source_to_prefill_is_ignored(
    editor_client, seeds, value
):
    response = editor_client.get(
        reverse("admin:claims_statement_add"), {"source": value}
    )

    assert response.status_code == 200
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert rows[0]["source"].value() is None


# 4. Threads ------------------------------------------------------------------------


def thread_rows(html: str) -> list[int]:
    return [
        int(chunk.split('"', 1)[0])
        for chunk in html.split('<tr id="thread-statement-')[1:]
    ]


def test_a_claim_page_shows_its_statements_and_the_answers_to_them_in_time_order(
    editor_client, seeds
):
    response = editor_client.get(reverse("admin:claims_claim_change", args=[1]))

    # The BBC's report, then its answers: 7 and 10 are recorded on other claims.
    assert thread_rows(response.text) == [1, 3, 7, 4, 5, 10, 44, 46]
    assert (
        '<tr id="thread-statement-4" data-statement="4"><td>4 Feb 2021</td>'
        '<td><a href="/admin/claims/statement/4/change/">#4</a> Wang Wenbin rejected '
        "the reports of systematic rape and sexual abuse of women in the camps.</td>"
        "<td>Wang Wenbin</td><td>rejects</td><td>published</td>"
        '<td><span class="answers">answers <a href="/admin/claims/statement/1/change/"'
        ' class="statement-ref" data-statement="1">#1</a> (BBC, reports)</span></td>'
        "</tr>"
    ) in response.text
    assert "#7</a> Wang Wenbin said Xinjiang had hosted" in response.text
    assert "representative\u2026 (on another claim)</td>" in response.text


def test_a_statement_page_links_what_it_answers_and_its_answers(editor_client, seeds):
    answer = editor_client.get(reverse("admin:claims_statement_change", args=[4]))
    report = editor_client.get(reverse("admin:claims_statement_change", args=[1]))

    assert (
        '<p class="responds-to">Answers <a href="/admin/claims/statement/1/change/" '
        'class="statement-ref" data-statement="1">#1</a> (BBC, reports).</p>'
    ) in answer.text
    answers = report.text.split('<ul class="statement-answers">')[1].split("</ul>")[0]
    assert [
        int(chunk.split('"', 1)[0]) for chunk in answers.split('data-statement="')[1:]
    ] == [3, 7, 4, 5, 10]
    assert '<p class="responds-to">Answers no other statement.</p>' in report.text


@pytest.mark.parametrize("answers", [0, 4])
def test_the_thread_pages_run_the_same_queries_however_many_answers(
    editor_client, seeds, make_statement, django_assert_num_queries, answers
):
    bbc = Statement.objects.get(pk=1)
    for day in range(answers):
        # Half on the BBC's claim, half recorded on another claim.
        make_statement(
            Actor.objects.get(slug="wang-wenbin"),
            responds_to=bbc,
            claim=bbc.claim if day % 2 else None,
            made_on=datetime.date(2021, 2, 5 + day),
        )

    # Django caches content types per process: other tests may have warmed it.
    for model in (Claim, Statement):
        ContentType.objects.get_for_model(model)
    # + the claim, its topics (the autocomplete's chosen ones and the choices)
    # and the thread: its statements' ids, then the statements with speakers and
    # what they answer.
    with django_assert_num_queries(PAGE + 5):
        claim = editor_client.get(reverse("admin:claims_claim_change", args=[1]))
    # + the statement with everything target() prints, its citation rows (with
    # their sources), the chosen speaker, claim and each row's source in the
    # autocompletes, the answers with their speakers, and the content type.
    with django_assert_num_queries(PAGE + 9):
        statement = editor_client.get(
            reverse("admin:claims_statement_change", args=[1])
        )

    assert len(thread_rows(claim.text)) == 8 + answers
    assert statement.text.count('<li><a href="/admin/claims/statement/') == 5 + answers


# 5. Restoring deleted records ------------------------------------------------------


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == ERROR]


def test_a_deleted_statement_is_listed_and_restored_with_its_citations(
    client, seeds, django_assert_num_queries
):
    client.force_login(member_of("Reviewers"))
    statement = Statement.objects.get(pk=4)
    citations = {
        c.pk: (c.quote, c.start, c.end) for c in statement.citations.order_by("pk")
    }
    assert len(citations) == 3
    delete = client.post(
        reverse("admin:claims_statement_delete", args=[4]), {"post": "yes"}
    )
    assert delete.status_code == 302
    assert not Citation.objects.filter(pk__in=citations).exists()

    changelist = client.get(reverse("admin:claims_statement_changelist"))
    # + the deleted statements, their speakers, their deleted citations.
    with django_assert_num_queries(PAGE + 3):
        listed = client.get(reverse("admin:claims_statement_deleted"))
    restored = client.post(
        reverse("admin:claims_statement_restore", args=[4]),
        {"citation": list(citations)},
    )

    assert (
        '<a href="/admin/claims/statement/deleted/" class="deletedlink" '
        'id="deleted-records-link">Deleted statements</a>'
    ) in changelist.text
    assert [r.id for r in listed.context["records"]] == [4]
    record = listed.context["records"][0]
    assert record.label.startswith("Wang Wenbin rejects: Wang Wenbin rejected")
    assert [(c.id, c.with_statement) for c in record.deleted_citations] == [
        (pk, True) for pk in citations
    ]
    assert restored.status_code == 302
    assert restored["Location"] == "/admin/claims/statement/4/change/"
    statement = Statement.objects.get(pk=4)
    assert statement.summary.startswith("Wang Wenbin rejected the reports")
    assert statement.status == Statement.Status.PUBLISHED
    assert {
        c.pk: (c.quote, c.start, c.end) for c in statement.citations.all()
    } == citations
    # Newest first; fixtures load without history rows.
    assert [r.history_type for r in Statement.history.filter(id=4)] == ["+", "-"]
    assert (
        client.get(reverse("admin:claims_statement_deleted")).context["records"] == []
    )


def test_restoring_needs_the_add_permission_and_publishing_rights_for_a_published_one(
    client, seeds
):
    client.force_login(member_of("Reviewers"))
    client.post(reverse("admin:claims_statement_delete", args=[4]), {"post": "yes"})
    restore = reverse("admin:claims_statement_restore", args=[4])

    client.force_login(member_of("Viewers"))
    by_viewer = client.post(restore)
    client.force_login(member_of("Editors"))
    by_editor = client.post(restore)

    assert by_viewer.status_code == 403
    # Editors write drafts: bringing back a published statement is publishing it.
    assert by_editor.status_code == 403
    assert errors(by_editor) == [
        "Publishing and unpublishing statements is for reviewers "
        "(permission claims.publish_statement)."
    ]
    assert not Statement.objects.filter(pk=4).exists()


@pytest.mark.parametrize(
    ("object_id", "data", "message"),
    [
        (
            1,
            {},
            "The statement 1 was not restored: This statement exists: revert it "
            "from its history page instead.",
        ),
        (
            999,
            {},
            "The statement 999 was not restored: No deleted statement has the id 999.",
        ),
        (
            4,
            {"citation": ["91"]},
            "The statement 4 was not restored: Citation 91 is "
            "not a deleted citation of this statement.",
        ),
    ],
)
def test_a_restore_that_cannot_be_done_is_a_400_and_writes_nothing(
    client, seeds, object_id, data, message
):
    client.force_login(member_of("Reviewers"))
    client.post(reverse("admin:claims_statement_delete", args=[4]), {"post": "yes"})
    statements = Statement.objects.count()

    response = client.post(
        reverse("admin:claims_statement_restore", args=[object_id]), data
    )

    assert response.status_code == 400
    assert errors(response) == [message]
    assert Statement.objects.count() == statements


def test_a_citation_no_longer_in_its_source_keeps_its_statement_deleted_until_left_out(
    editor_client, make_source, make_statement, make_citation
):
    source = make_source("Beijing called the report a farce on Thursday.")
    statement = make_statement()
    citation = make_citation(statement=statement, source=source, quote="a farce")
    editor_client.post(
        reverse("admin:claims_statement_delete", args=[statement.pk]), {"post": "yes"}
    )
    # Nothing cites the source now, so its text may change.
    source.text = "Beijing called the report a hodgepodge on Thursday."
    source.save()
    restore = reverse("admin:claims_statement_restore", args=[statement.pk])

    refused = editor_client.post(restore, {"citation": [citation.pk]})
    assert refused.status_code == 400
    assert errors(refused) == [
        f"The statement {statement.pk} was not restored: citation {citation.pk}: "
        "The quote is not in the source text."
    ]
    assert not Statement.objects.filter(pk=statement.pk).exists()

    restored = editor_client.post(restore)
    assert restored.status_code == 302
    assert Statement.objects.get(pk=statement.pk).citations.count() == 0


def test_a_deleted_source_is_listed_and_restored(editor_client, make_source):
    source = make_source("A text nobody cited.", title="An uncited article")
    pk = source.pk
    editor_client.post(
        reverse("admin:claims_source_delete", args=[pk]), {"post": "yes"}
    )
    assert not Source.objects.filter(pk=pk).exists()

    changelist = editor_client.get(reverse("admin:claims_source_changelist"))
    listed = editor_client.get(reverse("admin:claims_source_deleted"))
    restored = editor_client.post(reverse("admin:claims_source_restore", args=[pk]))

    # The link sits among the CSV import and export buttons.
    tools = changelist.text.split('<ul class="object-tools">')[1].split("</ul>")[0]
    assert 'class="import_link"' in tools
    assert (
        '<a href="/admin/claims/source/deleted/" class="deletedlink" '
        'id="deleted-records-link">Deleted sources</a>'
    ) in tools
    assert [(r.id, r.label) for r in listed.context["records"]] == [
        (pk, "An uncited article")
    ]
    assert f'href="/admin/claims/source/{pk}/history/"' in listed.text
    assert restored.status_code == 302
    assert Source.objects.get(pk=pk).text == "A text nobody cited."


# 6. Search and filters -------------------------------------------------------------


def test_statements_are_found_by_their_principals_alias(editor_client, seeds):
    response = editor_client.get(
        reverse("admin:claims_statement_changelist"), {"q": "Chinese Foreign Ministry"}
    )

    found = {s.pk for s in response.context["cl"].result_list}
    wang_for_the_ministry = set(
        Statement.objects.filter(
            actor__slug="wang-wenbin",
            on_behalf_of__slug="mfa-china",
        ).values_list("pk", flat=True)
    )
    assert wang_for_the_ministry
    assert wang_for_the_ministry <= found


def test_the_statement_changelist_filtered_and_searched_runs_a_fixed_number_of_queries(
    editor_client, seeds, django_assert_num_queries
):
    # + the filtered count, the total count, the page of rows; the topics (topic
    # filter), the months of the chosen year (date hierarchy), the distinct actor
    # countries (country filter).
    with django_assert_num_queries(PAGE + 3 + 3):
        response = editor_client.get(
            reverse("admin:claims_statement_changelist"),
            {
                "q": "Wang",
                "stance__exact": "rejects",
                "actor__kind__exact": "person",
                "actor__country": "CN",
                "status__exact": "published",
                "made_on__year": "2022",
            },
        )

    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert rows
    assert {(s.stance, s.actor.kind, s.made_on.year) for s in rows} == {
        ("rejects", "person", 2022)
    }
