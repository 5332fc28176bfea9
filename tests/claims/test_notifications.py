"""E-mail to the people who can act next: after commit, once per event, never to the actor."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims import notifications
from claims.models import Claim, Notification, NotificationPreference, Review
from claims.workflow import (
    approve_answer,
    confirm_review,
    edit_claim,
    publish_answer,
    request_changes,
    submit_answer,
    verify_claim,
)
from courtinfo.models import Answer, ProblemReport
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TEXT = "Courts keep records for ten years."


@pytest.fixture(autouse=True)
def _site(settings):
    settings.COURTINFO_SITE_URL = "https://news.example.org"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as the end of a request's transaction would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def answer(db):
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer, text=TEXT))
    return answer


def _to(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def _verified(answer, reviewer):
    for claim in answer.claims.exclude(status=Claim.Status.SUPPORTED):
        verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED)


def test_a_submitted_answer_is_announced_to_the_reviewers(
    commit, mailoutbox, answer, editor, reviewer, other_reviewer, publisher
):
    commit(submit_answer, answer, by=editor)
    assert _to(mailoutbox) == ["reviewer2@example.org", "reviewer@example.org"]
    message = mailoutbox[0]
    assert answer.question.text in message.subject
    assert "What to do: verify each claim" in message.body
    assert f"https://news.example.org/admin/courtinfo/answer/{answer.pk}/change/" in message.body


def test_nothing_is_sent_before_the_commit(
    django_capture_on_commit_callbacks, mailoutbox, answer, editor, reviewer
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_answer(answer, by=editor)
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert _to(mailoutbox) == ["reviewer@example.org"]


def test_an_approved_answer_is_announced_to_the_publishers(
    commit, mailoutbox, answer, editor, reviewer, publisher
):
    submit_answer(answer, by=editor)
    _verified(answer, reviewer)
    commit(approve_answer, answer, by=reviewer)
    assert _to(mailoutbox) == ["publisher@example.org"]
    assert "What to do: publish it" in mailoutbox[0].body


def test_a_sent_back_answer_goes_to_its_submitter_with_the_note(
    commit, mailoutbox, answer, editor, other_editor, reviewer
):
    submit_answer(answer, by=editor)
    commit(request_changes, answer, by=reviewer, note="Cite the statute, not a blog.")
    assert _to(mailoutbox) == ["editor@example.org"]
    assert "Cite the statute, not a blog." in mailoutbox[0].body
    assert "submit the answer again" in mailoutbox[0].body


def test_the_person_who_acted_is_never_told(commit, mailoutbox, answer, superuser, reviewer):
    # A superuser holds every role, the reviewer's too; they submitted, so only the other hears.
    commit(submit_answer, answer, by=superuser)
    assert _to(mailoutbox) == ["reviewer@example.org"]


def test_one_event_is_sent_once(commit, mailoutbox, answer, editor, reviewer):
    commit(submit_answer, answer, by=editor)
    event = Review.objects.get(answer=answer, action=Review.Action.SUBMIT)
    assert notifications.notify_review(event.pk) == 0
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(event=f"review:{event.pk}").count() == 1


def test_claim_events_and_edits_send_nothing(commit, mailoutbox, answer, editor, reviewer):
    commit(edit_claim, answer.claims.get(), by=editor, text="Courts keep records for a year.")
    assert mailoutbox == []


def test_people_who_turned_notifications_off_get_none(
    commit, mailoutbox, answer, editor, reviewer, other_reviewer
):
    NotificationPreference.objects.create(user=reviewer, delivery="off")
    commit(submit_answer, answer, by=editor)
    assert _to(mailoutbox) == ["reviewer2@example.org"]


def _digest(today) -> str:
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    return out.getvalue()


def test_the_daily_digest_is_sent_once_a_day(commit, mailoutbox, editor, reviewer):
    NotificationPreference.objects.create(user=reviewer, delivery="daily")
    first, second = AnswerFactory(), AnswerFactory()
    for answer in (first, second):
        ClaimFactory(answer=answer)
        commit(submit_answer, answer, by=editor)
    assert mailoutbox == []
    today = timezone.localdate()
    assert notifications.send_digest(today) == 1
    [digest] = mailoutbox
    assert digest.to == ["reviewer@example.org"]
    assert first.question.text in digest.body and second.question.text in digest.body
    # From cron again the same day: nothing more, even with new work waiting.
    third = AnswerFactory()
    ClaimFactory(answer=third)
    commit(submit_answer, third, by=editor)
    assert notifications.send_digest(today) == 0
    assert len(mailoutbox) == 1
    # The next day brings what came since, and only that.
    assert notifications.send_digest(today + datetime.timedelta(days=1)) == 1
    assert third.question.text in mailoutbox[1].body
    assert first.question.text not in mailoutbox[1].body


def test_a_reader_report_is_announced_to_the_editors(commit, mailoutbox, editor, reviewer):
    publication = PublicationFactory()
    report = commit(
        ProblemReport.objects.create,
        answer=publication.answer,
        publication=publication,
        claim=publication.payload["blocks"][0]["claims"][0]["id"],
        claim_text="Courts keep records.",
        message="They keep them for five years.",
        email="reader@example.net",
    )
    assert _to(mailoutbox) == ["editor@example.org"]
    body = mailoutbox[0].body
    assert "They keep them for five years." in body
    assert f"https://news.example.org/admin/courtinfo/problemreport/{report.pk}/change/" in body
    # The reader's address is for the reader only.
    assert "reader@example.net" not in body


def test_overdue_publications_are_announced_to_the_reviewers_once(mailoutbox, reviewer, editor):
    overdue = PublicationFactory(review_due_on=timezone.localdate() - datetime.timedelta(days=2))
    PublicationFactory(review_due_on=timezone.localdate() + datetime.timedelta(days=2))
    assert "1 overdue notice(s) sent now" in _digest(None)
    assert _to(mailoutbox) == ["reviewer@example.org"]
    assert overdue.question_text in mailoutbox[0].subject
    assert f"/admin/claims/dueforreview/{overdue.pk}/change/" in mailoutbox[0].body
    assert "0 overdue notice(s) sent now" in _digest(None)
    assert len(mailoutbox) == 1


# --- reports resolved by a correction


@pytest.fixture
def published(answer, editor, reviewer, publisher):
    ClaimFactory(answer=answer, text="Anyone may ask to see them.", position=5)
    CitationFactory(claim=answer.claims.get(position=5))
    submit_answer(answer, by=editor)
    _verified(answer, reviewer)
    approve_answer(answer, by=reviewer)
    publish_answer(answer, by=publisher)
    return Answer.objects.get(pk=answer.pk)


def _report(answer, claim=None, **fields):
    live = answer.live_publication
    return ProblemReport.objects.create(
        answer=answer,
        publication=live,
        claim=claim.pk if claim else None,
        claim_text=claim.text if claim else "",
        message="This is wrong.",
        **fields,
    )


def test_republishing_a_corrected_claim_resolves_its_report_and_tells_the_reader(
    commit, mailoutbox, published, editor, other_editor, reviewer, other_reviewer, publisher
):
    wrong = published.claims.get(text=TEXT)
    other = published.claims.exclude(pk=wrong.pk).get()
    fixed = _report(published, wrong, status="accepted", email="reader@example.net")
    untouched = _report(published, other, email="other@example.net")
    whole_new = _report(published)
    edit_claim(wrong, by=other_editor, text="Courts keep records for five years.")
    submit_answer(published, by=other_editor)
    _verified(Answer.objects.get(pk=published.pk), reviewer)
    approve_answer(published, by=other_reviewer)
    mailoutbox.clear()
    commit(publish_answer, published, by=publisher, summary="Corrected the retention period.")

    fixed.refresh_from_db()
    assert fixed.status == ProblemReport.Status.RESOLVED
    assert fixed.email == "" and fixed.closed_at is not None
    untouched.refresh_from_db()
    assert (untouched.status, untouched.email) == ("new", "other@example.net")
    whole_new.refresh_from_db()
    assert whole_new.status == "new"  # nobody accepted it: an editor still has to read it
    [told] = [m for m in mailoutbox if m.to == ["reader@example.net"]]
    assert "corrected" in told.subject
    assert published.question.get_absolute_url() in told.body


def test_an_accepted_report_on_the_whole_answer_is_resolved_by_a_correction(
    commit, mailoutbox, published, other_editor, reviewer, other_reviewer, publisher
):
    report = _report(published, status="accepted")
    edit_claim(published.claims.get(text=TEXT), by=other_editor, text="Courts keep records.")
    submit_answer(published, by=other_editor)
    _verified(Answer.objects.get(pk=published.pk), reviewer)
    approve_answer(published, by=other_reviewer)
    commit(publish_answer, published, by=publisher)
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.RESOLVED


def test_a_re_review_resolves_nothing(commit, mailoutbox, published, other_reviewer):
    report = _report(published, published.claims.get(text=TEXT), status="accepted")
    commit(confirm_review, published, by=other_reviewer)
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.ACCEPTED


def test_a_reviewer_without_an_address_or_inactive_is_skipped(commit, mailoutbox, answer, editor):
    UserFactory(username="noaddress", email="", groups=["Reviewers"])
    UserFactory(username="gone", is_active=False, groups=["Reviewers"])
    commit(submit_answer, answer, by=editor)
    assert mailoutbox == []
