"""Tests for reading question-and-answer documents into dataclasses."""

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.importer.parse import (
    BULLET,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_NUMBER_DIGITS,
    NUMBERED,
    PARAGRAPH,
    ParseError,
    _punkt_sentences,
    decode,
    fingerprint,
    make_compare_key,
    parse_document,
    parse_text,
    split_sentences,
)
from tests.claims.documents import document_like_text, encoded, seed_mutations

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = "000_185f39eb3d0e638c.txt"

# (kind, number, claims) of each block of each seed answer, in order.
SEED_BLOCKS = {
    1: [("n", 1, 4), ("p", None, 2)],
    2: [("p", None, 1), ("n", 1, 1), ("n", 2, 1)],
    3: [("p", None, 1), ("n", 1, 1), ("n", 2, 1), ("n", 3, 1), ("p", None, 2)],
    4: [("p", None, 1), ("n", 1, 2), ("n", 2, 2), ("n", 3, 1), ("n", 4, 1)],
    5: [("p", None, 2), *[("n", i, 2) for i in range(1, 6)], ("p", None, 1)],
    6: [("p", None, 1), *[("n", i, 2) for i in range(1, 5)], ("p", None, 2)],
    7: [("p", None, 4)],
    8: [("p", None, 1), *[("n", i, 1) for i in range(1, 5)], ("p", None, 1)],
    9: [("p", None, 6)],
    10: [("p", None, 5)],
    11: [("p", None, 1), ("n", 1, 2), ("n", 2, 1), ("n", 3, 3), ("p", None, 1)],
    12: [("p", None, 5), ("p", None, 1), *[("n", i, 1) for i in range(1, 5)], ("p", None, 1)],
    13: [("p", None, 3), ("n", 1, 2), ("n", 2, 2), ("p", None, 1)],
    14: [("p", None, 2), *[("n", i, 1) for i in range(1, 7)]],
    15: [("p", None, 1), *[("n", i, 1) for i in range(1, 7)], ("p", None, 1)],
    16: [("p", None, 1), *[("n", i, 2) for i in range(1, 6)], ("p", None, 1)],
    17: [("p", None, 3), ("p", None, 2), ("p", None, 1)],
    18: [("p", None, 4)],
    19: [("p", None, 6)],
    20: [("p", None, 1), *[("n", i, 1) for i in range(1, 7)], ("p", None, 1)],
}
KINDS = {"p": PARAGRAPH, "n": NUMBERED, "b": BULLET}


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_fixture(name: str):
    return parse_document(read(name), name=name)


def refusal(data: bytes | str, name: str = "doc.txt") -> ParseError:
    with pytest.raises(ParseError) as caught:
        if isinstance(data, bytes):
            parse_document(data, name=name)
        else:
            parse_text(data, name=name)
    return caught.value


def shape(document):
    """Everything parsed except the file name, for comparing two encodings of one text."""
    return [(q.number, q.line, q.text, q.blocks) for q in document.questions]


@pytest.fixture(scope="module")
def seed():
    return parse_fixture(SEED)


# The seed document


def test_seed_has_twenty_questions_numbered_in_order(seed):
    assert [q.number for q in seed.questions] == list(range(1, 21))


def test_seed_question_texts_are_kept_word_for_word(seed):
    texts = {q.number: q.text for q in seed.questions}
    assert texts[1] == (
        "What is the current policy or procedure for state courts in Missouri to share "
        "information with ICE?"
    )
    assert texts[10] == (
        "Are there any efforts or movements in Missouri to limit or prohibit information "
        "sharing between state courts and ICE?"
    )
    assert texts[20] == (
        "What are the key considerations for policymakers and stakeholders when evaluating "
        "the necessity and impact of information sharing between state courts and ICE in "
        "Missouri?"
    )


def test_seed_question_lines_are_their_line_numbers(seed):
    lines = (FIXTURES / SEED).read_text(encoding="utf-8").split("\n")
    for question in seed.questions:
        assert lines[question.line - 1] == f"{question.number}. {question.text}"


def test_seed_question_one_starts_with_a_numbered_point(seed):
    first = seed.questions[0].blocks[0]
    assert (first.kind, first.number, first.line) == (NUMBERED, 1, 2)
    assert first.text.startswith("The current policy in Missouri regarding")


