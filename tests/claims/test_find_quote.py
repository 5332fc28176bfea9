"""Finding a citation's quote in a source's text: what is tolerated and what is not, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.evidence import anchor_quote, closest_passage, find_quote

STATUTE = (
    "Section 67.307. No municipality shall enact a policy that limits or prohibits\n"
    "any officer from communicating with federal agencies regarding the “immigration\n"
    "status” of any person — whether lawful or unlawful — in this state. The infor-\n"
    "mation so shared is a public record."
)


def _span(text, quote):
    found = find_quote(text, quote)
    return None if found is None else text[found.start : found.end]


def test_exact_quote_is_found_at_its_offsets():
    found = find_quote(STATUTE, "No municipality shall enact a policy")
    assert (found.start, found.end) == (16, 52)


def test_quote_across_a_line_break_is_found():
    assert _span(STATUTE, "that limits or prohibits any officer") == (
        "that limits or prohibits\nany officer"
    )


def test_extra_spaces_and_tabs_are_tolerated():
    assert _span(STATUTE, "  No  municipality\tshall   enact ") == "No municipality shall enact"


def test_straight_quotes_match_curly_ones():
    assert _span(STATUTE, 'regarding the "immigration status" of') == (
        "regarding the “immigration\nstatus” of"
    )


def test_curly_quotes_match_straight_ones():
    assert _span('he said "no" twice', "said “no” twice") == 'said "no" twice'


def test_apostrophes_are_folded():
    assert _span("the court’s order", "the court's order") == "the court’s order"


@pytest.mark.parametrize("dash", ["-", "–", "—", "−", "‐"])
def test_any_dash_matches_any_other(dash):
    assert _span(STATUTE, f"person {dash} whether lawful") == "person — whether lawful"


def test_letter_case_is_ignored():
    assert _span(STATUTE, "NO MUNICIPALITY SHALL") == "No municipality shall"


def test_word_hyphenated_across_a_line_break_is_found_whole():
    assert _span(STATUTE, "The information so shared") == "The infor-\nmation so shared"


def test_hyphenated_word_at_a_line_end_matches_its_hyphenated_quote():
    assert _span("a well-\nknown rule", "well-known rule") == "well-\nknown rule"


def test_hyphen_within_a_line_is_kept():
    assert find_quote("a well-known rule", "a wellknown rule") is None


def test_ligature_and_non_breaking_space_are_folded():
    assert _span("the ﬁling\u00a0fee", "the filing fee") == "the ﬁling\u00a0fee"


def test_soft_hyphen_is_ignored():
    assert _span("the infor\u00admation", "the information") == "the infor\u00admation"


def test_changed_word_is_not_found():
    assert find_quote(STATUTE, "No municipality may enact a policy") is None


def test_dropped_word_is_not_found():
    assert find_quote(STATUTE, "No municipality enact a policy") is None


def test_added_word_is_not_found():
    assert find_quote(STATUTE, "No municipality shall ever enact a policy") is None


def test_part_of_a_word_is_not_a_quote():
    assert find_quote("the court shallow", "court shall") is None
    assert find_quote("unlawful", "lawful") is None


def test_joined_words_are_not_found():
    assert find_quote(STATUTE, "Nomunicipality shall") is None


def test_empty_quote_is_not_found():
    assert find_quote(STATUTE, "") is None
    assert find_quote(STATUTE, " \n ") is None


def test_nothing_is_found_in_empty_text():
    assert find_quote("", "anything") is None


def test_first_occurrence_is_reported():
    found = find_quote("a rule. a rule.", "a rule")
    assert (found.start, found.end) == (0, 6)


# --- properties: any run of whole words, re-spaced and re-quoted, is found where it stands.

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_PUNCT = st.sampled_from(["", "", "", ",", ".", ";", ":"])
_SPACE = st.sampled_from([" ", " ", "  ", "\n", " \n ", "\t", "\u00a0"])


@st.composite
def _document(draw):
    """Distinct words, some in curly quotes, joined by assorted whitespace; and a run of them."""
    words = draw(st.lists(_WORD, min_size=3, max_size=40, unique=True))
    tokens = [(f"“{w}”" if draw(st.booleans()) else w) + draw(_PUNCT) for w in words]
    text, starts = "", []
    for i, token in enumerate(tokens):
        if i:
            text += draw(_SPACE)
        starts.append(len(text))
        text += token
    first = draw(st.integers(0, len(tokens) - 1))
    last = draw(st.integers(first, len(tokens) - 1))
    return tokens, text, starts, first, last


@given(_document(), st.data())
def test_any_run_of_words_respaced_and_requoted_is_found_where_it_stands(document, data):
    tokens, text, starts, first, last = document
    quote = tokens[first]
    for token in tokens[first + 1 : last + 1]:
        quote += data.draw(st.sampled_from([" ", "  ", "\n", " \t "])) + token
    quote = quote.replace("“", '"').replace("”", '"')
    if data.draw(st.booleans()):
        quote = quote.upper()
    found = find_quote(text, quote)
    assert found is not None
    assert (found.start, found.end) == (starts[first], starts[last] + len(tokens[last]))


@given(_document(), st.data())
def test_a_run_with_one_word_changed_is_not_found(document, data):
    tokens, text, _starts, first, last = document
    run = list(tokens[first : last + 1])
    index = data.draw(st.integers(0, len(run) - 1))
    # Longer than any generated word, so it stands nowhere in the text.
    run[index] = run[index].replace(run[index].strip("“”,.;:"), "zzzzzzzzzq")
    assert find_quote(text, " ".join(run)) is None


@given(_document(), st.data())
def test_a_run_with_one_word_dropped_is_not_found(document, data):
    tokens, text, _starts, first, last = document
    if last - first < 2:
        return
    index = data.draw(st.integers(first + 1, last - 1))
    run = tokens[first:index] + tokens[index + 1 : last + 1]
    assert find_quote(text, " ".join(run)) is None


# --- anchors


def test_anchor_of_a_found_quote_is_a_text_quote_selector_with_offsets():
    text = "Before the words. No municipality shall enact a policy. After the words."
    anchor = anchor_quote(text, "no municipality shall")
    assert anchor == {
        "found": True,
        "exact": "No municipality shall",
        "prefix": "Before the words. ",
        "suffix": " enact a policy. After the words",
        "start": 18,
        "end": 39,
    }
    assert text[anchor["start"] : anchor["end"]] == anchor["exact"]


def test_anchor_of_a_missing_quote_gives_the_closest_passage():
    anchor = anchor_quote(STATUTE, "No municipality may enact a policy")
    assert anchor == {"found": False, "closest": "No municipality shall enact a policy"}


def test_closest_passage_is_empty_when_no_word_is_shared():
    assert closest_passage(STATUTE, "zebra quagga") == ""
