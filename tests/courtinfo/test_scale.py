"""Pages that stay small: paginated lists in a stable order, and a sitemap index."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtinfo import sitemaps, views
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    jurisdiction,
    withdraw_as_the_workflow_would,
)

pytestmark = pytest.mark.django_db

CODES = ["MO", "KS", "IL", "IA", "NE"]


def _cited(title: str):
    source = SourceFactory(title=title)
    return PublicationFactory(
        blocks=[("paragraph", None, [(f"A claim resting on {title}.", [source])])]
    ), source


def _answers_citing(source, count: int) -> None:
    """`count` answers in a row, the nth with one claim, "Claim number n.", citing `source`."""
    for n in range(count):
        PublicationFactory(
            answer=AnswerFactory(question=QuestionFactory(text=f"Question {n}?", position=n)),
            blocks=[("paragraph", None, [(f"Claim number {n}.", [source])])],
        )


def _locs(body: str) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", body)


def test_sources_are_paginated_by_title_with_prev_and_next(client, monkeypatch):
    monkeypatch.setattr(views, "SOURCES_PAGE_SIZE", 2)
    for title in ["Delta rule", "alpha rule", "Charlie rule", "Bravo rule", "Echo rule"]:
        _cited(title)

    pages = [client.get(f"/sources/?page={n}").content.decode() for n in (1, 2, 3)]

    titles = [re.findall(r'class="source-title">(?:<a [^>]*>)?([^<]+)', page) for page in pages]
    assert titles == [["alpha rule", "Bravo rule"], ["Charlie rule", "Delta rule"], ["Echo rule"]]
    assert 'rel="next" href="?page=2"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="prev" href="?page=1"' in pages[1] and 'rel="next" href="?page=3"' in pages[1]
    assert 'rel="next"' not in pages[2]


@pytest.mark.parametrize("page", ["4", "0", "x"])
def test_a_sources_page_that_does_not_exist_is_404(client, monkeypatch, page):
    monkeypatch.setattr(views, "SOURCES_PAGE_SIZE", 2)
    for title in ["A", "B", "C"]:
        _cited(title)

    assert client.get(f"/sources/?page={page}").status_code == 404


def test_sources_list_shows_a_few_claims_and_links_the_source_for_all(client, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_SOURCE", 2)
    source = SourceFactory(title="Clerk Manual")
    _answers_citing(source, 4)

    html = client.get("/sources/").content.decode()

    assert html.count("Claim number") == 2
    assert f'href="/sources/{source.pk}/">Cited in 4 published answers' in html


def test_a_source_page_lists_its_answers_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(views, "SOURCE_ANSWERS_PAGE_SIZE", 2)
    source = SourceFactory(title="Clerk Manual")
    _answers_citing(source, 5)

    pages = [client.get(f"/sources/{source.pk}/?page={n}").content.decode() for n in (1, 2, 3)]

    claims = [re.findall(r"Claim number (\d)", page) for page in pages]
    assert claims == [["0", "1"], ["2", "3"], ["4"]]
    assert 'rel="next" href="?page=2"' in pages[0]
    assert client.get(f"/sources/{source.pk}/?page=4").status_code == 404


def test_sources_count_the_live_version_of_each_answer_only(client):
    old, kept = SourceFactory(title="Old rule"), SourceFactory(title="Kept rule")
    first = PublicationFactory(blocks=[("paragraph", None, [("A claim.", [old, kept])])])
    PublicationFactory(
        answer=first.answer, version=2, blocks=[("paragraph", None, [("A claim.", [kept])])]
    )
    withdrawn = PublicationFactory(blocks=[("paragraph", None, [("Another.", [kept])])])
    withdraw_as_the_workflow_would(withdrawn, reason="Repealed.")

    html = client.get("/sources/").content.decode()

    assert "Old rule" not in html
    assert f'href="/sources/{kept.pk}/">Cited in 1 published answer<' in html
    assert client.get(f"/sources/{old.pk}/").status_code == 404


def test_a_source_is_shown_as_the_answer_last_published_with_it_gives_it(client):
    source = SourceFactory(title="Rule as first published")
    # Kansas, published first, comes first in the list of answers; Missouri was published last.
    for code in ["KS", "MO"]:
        PublicationFactory(
            answer=AnswerFactory(question=QuestionFactory(jurisdiction=jurisdiction(code))),
            blocks=[("paragraph", None, [(f"A claim in {code}.", [source])])],
        )
        source.title = "Rule as renamed"
        source.save()

    for url in ["/sources/", f"/sources/{source.pk}/"]:
        html = client.get(url).content.decode()
        assert "Rule as renamed" in html and "Rule as first published" not in html, url


def test_sources_page_shows_the_latest_claims_and_decodes_their_payloads_only(client, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_SOURCE", 2)
    source = SourceFactory(title="Clerk Manual")
    _answers_citing(source, 6)

    with CaptureQueriesContext(connection) as captured:
        html = client.get("/sources/").content.decode()

    payloads = [q["sql"] for q in captured if "payload" in q["sql"]]
    assert len(payloads) == 1
    # The latest two, in the order of the jurisdiction pages.
    assert re.findall(r"Claim number (\d)", html) == ["4", "5"]
    assert "Cited in 6 published answers" in html


def test_each_source_shows_its_own_latest_live_claims(client, monkeypatch):
    monkeypatch.setattr(views, "CLAIMS_PER_SOURCE", 2)
    manual, statute = SourceFactory(title="A Clerk Manual"), SourceFactory(title="B Statute")
    for n, cites in enumerate([[manual], [statute], [manual, statute], [manual], [statute]]):
        PublicationFactory(
            answer=AnswerFactory(question=QuestionFactory(text=f"Question {n}?", position=n)),
            blocks=[("paragraph", None, [(f"Claim number {n}.", cites)])],
        )
    newest = PublicationFactory(blocks=[("paragraph", None, [("Claim number 9.", [manual])])])
    withdraw_as_the_workflow_would(newest, reason="Repealed.")

    html = client.get("/sources/").content.decode()

    manual_part, statute_part = html.split("B Statute", 1)
    # The two latest live answers citing each, never the withdrawn one.
    assert re.findall(r"Claim number (\d)", manual_part) == ["2", "3"]
    assert re.findall(r"Claim number (\d)", statute_part) == ["2", "4"]


def test_compare_is_paginated_by_jurisdiction_name(client, monkeypatch):
    monkeypatch.setattr(views, "COMPARE_PAGE_SIZE", 2)
    for code in CODES:
        PublicationFactory(
            answer=AnswerFactory(
                question=QuestionFactory(jurisdiction=jurisdiction(code), compare_key="records")
            )
        )

    pages = [client.get(f"/compare/records/?page={n}").content.decode() for n in (1, 2, 3)]

    names = [re.findall(r'<h2 id="compare-\w+">([^<]+)</h2>', page) for page in pages]
    assert names == [["Illinois", "Iowa"], ["Kansas", "Missouri"], ["Nebraska"]]
    assert client.get("/compare/records/?page=4").status_code == 404


def test_sitemap_is_an_index_of_sections(client):
    PublicationFactory()

    body = client.get("/sitemap.xml").content.decode()

    assert "<sitemapindex" in body
    assert _locs(body) == [
        "http://testserver/sitemap-questions.xml",
        "http://testserver/sitemap-jurisdictions.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-pages.xml",
    ]
    for loc in _locs(body):
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_a_sitemap_section_holds_at_most_its_limit_in_a_stable_order(client, monkeypatch):
    monkeypatch.setattr(sitemaps.QuestionSitemap, "limit", 2)
    publications = [
        PublicationFactory(
            answer=AnswerFactory(
                question=QuestionFactory(jurisdiction=jurisdiction(code), position=1)
            )
        )
        for code in CODES
    ]

    index = _locs(client.get("/sitemap.xml").content.decode())
    sections = [loc for loc in index if "sitemap-questions" in loc]
    listed = []
    for loc in sections:
        urls = _locs(client.get(loc.removeprefix("http://testserver")).content.decode())
        assert len(urls) <= 2
        listed += urls

    assert sections == [
        "http://testserver/sitemap-questions.xml",
        "http://testserver/sitemap-questions.xml?p=2",
        "http://testserver/sitemap-questions.xml?p=3",
    ]
    by_name = sorted(publications, key=lambda p: p.jurisdiction.name)
    assert listed == [f"http://testserver{p.get_absolute_url()}" for p in by_name]


def test_the_sitemap_limit_is_within_what_search_engines_accept():
    assert sitemaps.QuestionSitemap.limit <= 5000
    assert sitemaps.JurisdictionSitemap.limit <= 5000


def test_the_api_list_is_paginated_in_a_stable_order(client):
    for code in CODES:
        PublicationFactory(
            answer=AnswerFactory(question=QuestionFactory(jurisdiction=jurisdiction(code)))
        )

    ids = [r["id"] for r in client.get("/api/answers/").json()["results"]]

    assert ids == [r["id"] for r in client.get("/api/answers/").json()["results"]]
    names = [r["jurisdiction"]["name"] for r in client.get("/api/answers/").json()["results"]]
    assert names == sorted(names)
