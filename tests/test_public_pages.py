"""The public reading room on the seed fixtures: what each page shows, that only
published statements appear, escaping, status codes and query counts."""

from __future__ import annotations

import datetime
import html
import re

import jinja2
import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse, set_script_prefix

from claims.models import Actor, Source, Statement
from claims.public.highlight import Passage, highlight
from claims.public.timeline import STANCE_COLOURS, render_timeline
from claims.public.views import Links
from claims.services import attach_citation
from claims.stances import Stance

pytestmark = pytest.mark.django_db

CLAIM = "/claims/xinjiang-camps-sexual-violence/"

# The statements on the claim and the answers to them, oldest first: the BBC report
# (1), the State Department's concern (3), Wang Wenbin's assertion "earlier in the
# week" (7, approximate), his rejection (4) and assertion (5), Dujarric's call for
# access (10, on the visit claim, answering the BBC), and two OHCHR findings.
CLAIM_STATEMENTS = [1, 3, 7, 4, 5, 10, 44, 46]
CLAIM_RESPONSES = {(3, 1), (7, 1), (4, 1), (5, 1), (10, 1)}

# The Government of China's published statements (as speaker or principal), in
# date order within each claim, claims in the order of their first statement.
GOVERNMENT_OF_CHINA_STATEMENTS = [
    18, 33, 37, 57, 19, 31, 36, 38, 17, 56, 32, 34, 35, 12, 55, 64, 65, 54, 63,
]  # fmt: skip


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def statement_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article[^>]* id="statement-(\d+)"', body)]


def articles(body: str) -> dict[int, str]:
    """Each statement's <article>, by statement id."""
    return {
        int(pk): article
        for article, pk in re.findall(
            r'(<article[^>]* id="statement-(\d+)".*?</article>)', body, re.S
        )
    }


