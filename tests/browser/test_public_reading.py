"""A reader on a phone and on a desktop: the answer, its notes, its sources, and axe's verdict."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

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

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_path() -> Path:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; `make install` runs npm ci to install axe-core.")
        pytest.skip(f"{AXE} is missing (run `npm ci`); accessibility check skipped.")
    return AXE


@pytest.fixture
def published():
    topic = TopicFactory(name="Immigration", slug="immigration")
    statute = SourceFactory(
        title="Missouri Sunshine Law",
        citation="Mo. Rev. Stat. § 610.011",
        publisher="Missouri General Assembly",
        kind=Source.Kind.STATUTE,
        accessed_on=datetime.date(2026, 1, 5),
    )
    rule = SourceFactory(
        title="Court Operating Rule 2",
        citation="Mo. Ct. Op. R. 2",
        kind=Source.Kind.COURT_RULE,
        publisher="Supreme Court of Missouri",
    )
    question = QuestionFactory(
        jurisdiction=jurisdiction("MO"),
        topic=topic,
        text="May Missouri state courts share information with ICE?",
        slug="may-missouri-courts-share-information-with-ice",
        compare_key="may-state-courts-share-information-with-ice",
    )
    publication = PublicationFactory(
        answer=AnswerFactory(question=question),
        blocks=[
            (
                "paragraph",
                None,
                [
                    ("Court records are generally open to the public.", [statute]),
                    ("Some records are closed by rule.", [rule]),
                ],
            ),
            ("numbered", 1, [("A court order can require sharing.", [statute, rule])]),
            ("numbered", 2, [("Ask a lawyer about your own case.", [])]),
        ],
    )
    PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(
                jurisdiction=jurisdiction("KS"),
                topic=topic,
                text="May Kansas state courts share information with ICE?",
                compare_key="may-state-courts-share-information-with-ice",
            )
        )
    )
    return publication


def _serious_violations(page, axe_path: Path) -> list[str]:
    # Evaluated by the test, not loaded by the page: the site's policy forbids inline scripts.
    page.evaluate(axe_path.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_phone_reader_reads_the_answer_and_follows_a_note_without_javascript(
    browser, live_server, published
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + published.get_absolute_url())

        assert page.locator("h1").inner_text() == published.question_text
        assert page.get_by_text("Court records are generally open to the public.").is_visible()
        assert page.get_by_text("Last reviewed").is_visible()
        # Nothing is wider than the phone: no sideways scrolling to read.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.locator("sup.note-ref a").first.click()

        assert page.url.endswith("#note-1")
        note = page.locator("#note-1")
        assert note.is_visible()
        assert "Missouri Sunshine Law" in note.inner_text()
        assert note.evaluate("el => el.matches(':target')")
        assert page.get_by_role("link", name="Compare with 1 other jurisdiction").count() == 1
    finally:
        context.close()


def test_desktop_reader_finds_sources_and_the_comparison(page, live_server, published):
    page.goto(live_server.url + published.get_absolute_url())

    sources = page.locator("#sources-heading + ol > li")
    assert sources.count() == 2
    assert "Mo. Rev. Stat. § 610.011" in sources.first.inner_text()

    page.get_by_role("link", name="Compare with 1 other jurisdiction").click()
    # The click starts a navigation; wait for it to land before reading the new page.
    page.wait_for_url("**/compare/may-state-courts-share-information-with-ice/")

    expect(page.get_by_role("heading", name="Kansas")).to_be_visible()
    expect(page.get_by_role("heading", name="Missouri")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_question_page_has_no_serious_accessibility_findings(
    browser, live_server, published, axe_path, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + published.get_absolute_url())
        assert _serious_violations(page, axe_path) == []
    finally:
        context.close()


def test_other_public_pages_have_no_serious_accessibility_findings(
    page, live_server, published, axe_path
):
    url = published.get_absolute_url()
    for path in [
        "/",
        "/missouri/",
        f"{url}history/",
        "/search/?q=records",
        f"/compare/{published.compare_key}/",
        "/sources/",
        f"/sources/{published.payload['sources'][0]['id']}/",
        "/topics/immigration/",
    ]:
        page.goto(live_server.url + path)
        assert _serious_violations(page, axe_path) == [], path