def test_seed_blocks_have_the_expected_kinds_numbers_and_claim_counts(seed):
    for question in seed.questions:
        found = [(b.kind, b.number, len(b.claims)) for b in question.blocks]
        expected = [(KINDS[k], n, c) for k, n, c in SEED_BLOCKS[question.number]]
        assert found == expected, f"question {question.number}"


def test_seed_has_146_claims(seed):
    assert sum(len(b.claims) for q in seed.questions for b in q.blocks) == 146


def test_seed_claims_join_back_to_their_block(seed):
    for question in seed.questions:
        for block in question.blocks:
            assert all(claim.strip() == claim and claim for claim in block.claims)
            assert " ".join(block.claims).split() == block.text.split()


def test_seed_claims_end_as_sentences(seed):
    for question in seed.questions:
        for block in question.blocks:
            for claim in block.claims:
                assert claim[-1] in ".:", claim


def test_seed_keeps_citation_like_text_whole(seed):
    claims = [c for q in seed.questions for b in q.blocks for c in b.claims]
    assert any("the 287(g) program, which deputizes local officers" in c for c in claims)
    assert any("(Senate Bill 5) in 2017 which prohibits cities" in c for c in claims)


def test_every_line_of_the_seed_lands_in_exactly_one_place(seed):
    lines = (FIXTURES / SEED).read_text(encoding="utf-8").strip().split("\n")
    used = [q.line for q in seed.questions] + [b.line for q in seed.questions for b in q.blocks]
    assert sorted(used) == list(range(1, len(lines) + 1))


# Variations of the format


def test_crlf_line_ends_parse_like_lf():
    assert shape(parse_fixture("missouri_short_crlf.txt")) == shape(
        parse_fixture("missouri_short.txt")
    )


def test_lone_cr_line_ends_parse_like_lf():
    data = read("missouri_short.txt").replace(b"\n", b"\r")
    assert shape(parse_document(data, name="cr.txt")) == shape(parse_fixture("missouri_short.txt"))


def test_utf8_byte_order_mark_is_ignored():
    document = parse_fixture("missouri_short_bom.txt")
    assert document.questions[0].text == "Does Missouri law forbid sanctuary policies?"
    assert shape(document) == shape(parse_fixture("missouri_short.txt"))


def test_utf16_with_byte_order_mark_is_decoded():
    assert shape(parse_fixture("missouri_short_utf16.txt")) == shape(
        parse_fixture("missouri_short.txt")
    )


def test_big_endian_utf16_with_byte_order_mark_is_decoded():
    assert shape(parse_fixture("missouri_short_utf16be.txt")) == shape(
        parse_fixture("missouri_short.txt")
    )


def test_blank_and_whitespace_lines_carry_no_meaning():
    spaced = parse_fixture("missouri_short_blank_lines.txt")
    plain = parse_fixture("missouri_short.txt")
    assert [(q.number, q.text) for q in spaced.questions] == [
        (q.number, q.text) for q in plain.questions
    ]
    assert [[(b.kind, b.number, b.claims) for b in q.blocks] for q in spaced.questions] == [
        [(b.kind, b.number, b.claims) for b in q.blocks] for q in plain.questions
    ]


def test_line_numbers_count_blank_lines():
    spaced = parse_fixture("missouri_short_blank_lines.txt")
    assert [q.line for q in spaced.questions] == [4, 10]
    assert [b.line for b in spaced.questions[0].blocks] == [7]


def test_decode_gives_lf_line_ends():
    assert decode(b"\xef\xbb\xbf1. A?\r\nB.\rC.\n", name="x.txt") == "1. A?\nB.\nC.\n"


def test_parse_text_ignores_a_leading_byte_order_mark():
    assert parse_text("\ufeff1. Q?\nA.\n", name="x.txt").questions[0].text == "Q?"


def test_numbered_points_may_pass_nine():
    answer = parse_fixture("kansas_open_records.txt").questions[2]
    points = [b for b in answer.blocks if b.kind == NUMBERED]
    assert [b.number for b in points] == list(range(1, 13))
    assert points[-1].text == "The date of the request."


def test_numbered_points_restart_in_each_answer():
    questions = parse_fixture("kansas_open_records.txt").questions
    assert [b.number for b in questions[1].blocks if b.kind == NUMBERED] == [1, 2]
    assert [b.number for b in questions[2].blocks if b.kind == NUMBERED][0] == 1


