"""Draft and withdrawn text never reaches a public URL; hostile text is escaped everywhere."""

import json
import re

import pytest
from django.utils import timezone

from claims.models import Source
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer
from tests.factories import (
    AnswerFactory,
    ClaimFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db

MARKER = "zqxjmarker"
HOSTILE = "<script>alert(1)</script></script><img src=x onerror=alert(2)>&amp;"


def _public_urls(publication) -> list[str]:
    url = publication.get_absolute_url()
    return [
        "/",
        "/missouri/",
        "/kansas/",
        url,
        f"{url}history/",
        "/search/?q=claim",
        "/search/?q=draft",
        "/search/?q=records",
        f"/compare/{publication.compare_key}/",
        "/sources/",
        "/feed/",
        "/sitemap.xml",
        "/api/answers/",
        f"/api/answers/{publication.answer_id}/",
    ]


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404, 410), url
    return response.content.decode()


def test_draft_and_withdrawn_text_never_appears_on_public_urls(client):
    topic = TopicFactory(slug="records")
    live = PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(topic=topic, compare_key="records", text="Records?")
        ),
        blocks=[("paragraph", None, [("Court records are open.", [SourceFactory()])])],
    )
    # A draft edit of the live answer and a wholly unpublished draft.
    ClaimFactory(answer=live.answer, text=f"Edited draft {MARKER} claim.")
    draft = AnswerFactory(
        question=QuestionFactory(text=f"Draft {MARKER} question?", compare_key="records")
    )
    ClaimFactory(answer=draft, text=f"Draft {MARKER} text.")
    # A withdrawn answer in another state under the same compare key.
    withdrawn = PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(
                jurisdiction=jurisdiction("KS"), topic=topic, compare_key="records"
            )
        ),
        summary=f"Summary {MARKER}",
        blocks=[
            ("paragraph", None, [(f"Withdrawn {MARKER} claim.", [SourceFactory(title=MARKER)])])
        ],
    )
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN,
            live_publication=None,
            withdrawn_reason="Wrong.",
            withdrawn_at=timezone.now(),
        )

    # Its history stays readable under the withdrawal notice (tests/courtinfo/test_public_pages).
    urls = _public_urls(live) + [
        withdrawn.get_absolute_url(),
        f"/api/answers/{withdrawn.answer_id}/",
        f"/api/answers/{draft.pk}/",
        "/search/?q=withdrawn&jurisdiction=KS",
    ]
    for url in urls:
        assert MARKER not in _body(client, url), url
    assert client.get("/search/", {"q": MARKER}).context["page_obj"].paginator.count == 0


def test_draft_and_withdrawn_addresses_answer_404_and_410(client):
    draft = AnswerFactory()
    withdrawn = PublicationFactory()
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN,
            live_publication=None,
            withdrawn_reason="Gone.",
            withdrawn_at=timezone.now(),
        )

    assert client.get(draft.question.get_absolute_url()).status_code == 404
    assert client.get(f"/api/answers/{draft.pk}/").status_code == 404
    assert client.get(withdrawn.get_absolute_url()).status_code == 410
    assert client.get(f"/api/answers/{withdrawn.answer_id}/").status_code == 410


def _hostile_publication():
    topic = TopicFactory(name=f"Topic {HOSTILE}", slug="hostile")
    source = SourceFactory(
        title=f"Title {HOSTILE}",
        publisher=HOSTILE,
        citation=f"Cite {HOSTILE}",
        kind=Source.Kind.STATUTE,
        url="https://example.org/?a=1&b=<2>",
    )
    return PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(
                text=f"Question {HOSTILE}?", topic=topic, compare_key="hostile-key"
            )
        ),
        summary=f"Summary {HOSTILE}",
        blocks=[("paragraph", None, [(f"Records claim {HOSTILE}", [source])])],
    )


def test_hostile_text_is_escaped_in_html_pages(client):
    publication = _hostile_publication()
    url = publication.get_absolute_url()
    pages = ["/", "/missouri/", url, f"{url}history/", "/search/?q=records", "/sources/"]
    pages.append(f"/compare/{publication.compare_key}/")
    for page in pages:
        html = _body(client, page)
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page


def test_hostile_text_cannot_close_the_json_ld_script(client):
    publication = _hostile_publication()

    html = _body(client, publication.get_absolute_url())

    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@graph"][0]["mainEntity"][0]["name"] == f"Question {HOSTILE}?"
    assert "<" not in scripts[0] and ">" not in scripts[0]


def test_hostile_text_is_escaped_in_the_feed(client):
    _hostile_publication()

    body = _body(client, "/feed/")

    assert "<script>" not in body
    assert "&lt;script&gt;" in body


def test_hostile_query_is_a_normal_page(client):
    _hostile_publication()
    for query in (HOSTILE, "' OR 1=1 --", "!!! & | :* ()", "\x00\x01", "a" * 5000, "<>"):
        response = client.get("/search/", {"q": query, "jurisdiction": HOSTILE, "topic": "'"})
        assert response.status_code == 200, query
        assert "<script>alert" not in response.content.decode()
