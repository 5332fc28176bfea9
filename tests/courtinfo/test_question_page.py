"""The public question page shows the live publication, never the editorial working copy."""

import pytest

from claims.models import Claim
from claims.workflow import (
    approve_answer,
    edit_claim,
    publish_answer,
    submit_answer,
    verify_claim,
    withdraw_answer,
)
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = "Courts share records with federal agents only under a judicial warrant."
SECOND = "Courts share records with federal agents only under a signed court order."


@pytest.fixture
def people(db):
    return {
        "writer": UserFactory(username="writer", groups=["Editors"], password=None),
        "checker": UserFactory(username="checker", groups=["Reviewers"], password=None),
        "releaser": UserFactory(username="releaser", groups=["Publishers"], password=None),
    }


def _through_review(answer, people):
    submit_answer(answer, by=people["writer"])
    for claim in answer.claims.exclude(status=Claim.Status.SUPPORTED):
        verify_claim(claim, by=people["checker"], verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=people["checker"])
    return publish_answer(answer, by=people["releaser"])


@pytest.fixture
def answer(people):
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer, text=FIRST))
    return answer


def test_unpublished_answer_has_no_public_page(client, answer):
    assert client.get(answer.question.get_absolute_url()).status_code == 404


def test_public_page_shows_the_published_text(client, people, answer):
    _through_review(answer, people)
    response = client.get(answer.question.get_absolute_url())
    assert response.status_code == 200
    assert FIRST in response.content.decode()


def test_edits_after_publishing_do_not_reach_the_public_page(client, people, answer):
    _through_review(answer, people)
    edit_claim(answer.claims.get(), by=people["writer"], text=SECOND)
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert FIRST in page
    assert SECOND not in page


def test_public_page_shows_publication_n_until_n_plus_1_is_live(client, people, answer):
    _through_review(answer, people)
    edit_claim(answer.claims.get(), by=people["writer"], text=SECOND)
    answer.refresh_from_db()
    submit_answer(answer, by=people["writer"])
    verify_claim(answer.claims.get(), by=people["checker"], verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=people["checker"])
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert FIRST in page and SECOND not in page

    publish_answer(answer, by=people["releaser"])
    page = client.get(answer.question.get_absolute_url()).content.decode()
    assert SECOND in page and FIRST not in page


def test_withdrawn_answer_page_is_gone_with_the_reason(client, people, answer):
    _through_review(answer, people)
    reason = "The ordinance this answer relied on was repealed."
    withdraw_answer(answer, by=people["releaser"], reason=reason)
    response = client.get(answer.question.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert reason in page
    assert FIRST not in page


def test_withdrawn_answer_stays_gone_while_it_is_reworked(client, people, answer):
    _through_review(answer, people)
    withdraw_answer(answer, by=people["releaser"], reason="Repealed.")
    edit_claim(answer.claims.get(), by=people["writer"], text=SECOND)
    response = client.get(answer.question.get_absolute_url())
    assert response.status_code == 410
    assert SECOND not in response.content.decode()
