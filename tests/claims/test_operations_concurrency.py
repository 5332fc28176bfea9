"""Cron overlapping itself: two publish_scheduled or send_digest runs at once do the work once."""

import datetime
import io
import threading

from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from claims import notifications
from claims.models import Claim, NotificationPreference
from claims.workflow import approve_answer, schedule_publication, submit_answer, verify_claim
from courtinfo.models import Answer, Publication
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, UserFactory
from tests.races import POSTGRES_RACE

pytestmark = POSTGRES_RACE


def test_two_runs_at_once_publish_each_due_answer_once():
    writer = UserFactory(username="writer", groups=["Editors"], password=None)
    checker = UserFactory(username="checker", groups=["Reviewers"], password=None)
    releaser = UserFactory(username="releaser", groups=["Publishers"], password=None)
    answers = []
    for _ in range(4):
        answer = AnswerFactory()
        CitationFactory(claim=ClaimFactory(answer=answer))
        submit_answer(answer, by=writer)
        verify_claim(answer.claims.get(), by=checker, verdict=Claim.Status.SUPPORTED)
        approve_answer(answer, by=checker)
        schedule_publication(answer, by=releaser, at=timezone.now() - datetime.timedelta(minutes=1))
        answers.append(answer)

    barrier = threading.Barrier(2, timeout=30)
    outputs: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run():
        out = io.StringIO()
        try:
            barrier.wait()
            call_command("publish_scheduled", stdout=out)
        except BaseException as error:  # reported below; a thread would swallow it
            with lock:
                errors.append(error)
        finally:
            connections.close_all()
        with lock:
            outputs.append(out.getvalue())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    for answer in answers:
        assert Publication.objects.filter(answer=answer).count() == 1
        answer.refresh_from_db()
        assert answer.status == Answer.Status.PUBLISHED and answer.publish_at is None
        assert answer.live_publication.published_by == releaser
    # Neither run tried what the other held: no refusal, nothing skipped.
    assert not [out for out in outputs if "not published" in out], outputs
    # Each answer is reported published by exactly one of the two runs.
    lines = [line for out in outputs for line in out.splitlines() if ": published version" in line]
    assert sorted(lines) == sorted(
        f"answer {a.pk}: published version 1 for releaser" for a in answers
    )


def test_two_digest_runs_at_once_send_one_digest():
    reviewer = UserFactory(username="reviewer", groups=["Reviewers"], password=None)
    NotificationPreference.objects.create(user=reviewer, delivery="daily")
    notifications.deliver("event:1", [reviewer], subject="Answer to review", body="Waiting.")
    today = timezone.localdate()
    mail.outbox = []
    barrier = threading.Barrier(2, timeout=30)
    sent: list[object] = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            result = notifications.send_digest(today)
        except Exception as error:  # reported below; a thread would swallow it
            result = error
        finally:
            connections.close_all()
        with lock:
            sent.append(result)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(sent) == [0, 1]
    assert len(mail.outbox) == 1