def test_bullets_of_all_three_kinds_are_bullets_without_their_marker():
    blocks = parse_fixture("kansas_open_records.txt").questions[0].blocks
    bullets = [b for b in blocks if b.kind == BULLET]
    assert [b.text.split()[0] for b in bullets] == ["The", "A", "Fees"]
    assert all(b.number is None for b in bullets)


def test_answer_may_start_with_a_numbered_point():
    question = parse_fixture("kansas_open_records.txt").questions[1]
    assert (question.blocks[0].kind, question.blocks[0].number) == (NUMBERED, 1)
    assert question.blocks[-1].kind == PARAGRAPH


def test_point_with_several_sentences_gives_several_claims():
    point = parse_fixture("kansas_open_records.txt").questions[1].blocks[0]
    assert point.claims == (
        "Under Kan. Stat. Ann. § 21-6810, prior convictions set the offender's criminal history "
        "category.",
        "Each category is a column of the sentencing grid.",
    )


def test_kansas_citations_stay_whole():
    blocks = parse_fixture("kansas_open_records.txt").questions[0].blocks
    assert blocks[0].claims == (
        "The Kansas Open Records Act, K.S.A. 45-215 et seq., declares that public records are "
        "open for inspection by any person.",
        "Court records are covered unless a statute or a rule of the Kansas Supreme Court "
        "closes them.",
    )
    assert blocks[1].claims == (
        "The act begins at K.S.A. 45-215 and lists its exceptions in K.S.A. 45-221.",
    )


def test_each_plain_line_is_its_own_paragraph():
    document = parse_text("1. Q?\nFirst line.\nSecond line.\n", name="x.txt")
    assert [(b.kind, b.text) for b in document.questions[0].blocks] == [
        (PARAGRAPH, "First line."),
        (PARAGRAPH, "Second line."),
    ]


def test_trailing_spaces_after_the_question_mark_are_ignored():
    document = parse_text("1. Is it?   \t\nYes.\n", name="x.txt")
    assert document.questions[0].text == "Is it?"


def test_numbered_point_ending_in_question_mark_with_next_number_starts_a_question():
    document = parse_text("1. First?\n1. A point.\n2. Second?\nAnswer.\n", name="x.txt")
    assert [q.text for q in document.questions] == ["First?", "Second?"]


def test_document_keeps_the_name_it_was_given():
    assert parse_text("1. Q?\nA.\n", name="dir/some file.txt").name == "dir/some file.txt"


# Errors


def test_error_message_names_file_and_line():
    error = ParseError("a.txt", 7, "something is wrong")
    assert (error.name, error.line, error.message) == ("a.txt", 7, "something is wrong")
    assert str(error) == "a.txt:7: something is wrong"


def test_error_message_without_a_line_names_the_file():
    assert str(ParseError("a.txt", None, "something is wrong")) == "a.txt: something is wrong"


def test_error_survives_pickling():
    error = pickle.loads(pickle.dumps(ParseError("a.txt", 3, "bad")))  # noqa: S301
    assert (error.name, error.line, error.message) == ("a.txt", 3, "bad")


def test_empty_file_is_refused():
    error = refusal(b"", name="empty.txt")
    assert str(error) == "empty.txt: no question found (a question is a line like '1. What …?')"


def test_whitespace_only_file_is_refused():
    assert "no question found" in str(refusal(b"\n  \r\n\t\n", name="blank.txt"))


def test_file_without_any_question_is_refused():
    error = refusal(b"Just some text.\nMore text.\n")
    assert error.line is None
    assert "no question found" in error.message


def test_binary_file_is_refused():
    error = refusal(b"1. Q?\nA.\n\x89PNG\x00\x00\x01", name="image.png")
    assert error.line == 3
    assert str(error).startswith("image.png:3: looks like a binary file")


def test_nul_character_in_text_is_refused_as_binary():
    error = refusal("1. Q?\nA\x00B\n")
    assert (error.line, error.message) == (
        2,
        "looks like a binary file (a NUL character at column 2)",
    )


def test_control_character_is_refused():
    error = refusal(b"1. Q?\nA bell\x07 rings.\n")
    assert str(error) == "doc.txt:2: control character U+0007 at column 7 (only tabs are allowed)"


def test_tab_is_allowed():
    document = parse_text("1. Q?\nA\ttab.\n", name="x.txt")
    assert document.questions[0].blocks[0].text == "A\ttab."


def test_very_long_line_is_refused():
    data = b"1. Q?\nShort.\n" + b"x" * (MAX_LINE_CHARS + 1) + b"\n"
    error = refusal(data)
    assert error.line == 3
    assert "20,001 characters long" in error.message


