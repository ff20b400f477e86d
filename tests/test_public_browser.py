"""The public pages end to end, in a real headless Chromium (Debian's package,
driven by Playwright) against the live server: pages render, the timeline has one
mark per statement, the links between a response and what it answers lead to the
right places, and an unpublished statement is not shown.

Skipped on a workstation without `chromium`; under CI (`CI` set, as `.ci/run`
runs) they always run, and `.ci/run` installs chromium. With
FACTDB_SCREENSHOTS=1 the pages' screenshots are written to docs/screenshots/ (the
README shows them); otherwise to a temporary directory, so a test run never
changes the work tree.
"""

from __future__ import annotations

import datetime

from claims.models import Statement
from claims.stances import Stance
from tests.browser import BROWSER_TESTS

CLAIM = "/claims/xinjiang-camps-sexual-violence/"

# The fixtures (browser, page, screenshots) are in conftest.py.
pytestmark = BROWSER_TESTS


def test_the_claim_page_draws_one_timeline_mark_per_statement(page, screenshots):
    page.goto(CLAIM)

    assert page.locator("h1").inner_text().startswith("Women detained in Xinjiang")
    assert page.locator("svg.timeline circle.mark").count() == 8
    assert page.locator("article.statement").count() == 8
    assert page.locator("svg.timeline path.response").count() == 5
    box = page.locator("svg.timeline").bounding_box()
    assert box["width"] > 600 and box["height"] > 100
    page.screenshot(path=screenshots / "claim.png", full_page=True)


def test_a_response_link_leads_to_the_statement_it_answers(page):
    page.goto(CLAIM)

    page.locator("#statement-4 a.responds-to").click()

    assert page.url.endswith(f"{CLAIM}#statement-1")
    assert page.locator("#statement-1").is_visible()
    assert page.locator("#statement-1 h3").inner_text().startswith("BBC")
    assert page.evaluate("document.querySelector(':target').id") == "statement-1"


def test_a_timeline_mark_leads_to_its_statement(page):
    page.goto(CLAIM)

    page.locator('svg.timeline a[href="#statement-10"]').click()

    assert page.url.endswith("#statement-10")
    assert "Stephane Dujarric" in page.locator(":target h3").inner_text()


def test_an_answer_to_another_claims_statement_leads_to_that_claims_page(page):
    page.goto("/claims/un-high-commissioner-visit-to-xinjiang/")

    page.locator("#statement-10 a.responds-to").click()

    assert page.url.endswith(f"{CLAIM}#statement-1")
    assert page.locator(":target h3").inner_text().startswith("BBC")


def test_a_quote_link_leads_to_its_marked_passage_in_the_source(page, screenshots):
    page.goto(CLAIM)

    page.locator("#statement-4 a.quote-source").first.click()

    assert page.url.endswith("/sources/1/#citation-6")
    passage = page.locator("mark#citation-6")
    assert passage.is_visible()
    assert passage.inner_text().startswith("Chinese Foreign Ministry Spokesman")
    page.screenshot(path=screenshots / "source.png")


def test_an_unpublished_statement_is_not_shown(page):
    Statement.objects.create(
        actor_id=35,
        stance=Stance.ASSERTS,
        claim_id=1,
        responds_to_id=1,
        made_on=datetime.date(2021, 2, 5),
        summary="Draft: the BBC stands by its reporting.",
        status=Statement.Status.DRAFT,
    )

    page.goto(CLAIM)

    assert page.locator("svg.timeline circle.mark").count() == 8
    assert page.locator("article.statement").count() == 8
    assert "stands by its reporting" not in page.content()


def test_the_home_actor_and_search_pages_render(page, screenshots):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert page.locator("ol.latest li").count() == 10
    page.screenshot(path=screenshots / "home.png")

    page.goto("/actors/government-of-china/")
    assert page.locator("ul.aliases").inner_text().split("\n")[0] == "Beijing"
    page.screenshot(path=screenshots / "actor.png")

    page.goto("/search/")
    page.locator("#id_q").fill("hodgepodge")
    page.locator("form.search-form button[type=submit]").click()
    assert page.locator("li.result").count() == 3
    assert page.locator("li.result mark").first.inner_text().lower() == "hodgepodge"
    page.screenshot(path=screenshots / "search.png")


def test_a_printed_claim_page_drops_navigation_and_menus_but_keeps_the_story(page):
    page.goto(CLAIM)
    page.emulate_media(media="print")

    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator(".export-menu").is_visible()
    assert page.locator("svg.timeline").is_visible()
    assert page.locator("article.statement").count() == 8
    assert page.locator("#statement-4").is_visible()
