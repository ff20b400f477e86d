"""The editors' admin end to end, in a real headless Chromium (Debian's package,
driven by Playwright) against the live server, as editors and reviewers use it:
logging in through the login form, entering a statement with a citation through
the autocomplete widgets, the refusal of a quote that is not in its source, the
statement list's filters, a statement's thread, publishing, reverting from the
history, the refusal of a stale save from two browsers at once, a source's text
with its cited passages, and quoting a passage by selecting it with the mouse.

Skipped on a workstation without `chromium`; under CI they always run. With
FACTDB_SCREENSHOTS=1 the admin's screenshots (admin-*.png) are written to
docs/screenshots/, otherwise to a temporary directory.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from claims.models import Citation, Statement
from claims.stances import Stance
from tests.browser import BROWSER_TESTS
from tests.helpers import member_of

# The fixtures (browser, browser_context, screenshots) are in conftest.py.
pytestmark = BROWSER_TESTS

PASSWORD = "factdb-test"  # member_of()'s
STATEMENTS = "/admin/claims/statement/"

# Source 5 (the article of 2022-09-02) quotes the State Department with curly
# quotes; editors paste the passage with straight ones.
SOURCE = 5
SOURCE_NAME = "Untitled (news article, 2022-09-02)"
PASTED = (
    "the US has 'welcomed' the UN report, that describes, \"authoritatively the "
    "appalling treatment and abuses of Uyghurs"
)
STORED = (
    "the US has \u2018welcomed\u2019 the UN report, that describes, "
    "\u201cauthoritatively the appalling treatment and abuses of Uyghurs"
)
STORED_AT = (668, 783)
NOT_IN_SOURCE = "the US has 'condemned' the UN report"
NOT_IN_SOURCE_ERROR = (
    "The quote is not in the source text. The closest passage (at offset 668) is: "
    "\u201cthe US has \u2018welcomed\u2019 the UN report\u201d"
)


@pytest.fixture
def sign_in(browser_context, live_server):
    """Opens a page of a new browser context signed in as a user, with a session
    as the login form gives (the form itself is tried by its own test)."""

    def open_page(user) -> Page:
        client = Client()
        client.force_login(user)
        context = browser_context()
        context.add_cookies(
            [
                {"name": cookie.key, "value": cookie.value, "url": live_server.url}
                for cookie in client.cookies.values()  # the session's
            ]
        )
        return context.new_page()

    return open_page


def choose(page: Page, field: str, search: str, option: str, value: int) -> None:
    """Picks `option` in an autocomplete (select2) field as an editor does: open
    it, type, click the result; the form's select then holds the record's id."""
    page.locator(f"#{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.locator(f"#{field}")).to_have_value(str(value))


def fill_in_statement(page: Page, summary: str) -> None:
    """The statement part of an add page, filled in as an editor does: the US
    Department of State welcomes the OHCHR's finding."""
    choose(page, "id_actor", "Department of State", "US Department of State", 14)
    page.locator("#id_stance").select_option(Stance.WELCOMES)
    choose(
        page,
        "id_claim",
        "xinjiang-serious",
        "Serious human rights violations have been committed against Uyghurs and "
        "other predominantly Muslim groups in Xinjiang.",
        16,
    )
    page.locator("#id_made_on").fill("2022-09-01")
    page.locator("#id_summary").fill(summary)


def enter_statement(page: Page, quote: str) -> None:
    """A new statement quoting source 5, the quote pasted."""
    page.goto(f"{STATEMENTS}add/")
    fill_in_statement(page, "The State Department welcomed the report.")
    choose(page, "id_citations-0-source", "welcomed", SOURCE_NAME, SOURCE)
    page.locator("#id_citations-0-quote").fill(quote)


def screenshot_from(element: Locator, path: Path) -> None:
    """A screenshot of the window scrolled to show `element` at its top: the part
    of a long page a reader should see."""
    element.evaluate("element => element.scrollIntoView()")
    element.page.screenshot(path=path)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    # Argon2 spends about a second on each hash, by design; the login form is what
    # these tests try, with every user's password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_page(seeds, sign_in) -> Page:
    return sign_in(member_of("Editors", "amina"))


def test_an_editor_logs_in_through_the_login_form(seeds, browser_context):
    editor = member_of("Editors", "amina")
    page = browser_context().new_page()
    page.goto(f"/admin/login/?next={STATEMENTS}")
    page.get_by_label("Username:").fill("amina")
    page.get_by_label("Password:").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_have_text(
        "Please enter the correct username and password for a staff account. "
        "Note that both fields may be case-sensitive."
    )

    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(rf"{STATEMENTS}$"))
    expect(page.locator("#user-tools strong")).to_have_text(editor.username)
    expect(page.locator("#result_list tbody tr")).to_have_count(71)