def test_line_at_the_length_limit_is_accepted():
    document = parse_text("1. Q?\n" + "x" * MAX_LINE_CHARS + "\n", name="x.txt")
    assert len(document.questions[0].blocks[0].text) == MAX_LINE_CHARS


def test_file_larger_than_the_limit_is_refused():
    error = refusal(b"1. Q?\n" + b"a" * MAX_FILE_BYTES, name="big.txt")
    assert error.line is None
    assert str(error).startswith("big.txt: the file is")
    assert "the limit is 5 MB" in error.message


def test_bad_utf8_names_line_byte_and_column():
    error = refusal(b"1. Q?\nfine\nab\xffc\n", name="bad.txt")
    assert str(error) == "bad.txt:3: bytes that are not UTF-8 (0xff at column 3)"


def test_bad_utf8_column_counts_characters_not_bytes():
    error = refusal("1. Q?\n§é".encode() + b"\xc3(\n")
    assert (error.line, error.message) == (2, "bytes that are not UTF-8 (0xc3 at column 3)")


def test_bad_utf8_after_crlf_lines_names_the_right_line():
    error = refusal(b"1. Q?\r\nA.\r\n\r\n\xe9t\xe9\r\n")
    assert error.line == 4


def test_truncated_utf16_is_refused():
    data = "1. Q?\nA.\n".encode("utf-16") + b"\x41"
    error = refusal(data)
    assert error.line == 3
    assert "not UTF-16" in error.message


def test_utf16_without_byte_order_mark_is_refused_as_binary():
    assert "binary" in refusal("1. Q?\nA.\n".encode("utf-16-le")).message


def test_text_before_the_first_question_is_refused():
    error = refusal(b"\nIntroduction.\n1. Q?\nA.\n")
    assert error.line == 2
    assert error.message.startswith("text before the first question")


def test_numbered_point_before_the_first_question_is_refused():
    error = refusal(b"1. A point.\n1. Q?\nA.\n")
    assert (error.line, error.message.startswith("text before the first question")) == (1, True)


def test_question_with_wrong_number_is_refused():
    error = refusal(b"1. First?\nA.\n3. Third?\nC.\n", name="gap.txt")
    assert str(error) == (
        "gap.txt:3: question 2 was expected here, but this line is numbered 3 "
        "(a numbered line ending in '?' is read as a question)"
    )


def test_first_question_with_wrong_number_is_refused():
    error = refusal(b"2. Q?\nA.\n")
    assert (error.line, error.message[:33]) == (1, "question 1 was expected here, but")


def test_repeated_question_number_is_refused():
    error = refusal(b"1. Q?\nA.\n2. R?\nB.\n2. S?\nC.\n")
    assert error.line == 5
    assert "question 3 was expected" in error.message


def test_numbered_point_ending_in_question_mark_is_refused():
    error = refusal(b"1. Q?\nIntro.\n1. Why does this matter?\n2. R?\nB.\n")
    assert error.line == 3
    assert "question 2 was expected here, but this line is numbered 1" in error.message


def test_question_with_no_answer_in_the_middle_is_refused():
    error = refusal(b"1. Q?\nA.\n2. R?\n\n3. S?\nC.\n", name="gap.txt")
    assert (
        str(error) == "gap.txt:3: question 2 has no answer; question 3 follows directly on line 5"
    )


def test_question_with_no_answer_at_the_end_is_refused():
    error = refusal(b"1. Q?\nA.\n2. R?\n  \n", name="end.txt")
    assert str(error) == "end.txt:3: question 2 has no answer; the file ends after it"


def test_bullet_without_text_is_refused():
    error = refusal(b"1. Q?\nA.\n- \n")
    assert (error.line, error.message) == (3, "the bullet has no text")


def test_numbered_point_without_text_is_refused():
    error = refusal(b"1. Q?\nA.\n2.\n")
    assert (error.line, error.message) == (3, "point 2 has no text")


def test_point_numbered_zero_is_refused_naming_file_and_line():
    error = refusal(b"1. Q?\nA.\n0. Nought.\n", name="zero.txt")
    assert str(error) == "zero.txt:3: point 0: points are numbered from 1"


def test_point_numbered_with_leading_zeros_only_is_refused():
    assert refusal(b"1. Q?\n00. Nought.\n").message == "point 0: points are numbered from 1"


