"""Full-text search over published questions and claims, on SQLite and PostgreSQL alike."""

import pytest
from django.utils import timezone

from courtinfo import search
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer
from tests.factories import (
    AnswerFactory,
    ClaimFactory,
    PublicationFactory,
    QuestionFactory,
    TopicFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def _publish(text: str, *, claims=(), code="MO", topic=None):
    question = QuestionFactory(jurisdiction=jurisdiction(code), text=text, topic=topic)
    return PublicationFactory(
        answer=AnswerFactory(question=question),
        blocks=[("paragraph", None, [(claim, []) for claim in claims] or [("Plain.", [])])],
    )


def _results(client, **params) -> list[str]:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return [hit["publication"].question_text for hit in response.context["hits"]]


def test_search_finds_words_in_questions_and_claims(client):
    _publish("Can a judge order detention?", claims=["Bail hearings happen within two days."])
    _publish("Who sees court files?", claims=["Clerks keep the files."])

    assert _results(client, q="detention") == ["Can a judge order detention?"]
    assert _results(client, q="hearings") == ["Can a judge order detention?"]
    assert _results(client, q="clerks files") == ["Who sees court files?"]


def test_search_needs_every_word(client):
    _publish("Can a judge order detention?", claims=["Bail hearings happen quickly."])

    assert _results(client, q="detention bail") == ["Can a judge order detention?"]
    assert _results(client, q="detention unicorn") == []


def test_search_skips_unpublished_and_withdrawn_answers(client):
    ClaimFactory(answer=AnswerFactory(question=QuestionFactory(text="Draft detention?")))
    withdrawn = _publish("Withdrawn detention?")
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN, live_publication=None, withdrawn_at=timezone.now()
        )
    _publish("Live detention?")

    assert _results(client, q="detention") == ["Live detention?"]


def test_search_filters_by_jurisdiction_code_and_topic_slug(client):
    records = TopicFactory(slug="records")
    _publish("Missouri records rule?", topic=records)
    _publish("Kansas records rule?", code="KS", topic=records)
    _publish("Missouri other rule?", claims=["About records too."])

    assert _results(client, q="records", jurisdiction="ks") == ["Kansas records rule?"]
    assert sorted(_results(client, q="records", topic="records")) == [
        "Kansas records rule?",
        "Missouri records rule?",
    ]
    assert _results(client, q="records", jurisdiction="MO", topic="records") == [
        "Missouri records rule?"
    ]


def test_search_highlights_matches_in_an_escaped_snippet(client):
    _publish("Records rule?", claims=["The <b>clerk</b> keeps records for years."])

    hit = client.get("/search/", {"q": "records"}).context["hits"][0]

    assert "keeps <mark>records</mark> for years" in hit["snippet"]
    assert "<b>" not in hit["snippet"]


def test_search_is_paginated(client):
    for n in range(search_page_size() + 3):
        _publish(f"Question {n} about records?")

    first = client.get("/search/", {"q": "records"})
    second = client.get("/search/", {"q": "records", "page": 2})

    assert len(first.context["hits"]) == search_page_size()
    assert len(second.context["hits"]) == 3
    assert 'rel="next"' in first.content.decode()


def search_page_size() -> int:
    from courtinfo.views import SEARCH_PAGE_SIZE

    return SEARCH_PAGE_SIZE


def test_empty_query_is_a_normal_page_without_results(client):
    _publish("Records?")
    response = client.get("/search/", {"q": "   "})

    assert response.status_code == 200
    assert response.context["hits"] == []


def test_clean_query_drops_control_characters_and_bounds_length():
    assert search.clean_query("a\x00b\tc\n") == "a b c"
    assert len(search.clean_query("x" * 1000)) == search.MAX_QUERY_LENGTH


@pytest.mark.postgres
def test_postgres_ranks_the_better_match_first(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's; SQLite orders by date")
    _publish("Detention?", claims=["Nothing else here."])
    _publish("Records?", claims=["Detention, detention and detention rules."])

    assert _results(client, q="detention")[0] == "Records?"


@pytest.mark.parametrize("query", ["sheriff", "", "zzz"])
def test_plain_snippets_start_and_end_on_word_boundaries(query):
    words = [f"word{i:03d}" for i in range(200)]
    words[100] = "sheriff"
    text = " ".join(words)
    headline = search._plain_headline(text, search.query_words(query))
    body = headline.removeprefix("… ").removesuffix(" …")
    body = body.replace(search._START, "").replace(search._STOP, "")
    pieces = body.split(" ")
    assert all(piece in words for piece in pieces), pieces
    assert len(body) <= search._SNIPPET_LENGTH
    if query == "sheriff":
        assert "sheriff" in pieces
