"""The seed fixtures: what they record from the five articles, and that they stay true.

Expected values are written out from reading the articles, not recomputed.
"""

import hashlib
import importlib.util
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Citation,
    Claim,
    Source,
    Statement,
    Topic,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
FIXTURE_FILES = ["actors.json", "sources.json", "claims.json", "statements.json"]

# Source pk -> seed article and the sha256sum of the seed file.
SEED_ARTICLES = {
    1: (
        "000_6dc838de326eaeef.txt",
        "25109666a9ba5a26b2b7576f7c49e6c378944320fa1edcebdbcce1f3d27999c0",
    ),
    2: (
        "001_486956cdb482ad3f.txt",
        "519b64c31f1113546ce4e309aee198f6279a169e45b373fbdd5d9a4caa7304fc",
    ),
    3: (
        "002_da1380f88a4503e2.txt",
        "9d907146e679ac36e12ef8bf4aecbf82c829477792d20c8dc13a163135050e7e",
    ),
    4: (
        "003_d61d0ace0e93438c.txt",
        "0f59323bd03224a1ce0887da64cf797cde0a3d5a7538756f2f9ea6e5c76892fa",
    ),
    5: (
        "004_2f0960988f8fbfd8.txt",
        "0ae2f94028eca90c73e7018212e41193e82c0de2a2cea75bca6f34e40c630fdc",
    ),
}
OHCHR_ASSESSMENT = 9
BBC_REPORT_STATEMENT = 1

# A sample of statements from each article: (actor, on_behalf_of, stance, claim,
# document pk, responds_to pk, made_on, date_precision, [(source pk, start, end,
# quote)]).
EXPECTED_STATEMENTS = {
    # 000: the State Department, "a day prior" to Thursday 4 February 2021.
    3: (
        "us-department-of-state",
        None,
        "expresses_concern",
        "xinjiang-camps-sexual-violence",
        None,
        1,
        date(2021, 2, 3),
        "day",
        [
            (
                1,
                248,
                462,
                "A day prior, the US Department of State expressed its disturbance "
                "over reports, initially circulated by the BBC, stating that Muslim "
                "minority women in the camps were regularly subjected to rape and "
                "sexual violence.",
            ),
        ],
    ),
    # 000 and 001: one briefing, reported by both articles.
    4: (
        "wang-wenbin",
        "mfa-china",
        "rejects",
        "xinjiang-camps-sexual-violence",
        None,
        1,
        date(2021, 2, 4),
        "day",
        [
            (
                1,
                93,
                246,
                "Chinese Foreign Ministry Spokesman Wang Wenbin rejected reports of "
                "systematic rape and sexual abuse of women in so-called re-education "
                "camps in Xinjiang.",
            ),
            (
                1,
                465,
                677,
                "There is no so-called systematic rape and sexual abuse against "
                "women, China is a rule-of-law state, our constitution guarantees "
                "and protects human rights, this is enshrined in our legal system "
                "and government work",
            ),
            (
                2,
                806,
                873,
                "Chinese Foreign Ministry Spokesman Wang Wenbin rejected the reports",
            ),
        ],
    ),
    # 001: "on Thursday" in the article of Friday 5 February 2021.
    10: (
        "stephane-dujarric",
        "un-secretariat",
        "calls_for",
        "un-high-commissioner-visit-to-xinjiang",
        None,
        1,
        date(2021, 2, 4),
        "day",
        [
            (
                2,
                98,
                357,
                "UN spokesperson Stephane Dujarric in a press briefing on Thursday "
                "called for a visit of High Commissioner's for Human Rights to the "
                "Muslim-majority Chinese region of Xinjiang, following a report by "
                "BBC alleging systematic rape in so-called re-education camps.",
            ),
            (
                2,
                545,
                787,
                "Taking into account the nature of the allegations in the report and "
                "the denial by the authorities of these allegations, I think it's "
                "more important now than ever for the proposed mission of the High "
                "Commissioner for Human Rights to go forward",
            ),
        ],
    ),
    # 002: the article has a no-break space after "there are".
    58: (
        "wang-wenbin",
        "mfa-china",
        "rejects",
        None,
        OHCHR_ASSESSMENT,
        39,
        date(2022, 9, 1),
        "day",
        [
            (
                3,
                240,
                392,
                "China called a United Nations report that concluded there "
                "are\u00a0serious human rights violations in the Xinjiang region "
                '"a hodgepodge of false information"',
            ),
            (
                3,
                503,
                568,
                "The so-called assessment report is completely illegal and invalid",
            ),
        ],
    ),
    # 003: posted "late Sunday", the article being of Wednesday 13 February 2019.
    22: (
        "china-radio-international",
        None,
        "denies",
        "abdurehim-heyit-died-in-custody",
        None,
        21,
        date(2019, 2, 10),
        "day",
        [
            (
                4,
                1616,
                1701,
                "Earlier this week, Chinese state media released a video it said "
                "proves Heyit is alive",
            ),
            (
                4,
                1831,
                2045,
                "In the 26-second video posted online by China Radio International's "
                "Turkish language service late Sunday, a man dressed in a grey "
                "sweater identifies himself as Heyit before declaring himself to be "
                'in "good health."',
            ),
        ],
    ),
    31: (
        "deng-li",
        "government-of-china",
        "rejects",
        "xinjiang-mass-arbitrary-detention",
        None,
        None,
        date(2019, 2, 13),
        "on_or_before",
        [
            (
                4,
                81,
                254,
                "Chinese Ambassador to Ankara Deng Li rejected claims of mass "
                "detention camps and strict surveillance of the mostly Muslim Uighur "
                "minority and other Muslim groups in Xinjiang",
            ),
        ],
    ),
    # 004: the tweet keeps the article's curly apostrophe.
    68: (
        "antony-blinken",
        "government-of-the-united-states",
        "calls_for",
        "xinjiang-serious-human-rights-violations",
        None,
        39,
        date(2022, 9, 1),
        "day",
        [
            (
                5,
                903,
                1132,
                "The @UNHumanRights recently released report on the Human Rights "
                "Situation in Xinjiang lays out the PRC\u2019s human rights violations "
                "and abuses in unnerving detail. We call on the PRC to immediately "
                "cease committing these atrocities.",
            ),
        ],
    ),
}