def test_point_number_of_more_than_four_digits_is_refused():
    digits = "7" * 4_301
    error = refusal(f"1. Q?\nA.\n{digits}. A point.\n".encode(), name="long.txt")
    assert str(error) == (
        "long.txt:3: the number 777777777777… has 4,301 digits; questions and points are "
        "numbered with at most 4 digits"
    )


def test_question_number_of_more_than_four_digits_is_refused():
    error = refusal(f"1. Q?\nA.\n{'2' * 5_000}. R?\nB.\n".encode(), name="long.txt")
    assert (error.line, error.message.split(";")[0]) == (
        3,
        "the number 222222222222… has 5,000 digits",
    )


def test_five_digit_point_number_is_refused():
    assert "has 5 digits" in refusal(b"1. Q?\n10000. Point.\n").message


def test_four_digit_point_number_is_accepted():
    document = parse_text(f"1. Q?\n{'9' * MAX_NUMBER_DIGITS}. Point.\n", name="x.txt")
    assert document.questions[0].blocks[0].number == 9999


# Whatever the input, parsing ends in a document or a ParseError, never another exception.


def parse_or_refuse(data: bytes | str) -> None:
    try:
        if isinstance(data, bytes):
            parse_document(data, name="fuzz.txt")
        else:
            parse_text(data, name="fuzz.txt")
    except ParseError as error:
        assert error.name == "fuzz.txt" and error.message


@settings(max_examples=150, deadline=None, database=None)
@given(st.one_of(st.text(max_size=300), document_like_text))
def test_any_text_parses_or_is_refused_with_a_parse_error(text):
    parse_or_refuse(text)


@settings(max_examples=100, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused_with_a_parse_error(data):
    parse_or_refuse(data)


@settings(max_examples=150, deadline=None, database=None)
@given(encoded(seed_mutations()))
def test_mutations_of_the_seed_parse_or_are_refused_with_a_parse_error(data):
    parse_or_refuse(data)


# Sentences and claims


@pytest.mark.parametrize(
    "text",
    [
        "Mo. Rev. Stat. § 67.307 bans sanctuary policies.",
        "Deputies act under 8 U.S.C. § 1357(g) agreements.",
        "Kan. Stat. Ann. § 21-6810 sets the criminal history categories.",
        "K.S.A. 45-215 opens public records.",
        "Records, e.g. dockets, are open.",
        "The clerk, i.e. the court's officer, keeps them.",
        "The U.S. Supreme Court has not ruled.",
        "See Case No. 12-345 for the order.",
        "The case is Smith v. Jones, 123 F.3d 456 (8th Cir. 1999), on appeal.",
        "Acme Inc. and Acme Co. were parties.",
        "The Dept. of Revenue replied.",
        "The Mo. Ct. App. agreed with the trial court.",
        "See 28 U.S.C. § 1331 (Supp. 2020) for the rule.",
        "Smith et al. appealed.",
        "It was decided on Jan. 5, 2020 and again on Dec. 9, 2021.",
        "It was filed in Feb. and heard in Sept. of that year.",
        "The opinion by J. Smith was short.",
        "The rule is R.S.Mo. § 544.470 and 8 C.F.R. § 287.7 as applied.",
        "See id. at 5 for the holding.",
        "Courts in St. Louis County and Kansas City, Mo. differ.",
        "See Mo. Code Regs. Ann. tit. 11, § 30-10.010 (Cum. Supp. 2019) on this.",
    ],
)
def test_legal_abbreviations_do_not_end_a_sentence(text):
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "The duty is in subpara. (b) of the order.",
        "See Sched. 4 of the act.",
        "The form, see Attach. a, is optional.",
    ],
)
def test_unknown_abbreviation_before_lower_case_or_a_number_does_not_end_a_sentence(text):
    assert split_sentences(text) == [text]


def test_sentence_after_a_section_number_is_split_off():
    assert split_sentences("See Mo. Rev. Stat. § 67.307. It bans sanctuary policies.") == [
        "See Mo. Rev. Stat. § 67.307.",
        "It bans sanctuary policies.",
    ]


def test_sentence_after_a_subsection_is_split_off():
    assert split_sentences("Under 8 U.S.C. § 1357(g). Deputies may act.") == [
        "Under 8 U.S.C. § 1357(g).",
        "Deputies may act.",
    ]


