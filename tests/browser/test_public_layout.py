"""Public pages on a 360 px phone: no sideways scrolling; the home page leads with content."""

import datetime

import pytest

from claims.models import Source
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    jurisdiction,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def published():
    """Two states answering the same question, one answer in two versions, long words included."""
    # The demo's topic: its name is wider than a phone's select box.
    topic = TopicFactory(
        name="State courts and immigration enforcement",
        slug="state-courts-and-immigration-enforcement",
    )
    statute = SourceFactory(
        title="Missouri Revised Statutes, Chapter 544: Proceedings Before Trial",
        url="https://revisor.mo.gov/main/OneSection.aspx?section=544.470&bid=29567&hl=",
        citation="Mo. Rev. Stat. § 544.470",
        publisher="Missouri General Assembly",
        kind=Source.Kind.STATUTE,
        accessed_on=datetime.date(2026, 1, 5),
    )
    question = QuestionFactory(
        jurisdiction=jurisdiction("MO"),
        topic=topic,
        text="How long can a person be held in Missouri without a warrant?",
        slug="how-long-can-a-person-be-held-without-a-warrant",
        compare_key="how-long-can-a-person-be-held-without-a-warrant",
    )
    answer = AnswerFactory(question=question)
    PublicationFactory(
        answer=answer,
        blocks=[("paragraph", None, [("A person may be held for 24 hours.", [statute])])],
    )
    publication = PublicationFactory(
        answer=answer,
        version=2,
        summary="Added the statute's exact words.",
        blocks=[
            (
                "paragraph",
                None,
                [
                    (
                        "Under RSMo 544.470 a person arrested without a warrant may be held "
                        "for no more than 24 hours (see revisor.mo.gov/main/OneSection.aspx"
                        "?section=544.470&bid=29567&hl=) unless a warrant is issued.",
                        [statute],
                    )
                ],
            ),
            ("numbered", 1, [("Ask for a lawyer.", [])]),
        ],
    )
    PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(
                jurisdiction=jurisdiction("KS"),
                topic=topic,
                text="How long can a person be held in Kansas without a warrant?",
                compare_key="how-long-can-a-person-be-held-without-a-warrant",
            )
        ),
        blocks=[("paragraph", None, [("Kansas sets 48 hours.", [SourceFactory()])])],
    )
    return publication


def _public_paths(publication) -> list[str]:
    url = publication.get_absolute_url()
    source_id = publication.payload["sources"][0]["id"]
    return [
        "/",
        "/missouri/",
        url,
        f"{url}history/",
        "/search/?q=warrant",
        "/search/?q=RSMo+544.470",
        f"/compare/{publication.compare_key}/",
        "/sources/",
        f"/sources/{source_id}/",
        "/topics/state-courts-and-immigration-enforcement/",
    ]


def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, published):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    statuses, widths = {}, {}
    try:
        for path in _public_paths(published):
            statuses[path] = page.goto(live_server.url + path).status
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()

    assert {path: width for path, width in widths.items() if width > PHONE["width"]} == {}
    assert {path: status for path, status in statuses.items() if status != 200} == {}


def test_home_page_shows_published_answers_within_the_first_screen_on_a_phone(
    browser, live_server, published
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        missouri = page.get_by_role("link", name="Missouri").first
        recent = page.get_by_role("link", name=published.question_text).first
        search = page.get_by_role("searchbox").first

        assert search.bounding_box()["y"] < PHONE["height"]
        assert missouri.bounding_box()["y"] < PHONE["height"] * 1.5
        assert recent.bounding_box()["y"] < PHONE["height"] * 2
    finally:
        context.close()