def text_of(fragment: str) -> str:
    """The words a reader sees, with tags as spaces (none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([.,:;])", r"\1", words)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def draft(seeds) -> Statement:
    """An unpublished answer to the BBC report, cited from source 1, dated after
    every seed statement so that it would top the latest statements."""
    statement = Statement.objects.create(
        actor_id=35,
        stance=Stance.ASSERTS,
        claim_id=1,
        responds_to_id=1,
        made_on=datetime.date(2030, 1, 1),
        summary="Draft: the BBC stands by its reporting.",
        status=Statement.Status.DRAFT,
    )
    attach_citation(
        statement=statement,
        source=Source.objects.get(pk=1),
        quote="initially circulated by the BBC",
    )
    return statement


# The claim page ---------------------------------------------------------------------


def test_the_claim_page_tells_the_sexual_violence_story_in_date_order(client, seeds):
    body = page(client, CLAIM)

    assert "<h1>Women detained in Xinjiang&#39;s camps were systematically" in body
    assert statement_ids(body) == CLAIM_STATEMENTS
    statements = articles(body)
    bbc, wang, dujarric = (text_of(statements[pk]) for pk in (1, 4, 10))
    assert bbc.startswith("BBC reports 3 Feb 2021")
    assert "reports, initially circulated by the BBC, stating that Muslim" in bbc
    assert wang.startswith("Wang Wenbin rejects 4 Feb 2021 · on behalf of Ministry")
    assert "Chinese Foreign Ministry Spokesman Wang Wenbin rejected reports" in wang
    assert "Responds to BBC reports (statement 1)" in wang
    assert dujarric.startswith("Stephane Dujarric calls for 4 Feb 2021")
    assert "called for a visit" in dujarric


def test_each_quote_links_to_its_place_in_the_source(client, seeds):
    body = page(client, CLAIM)

    # Statement 4's quotes: source 1 at 93 and 465 (citations 6 and 7), source 2.
    wang = articles(body)[4]
    links = re.findall(r'<a class="quote-source" href="([^"]+)"', wang)
    assert links[:2] == ["/sources/1/#citation-6", "/sources/1/#citation-7"]
    assert links[2].startswith("/sources/2/#citation-")


def test_a_response_links_to_the_statement_it_answers_on_the_page(client, seeds):
    body = page(client, CLAIM)

    for pk in (3, 7, 4, 5, 10):
        assert '<a class="responds-to" href="#statement-1">' in articles(body)[pk]
    bbc = articles(body)[1]
    assert re.findall(r'class="answered-by" href="#statement-(\d+)"', bbc) == [
        "3",
        "7",
        "4",
        "5",
        "10",
    ]


def test_a_response_to_a_statement_on_another_claim_links_to_that_claims_page(
    client, seeds
):
    body = page(client, "/claims/un-high-commissioner-visit-to-xinjiang/")

    dujarric = articles(body)[10]
    assert (
        '<a class="responds-to" '
        'href="/claims/xinjiang-camps-sexual-violence/#statement-1">'
    ) in dujarric


def test_the_claim_timeline_draws_one_mark_per_statement_and_an_arrow_per_response(
    client, seeds
):
    body = page(client, CLAIM)

    svg = re.search(r"<svg.*?</svg>", body, re.S)[0]
    marks = [int(pk) for pk in re.findall(r'<circle[^>]*data-statement="(\d+)"', svg)]
    assert marks == CLAIM_STATEMENTS
    arrows = {
        (int(a), int(b))
        for a, b in re.findall(
            r'class="response" data-from="(\d+)" data-to="(\d+)"', svg
        )
    }
    assert arrows == CLAIM_RESPONSES
    assert svg.count('marker-end="url(#arrowhead)"') == len(CLAIM_RESPONSES)
    # Wang Wenbin's assertion "earlier in the week" is drawn hollow.
    assert re.search(r'class="mark stance-asserts inexact" data-statement="7"', svg)
    assert "<title>Wang Wenbin rejects, 4 Feb 2021</title>" in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<a href="#statement-4"' in svg


def test_the_claim_page_offers_every_export_format(client, seeds):
    body = page(client, CLAIM)

    menu = re.search(r'<details class="export-menu">.*?</details>', body, re.S)[0]
    assert "<summary>Export citations</summary>" in menu
    links = re.findall(r'href="([^"]+)"', menu)
    for name in ("csl-json", "bibtex", "ris", "csv", "annotations"):
        assert (
            f"/api/v1/citations/export/?format={name}&amp;"
            "claim=xinjiang-camps-sexual-violence"
        ) in links
    assert (
        "/api/v1/citations/export/?format=text&amp;claim=xinjiang-camps-sexual-"
        "violence&amp;style=chicago-author-date"
    ) in links
    assert "/api/v1/claims/xinjiang-camps-sexual-violence/dossier/?format=html" in links


def test_the_export_links_of_the_claim_page_download_its_citations(client, seeds):
    body = page(client, CLAIM)
    bibtex = re.search(r'href="([^"]*format=bibtex[^"]*)"', body)[1]

    response = client.get(html.unescape(bibtex))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")


def test_the_claim_page_runs_six_queries(client, seeds):
    # The claim, its topics, the ids of its timeline (a UNION of two index
    # lookups), the statements (with actor, principal, claim and the statement
    # each answers joined), the sources they were made in (the BBC's report, the
    # UN assessment; none is about a document), and their citations with their
    # sources.
    assert count_queries(client, CLAIM) == 6


# The actor page ---------------------------------------------------------------------


def test_the_actor_page_groups_statements_by_claim_and_shows_the_hierarchy(
    client, seeds
):
    body = page(client, "/actors/government-of-china/")

    assert "<h1>Government of China</h1>" in body
    assert '<a class="parent" href="/actors/china/">China</a>' in body
    children = re.search(r'<ul class="children">.*?</ul>', body, re.S)[0]
    assert text_of(children) == (
        "Chinese state media Government of the Xinjiang Uyghur Autonomous Region "
        "Ministry of Foreign Affairs of China"
    )
    aliases = re.search(r'<ul class="aliases">.*?</ul>', body, re.S)[0]
    assert text_of(aliases) == "Beijing Chinese authorities Chinese government"
    assert statement_ids(body) == GOVERNMENT_OF_CHINA_STATEMENTS
    groups = [
        text_of(h)
        for h in re.findall(r'<h3[^>]*class="group-heading".*?</h3>', body, re.S)
    ]
    assert groups[0] == (
        "On the claim: The facilities in Xinjiang are vocational education and "
        "training centres that counter extremism, not detention camps."
    )
    assert groups[-1] == "On documents and other statements"
    assert len(groups) == 9


def test_a_persons_page_lists_the_roles_they_hold(client, seeds):
    body = page(client, "/actors/wang-wenbin/")

    roles = text_of(re.search(r'<ul class="roles">.*?</ul>', body, re.S)[0])
    assert "Ministry of Foreign Affairs of China" in roles
    assert 4 in statement_ids(body)


def test_an_organisations_page_lists_its_people(client, seeds):
    body = page(client, "/actors/mfa-china/")

    people = text_of(re.search(r'<ul class="people">.*?</ul>', body, re.S)[0])
    assert "Wang Wenbin" in people


def test_the_actor_page_runs_nine_queries(client, seeds):
    # The actor with its parent, its children, aliases, people (with each person)
    # and roles (with each organisation); its statements, the documents they are
    # about and those they were made in, and their citations.
    assert count_queries(client, "/actors/government-of-china/") == 9


# The source page --------------------------------------------------------------------


def test_the_source_page_marks_every_cited_passage_and_links_it_to_its_statement(
    client, seeds
):
    source = Source.objects.get(pk=1)
    body = page(client, "/sources/1/")

    text = re.search(r'<div class="source-text"[^>]*>(.*?)</div>', body, re.S)[1]
    # Every published citation of source 1 has its anchor in the text...
    anchors = sorted(int(pk) for pk in re.findall(r'id="citation-(\d+)"', text))
    assert anchors == sorted(source.citations.values_list("pk", flat=True))
    # ...and the text is the source's, escaped, once the links are taken out.
    plain = html.unescape(
        re.sub(r"<[^>]+>", "", re.sub(r'<sup class="refs">.*?</sup>', "", text))
    )
    assert plain == source.text
    # The BBC report (statement 1, 319-461) lies inside the State Department's
    # citation (statement 3, 248-462): that piece is marked for both.
    assert re.search(
        r'<mark id="citation-1" data-statements="1 3" title="BBC reports, 3 Feb 2021; '
        r'US Department of State expresses concern, 3 Feb 2021">reports, initially',
        text,
    )
    assert (
        '<a href="/claims/xinjiang-camps-sexual-violence/#statement-4" '
        'aria-label="Statement 4: Wang Wenbin rejects, 4 Feb 2021">4</a>'
    ) in text


def test_the_source_page_has_its_metadata_and_a_cite_this_box(client, seeds):
    body = page(client, "/sources/1/")

    assert "<h1>Untitled (news article, UrduPoint News, 2021-02-04)</h1>" in body
    assert '<a href="/actors/urdupoint-news/">UrduPoint News</a>' in body
    cite = re.search(r'<section class="cite-this".*?</section>', body, re.S)[0]
    assert (
        '<dt>APA</dt><dd class="reference">@ChaudhryMAli88. (2021, February 4). '
        "[Untitled news article, UrduPoint News, 2021-02-04]. <i>UrduPoint News</i>."
        "</dd>"
    ) in cite
    assert (
        '<dt>Chicago</dt><dd class="reference">@ChaudhryMAli88. 2021. “[Untitled '
        "News Article, UrduPoint News, 2021-02-04]”. <i>UrduPoint News</i>, "
        "February 4.</dd>"
    ) in cite
    assert (
        '<dt>BibTeX</dt><dd><pre class="bibtex">'
        "@article{chaudhrymali88_2021_untitled_1,"
        "\n  author = {{@ChaudhryMAli88}},"
    ) in cite


def test_a_document_without_text_lists_the_statements_about_it(client, seeds):
    body = page(client, "/sources/9/")

    assert "FactDB does not hold the text of this document yet." in body
    assert "Made in it:" in body and "About it:" in body


def test_the_source_page_runs_four_queries(client, seeds):
    # The source with publisher, author and previous version; its cited passages
    # with their statements; the statements made in or about it; later versions.
    assert count_queries(client, "/sources/1/") == 4


# Search -----------------------------------------------------------------------------


def test_searching_for_hodgepodge_finds_wang_wenbins_rejection_with_a_snippet(
    client, seeds
):
    body = page(client, "/search/?q=hodgepodge")

    results = re.findall(r'<li class="result result-(\w+)">(.*?)</li>', body, re.S)
    assert [kind for kind, _ in results] == ["statement", "statement", "source"]
    first = results[0][1]
    assert 'href="/claims/' in first or 'href="/actors/' in first
    assert "Wang Wenbin called the UN assessment a hodgepodge" in first
    assert "<mark>hodgepodge</mark>" in first
    assert '<a href="/sources/3/">Beijing slams UN report' in results[2][1]


def test_search_filters_narrow_the_statements(client, seeds):
    body = page(client, "/search/?q=china&stance=denies&date_from=2021-01-01")

    results = re.findall(r'<li class="result result-(\w+)">(.*?)</li>', body, re.S)
    assert results
    assert {kind for kind, _ in results} == {"statement"}
    assert all(" · denies · " in text_of(item) for _, item in results)
    assert "10 Feb 2019" not in body


def test_search_by_actor_includes_its_bodies_and_people(client, seeds):
    body = page(client, "/search/?q=hodgepodge&actor=china")

    assert "Wang Wenbin called the UN assessment a hodgepodge" in body


def test_a_bad_search_says_what_is_wrong_with_status_400(client, seeds):
    body = page(client, "/search/?q=the", status=400)

    assert "common word such as &#39;the&#39;" in body
    assert 'role="alert"' in body


def test_a_bad_filter_value_is_a_400_naming_the_field(client, seeds):
    body = page(client, "/search/?q=china&date_from=2021-13-45", status=400)

    assert "Enter a valid date." in body


def test_a_script_in_a_search_query_is_escaped(client, seeds):
    body = page(client, "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E+hodgepodge")

    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hodgepodge" in body


def test_the_search_page_runs_a_constant_number_of_queries(client, seeds):
    # The ranked matches of each kind (4); the snippets of the two statements kept
    # (SQLite: one query on their own text, one on their quotes; PostgreSQL: one)
    # and of the source kept (1); the statements' actors and claims for their
    # links (1); the actors of the filter's menu (1).
    expected = 9 if connection.vendor == "sqlite" else 8
    assert count_queries(client, "/search/?q=hodgepodge") == expected


def test_the_search_page_without_a_query_shows_the_form(client, seeds):
    body = page(client, "/search/")

    assert "<h1>Search</h1>" in body
    assert "result" not in re.sub(r"<form.*?</form>", "", body, flags=re.S)


# Home -------------------------------------------------------------------------------


def test_the_home_page_shows_the_latest_statements_and_the_most_active_claims(
    client, seeds
):
    body = page(client, "/")

    latest = re.findall(r"<ol class=\"latest\">(.*?)</ol>", body, re.S)[0]
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", latest, re.S)]
    assert len(items) == 10
    assert items[0].startswith("on or before 2 Sep 2022: Michelle Bachelet denies.")
    active = re.findall(r'<ol class="active-claims">(.*?)</ol>', body, re.S)[0]
    claims = re.findall(r'<a href="/claims/([^/]+)/">', active)
    assert claims[:3] == [
        "xinjiang-mass-arbitrary-detention",
        "xinjiang-detainee-torture-ill-treatment",
        "xinjiang-camps-sexual-violence",
    ]
    assert "13 statements: 2 finds, 3 denies" in text_of(active)


def test_the_home_page_runs_two_queries(client, seeds):
    # The latest statements with actor, principal and claim; the claims with their
    # counts of published statements by stance.
    assert count_queries(client, "/") == 2


# Only published records, everywhere ------------------------------------------------


def test_a_draft_statement_is_shown_on_no_public_page(client, draft):
    for url in (
        "/",
        CLAIM,
        "/actors/deng-li/",
        "/sources/1/",
        "/search/?q=stands+reporting",
    ):
        body = page(client, url)
        assert "stands by its reporting" not in body, url
        assert f"statement-{draft.pk}" not in body, url
        assert f"citation-{draft.citations.get().pk}" not in body, url
    assert statement_ids(page(client, CLAIM)) == CLAIM_STATEMENTS


def test_drafts_stay_hidden_from_a_logged_in_editor(editor_client, draft):
    assert "stands by its reporting" not in page(editor_client, CLAIM)


def test_a_published_answer_to_a_draft_does_not_reveal_it(client, draft):
    Statement.objects.create(
        actor_id=3,
        stance=Stance.WELCOMES,
        claim_id=1,
        responds_to=draft,
        made_on=datetime.date(2030, 1, 2),
        summary="Published answer to a draft.",
        status=Statement.Status.PUBLISHED,
    )

    body = page(client, CLAIM)

    assert "Published answer to a draft." in body
    assert f"statement-{draft.pk}" not in body
    assert "Draft:" not in body


@pytest.mark.parametrize(
    "url", ["/claims/no-such-claim/", "/actors/no-such-actor/", "/sources/9999/"]
)
def test_an_unknown_slug_or_id_is_a_404(client, seeds, url):
    assert client.get(url).status_code == 404


# Accessible markup ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", CLAIM, "/actors/government-of-china/", "/sources/1/", "/search/?q=china"],
)
def test_every_page_has_landmarks_a_skip_link_and_one_heading(client, seeds, url):
    body = page(client, url)

    assert '<html lang="en">' in body
    assert '<a class="skip-link" href="#main">' in body
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert body.count(landmark) == 1, landmark
    assert body.count("<h1") == 1
    assert "<script" not in body
    assert "/static/public/factdb.css" in body


def test_the_stylesheet_has_print_rules(client, seeds):
    from django.contrib.staticfiles import finders

    with open(finders.find("public/factdb.css")) as css:
        assert "@media print" in css.read()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_stance_has_a_colour_with_enough_contrast_on_white():
    assert set(STANCE_COLOURS) == set(Stance.values)
    for stance, colour in STANCE_COLOURS.items():
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, stance


# The drawing and the highlighting, without a database -----------------------------


def _statement(pk, day, *, stance="denies", precision="day", responds_to=None):
    actor = Actor(name="<Ministry> & Co", slug="ministry")
    return Statement(
        pk=pk,
        actor=actor,
        stance=stance,
        made_on=day,
        date_precision=precision,
        responds_to_id=responds_to,
    )


def test_marks_of_the_same_date_are_stacked_not_drawn_over_each_other():
    day = datetime.date(2022, 9, 1)
    svg = render_timeline(
        [_statement(1, day), _statement(2, day), _statement(3, day)], title="T"
    )

    circles = re.findall(r'<circle[^>]* cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len({cy for _, cy in circles}) == 3
    assert len({cx for cx, _ in circles}) == 1


def test_the_timeline_escapes_names_and_draws_arrows_only_between_drawn_marks():
    svg = render_timeline(
        [
            _statement(1, datetime.date(2021, 2, 3)),
            _statement(2, datetime.date(2021, 2, 4), responds_to=1),
            _statement(
                3, datetime.date(2022, 9, 1), responds_to=99, precision="on_or_before"
            ),
        ],
        title="A <claim>",
    )

    assert "<claim>" not in svg and "&lt;Ministry&gt; &amp; Co" in svg
    assert re.findall(r'data-from="(\d+)" data-to="(\d+)"', svg) == [("2", "1")]
    assert 'class="mark stance-denies inexact" data-statement="3"' in svg
    assert "on or before 1 Sep 2022" in svg


def test_overlapping_citations_become_separate_marks_naming_every_statement():
    passages = [
        Passage(1, 0, 9, "A says", "/a", 10),
        Passage(2, 4, 14, "B <says>", "/b", 20),
    ]

    marked = highlight("<b>xx</b> & more", passages)

    pieces = re.findall(r"<mark([^>]*)>(.*?)</mark>", marked)
    assert [text for _, text in pieces] == ["&lt;b&gt;x", "x&lt;/b&gt;", " &amp; mo"]
    assert 'data-statements="10 20"' in pieces[1][0]
    assert 'title="A says; B &lt;says&gt;"' in pieces[1][0]
    assert marked.startswith('<mark id="citation-1" data-statements="10"')
    assert '<span class="anchor"' not in marked
    assert marked.endswith("</sup>re")


@pytest.mark.parametrize(
    "url", ["/", CLAIM, "/actors/government-of-china/", "/sources/1/", "/search/?q=x"]
)
def test_the_pages_are_read_only(client, seeds, url):
    assert client.post(url, {"q": "x"}).status_code == 405
    assert client.head(url).status_code == 200


def test_every_public_template_compiles_and_an_unknown_name_fails_loudly():
    env = engines["jinja2"].env

    assert sorted(env.list_templates()) == [
        "public/_statement.html",
        "public/actor.html",
        "public/base.html",
        "public/claim.html",
        "public/home.html",
        "public/search.html",
        "public/source.html",
    ]
    for name in env.list_templates():
        env.get_template(name)
    # A misspelt name is an error in the tests, not a blank on the page.
    with pytest.raises(jinja2.UndefinedError, match="'statment' is undefined"):
        env.from_string("{{ statment.pk }}").render()
    # So is a statement the view did not give its links (views._listed).
    article = env.get_template("public/_statement.html").module.statement_article
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'actor_url'"):
        article(Statement(pk=1, stance="asserts"), show_claim=True)


@pytest.mark.parametrize("prefix", ["/", "/factdb/"])
def test_links_are_the_addresses_reverse_gives_under_any_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        link = Links()
        for name, key in [
            ("public:actor", "government-of-china"),
            ("public:claim", "xinjiang-camps-sexual-violence"),
            ("public:source", 12),
            ("public:source", 1),
        ]:
            assert link(name, key) == reverse(name, args=[key])
        assert link("public:source", 12) == f"{prefix}sources/12/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    "url", [CLAIM, "/actors/government-of-china/", "/sources/1/", "/search/?q=camps"]
)
def test_every_link_to_a_public_page_leads_to_one(client, seeds, url):
    body = page(client, url)
    pages = {
        html.unescape(href).split("#")[0].split("?")[0]
        for href in re.findall(r'href="(/[^"]*)"', body)
    } - {"", "/api/docs/", "/api/v1/"}
    assert len(pages) > 5
    for path in pages:
        if path.startswith(("/api/", "/static/")):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            pytest.fail(f"{url} links {path}, which is no page")
        assert match.namespace == "public", path
        assert client.get(path).status_code == 200, path