def test_a_pasted_quote_with_straight_quotes_is_stored_as_the_sources_curly_text(
    editor_page,
):
    enter_statement(editor_page, PASTED)
    editor_page.locator("input[name=_save]").click()

    expect(editor_page.locator(".messagelist .success")).to_contain_text(
        "was added successfully"
    )
    statement = Statement.objects.get(
        summary="The State Department welcomed the report."
    )
    citation = statement.citations.get()
    assert (citation.source_id, citation.quote) == (SOURCE, STORED)
    assert (citation.start, citation.end) == STORED_AT
    assert statement.status == Statement.Status.DRAFT
    editor_page.goto(f"{STATEMENTS}{statement.pk}/change/")
    expect(editor_page.locator("#id_citations-0-quote")).to_have_value(STORED)
    expect(editor_page.locator(".field-in_context .quote-context-quote")).to_have_text(
        STORED
    )


def test_a_quote_not_in_the_source_is_refused_with_its_error_and_nothing_is_saved(
    editor_page,
):
    counts = Statement.objects.count(), Citation.objects.count()
    enter_statement(editor_page, NOT_IN_SOURCE)
    editor_page.locator("input[name=_save]").click()

    expect(editor_page.locator("#id_citations-0-quote_error")).to_have_text(
        NOT_IN_SOURCE_ERROR
    )
    expect(editor_page.locator(".errornote")).to_be_visible()
    # The editor's text is kept, to correct.
    expect(editor_page.locator("#id_citations-0-quote")).to_have_value(NOT_IN_SOURCE)
    assert (Statement.objects.count(), Citation.objects.count()) == counts


def test_the_statement_list_filters_by_stance_and_speaker_kind(
    editor_page, screenshots
):
    editor_page.goto(STATEMENTS)
    filters = editor_page.locator("#changelist-filter")

    filters.get_by_role("link", name="rejects", exact=True).click()

    expect(editor_page).to_have_url(re.compile(r"stance__exact=rejects"))
    # The seeds' seven rejections, five of them by persons (spokespeople).
    expect(editor_page.locator("#result_list tbody tr")).to_have_count(7)
    filters.get_by_role("link", name="person", exact=True).click()
    expect(editor_page.locator("#result_list tbody tr")).to_have_count(5)
    expect(editor_page.locator("#result_list tbody td.field-stance")).to_have_text(
        ["rejects"] * 5
    )
    # Wide enough for every column beside the navigation and the filters.
    editor_page.set_viewport_size({"width": 1500, "height": 900})
    editor_page.screenshot(path=screenshots / "admin-statements.png")


def test_a_statements_page_shows_its_quotes_in_context_and_its_thread(
    editor_page, screenshots
):
    editor_page.goto(f"{STATEMENTS}1/change/")

    thread = editor_page.locator("#statement-thread")
    expect(thread.locator(".responds-to")).to_have_text("Answers no other statement.")
    expect(thread.locator(".statement-answers li a.statement-ref")).to_have_text(
        ["#3", "#7", "#4", "#5", "#10"]
    )
    expect(editor_page.locator(".field-in_context .quote-context-quote")).to_have_text(
        [citation.quote for citation in Citation.objects.filter(statement=1)]
    )
    screenshot_from(
        editor_page.locator("fieldset", has=thread), screenshots / "admin-statement.png"
    )

    thread.get_by_role("link", name="#4").click()

    expect(editor_page).to_have_url(re.compile(rf"{STATEMENTS}4/change/$"))
    expect(editor_page.locator("#statement-thread .responds-to")).to_have_text(
        "Answers #1 (BBC, reports)."
    )


@pytest.fixture
def draft(seeds) -> Statement:
    return Statement.objects.create(
        actor_id=35,
        stance=Stance.ASSERTS,
        responds_to_id=1,
        made_on=datetime.date(2021, 2, 5),
        summary="The BBC stands by its reporting.",
    )


