"""Topic pages: the published answers of one topic across jurisdictions, linked from home."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import parse_http_date

from courtinfo import views
from courtinfo.models import Topic
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    TopicFactory,
    jurisdiction,
    withdraw_as_the_workflow_would,
)

pytestmark = pytest.mark.django_db


def _publish(text: str, *, code="MO", topic=None, position=0, **publication):
    question = QuestionFactory(
        jurisdiction=jurisdiction(code), text=text, topic=topic, position=position
    )
    return PublicationFactory(answer=AnswerFactory(question=question), **publication)


@pytest.fixture
def immigration():
    return TopicFactory(name="Immigration", slug="immigration")


def _listed(response) -> list[str]:
    return [p.question_text for p in response.context["publications"]]


def test_the_home_page_topic_link_leads_to_its_answers_in_every_jurisdiction(client, immigration):
    _publish("May Missouri courts share files?", topic=immigration)
    _publish("May Kansas courts share files?", code="KS", topic=immigration)
    _publish("Who keeps court records?", topic=TopicFactory(name="Records", slug="records"))

    home = client.get("/").content.decode()
    assert 'href="/topics/immigration/">Immigration</a>' in home

    response = client.get("/topics/immigration/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Immigration</h1>" in html
    assert _listed(response) == [
        "May Kansas courts share files?",
        "May Missouri courts share files?",
    ]
    assert html.index('href="/kansas/"') < html.index('href="/missouri/"')
    assert "Who keeps court records?" not in html


def test_a_topic_page_lists_each_jurisdictions_questions_in_its_order(client, immigration):
    _publish("Second?", topic=immigration, position=2)
    _publish("First?", topic=immigration, position=1)

    assert _listed(client.get("/topics/immigration/")) == ["First?", "Second?"]


def test_drafts_and_withdrawn_answers_are_not_on_the_topic_page(client, immigration):
    _publish("Live?", topic=immigration)
    withdrawn = _publish("Withdrawn?", topic=immigration)
    withdraw_as_the_workflow_would(withdrawn, reason="Wrong.")
    AnswerFactory(question=QuestionFactory(text="Draft?", topic=immigration))

    assert _listed(client.get("/topics/immigration/")) == ["Live?"]


def test_a_topic_without_a_live_answer_is_not_found(client, immigration):
    withdrawn = _publish("Withdrawn?", topic=immigration)
    withdraw_as_the_workflow_would(withdrawn, reason="Wrong.")
    TopicFactory(name="Empty", slug="empty")

    assert client.get("/topics/immigration/").status_code == 404
    assert client.get("/topics/empty/").status_code == 404
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_a_renamed_topic_keeps_its_published_name_and_address(client, immigration):
    _publish("May courts share files?", topic=immigration)
    Topic.objects.filter(pk=immigration.pk).update(name="Enforcement", slug="enforcement")

    html = client.get("/topics/immigration/").content.decode()

    assert "<h1>Immigration</h1>" in html and "Enforcement" not in html
    assert client.get("/topics/enforcement/").status_code == 404


def test_the_topic_page_is_paginated_in_a_stable_order(client, immigration, monkeypatch):
    monkeypatch.setattr(views, "TOPIC_PAGE_SIZE", 3)
    for n, code in enumerate(["MO", "KS", "IL", "IA", "NE", "MO", "KS"]):
        _publish(f"Question {n}?", code=code, topic=immigration, position=n)

    pages = [_listed(client.get("/topics/immigration/", {"page": n})) for n in (1, 2, 3)]

    assert [len(page) for page in pages] == [3, 3, 1]
    assert sum(pages, []) == [
        "Question 2?",  # Illinois
        "Question 3?",  # Iowa
        "Question 1?",
        "Question 6?",  # Kansas
        "Question 0?",
        "Question 5?",  # Missouri
        "Question 4?",  # Nebraska
    ]
    assert 'rel="next" href="?page=2"' in client.get("/topics/immigration/").content.decode()


def test_the_topic_page_costs_the_same_queries_whatever_the_data_size(client, immigration):
    _publish("Question?", topic=immigration)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/topics/immigration/").status_code == 200
        return len(captured)

    small = queries()
    for n, code in enumerate(["MO", "KS", "IL", "IA", "NE"] * 5):
        _publish(f"Question {n}?", code=code, topic=immigration, position=n)
    # Cold every time (publishing moves the live generation): the generation, then the page's own.
    assert queries() == small <= 5


def test_the_topic_page_is_last_modified_when_one_of_its_answers_is_withdrawn(client, immigration):
    published_at = timezone.now() - timezone.timedelta(days=3)
    _publish("Stays?", topic=immigration, published_at=published_at)
    gone = _publish("Goes?", topic=immigration, published_at=published_at)
    before = parse_http_date(client.get("/topics/immigration/").headers["Last-Modified"])

    withdraw_as_the_workflow_would(gone, reason="Wrong.")
    after = parse_http_date(client.get("/topics/immigration/").headers["Last-Modified"])

    assert after > before


def test_the_sitemap_lists_every_published_topic(client, immigration):
    _publish("May courts share files?", topic=immigration)
    TopicFactory(name="Empty", slug="empty")

    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-topics.xml" in index
    body = client.get("/sitemap-topics.xml").content.decode()

    assert "http://testserver/topics/immigration/" in body
    assert "/topics/empty/" not in body
    entry = body[body.index("/topics/immigration/") :]
    assert entry.index("<lastmod>") < entry.index("</url>")


def test_a_search_for_a_topic_without_words_links_the_topic_page(client, immigration):
    _publish("May courts share files?", topic=immigration)

    html = client.get("/search/", {"topic": "immigration"}).content.decode()
    unknown = client.get("/search/", {"topic": "no such topic"})

    assert 'href="/topics/immigration/">Every published answer on Immigration</a>' in html
    assert unknown.status_code == 200
    assert 'href="/topics/' not in unknown.content.decode()
