"""Query budgets: each public page costs the same few queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AnswerFactory, PublicationFactory, QuestionFactory, jurisdiction

pytestmark = pytest.mark.django_db

CODES = ["MO", "KS", "IL", "IA", "NE"]


def _publish(count: int):
    """`count` live answers spread over five states, each with a second version and sources."""
    publications = []
    for n in range(count):
        answer = AnswerFactory(
            question=QuestionFactory(
                jurisdiction=jurisdiction(CODES[n % len(CODES)]),
                compare_key=f"question-{n // len(CODES)}",
                text=f"Question {n} about court records?",
            )
        )
        PublicationFactory(answer=answer)
        publications.append(PublicationFactory(answer=answer, version=2))
    return publications


@pytest.fixture(params=[1, 25], ids=["small", "large"])
def publications(request):
    return _publish(request.param)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_question_page_costs_at_most_5_queries(client, publications, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(publications[0].get_absolute_url()).status_code == 200


def test_jurisdiction_page_costs_at_most_6_queries(
    client, publications, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client.get("/missouri/?topic=").status_code == 200


def test_home_costs_at_most_8_queries(client, publications, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=court+records&jurisdiction=MO",
        "/compare/question-0/",
        "/api/answers/",
        "/sources/",
        "/feed/",
        "/sitemap.xml",
    ],
)
def test_other_pages_do_not_grow_with_the_data(client, url):
    _publish(1)
    small = _queries(client, url)
    _publish(24)
    assert _queries(client, url) == small


def test_history_page_does_not_grow_with_versions(client):
    publication = PublicationFactory()
    url = f"{publication.get_absolute_url()}history/"
    small = _queries(client, url)
    for version in range(2, 8):
        PublicationFactory(answer=publication.answer, version=version)
    assert _queries(client, url) == small


def test_api_detail_costs_one_query_besides_the_live_generation(
    client, publications, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert client.get(f"/api/answers/{publications[0].answer_id}/").status_code == 200
