"""The review trail is never rewritten: not by the ORM, not by raw SQL, not by deleting content."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from claims.models import Review, ReviewImmutable
from claims.workflow import delete_claim, request_changes, submit_answer
from courtinfo.models import Answer
from tests.factories import CitationFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _execute(sql: str, *params) -> None:
    """Raw SQL, as any client could send it; in a savepoint, since PostgreSQL aborts on errors."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def sent_back(editor, reviewer):
    """A draft answer with a trail: submitted, then sent back; not published."""
    claim = ClaimFactory()
    CitationFactory(claim=claim)
    submit_answer(claim.answer, by=editor)
    request_changes(claim.answer, by=reviewer, note="Cite the statute.")
    return claim.answer


def _trail(answer) -> list[tuple]:
    return list(
        Review.objects.filter(answer=answer)
        .order_by("id")
        .values_list("id", "action", "actor_id", "note", "from_status", "to_status", "at")
    )


def test_review_event_cannot_be_saved_again_or_deleted(sent_back):
    review = Review.objects.filter(answer=sent_back).first()
    review.note = "rewritten"

    with pytest.raises(ReviewImmutable):
        review.save()
    with pytest.raises(ReviewImmutable):
        review.delete()


def test_review_queryset_refuses_update_and_delete(sent_back):
    before = _trail(sent_back)

    with pytest.raises(ReviewImmutable, match="never changed or deleted"):
        Review.objects.filter(answer=sent_back).update(note="rewritten")
    with pytest.raises(ReviewImmutable, match="never changed or deleted"):
        Review.objects.filter(answer=sent_back).delete()

    assert _trail(sent_back) == before


def test_database_refuses_update_and_delete_that_bypass_the_queryset(sent_back):
    before = _trail(sent_back)
    events = Review._base_manager.filter(answer=sent_back)

    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        events.update(note="rewritten")
    with pytest.raises(IntegrityError, match="never deleted"), transaction.atomic():
        events.delete()

    assert _trail(sent_back) == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE claims_review SET note = 'rewritten' WHERE answer_id = %s",
        "UPDATE claims_review SET answer_id = NULL WHERE answer_id = %s",
        "DELETE FROM claims_review WHERE answer_id = %s",
    ],
)
def test_database_refuses_raw_sql_that_changes_or_deletes_review_events(sent_back, sql):
    before = _trail(sent_back)

    with pytest.raises(IntegrityError, match="review event is never"):
        _execute(sql, sent_back.pk)

    assert _trail(sent_back) == before


def test_database_refuses_any_other_change_to_the_claim_of_an_event(editor):
    claim, other = ClaimFactory(), ClaimFactory()
    review = Review.objects.create(answer=claim.answer, claim=claim, actor=editor, action="edit")

    with pytest.raises(IntegrityError, match="never changed"):
        _execute("UPDATE claims_review SET claim_id = NULL, note = 'x' WHERE id = %s", review.pk)
    with pytest.raises(IntegrityError, match="never changed"):
        _execute("UPDATE claims_review SET claim_id = %s WHERE id = %s", other.pk, review.pk)

    assert Review.objects.get(pk=review.pk).claim_id == claim.pk


def test_deleting_a_claim_keeps_its_review_events_without_the_claim(editor, sent_back):
    claim = sent_back.claims.get()
    Review.objects.create(answer=sent_back, claim=claim, actor=editor, action="edit", note="Typo.")

    delete_claim(claim, by=editor)

    kept = Review.objects.filter(answer=sent_back, note__in=["Typo.", "Cite the statute."])
    assert kept.count() == 2
    assert not Review.objects.filter(claim_id=claim.pk).exists()
    assert Review.objects.get(note="Typo.").claim is None


def test_deleting_an_answer_with_review_events_is_refused(sent_back):
    before = _trail(sent_back)

    with pytest.raises(ProtectedError):
        sent_back.delete()
    with pytest.raises(ProtectedError):
        Answer.objects.filter(pk=sent_back.pk).delete()
    with pytest.raises(ProtectedError):
        sent_back.question.delete()

    assert _trail(sent_back) == before
    assert Answer.objects.filter(pk=sent_back.pk).exists()
