"""The publication payload: a complete snapshot of what was approved, built in fixed queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim
from claims.snapshot import build_payload
from claims.workflow import approve_answer, publish_answer, submit_answer, verify_claim
from courtinfo.models import Answer
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "writer": UserFactory(username="writer", groups=["Editors"], password=None),
        "checker": UserFactory(
            username="checker",
            first_name="Ada",
            last_name="Byron",
            password=None,
            groups=["Reviewers"],
        ),
        "approver": UserFactory(username="approver", groups=["Reviewers"], password=None),
        "releaser": UserFactory(username="releaser", groups=["Publishers"], password=None),
    }


def _approved(people, claims: int) -> Answer:
    answer = AnswerFactory(
        blocks=[{"kind": "paragraph", "number": None}, {"kind": "numbered", "number": 1}]
    )
    shared = SourceFactory(title="Shared statute")
    for i in range(claims):
        claim = ClaimFactory(answer=answer, position=i, block=0 if i == 0 else 1)
        CitationFactory(claim=claim, source=SourceFactory() if i % 2 else shared)
    submit_answer(answer, by=people["writer"])
    for claim in answer.claims.all():
        verify_claim(claim, by=people["checker"], verdict=Claim.Status.SUPPORTED)
    return approve_answer(answer, by=people["approver"])


def _build(answer: Answer, by) -> dict:
    return build_payload(
        Answer.objects.get(pk=answer.pk),
        version=1,
        published_at=timezone.now(),
        published_by=by,
        summary="First.",
        review_due_on=datetime.date(2030, 1, 1),
    )


def test_payload_has_schema_1_with_every_field(people):
    answer = _approved(people, 3)
    payload = publish_answer(answer, by=people["releaser"], summary="First.").payload
    assert set(payload) == {
        "schema",
        "version",
        "summary",
        "published_at",
        "published_by",
        "review_due_on",
        "last_reviewed_on",
        "jurisdiction",
        "topic",
        "question",
        "answer",
        "blocks",
        "sources",
        "reviewers",
        "citations",
    }
    question = answer.question
    assert (payload["schema"], payload["version"], payload["summary"]) == (1, 1, "First.")
    assert payload["published_by"] == "a publisher"  # no full name: never the login name
    assert payload["jurisdiction"] == {"code": "MO", "name": "Missouri", "slug": "missouri"}
    assert payload["topic"] == {"name": question.topic.name, "slug": question.topic.slug}
    assert payload["question"] == {
        "id": question.pk,
        "text": question.text,
        "slug": question.slug,
        "position": question.position,
        "compare_key": question.compare_key,
    }
    assert payload["answer"]["submitted_by"] == "an editor"
    assert payload["answer"]["approved_by"] == "a reviewer"
    assert payload["last_reviewed_on"] == timezone.localdate(answer.approved_at).isoformat()
    assert json.loads(json.dumps(payload)) == payload


def test_payload_blocks_hold_their_claims_in_order_with_citations(people):
    answer = _approved(people, 3)
    payload = _build(answer, people["releaser"])
    claims = list(answer.claims.order_by("position"))
    assert [(b["kind"], b["number"]) for b in payload["blocks"]] == [
        ("paragraph", None),
        ("numbered", 1),
    ]
    assert [[c["id"] for c in b["claims"]] for b in payload["blocks"]] == [
        [claims[0].pk],
        [claims[1].pk, claims[2].pk],
    ]
    first = payload["blocks"][0]["claims"][0]
    assert first["text"] == claims[0].text
    assert (first["status"], first["verified_by"]) == ("supported", "Ada Byron")
    citation = claims[0].citations.get()
    assert first["citations"] == [
        {"source": citation.source_id, "pinpoint": citation.pinpoint, "quote": citation.quote}
    ]


def test_payload_lists_each_source_once_in_first_cited_order(people):
    answer = _approved(people, 4)
    payload = _build(answer, people["releaser"])
    cited = [
        c["source"] for b in payload["blocks"] for claim in b["claims"] for c in claim["citations"]
    ]
    first_seen = list(dict.fromkeys(cited))
    assert [s["id"] for s in payload["sources"]] == first_seen
    assert len(cited) == 4 and len(first_seen) == 3
    assert payload["sources"][0]["title"] == "Shared statute"
    assert set(payload["sources"][0]) == {
        "id",
        "title",
        "url",
        "kind",
        "citation",
        "publisher",
        "accessed_on",
    }


def test_payload_lists_the_normalised_citations_of_claims_and_sources(people):
    answer = AnswerFactory()
    in_text = ClaimFactory(answer=answer, text="Held 24 hours at most (section 544.470(2), RSMo).")
    CitationFactory(claim=in_text, source=SourceFactory(citation="Kan. Stat. Ann. § 45-215"))
    ClaimFactory(answer=answer, text="Nothing cited here.")

    payload = _build(answer, people["releaser"])

    assert payload["citations"] == [
        "Kan. Stat. Ann. § 45-215",
        "Mo. Rev. Stat. § 544.470",
        "Mo. Rev. Stat. § 544.470(2)",
    ]


def test_payload_names_every_reviewer_once(people):
    payload = _build(_approved(people, 3), people["releaser"])
    assert payload["reviewers"] == ["Ada Byron", "a reviewer"]


def test_build_payload_uses_the_same_queries_for_3_and_30_claims(people, django_assert_num_queries):
    small, large = _approved(people, 3), _approved(people, 30)
    with CaptureQueriesContext(connection) as small_queries:
        _build(small, people["releaser"])
    # answer, question, jurisdiction, topic, submitter, approver, claims, citations
    assert len(small_queries) <= 8
    with django_assert_num_queries(len(small_queries)):
        _build(large, people["releaser"])


def test_publish_answer_uses_the_same_queries_for_3_and_30_claims(
    people, django_assert_num_queries
):
    warm_up, small, large = _approved(people, 1), _approved(people, 3), _approved(people, 30)
    # The first call also loads the publisher's permissions and content types, cached after.
    publish_answer(warm_up, by=people["releaser"])
    with CaptureQueriesContext(connection) as small_queries:
        publish_answer(small, by=people["releaser"])
    # lock, claims, citations, next version, insert, answer, review, revision (5 savepoints)
    assert len(small_queries) <= 18
    with django_assert_num_queries(len(small_queries)):
        publish_answer(large, by=people["releaser"])


def test_no_login_name_reaches_the_public_page_the_api_or_the_feed(client):
    writer = UserFactory(username="ed.login", groups=["Editors"], password=None)
    checker = UserFactory(username="rita.login", groups=["Reviewers"], password=None)
    releaser = UserFactory(username="pat.login", groups=["Publishers"], password=None)
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer))
    submit_answer(answer, by=writer)
    for claim in answer.claims.all():
        verify_claim(claim, by=checker, verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=checker)
    publication = publish_answer(answer, by=releaser)
    pages = [
        json.dumps(publication.payload),
        client.get(publication.get_absolute_url()).content.decode(),
        client.get(f"/api/answers/{answer.pk}/").content.decode(),
        client.get("/api/answers/").content.decode(),
        client.get("/feed/").content.decode(),
    ]
    for page in pages:
        for login in ("ed.login", "rita.login", "pat.login"):
            assert login not in page
    assert publication.payload["reviewers"] == ["a reviewer"]
    assert publication.payload["published_by"] == "a publisher"
    assert "Checked by a reviewer" in pages[1]


def test_a_full_name_is_how_a_person_is_named_in_public():
    checker = UserFactory(username="rlogin", first_name="Rita", last_name="Ruiz")
    claim = CitationFactory().claim
    claim.verified_by = checker
    payload = build_payload(
        claim.answer,
        version=1,
        published_at=timezone.now(),
        published_by=checker,
        review_due_on=timezone.localdate(),
    )
    assert payload["published_by"] == "Rita Ruiz"
