"""The diff module: word-level, escaped, claim by claim; no database."""

from django.utils.safestring import SafeString

from courtinfo.diff import (
    CLAIM_ADDED,
    CLAIM_CHANGED,
    CLAIM_REMOVED,
    CLAIM_UNCHANGED,
    diff_claims,
    diff_fields,
    diff_payloads,
    diff_text,
)


def test_identical_texts_have_no_marks():
    assert diff_text("Courts may share.", "Courts may share.") == "Courts may share."


def test_replaced_word_is_deleted_then_inserted():
    html = diff_text("Courts may share records.", "Courts must share records.")
    assert html == "Courts <del>may</del><ins>must</ins> share records."


def test_inserted_words_are_marked_inserted():
    html = diff_text("Courts share records.", "Courts share sealed records.")
    assert html == "Courts share <ins>sealed</ins> records."


def test_deleted_words_are_marked_deleted():
    html = diff_text("Courts always share records.", "Courts share records.")
    assert html == "Courts <del>always</del> share records."


def test_adjacent_changed_words_form_one_run():
    html = diff_text("a b c d", "a x y d")
    assert html == "a <del>b c</del><ins>x y</ins> d"


def test_whitespace_only_changes_are_not_changes():
    assert "<ins>" not in diff_text("one  two\nthree", "one two three")
    assert "<del>" not in diff_text("one  two\nthree", "one two three")


def test_citation_number_change_marks_only_the_number():
    html = diff_text("See Mo. Rev. Stat. § 67.307.", "See Mo. Rev. Stat. § 67.308.")
    assert html == "See Mo. Rev. Stat. § 67.<del>307</del><ins>308</ins>."


def test_hostile_text_is_escaped_on_both_sides():
    html = diff_text("Old <b>bold</b> text.", "New text. <script>alert(1)</script>")
    assert "<script" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_unchanged_hostile_text_is_escaped():
    html = diff_text("x <img src=x onerror=alert(1)>", "x <img src=x onerror=alert(1)>")
    assert "<img" not in html


def test_result_is_safe_string():
    assert isinstance(diff_text("a", "b"), SafeString)


def test_none_counts_as_empty_text():
    assert diff_text(None, "new") == "<ins>new</ins>"
    assert diff_text("old", None) == "<del>old</del>"


def test_fields_report_changed_and_unchanged():
    changes = diff_fields(
        {"text": "Is it legal?", "position": 1},
        {"text": "Is it lawful?", "position": 1},
        labels={"text": "Question text"},
    )
    by_name = {c.name: c for c in changes}
    assert by_name["text"].changed
    assert by_name["text"].label == "Question text"
    assert by_name["text"].html == "Is it <del>legal</del><ins>lawful</ins>?"
    assert not by_name["position"].changed
    assert by_name["position"].label == "Position"


def test_fields_only_on_one_side_are_included():
    changes = diff_fields({"a": "x"}, {"b": "y"})
    assert [(c.name, c.changed) for c in changes] == [("a", True), ("b", True)]
    assert changes[1].html == "<ins>y</ins>"


def test_field_none_and_empty_string_are_shown_without_marks():
    (change,) = diff_fields({"topic": None}, {"topic": None})
    assert not change.changed
    assert change.html == ""


def _claim(pk, text, status="unverified", citations=()):
    return {"id": pk, "text": text, "status": status, "citations": list(citations)}


def test_claims_are_matched_by_id():
    changes = diff_claims(
        [_claim(1, "First."), _claim(2, "Second."), _claim(3, "Third.")],
        [_claim(1, "First."), _claim(3, "Third, changed."), _claim(4, "Fourth.")],
    )
    assert [(c.id, c.status) for c in changes] == [
        (1, CLAIM_UNCHANGED),
        (2, CLAIM_REMOVED),
        (3, CLAIM_CHANGED),
        (4, CLAIM_ADDED),
    ]
    assert changes[2].html == "Third<ins>, changed</ins>."
    assert changes[1].html == "<del>Second.</del>"


def test_removed_first_claim_comes_first():
    changes = diff_claims([_claim(1, "Gone."), _claim(2, "Kept.")], [_claim(2, "Kept.")])
    assert [(c.id, c.status) for c in changes] == [(1, CLAIM_REMOVED), (2, CLAIM_UNCHANGED)]


def test_added_and_removed_citations_are_listed():
    old_cite = {"source": 7, "pinpoint": "§ 1", "quote": ""}
    new_cite = {"source": 8, "pinpoint": "§ 2", "quote": ""}
    (change,) = diff_claims(
        [_claim(1, "Same.", citations=[old_cite])],
        [_claim(1, "Same.", citations=[new_cite])],
    )
    assert change.status == CLAIM_CHANGED
    assert not change.text_changed
    assert change.citations_added == [new_cite]
    assert change.citations_removed == [old_cite]


def test_verdict_change_alone_marks_claim_changed():
    (change,) = diff_claims(
        [_claim(1, "Same.", status="unverified")], [_claim(1, "Same.", status="supported")]
    )
    assert change.status == CLAIM_CHANGED
    assert (change.old_status, change.new_status) == ("unverified", "supported")


def _payload(question, claims, sources=()):
    return {
        "schema": 1,
        "jurisdiction": {"code": "MO", "name": "Missouri", "slug": "missouri"},
        "topic": None,
        "question": {"id": 1, "text": question},
        "blocks": [{"kind": "paragraph", "number": None, "claims": claims}],
        "sources": list(sources),
    }


def test_payloads_diff_question_and_claims():
    old = _payload("May courts share?", [_claim(1, "Yes, with an order.", "supported")])
    new = _payload(
        "May state courts share?",
        [
            _claim(
                1,
                "Yes, with a court order.",
                "supported",
                citations=[{"source": 5, "pinpoint": "", "quote": ""}],
            ),
            _claim(2, "Ask a lawyer.", "not_a_claim"),
        ],
        sources=[{"id": 5, "title": "Sunshine Law"}],
    )
    diff = diff_payloads(old, new)
    assert diff.changed
    assert diff.question.html == "May <ins>state</ins> courts share?"
    assert [(c.id, c.status) for c in diff.claims] == [(1, CLAIM_CHANGED), (2, CLAIM_ADDED)]
    assert diff.claims[0].citations_added[0]["source_title"] == "Sunshine Law"


def test_identical_payloads_are_unchanged():
    payload = _payload("Q?", [_claim(1, "A.", "supported")])
    diff = diff_payloads(payload, payload)
    assert not diff.changed
    assert diff.changed_claims == []


def test_first_publication_diffs_against_nothing():
    diff = diff_payloads(None, _payload("Q?", [_claim(1, "A.", "supported")]))
    assert diff.question.html == "<ins>Q?</ins>"
    assert [c.status for c in diff.claims] == [CLAIM_ADDED]
