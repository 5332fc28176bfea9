"""Read-only JSON of published answers: filters, pagination, payloads, nothing unpublished."""

import pytest
from django.utils import timezone

from courtinfo import api
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    TopicFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def _publish(code="MO", topic=None, **kwargs):
    question = QuestionFactory(jurisdiction=jurisdiction(code), topic=topic)
    return PublicationFactory(answer=AnswerFactory(question=question), **kwargs)


def test_list_shows_live_answers_only(client):
    live = _publish()
    AnswerFactory()
    withdrawn = _publish("KS")
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN, live_publication=None, withdrawn_at=timezone.now()
        )

    data = client.get("/api/answers/").json()

    assert data["count"] == 1
    assert [r["id"] for r in data["results"]] == [live.answer_id]
    assert data["results"][0]["url"] == f"http://testserver{live.get_absolute_url()}"


def test_list_filters_by_jurisdiction_and_topic(client):
    records = TopicFactory(slug="records")
    mo = _publish("MO", topic=records)
    _publish("KS", topic=records)
    _publish("MO")

    by_code = client.get("/api/answers/", {"jurisdiction": "KS"}).json()
    both = client.get("/api/answers/", {"jurisdiction": "MO", "topic": "records"}).json()

    assert [r["jurisdiction"]["code"] for r in by_code["results"]] == ["KS"]
    assert [r["id"] for r in both["results"]] == [mo.answer_id]


def test_list_is_paginated(client, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for _ in range(3):
        _publish()

    first = client.get("/api/answers/").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["previous"] is None
    assert len(second["results"]) == 1 and second["next"] is None


def test_detail_serves_the_live_publication_payload(client):
    answer = _publish().answer
    latest = PublicationFactory(answer=answer, version=2, summary="Second.")

    response = client.get(f"/api/answers/{answer.pk}/")

    assert response.status_code == 200
    assert response.json() == latest.payload
    assert response["ETag"] and response["Last-Modified"]


def test_detail_of_withdrawn_answer_is_410_and_unknown_is_404(client):
    withdrawn = _publish()
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN,
            live_publication=None,
            withdrawn_reason="Repealed.",
            withdrawn_at=timezone.now(),
        )

    gone = client.get(f"/api/answers/{withdrawn.answer_id}/")

    assert gone.status_code == 410
    assert gone.json()["reason"] == "Repealed."
    assert client.get("/api/answers/999999/").status_code == 404


def test_api_is_read_only(client):
    answer = _publish().answer

    assert client.post("/api/answers/").status_code == 405
    assert client.delete(f"/api/answers/{answer.pk}/").status_code == 405