def test_a_reviewer_publishes_a_draft_that_an_editor_cannot(
    editor_page, sign_in, draft
):
    editor_page.goto(f"{STATEMENTS}?status__exact=draft")
    expect(editor_page.locator("#result_list tbody tr")).to_have_count(1)
    expect(editor_page.locator("select[name=action] option")).to_have_text(
        ["---------", "Export citations\u2026"]
    )
    editor_page.goto(f"{STATEMENTS}{draft.pk}/change/")
    expect(editor_page.locator(".field-status .readonly")).to_have_text("draft")
    expect(editor_page.locator("#id_status")).to_have_count(0)

    reviewer = sign_in(member_of("Reviewers", "rosa"))
    reviewer.goto(f"{STATEMENTS}?status__exact=draft")
    expect(reviewer.locator("select[name=action] option")).to_contain_text(
        ["Publish", "Unpublish (back to draft)"]
    )
    reviewer.locator(f"input.action-select[value='{draft.pk}']").check()
    reviewer.locator("select[name=action]").select_option(label="Publish")
    reviewer.get_by_role("button", name="Go").click()

    expect(reviewer.locator(".messagelist li")).to_have_text(
        "1 statement(s) published."
    )
    draft.refresh_from_db()
    assert draft.status == Statement.Status.PUBLISHED
    assert draft.history.latest().history_user.username == "rosa"


def test_an_editor_reverts_a_change_from_the_history(
    editor_page, sign_in, draft, screenshots
):
    editor_page.goto(f"{STATEMENTS}{draft.pk}/change/")
    editor_page.locator("#id_summary").fill("The BBC retracts its reporting.")
    editor_page.locator("input[name=_continue]").click()
    expect(editor_page.locator(".messagelist .success")).to_contain_text(
        "was changed successfully"
    )

    other = sign_in(member_of("Editors", "bruno"))
    other.goto(f"{STATEMENTS}{draft.pk}/change/")
    other.get_by_role("link", name="History").click()
    rows = other.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    # The oldest version, as created (by no user: the test's set-up).
    rows.nth(1).get_by_role("link").click()
    expect(other.locator("#id_summary")).to_have_value(
        "The BBC stands by its reporting."
    )
    other.get_by_role("button", name="Revert").click()

    expect(other.locator(".messagelist .success")).to_contain_text(
        "was changed successfully"
    )
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("The BBC stands by its reporting.", 3)
    other.goto(f"{STATEMENTS}{draft.pk}/history/")
    expect(rows).to_have_count(3)
    # Newest first: who saved each version, and what each change did (whitespace
    # compared collapsed).
    expect(rows.locator("td:nth-child(4)")).to_have_text(["bruno", "amina", "None"])
    expect(rows.locator("td:nth-child(3)")).to_have_text(
        ["Changed", "Changed", "Created"]
    )
    changes = rows.locator("td:nth-child(6)")
    expect(changes.nth(0)).to_contain_text(
        "Summary: The BBC retracts its reporting. \u2192 "
        "The BBC stands by its reporting."
    )
    expect(changes.nth(1)).to_contain_text(
        "Summary: The BBC stands by its reporting. \u2192 "
        "The BBC retracts its reporting."
    )
    other.screenshot(path=screenshots / "admin-history.png")


def test_the_second_of_two_editors_saving_the_same_statement_is_refused(
    editor_page, sign_in, draft, screenshots
):
    other = sign_in(member_of("Editors", "bruno"))
    for page in (editor_page, other):
        page.goto(f"{STATEMENTS}{draft.pk}/change/")
    editor_page.locator("#id_summary").fill("Amina's summary.")
    other.locator("#id_summary").fill("Bruno's summary.")

    editor_page.locator("input[name=_save]").click()
    expect(editor_page.locator(".messagelist .success")).to_contain_text(
        "was changed successfully"
    )
    other.locator("input[name=_save]").click()

    expect(other.locator(".errornote")).to_be_visible()
    expect(other.locator("ul.errorlist.nonfield")).to_have_text(
        re.compile(
            re.escape(
                "Someone else saved this statement after you opened it: you edited "
                "version 1, the current one is version 2. Nothing was saved; reload "
                "it and apply your changes again. summary: \u201cThe BBC stands by "
                "its reporting.\u201d \u2192 \u201cAmina's summary.\u201d (by amina, "
            )
            + r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$"
        )
    )
    # Bruno's text stays in his form, to apply again.
    expect(other.locator("#id_summary")).to_have_value("Bruno's summary.")
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("Amina's summary.", 2)
    other.screenshot(path=screenshots / "admin-stale-save.png")


# The source's text and the quote picker -------------------------------------------

# An uncited passage of source 5, and the text the picker shows around it.
PICKED = (
    "this widely anticipated report was released roughly three months after "
    "Michelle Bachelet"
)
PICKED_AT = (3659, 3747)
PICKED_BEFORE = "(@ChinaMissionGva) September 1, 2022\n\nIt is pertinent to note that "
PICKED_AFTER = ", the UN High Commissioner for Human Rights, received harsh criticism"