def load_build_module():
    """fixtures/ is not a package: load build.py from its path."""
    spec = importlib.util.spec_from_file_location(
        "seed_fixtures_build", FIXTURES_DIR / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def committed_seed_texts() -> dict[str, str]:
    records = json.loads((FIXTURES_DIR / "sources.json").read_text(encoding="utf-8"))
    texts = {record["pk"]: record["fields"]["text"] for record in records}
    return {name: texts[pk] for pk, (name, _) in SEED_ARTICLES.items()}


def statement_as_tuple(statement: Statement) -> tuple:
    return (
        statement.actor.slug,
        statement.on_behalf_of.slug if statement.on_behalf_of else None,
        statement.stance,
        statement.claim.slug if statement.claim else None,
        statement.document_id,
        statement.responds_to_id,
        statement.made_on,
        statement.date_precision,
        [
            (citation.source_id, citation.start, citation.end, citation.quote)
            for citation in statement.citations.order_by("source_id", "start")
        ],
    )


@pytest.mark.parametrize("pk", sorted(EXPECTED_STATEMENTS))
def test_the_fixtures_record_the_sampled_statement_of_each_article(seeds, pk):
    statement = Statement.objects.get(pk=pk)

    assert statement_as_tuple(statement) == EXPECTED_STATEMENTS[pk]
    assert statement.status == Statement.Status.PUBLISHED


def test_verify_citations_passes_and_every_quote_is_its_source_passage(seeds):
    out = StringIO()
    call_command("verify_citations", stdout=out)

    assert "103 citation(s) checked, 103 verified, 0 failed." in out.getvalue()
    for citation in Citation.objects.select_related("source"):
        assert citation.source.text[citation.start : citation.end] == citation.quote
        assert citation.verification == Citation.Verification.VERIFIED


def test_citations_store_the_32_characters_either_side_as_prefix_and_suffix(seeds):
    citation = Citation.objects.get(statement_id=3)

    assert citation.prefix == "e-education camps in Xinjiang.\n\n"
    assert citation.suffix == '\n\n"There is no so-called systema'


def test_each_seed_source_text_hashes_to_the_pinned_sha256_of_its_file(seeds):
    for pk, (name, sha256) in SEED_ARTICLES.items():
        source = Source.objects.get(pk=pk)

        assert source.text_sha256 == sha256, name
        assert hashlib.sha256(source.text.encode("utf-8")).hexdigest() == sha256
        assert source.notes.startswith(f"Seed article {name}")


def test_building_from_the_committed_texts_reproduces_the_committed_files():
    build = load_build_module()

    fixtures = build.build(committed_seed_texts())

    assert sorted(fixtures) == sorted(FIXTURE_FILES)
    for name in FIXTURE_FILES:
        committed = (FIXTURES_DIR / name).read_bytes().decode("utf-8")
        assert build.render(fixtures[name]) == committed, name


def test_the_build_fails_loudly_on_a_quote_missing_from_its_article(monkeypatch):
    build = load_build_module()
    statement = build.seed_data.STATEMENTS[0]
    broken = build.seed_data.Cite(source="000", quote="Beijing welcomes the report")
    monkeypatch.setattr(
        build.seed_data,
        "STATEMENTS",
        [type(statement)(**{**vars(statement), "citations": (broken,)})],
    )

    with pytest.raises(build.SeedDataError, match="not in the source text"):
        build.build(committed_seed_texts())


def test_the_build_fails_loudly_on_an_ambiguous_quote(monkeypatch):
    build = load_build_module()
    statement = build.seed_data.STATEMENTS[0]
    # "48-page UN report" occurs twice in article 002.
    ambiguous = build.seed_data.Cite(source="002", quote="48-page UN report")
    monkeypatch.setattr(
        build.seed_data,
        "STATEMENTS",
        [type(statement)(**{**vars(statement), "citations": (ambiguous,)})],
    )

    with pytest.raises(build.SeedDataError, match="occurs 2 times"):
        build.build(committed_seed_texts())


def test_the_fixtures_hold_exactly_the_expected_number_of_records(seeds):
    assert Actor.objects.count() == 40
    assert ActorAlias.objects.count() == 58
    assert Affiliation.objects.count() == 6
    assert Topic.objects.count() == 12
    assert Claim.objects.count() == 18
    assert Source.objects.count() == 12
    assert Statement.objects.count() == 71
    assert Citation.objects.count() == 103
    citations_per_article = {
        pk: Citation.objects.filter(source_id=pk).count() for pk in SEED_ARTICLES
    }
    assert citations_per_article == {1: 16, 2: 15, 3: 28, 4: 24, 5: 20}


def test_every_article_has_statements_and_only_articles_are_quoted(seeds):
    for pk in SEED_ARTICLES:
        assert Statement.objects.filter(citations__source_id=pk).exists()
    assert set(Citation.objects.values_list("source_id", flat=True)) == set(
        SEED_ARTICLES
    )
    # The documents the articles only refer to have no text.
    assert not Source.objects.exclude(pk__in=SEED_ARTICLES).exclude(text="").exists()


def test_every_statement_has_a_citation_a_target_and_is_published(seeds):
    for statement in Statement.objects.all():
        assert statement.citations.exists(), statement.pk
        assert statement.claim_id or statement.document_id or statement.responds_to_id
        assert statement.status == Statement.Status.PUBLISHED
        assert statement.summary


def test_the_bbc_report_is_answered_by_china_the_us_and_the_un(seeds):
    responses = Statement.objects.get(pk=BBC_REPORT_STATEMENT).responses.all()

    assert {(s.actor.slug, s.stance, s.made_on) for s in responses} == {
        ("us-department-of-state", "expresses_concern", date(2021, 2, 3)),
        ("wang-wenbin", "rejects", date(2021, 2, 4)),
        ("wang-wenbin", "asserts", date(2021, 2, 4)),
        ("wang-wenbin", "asserts", date(2021, 2, 3)),
        ("stephane-dujarric", "calls_for", date(2021, 2, 4)),
    }


def test_statements_made_in_a_document_are_linked_to_it_and_answers_target_it(seeds):
    made_in = dict(
        Statement.objects.filter(made_in__isnull=False).values_list("pk", "made_in")
    )
    about = dict(
        Statement.objects.filter(document__isnull=False).values_list("pk", "document")
    )

    # The BBC report (6), CERD's report (7), the CRI video (8), the assessment (9),
    # China's response (10), the mission's letter (11), the press release (12).
    assert made_in == {
        1: 6, 2: 6, 15: 7, 22: 8,
        39: 9, 40: 9, 41: 9, 42: 9, 43: 9, 44: 9, 45: 9, 46: 9, 47: 9, 48: 9,
        49: 9, 50: 9, 51: 9,
        55: 10, 56: 10, 57: 10, 61: 11, 67: 12,
    }  # fmt: skip
    assert about == {
        47: 9, 51: 9, 52: 9, 53: 9, 54: 9, 58: 9, 59: 9, 60: 9, 61: 9, 63: 9,
        64: 9, 67: 9,
    }  # fmt: skip


def test_the_assessment_finding_of_serious_violations_draws_the_answers(seeds):
    finding = Statement.objects.get(pk=39)

    assert finding.actor.slug == "ohchr"
    assert finding.stance == "finds"
    assert finding.made_in.title == (
        "OHCHR assessment of human rights concerns in Xinjiang"
    )
    assert finding.document is None
    assert {s.actor.slug for s in finding.responses.all()} == {
        "wang-wenbin",
        "china-mission-geneva",
        "government-of-china",
        "antony-blinken",
    }
    assert set(
        Statement.objects.filter(actor__slug="ohchr", stance="finds").values_list(
            "claim__slug", flat=True
        )
    ) == {
        "xinjiang-serious-human-rights-violations",
        "xinjiang-crimes-against-humanity",
        "xinjiang-mass-arbitrary-detention",
        "xinjiang-detainee-torture-ill-treatment",
        "xinjiang-cultural-religious-restrictions",
        "xinjiang-camps-sexual-violence",
    }


def test_the_heyit_thread_runs_from_turkey_to_the_video_to_the_activists(seeds):
    video = Statement.objects.get(pk=22)

    assert video.responds_to.actor.slug == "government-of-turkey"
    assert video.responds_to.claim.slug == "abdurehim-heyit-died-in-custody"
    assert {s.actor.slug for s in video.responses.all()} == {
        "uyghur-diaspora-activists",
        "metoouyghur-campaigners",
    }


def test_both_page_counts_of_the_assessment_are_recorded_with_their_articles(seeds):
    counts = {
        s.actor.slug: (
            s.stance,
            s.document_id,
            [(c.source_id, c.quote) for c in s.citations.order_by("start")],
        )
        for s in Statement.objects.filter(pk__in=[52, 53])
    }

    assert counts == {
        "the-straits-times": (
            "reports",
            OHCHR_ASSESSMENT,
            [
                (3, "The strongly worded 48-page UN report"),
                (
                    3,
                    'The 48-page UN report concluded that "serious" human rights '
                    "violations have been committed in Xinjiang.",
                ),
            ],
        ),
        "publisher-of-article-004": (
            "reports",
            OHCHR_ASSESSMENT,
            [
                (
                    5,
                    "The 45-page-long UN report was made public on Wednesday after "
                    "being the subject of multiple disagreements",
                ),
            ],
        ),
    }
    assert "48 pages per article 002, 45 pages per article 004" in (
        Source.objects.get(pk=OHCHR_ASSESSMENT).notes
    )


@pytest.mark.parametrize(
    ("pk", "made_on", "precision"),
    [
        (3, date(2021, 2, 3), "day"),  # 000: "A day prior"
        (1, date(2021, 2, 3), "day"),  # 001 (Fri): "On Wednesday, BBC reported"
        (10, date(2021, 2, 4), "day"),  # 001 (Fri): "on Thursday"
        (7, date(2021, 2, 3), "approximate"),  # 000: "earlier in the week"
        (16, date(2021, 1, 1), "month"),  # last weeks of Pompeo's tenure
        (11, date(2018, 1, 1), "year"),  # 001: "in 2018"
        (15, date(2018, 1, 1), "year"),  # CERD "in 2018"
        (22, date(2019, 2, 10), "day"),  # 003 (Wed): "late Sunday"
        (25, date(2019, 2, 12), "day"),  # 003 (Wed): "launched yesterday"
        (39, date(2022, 8, 31), "day"),  # 004: "published a report on August 31"
        (58, date(2022, 9, 1), "day"),  # 002: "on Thursday"
        (13, date(2021, 2, 4), "on_or_before"),  # "have long accused"
        (17, date(2021, 2, 4), "on_or_before"),  # "Beijing denies all the charges"
        (18, date(2019, 2, 13), "on_or_before"),  # ongoing since 003
    ],
)
def test_relative_dates_are_resolved_against_the_article_date(
    seeds, pk, made_on, precision
):
    statement = Statement.objects.get(pk=pk)

    assert (statement.made_on, statement.date_precision) == (made_on, precision)


def test_one_act_reported_by_two_articles_is_one_statement(seeds):
    # Wang Wenbin's briefing, CERD's report, the genocide designation, the
    # Western accusations and Beijing's denial are each cited from 000 and 001.
    for pk in [4, 13, 15, 16, 17]:
        sources = set(
            Statement.objects.get(pk=pk).citations.values_list("source_id", flat=True)
        )
        assert {1, 2} <= sources, pk
    assert Statement.objects.filter(actor__slug="cerd").count() == 1


def test_the_actor_hierarchy_places_each_body_under_its_parent(seeds):
    parents = dict(Actor.objects.values_list("slug", "parent__slug"))

    assert parents["mfa-china"] == "government-of-china"
    assert parents["government-of-china"] == "china"
    assert parents["china-mission-geneva"] == "mfa-china"
    assert parents["china-embassy-ankara"] == "mfa-china"
    assert parents["ohchr"] == "united-nations"
    assert parents["cerd"] == "united-nations"
    assert parents["un-secretariat"] == "united-nations"
    assert parents["us-department-of-state"] == "government-of-the-united-states"
    assert parents["china-radio-international"] == "chinese-state-media"
    assert parents["government-of-turkey"] == "turkey"


def test_aliases_resolve_the_names_the_articles_use(seeds):
    def actor_named(name):
        return ActorAlias.objects.get(name=name).actor.slug

    assert actor_named("Beijing") == "government-of-china"
    assert actor_named("Washington") == "government-of-the-united-states"
    assert actor_named("Uighurs") == "uyghurs"
    assert actor_named("@UNHumanRights") == "ohchr"
    assert actor_named("Anthony Blinken") == "antony-blinken"
    assert actor_named("@ChinaMissionGva") == "china-mission-geneva"
    assert actor_named("ST") == "the-straits-times"


def test_denials_by_china_include_its_spokesperson_ambassador_and_state_media(seeds):
    china = Actor.objects.get(slug="government-of-china")

    speakers = set(
        Statement.objects.by_actor(china)
        .filter(stance__in=["denies", "rejects"])
        .values_list("actor__slug", flat=True)
    )

    # CRI is part of the state media, under the government.
    assert speakers == {
        "government-of-china",
        "china-radio-international",
        "wang-wenbin",
        "deng-li",
        "china-mission-geneva",
    }


def test_bachelets_term_ends_on_the_day_the_assessment_was_released(seeds):
    affiliation = Affiliation.objects.get(person__slug="michelle-bachelet")

    assert affiliation.organisation.slug == "ohchr"
    assert (affiliation.start_date, affiliation.end_date) == (None, date(2022, 8, 31))
    assert Source.objects.get(pk=OHCHR_ASSESSMENT).published_on == date(2022, 8, 31)
