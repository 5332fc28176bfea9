"""The workflow calls behind the claims editor: move, split, merge, a block's kind, a new block."""

import pytest

from claims import workflow
from claims.models import Claim, Review
from claims.workflow import TransitionError
from courtinfo.models import Answer
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory

pytestmark = pytest.mark.django_db

CS = Claim.Status
LAYOUT = [
    {"kind": "paragraph", "number": None},
    {"kind": "numbered", "number": 1},
    {"kind": "numbered", "number": 2},
]


def laid_out() -> Answer:
    """Two claims in the paragraph, one in each numbered point."""
    answer = AnswerFactory(blocks=LAYOUT)
    for position, (block, text) in enumerate(
        [(0, "First."), (0, "Second."), (1, "Third."), (2, "Fourth.")]
    ):
        ClaimFactory(answer=answer, block=block, position=position, text=text)
    return answer


def reading(answer: Answer) -> list[tuple[int, str]]:
    return [(c.block, c.text) for c in answer.claims.order_by("block", "position", "pk")]


def claim(answer: Answer, text: str) -> Claim:
    return answer.claims.get(text=text)


def test_moving_a_claim_places_it_among_its_new_blocks_claims(editor):
    answer = laid_out()
    workflow.move_claim(claim(answer, "Fourth."), by=editor, block=0, position=1)
    assert reading(answer) == [(0, "First."), (0, "Fourth."), (0, "Second."), (1, "Third.")]
    positions = list(answer.claims.order_by("position").values_list("position", flat=True))
    assert positions == [0, 1, 2, 3]


def test_a_position_past_the_end_puts_the_claim_last_in_its_block(editor):
    answer = laid_out()
    workflow.move_claim(claim(answer, "First."), by=editor, block=0, position=99)
    assert reading(answer)[:2] == [(0, "Second."), (0, "First.")]


def test_moving_to_a_block_that_does_not_exist_is_refused_and_changes_nothing(editor):
    answer = laid_out()
    with pytest.raises(TransitionError, match="3 blocks"):
        workflow.move_claim(claim(answer, "First."), by=editor, block=99, position=0)
    assert reading(answer)[0] == (0, "First.")


def test_splitting_makes_one_unverified_claim_per_line_in_place(editor, reviewer):
    answer = laid_out()
    first = claim(answer, "First.")
    CitationFactory(claim=first)
    workflow.verify_claim(first, by=reviewer, verdict=CS.SUPPORTED)
    parts = workflow.split_claim(first, by=editor, text="One half.\n\n  Other half.  ")
    assert [p.text for p in parts] == ["One half.", "Other half."]
    assert reading(answer)[:3] == [(0, "One half."), (0, "Other half."), (0, "Second.")]
    assert {(p.status, p.author_id) for p in parts} == {(CS.UNVERIFIED, editor.pk)}
    # The citations stay with the first part, where the reviewer can see them again.
    assert parts[0].citations.count() == 1


def test_a_split_needs_two_lines(editor):
    answer = laid_out()
    with pytest.raises(TransitionError, match="line of its own"):
        workflow.split_claim(claim(answer, "First."), by=editor, text="Still one line.")
    assert claim(answer, "First.")


def test_merging_joins_the_next_claim_of_the_block_with_both_citations(editor, reviewer):
    answer = laid_out()
    first, second = claim(answer, "First."), claim(answer, "Second.")
    CitationFactory(claim=first)
    CitationFactory(claim=second)
    merged = workflow.merge_claims(first, by=editor)
    assert merged.text == "First. Second."
    assert merged.citations.count() == 2
    assert not Claim.objects.filter(pk=second.pk).exists()
    assert (merged.status, merged.author) == (CS.UNVERIFIED, editor)


def test_the_last_claim_of_a_block_has_nothing_to_merge_with(editor):
    answer = laid_out()
    with pytest.raises(TransitionError, match="last claim of its block"):
        workflow.merge_claims(claim(answer, "Third."), by=editor)


def test_changing_a_blocks_kind_renumbers_the_points(editor):
    answer = laid_out()
    answer = workflow.set_block_kind(answer, by=editor, block=1, kind="bullet")
    assert answer.blocks == [
        {"kind": "paragraph", "number": None},
        {"kind": "bullet", "number": None},
        {"kind": "numbered", "number": 1},
    ]
    assert Review.objects.filter(answer=answer, note__contains="now a bullet").exists()


def test_an_unknown_kind_is_refused(editor):
    answer = laid_out()
    with pytest.raises(TransitionError, match="paragraph, numbered point or bullet"):
        workflow.set_block_kind(answer, by=editor, block=0, kind="table")


def test_a_new_block_comes_at_the_end_with_its_claim(editor):
    answer = laid_out()
    new = workflow.add_block(answer, by=editor, kind="numbered", text="Fifth.")
    answer.refresh_from_db()
    assert answer.blocks[-1] == {"kind": "numbered", "number": 3}
    assert reading(answer)[-1] == (3, "Fifth.")
    assert new.author == editor


@pytest.mark.parametrize(
    "change",
    [
        lambda a, by: workflow.move_claim(claim(a, "First."), by=by, block=2, position=0),
        lambda a, by: workflow.split_claim(claim(a, "First."), by=by, text="A.\nB."),
        lambda a, by: workflow.merge_claims(claim(a, "First."), by=by),
        lambda a, by: workflow.set_block_kind(a, by=by, block=0, kind="bullet"),
        lambda a, by: workflow.add_block(a, by=by, kind="bullet", text="More."),
    ],
    ids=["move", "split", "merge", "kind", "new block"],
)
def test_every_layout_change_sends_an_approved_answer_back_to_draft(
    change, editor, reviewer, other_reviewer
):
    answer = laid_out()
    for each in answer.claims.all():
        CitationFactory(claim=each)
    workflow.submit_answer(answer, by=editor)
    for each in answer.claims.all():
        workflow.verify_claim(each, by=reviewer, verdict=CS.SUPPORTED)
    workflow.approve_answer(answer, by=other_reviewer)
    change(Answer.objects.get(pk=answer.pk), editor)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.DRAFT
