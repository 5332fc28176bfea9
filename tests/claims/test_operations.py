"""Scheduled publishing and re-review through the workflow, and the publish_scheduled command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims import workflow
from claims.models import Claim, Review
from claims.workflow import (
    TransitionError,
    approve_answer,
    confirm_review,
    edit_claim,
    publish_answer,
    schedule_publication,
    submit_answer,
    unschedule_publication,
    verify_claim,
)
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer, Publication
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, PublicationFactory

pytestmark = pytest.mark.django_db

TEXT = "Courts keep records for ten years."


@pytest.fixture
def approved(editor, reviewer):
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer, text=TEXT))
    submit_answer(answer, by=editor)
    verify_claim(answer.claims.get(), by=reviewer, verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=reviewer)
    return Answer.objects.get(pk=answer.pk)


def _soon(minutes=-1):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def _run() -> str:
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


# --- scheduling


def test_a_publisher_schedules_an_approved_answer(approved, publisher):
    at = _soon(60)
    schedule_publication(approved, by=publisher, at=at)
    approved.refresh_from_db()
    assert (approved.publish_at, approved.publish_scheduled_by) == (at, publisher)
    assert approved.status == Answer.Status.APPROVED
    event = Review.objects.filter(answer=approved).first()
    assert (event.action, event.actor) == (Review.Action.SCHEDULE, publisher)


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_only_publishers_schedule(approved, request, who):
    with pytest.raises(TransitionError, match="Publisher role"):
        schedule_publication(approved, by=request.getfixturevalue(who), at=_soon(60))
    approved.refresh_from_db()
    assert approved.publish_at is None


def test_only_an_approved_answer_is_scheduled(editor, publisher):
    draft = AnswerFactory()
    ClaimFactory(answer=draft)
    with pytest.raises(TransitionError, match="only an answer that is approved"):
        schedule_publication(draft, by=publisher, at=_soon(60))


def test_a_schedule_needs_a_time_with_a_zone(approved, publisher):
    with pytest.raises(TransitionError, match="date and time"):
        schedule_publication(approved, by=publisher, at=None)
    with pytest.raises(TransitionError, match="date and time"):
        schedule_publication(approved, by=publisher, at=datetime.datetime(2030, 1, 1, 9))


def test_any_edit_clears_the_schedule(approved, publisher, editor):
    schedule_publication(approved, by=publisher, at=_soon(60))
    edit_claim(approved.claims.get(), by=editor, text="Courts keep records for five years.")
    approved.refresh_from_db()
    assert approved.status == Answer.Status.DRAFT
    assert approved.publish_at is None and approved.publish_scheduled_by is None


def test_an_edit_through_a_save_clears_the_schedule_too(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(60))
    question = approved.question
    question.text = "What does the rule say now?"
    question.save()
    approved.refresh_from_db()
    assert approved.status == Answer.Status.DRAFT
    assert approved.publish_at is None


def test_cancelling_a_schedule(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(60))
    unschedule_publication(approved, by=publisher)
    approved.refresh_from_db()
    assert approved.publish_at is None
    assert approved.status == Answer.Status.APPROVED


def test_the_schedule_is_a_workflow_field(approved):
    with pytest.raises(Exception, match="written only by claims.workflow"):
        Answer.objects.filter(pk=approved.pk).update(publish_at=_soon())
    approved.publish_at = _soon()
    approved.save()
    approved.refresh_from_db()
    assert approved.publish_at is None


# --- the command


def test_publish_scheduled_publishes_what_is_due_by_its_scheduler(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(-1))
    out = _run()
    approved.refresh_from_db()
    assert approved.status == Answer.Status.PUBLISHED
    publication = approved.live_publication
    assert publication.published_by == publisher
    assert approved.publish_at is None
    assert f"answer {approved.pk}: published version 1" in out
    # A second run finds nothing left to do.
    assert "0 published" in _run()
    assert Publication.objects.filter(answer=approved).count() == 1


def test_publish_scheduled_leaves_what_is_not_due(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(30))
    assert "0 published, 0 skipped" in _run()
    approved.refresh_from_db()
    assert approved.status == Answer.Status.APPROVED and approved.publish_at is not None


def test_publish_scheduled_skips_an_answer_whose_publisher_lost_the_role(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(-1))
    publisher.groups.clear()
    out = _run()
    approved.refresh_from_db()
    assert approved.status == Answer.Status.APPROVED
    assert approved.publish_at is None
    assert "not published" in out and "Publisher role" in out
    assert not Publication.objects.filter(answer=approved).exists()


def test_publish_scheduled_skips_content_changed_behind_the_workflow(approved, publisher):
    # A change that no signal saw (a queryset update) still never reaches the public.
    schedule_publication(approved, by=publisher, at=_soon(-1))
    Claim.objects.filter(answer=approved).update(text="Changed in the shell.")
    out = _run()
    assert "not published" in out and "still unverified" in out
    assert not Publication.objects.filter(answer=approved).exists()


def test_publishing_by_hand_clears_the_schedule(approved, publisher):
    schedule_publication(approved, by=publisher, at=_soon(60))
    publish_answer(approved, by=publisher)
    approved.refresh_from_db()
    assert approved.publish_at is None
    assert "0 published" in _run()


def test_the_workflow_offers_scheduling_to_publishers_only(approved, publisher, reviewer):
    assert [m.action for m in workflow.available_operations(approved, publisher)] == ["schedule"]
    assert workflow.available_operations(approved, reviewer) == []


# --- re-review


@pytest.fixture
def published(approved, publisher):
    publish_answer(approved, by=publisher)
    return Answer.objects.get(pk=approved.pk)


def test_confirming_a_review_publishes_the_same_content_with_a_new_date(
    published, other_reviewer, settings
):
    before = published.live_publication
    new = confirm_review(published, by=other_reviewer, note="Checked the statute again.")
    published.refresh_from_db()
    assert published.live_publication == new
    assert new.version == before.version + 1
    assert new.payload["blocks"] == before.payload["blocks"]
    assert new.body_text == before.body_text
    today = timezone.localdate()
    assert new.payload["last_reviewed_on"] == today.isoformat()
    assert new.review_due_on == today + datetime.timedelta(
        days=settings.COURTINFO_REVIEW_INTERVAL_DAYS
    )
    assert new.summary.startswith("Re-reviewed: still correct.")
    event = Review.objects.filter(answer=published).first()
    assert (event.action, event.actor) == (Review.Action.CONFIRM, other_reviewer)
    assert published.status == Answer.Status.PUBLISHED


def test_the_public_history_lists_a_review_not_a_change(client, published, other_reviewer):
    confirm_review(published, by=other_reviewer)
    page = client.get(published.question.get_absolute_url() + "history/").content.decode()
    assert "The text did not change; it was reviewed again." in page
    assert "Re-reviewed: still correct." in page


def test_the_public_page_shows_the_new_review_date_and_no_longer_past_due(client, other_reviewer):
    long_ago = datetime.date(2020, 3, 2)
    overdue = PublicationFactory(last_reviewed_on=long_ago, review_due_on=long_ago)
    url = overdue.get_absolute_url()
    before = client.get(url).content.decode()
    assert "Last reviewed March 2, 2020" in before
    assert "Due for re-review" in before
    confirm_review(Answer.objects.get(pk=overdue.answer_id), by=other_reviewer)
    after = client.get(url).content.decode()
    assert "Last reviewed March 2, 2020" not in after
    assert "Due for re-review" not in after
    assert "Next review due" in after


def test_only_reviewers_confirm_a_review(published, editor, publisher):
    for person in (editor, publisher):
        with pytest.raises(TransitionError, match="Reviewer role"):
            confirm_review(published, by=person)
    assert Publication.objects.filter(answer=published).count() == 1


def test_nobody_confirms_their_own_text(published, reviewer, other_reviewer):
    with workflow_writes():
        Claim.objects.filter(answer=published).update(author=other_reviewer)
    with pytest.raises(TransitionError, match="You wrote the current text"):
        confirm_review(published, by=other_reviewer)
    assert confirm_review(published, by=reviewer).version == 2


def test_an_answer_being_edited_is_reopened_not_confirmed(published, editor, other_reviewer):
    edit_claim(published.claims.get(), by=editor, text="Courts keep records for five years.")
    with pytest.raises(TransitionError, match="only an answer that is published"):
        confirm_review(published, by=other_reviewer)


def test_the_due_queue_lists_overdue_publications_oldest_first(
    client, published, other_reviewer, reviewer
):
    older = Publication.objects.get(answer=published)
    # Two past due, and the one just published (due in half a year) not.
    today = timezone.localdate()
    oldest = PublicationFactory(review_due_on=today - datetime.timedelta(days=40))
    newer = PublicationFactory(review_due_on=today - datetime.timedelta(days=3))
    client.force_login(other_reviewer)
    page = client.get("/admin/claims/dueforreview/").content.decode()
    assert page.index(oldest.question_text) < page.index(newer.question_text)
    assert older.question_text not in page
