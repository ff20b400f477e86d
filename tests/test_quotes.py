"""Locating and verifying quotes: pure text logic, tested without a database."""

import pytest

from claims.quotes import (
    QuoteAmbiguous,
    QuoteError,
    QuoteNotFound,
    QuoteOffsetMismatch,
    context_around,
    locate_quote,
    normalize,
    verify_quote,
)

# A passage in the style of seed article 004: curly quotes, an ellipsis character,
# an en dash and a double space.
TEXT = (
    "Blinken stated that the US has \u2018welcomed\u2019 the UN report, that "
    "describes, \u201cauthoritatively the appalling treatment\u201d of Uyghurs. "
    "The report concludes that \u201cserious human rights violations have been "
    "committed\u201d \u2013 and that detention of the Uyghur and predominantly "
    "Muslim groups\u2026 may constitute  international crimes. The report "
    "concludes that more is needed."
)


def test_an_exact_quote_is_found_at_its_offsets():
    match = locate_quote(TEXT, "the UN report")

    assert (match.start, match.end) == (42, 55)
    assert match.quote == "the UN report"
    assert TEXT[match.start : match.end] == match.quote


def test_straight_quotes_match_curly_quotes_and_the_source_text_is_stored():
    match = locate_quote(TEXT, "the US has 'welcomed' the UN report")

    assert match.quote == "the US has \u2018welcomed\u2019 the UN report"
    assert (match.start, match.end) == (20, 55)


def test_straight_double_quotes_match_curly_double_quotes():
    match = locate_quote(TEXT, '"serious human rights violations have been committed"')

    assert match.quote == (
        "\u201cserious human rights violations have been committed\u201d"
    )


def test_whitespace_differences_are_ignored_and_the_double_space_kept():
    match = locate_quote(TEXT, "may constitute\ninternational   crimes")

    assert match.quote == "may constitute  international crimes"


def test_a_hyphen_matches_an_en_dash():
    match = locate_quote(TEXT, "committed\u201d - and that detention")

    assert match.quote == "committed\u201d \u2013 and that detention"


def test_three_dots_match_an_ellipsis_character():
    match = locate_quote(TEXT, "Muslim groups... may")

    assert match.quote == "Muslim groups\u2026 may"
    assert match.end - match.start == len("Muslim groups\u2026 may")


def test_a_quote_may_not_end_inside_an_expanded_ellipsis():
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "Muslim groups..")


def test_leading_and_trailing_whitespace_of_a_pasted_quote_is_ignored():
    match = locate_quote(TEXT, "  the UN report \n")

    assert match.quote == "the UN report"


def test_prefix_and_suffix_are_the_exact_surrounding_source_text():
    match = locate_quote(TEXT, "the UN report")

    assert match.prefix == "ated that the US has \u2018welcomed\u2019 "
    assert match.suffix == ", that describes, \u201cauthoritative"
    assert (match.prefix, match.suffix) == context_around(TEXT, 42, 55)


def test_a_quote_found_twice_is_ambiguous_and_lists_both_offsets():
    with pytest.raises(QuoteAmbiguous) as raised:
        locate_quote(TEXT, "The report concludes that")

    assert raised.value.starts == [127, 313]
    assert str(raised.value) == (
        "The quote occurs 2 times in the source (at offsets 127, 313); give a prefix "
        "or suffix of context, or the start offset of the one you mean."
    )


def test_a_suffix_chooses_between_occurrences():
    match = locate_quote(TEXT, "The report concludes that", suffix="more is needed")

    assert match.start == 313


def test_a_prefix_chooses_between_occurrences_ignoring_quote_style():
    match = locate_quote(
        TEXT, "The report concludes that", prefix='treatment" of Uyghurs.'
    )

    assert match.start == 127


def test_an_explicit_start_offset_chooses_between_occurrences():
    assert locate_quote(TEXT, "The report concludes that", start=313).start == 313


def test_a_start_offset_where_the_quote_is_not_is_refused_with_the_real_offsets():
    with pytest.raises(QuoteOffsetMismatch) as raised:
        locate_quote(TEXT, "The report concludes that", start=5)

    assert str(raised.value) == (
        "The quote does not start at offset 5; it occurs at offset(s) 127, 313."
    )


def test_a_quote_not_in_the_text_is_refused_with_the_closest_passage():
    with pytest.raises(QuoteNotFound) as raised:
        locate_quote(TEXT, "the US has welcomed the UN report")

    assert raised.value.closest_start == 20
    assert raised.value.closest.startswith("the US has \u2018welcomed\u2019")
    assert str(raised.value).startswith(
        "The quote is not in the source text. The closest passage (at offset 20) is: "
        "\u201cthe US has \u2018welcomed\u2019"
    )


def test_a_quote_sharing_nothing_with_the_text_gets_no_closest_passage():
    with pytest.raises(QuoteNotFound) as raised:
        locate_quote("abc", "xyz")

    assert str(raised.value) == "The quote is not in the source text."


def test_a_quote_in_an_empty_text_is_not_found():
    with pytest.raises(QuoteNotFound):
        locate_quote("", "anything")


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_an_empty_quote_is_refused(blank):
    with pytest.raises(QuoteError, match="The quote is empty."):
        locate_quote(TEXT, blank)


def test_matching_is_case_sensitive():
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "THE UN REPORT")


def test_normalize_maps_every_folded_character_to_its_origin():
    folded, origin = normalize("a\u2026 \u201cb\u201d\n\n c")

    assert folded == 'a... "b" c'
    assert origin == [0, 1, 1, 1, 2, 3, 4, 5, 6, 9]


def test_a_quote_at_its_offsets_verifies():
    assert verify_quote(TEXT, "the UN report", 42, 55) == "verified"


def test_a_quote_that_moved_once_has_drifted():
    assert verify_quote(TEXT, "the UN report", 43, 56) == "drifted"


def test_a_moved_quote_found_twice_is_ambiguous():
    quote = "The report concludes that"

    assert verify_quote(TEXT, quote, 0, len(quote)) == "ambiguous"


def test_a_moved_quote_found_twice_but_with_matching_context_has_drifted():
    quote = "The report concludes that"

    status = verify_quote(TEXT, quote, 0, len(quote), suffix=" more is needed")

    assert status == "drifted"


def test_a_quote_no_longer_in_the_text_is_orphaned():
    assert verify_quote(TEXT, "a sentence that was removed", 0, 27) == "orphaned"


def test_a_quote_of_a_source_without_text_is_orphaned():
    assert verify_quote("", "the UN report", 42, 55) == "orphaned"


@pytest.mark.parametrize("start,end", [(-1, 12), (400, 413), (57, 44)])
def test_offsets_outside_the_text_do_not_verify(start, end):
    assert verify_quote(TEXT, "the UN report", start, end) != "verified"