def test_sentence_after_a_citation_with_a_court_and_year_is_split_off():
    assert split_sentences("See Smith v. Jones (8th Cir. 1999). The court agreed.") == [
        "See Smith v. Jones (8th Cir. 1999).",
        "The court agreed.",
    ]


def test_common_sentence_starter_after_an_abbreviation_starts_a_sentence():
    assert split_sentences("The buyer was Acme Inc. It paid in cash.") == [
        "The buyer was Acme Inc.",
        "It paid in cash.",
    ]


def test_question_and_exclamation_marks_end_sentences():
    assert split_sentences("Is it law? Yes! It is.") == ["Is it law?", "Yes!", "It is."]


def test_split_sentences_of_blank_text_is_empty():
    assert split_sentences("   ") == []


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("aB1 .?!)(\"'§\n")), max_size=30))
def test_split_sentences_agrees_with_punkt_on_any_text(text):
    assert split_sentences(text) == _punkt_sentences(text)


def test_every_seed_block_is_split_as_punkt_splits_it():
    document = parse_document((FIXTURES / SEED).read_bytes(), name=SEED)
    for block in (block for question in document.questions for block in question.blocks):
        assert list(block.claims) == _punkt_sentences(block.text)


def test_bullet_gives_one_claim_per_sentence():
    document = parse_text("1. Q?\n- One. Two.\n* Three\n", name="x.txt")
    assert [b.claims for b in document.questions[0].blocks] == [("One.", "Two."), ("Three",)]


# Compare keys


def test_compare_key_is_shared_by_the_same_question_for_two_states():
    missouri = make_compare_key("What is the policy in Missouri?", ["Missouri"])
    kansas = make_compare_key("What is the policy in Kansas?", ["Kansas"])
    assert missouri == kansas == "what-is-the-policy-in"


def test_compare_key_drops_the_state_of_and_possessives():
    assert make_compare_key("Is the State of Missouri's law strict?", ["Missouri"]) == (
        "is-law-strict"
    )
    assert make_compare_key("Is Kansas's law strict?", ["Kansas"]) == "is-law-strict"


def test_compare_key_takes_the_longest_name_first():
    key = make_compare_key(
        "Do courts in Washington, D.C. share data?", ["Washington", "Washington, D.C."]
    )
    assert key == "do-courts-in-share-data"


def test_compare_key_leaves_names_inside_other_words():
    assert make_compare_key("Is Arkansas like Kansas?", ["Kansas"]) == "is-arkansas-like"


def test_compare_key_removes_punctuation_accents_and_apostrophes():
    key = make_compare_key("  Can ICE’s agents use court/jail data — café rules?", ["Missouri"])
    assert key == "can-ices-agents-use-court-jail-data-cafe-rules"


def test_compare_key_is_only_lowercase_letters_digits_and_single_hyphens():
    for question in parse_fixture(SEED).questions:
        key = make_compare_key(question.text, ["Missouri"])
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key)
        assert "missouri" not in key


def test_compare_key_without_names_keeps_every_word():
    assert make_compare_key("Why Missouri?", []) == "why-missouri"


# Fingerprints


def test_fingerprint_is_a_stable_sha256(seed):
    first = fingerprint(seed.questions[0])
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first == fingerprint(parse_fixture(SEED).questions[0])


def test_fingerprint_ignores_blank_lines_and_line_ends():
    spaced = parse_fixture("missouri_short_blank_lines.txt").questions
    crlf = parse_fixture("missouri_short_crlf.txt").questions
    assert [fingerprint(q) for q in spaced] == [fingerprint(q) for q in crlf]


def test_fingerprint_changes_when_a_claim_changes():
    before = parse_text("1. Q?\nA is true.\n", name="x.txt").questions[0]
    after = parse_text("1. Q?\nA is false.\n", name="x.txt").questions[0]
    assert fingerprint(before) != fingerprint(after)


def test_fingerprint_changes_when_a_block_changes_kind():
    paragraph = parse_text("1. Q?\nA is true.\n", name="x.txt").questions[0]
    bullet = parse_text("1. Q?\n- A is true.\n", name="x.txt").questions[0]
    assert fingerprint(paragraph) != fingerprint(bullet)


def test_fingerprint_changes_when_the_question_changes():
    before = parse_text("1. Q?\nA.\n", name="x.txt").questions[0]
    after = parse_text("1. R?\nA.\n", name="x.txt").questions[0]
    assert fingerprint(before) != fingerprint(after)
