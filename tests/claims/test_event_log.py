"""Each committed workflow event is one log line naming who did what to which answer."""

import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.event_log import event_fields
from claims.models import Review
from claims.workflow import TransitionError, approve_answer, submit_answer
from courtinfo.logs import JsonFormatter
from tests.factories import AnswerFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _events(caplog):
    return [record for record in caplog.records if record.name == "claims.events"]


def test_a_workflow_event_is_logged_with_who_what_and_which_answer(
    editor, caplog, django_capture_on_commit_callbacks
):
    answer = AnswerFactory()
    ClaimFactory(answer=answer)

    with (
        caplog.at_level(logging.INFO, logger="claims.events"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit_answer(answer, by=editor)

    (record,) = _events(caplog)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == f"submit answer {answer.pk} by editor"
    assert {key: entry[key] for key in ("action", "actor", "actor_id", "answer_id")} == {
        "action": "submit",
        "actor": "editor",
        "actor_id": editor.pk,
        "answer_id": answer.pk,
    }
    assert (entry["from_status"], entry["to_status"]) == ("draft", "in_review")
    assert entry["event"] == answer.reviews.get().pk


def test_nothing_is_logged_before_the_transaction_commits(editor, caplog):
    answer = AnswerFactory()
    ClaimFactory(answer=answer)

    with caplog.at_level(logging.INFO, logger="claims.events"):
        submit_answer(answer, by=editor)

    # The test's own transaction never commits.
    assert _events(caplog) == []


def test_a_refused_transition_logs_nothing(reviewer, caplog, django_capture_on_commit_callbacks):
    answer = AnswerFactory()

    with (
        caplog.at_level(logging.INFO, logger="claims.events"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionError),
    ):
        approve_answer(answer, by=reviewer)

    assert _events(caplog) == []


def test_an_event_read_back_without_its_actor_is_logged_by_id_without_a_query(editor):
    answer = AnswerFactory()
    ClaimFactory(answer=answer)
    submit_answer(answer, by=editor)
    review = Review.objects.get(answer=answer)

    with CaptureQueriesContext(connection) as queries:
        fields = event_fields(review)

    assert len(queries) == 0
    assert (fields["actor"], fields["actor_id"]) == (None, editor.pk)