# Where `passage` is drawn inside the element `selector`: the middle of its first
# character's left half and of its last character's right half, so that a drag
# from one to the other selects exactly the passage (scrolled into view first).
PASSAGE_ENDS = """([selector, passage]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(passage);
        if (at === -1) continue;
        const box = (offset) => {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            return range.getBoundingClientRect();
        };
        const top = box(at).top - root.getBoundingClientRect().top;
        root.scrollTop += top - root.clientHeight / 3;
        const first = box(at);
        const last = box(at + passage.length - 1);
        return {
            start: [first.left + first.width / 4, first.top + first.height / 2],
            end: [last.right - last.width / 4, last.top + last.height / 2],
        };
    }
    return null;
}"""


def select_with_the_mouse(page: Page, selector: str, passage: str) -> None:
    """Drags the mouse across `passage` in the element `selector`, as an editor
    selects it."""
    page.locator(selector).scroll_into_view_if_needed()
    ends = page.evaluate(PASSAGE_ENDS, [selector, passage])
    assert ends is not None, f"{passage!r} is not shown in {selector}"
    page.mouse.move(*ends["start"])
    page.mouse.down()
    page.mouse.move(*ends["end"], steps=5)
    page.mouse.up()
    assert page.evaluate("String(window.getSelection())") == passage


def test_a_sources_page_marks_each_cited_passage_and_links_its_statement(
    editor_page, screenshots
):
    editor_page.goto("/admin/claims/source/1/change/")

    text = editor_page.locator("#cited-text")
    # Each citation of source 1 begins with its anchor: the mark's id, or an empty
    # anchor before the mark where two citations begin together.
    expect(text.locator("[id^=citation-]")).to_have_count(
        Citation.objects.filter(source=1).count()
    )
    passage = text.locator("mark#citation-6")
    expect(passage).to_have_text(Citation.objects.get(pk=6).quote)
    expect(passage).to_have_attribute("title", "Wang Wenbin, rejects, 4 Feb 2021")
    screenshot_from(
        editor_page.locator("fieldset", has=text), screenshots / "admin-source.png"
    )

    expect(editor_page.locator("#add-statement-citing-source")).to_have_attribute(
        "href", f"{STATEMENTS}add/?source=1"
    )
    # The number after the passage.
    refs = text.locator("mark#citation-6 + sup.refs a")
    expect(refs).to_have_text("4")
    refs.click()

    expect(editor_page).to_have_url(re.compile(rf"{STATEMENTS}4/change/$"))


def test_a_passage_selected_in_the_source_text_is_previewed_and_saved_as_the_quote(
    editor_page, screenshots
):
    counts = Statement.objects.count(), Citation.objects.count()
    editor_page.goto(f"{STATEMENTS}add/?source={SOURCE}")
    expect(editor_page.locator("#id_citations-0-source")).to_have_value(str(SOURCE))
    panel = "#citations-0-picker-text"
    expect(editor_page.locator(panel)).to_have_attribute("data-state", "loaded")

    select_with_the_mouse(editor_page, panel, PICKED)

    expect(editor_page.locator("#id_citations-0-quote")).to_have_value(PICKED)
    expect(editor_page.locator("#id_citations-0-start")).to_have_value(
        str(PICKED_AT[0])
    )
    preview = editor_page.locator("#citations-0-preview")
    expect(preview).to_have_attribute("data-state", "ok")
    expect(preview.locator(".citation-preview-quote")).to_have_text(PICKED)
    expect(preview.locator(".citation-preview-before")).to_contain_text(PICKED_BEFORE)
    expect(preview.locator(".citation-preview-after")).to_contain_text(PICKED_AFTER)
    expect(preview.locator(".citation-preview-offsets")).to_have_text(
        f" (offsets {PICKED_AT[0]}\u2013{PICKED_AT[1]})"
    )
    row = editor_page.locator(".inline-related").first
    screenshot_from(row, screenshots / "admin-quote-picker.png")

    fill_in_statement(editor_page, "Source 5 on the timing of the report.")
    editor_page.locator("input[name=_save]").click()

    expect(editor_page.locator(".messagelist .success")).to_contain_text(
        "was added successfully"
    )
    assert (Statement.objects.count(), Citation.objects.count()) == (
        counts[0] + 1,
        counts[1] + 1,
    )
    citation = Citation.objects.get(statement__summary__startswith="Source 5 on")
    assert (citation.source_id, citation.quote) == (SOURCE, PICKED)
    assert (citation.start, citation.end) == PICKED_AT
