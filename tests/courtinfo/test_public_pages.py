"""What each public page shows, read from live publications only."""

import datetime
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from claims.models import Source
from courtinfo.models import Answer, Jurisdiction, Topic
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    jurisdiction,
    withdraw_as_the_workflow_would,
)

pytestmark = pytest.mark.django_db


def _published(code="MO", **question):
    answer = AnswerFactory(question=QuestionFactory(jurisdiction=jurisdiction(code), **question))
    return answer


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_home_lists_jurisdictions_with_their_published_counts(client):
    PublicationFactory(answer=_published("MO"))
    PublicationFactory(answer=_published("MO"))
    PublicationFactory(answer=_published("KS"))
    AnswerFactory(question=QuestionFactory(jurisdiction=jurisdiction("IL")))

    html = client.get("/").content.decode()

    assert re.search(
        r'href="/missouri/"><span class="name">Missouri</span></a>\s*<span[^>]*>2 answers', html
    )
    assert re.search(
        r'href="/kansas/"><span class="name">Kansas</span></a>\s*<span[^>]*>1 answer<', html
    )
    assert 'href="/illinois/"' not in html


def test_home_leads_with_what_is_published_and_lists_the_rest_compactly(client):
    publication = PublicationFactory(answer=_published("MO", text="Who sees court files?"))

    response = client.get("/")
    html = response.content.decode()

    answered = html.index('id="answered-heading"')
    unanswered = html.index('id="unanswered-heading"')
    assert html.index('name="q"') < answered < html.index(publication.question_text) < unanswered
    assert [j.name for j in response.context["answered"]] == ["Missouri"]
    # Every other jurisdiction is named once, in one list after the answers, without a tile each.
    rest = html[unanswered:]
    assert "<li>Illinois</li>" in rest and "<li>Kansas</li>" in rest
    assert len(response.context["unanswered"]) == Jurisdiction.objects.count() - 1
    assert "no answers yet" not in html


def test_home_shows_topics_recent_answers_and_a_search_box(client):
    topic = TopicFactory(name="Immigration", slug="immigration")
    publication = PublicationFactory(answer=_published(topic=topic, text="Who sees court files?"))

    html = client.get("/").content.decode()

    assert 'href="/topics/immigration/">Immigration</a>' in html
    assert f'href="{publication.get_absolute_url()}">Who sees court files?</a>' in html
    assert 'action="/search/"' in html and 'name="q"' in html


def test_jurisdiction_page_lists_its_published_questions_in_order(client):
    PublicationFactory(answer=_published(text="Second question?", position=2))
    PublicationFactory(answer=_published(text="First question?", position=1))
    PublicationFactory(answer=_published("KS", text="Kansas question?", position=1))
    AnswerFactory(question=QuestionFactory(text="Draft question?", position=3))

    html = client.get("/missouri/").content.decode()

    assert html.index("First question?") < html.index("Second question?")
    assert "Kansas question?" not in html
    assert "Draft question?" not in html


def test_jurisdiction_page_filters_by_topic(client):
    courts = TopicFactory(name="Courts", slug="courts")
    records = TopicFactory(name="Records", slug="records")
    PublicationFactory(answer=_published(topic=courts, text="About courts?"))
    PublicationFactory(answer=_published(topic=records, text="About records?"))

    html = client.get("/missouri/", {"topic": "records"}).content.decode()

    assert "About records?" in html
    assert "About courts?" not in html
    assert '<option value="records" selected>' in html


def test_unknown_jurisdiction_is_404(client):
    assert client.get("/atlantis/").status_code == 404


def test_question_page_shows_answer_blocks_notes_and_sources(client):
    statute = SourceFactory(
        title="Sunshine Law",
        citation="Mo. Rev. Stat. § 610.011",
        publisher="Missouri General Assembly",
        url="https://revisor.mo.gov/610.011",
        accessed_on=datetime.date(2026, 1, 5),
    )
    publication = PublicationFactory(
        answer=_published(text="Can courts share records?"),
        blocks=[
            ("paragraph", None, [("Records are open.", [statute]), ("Exceptions exist.", [])]),
            ("numbered", 1, [("First point.", [statute])]),
            ("numbered", 2, [("Second point.", [])]),
        ],
    )

    html = client.get(publication.get_absolute_url()).content.decode()

    assert html.count("<h1>") == 1
    assert "<h1>Can courts share records?</h1>" in html
    assert re.search(r"<p><span[^>]*>Records are open\.</span><sup[^>]*><a href=\"#note-1\"", html)
    assert re.search(
        r'<ol class="points"><li value="1">.*First point\..*#note-2.*<li value="2">', html, re.S
    )
    assert '<li id="note-1">' in html and '<li id="note-2">' in html
    assert 'href="#source-1"' in html
    sources = html[html.index('id="sources-heading"') :]
    for text in ("Sunshine Law", "Missouri General Assembly", "Mo. Rev. Stat. § 610.011"):
        assert text in sources
    assert 'href="https://revisor.mo.gov/610.011"' in sources
    assert "Accessed Jan. 5, 2026" in sources
    assert "not legal advice" in html


def test_question_page_shows_review_date_and_due_flag_once_due(client):
    fresh = PublicationFactory(last_reviewed_on=datetime.date(2026, 3, 2))
    due = PublicationFactory(review_due_on=timezone.localdate() - datetime.timedelta(days=1))

    fresh_html = client.get(fresh.get_absolute_url()).content.decode()
    due_html = client.get(due.get_absolute_url()).content.decode()

    assert "Last reviewed March 2, 2026" in fresh_html
    assert "Due for re-review" not in fresh_html
    assert "Due for re-review" in due_html
    next_due = fresh.review_due_on.strftime("%B %-d, %Y")
    assert f"Next review due {next_due}" in fresh_html
    assert "Next review due" not in due_html


def test_question_page_offers_no_comparison_when_no_other_jurisdiction_published_it(client):
    only = PublicationFactory(answer=_published(compare_key="asked-once"))
    html = client.get(only.get_absolute_url()).content.decode()
    assert "/compare/asked-once/" not in html


def test_question_page_links_to_comparison_and_history(client):
    mo = PublicationFactory(answer=_published(compare_key="may-courts-share"))
    PublicationFactory(answer=_published("KS", compare_key="may-courts-share"))

    html = client.get(mo.get_absolute_url()).content.decode()

    assert 'href="/compare/may-courts-share/"' in html
    assert "Compare with 1 other jurisdiction (Kansas)" in html
    assert f'href="{mo.get_absolute_url()}history/"' in html


def test_question_page_has_faq_and_legislation_json_ld(client):
    statute = SourceFactory(kind=Source.Kind.STATUTE, citation="Mo. Rev. Stat. § 67.307")
    report = SourceFactory(kind=Source.Kind.REPORT, citation="")
    publication = PublicationFactory(
        answer=_published(text="May police ask?"),
        blocks=[("paragraph", None, [("Yes, sometimes.", [statute, report])])],
    )

    data = _json_ld(client.get(publication.get_absolute_url()).content.decode())

    faq, *rest = data["@graph"]
    assert faq["@type"] == "FAQPage"
    assert faq["mainEntity"][0]["name"] == "May police ask?"
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "Yes, sometimes."
    assert [(x["@type"], x["legislationIdentifier"]) for x in rest] == [
        ("Legislation", "Mo. Rev. Stat. § 67.307")
    ]


def test_unpublished_question_is_404(client):
    question = QuestionFactory()
    AnswerFactory(question=question, status=Answer.Status.APPROVED)

    assert client.get(question.get_absolute_url()).status_code == 404


def test_withdrawn_question_is_410_with_reason(client):
    publication = PublicationFactory()
    withdraw_as_the_workflow_would(publication, reason="The statute was repealed.")

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 410
    assert "The statute was repealed." in response.content.decode()


def test_history_of_a_withdrawn_answer_stays_readable_with_the_withdrawal_on_top(client):
    publication = PublicationFactory()
    withdraw_as_the_workflow_would(publication, reason="The statute was repealed.")

    response = client.get(publication.get_absolute_url() + "history/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("This answer was withdrawn on") < html.index('id="v1"')
    assert "The statute was repealed." in html
    assert "First published." in html


def test_history_shows_every_version_with_what_changed(client):
    answer = _published()
    PublicationFactory(
        answer=answer, blocks=[("paragraph", None, [("Courts may share records.", [])])]
    )
    latest = PublicationFactory(
        answer=answer,
        version=2,
        summary="Corrected the rule.",
        blocks=[("paragraph", None, [("Courts must not share records.", [])])],
    )

    html = client.get(reverse("public:history", args=["missouri", latest.question_slug])).content
    html = html.decode()

    assert "Version 2" in html and "Version 1" in html
    assert "Corrected the rule." in html
    assert "<del>may</del>" in html
    assert "<ins>must not</ins>" in html


def test_compare_page_shows_each_jurisdictions_answer_with_review_date(client):
    PublicationFactory(
        answer=_published(compare_key="records-open"),
        blocks=[("paragraph", None, [("Missouri answer text.", [])])],
        last_reviewed_on=datetime.date(2026, 2, 1),
    )
    PublicationFactory(
        answer=_published("KS", compare_key="records-open"),
        blocks=[("paragraph", None, [("Kansas answer text.", [])])],
    )
    PublicationFactory(answer=_published("IL", compare_key="something-else"))

    html = client.get("/compare/records-open/").content.decode()

    assert html.index("Kansas answer text.") < html.index("Missouri answer text.")
    assert "Last reviewed Feb. 1, 2026" in html
    assert "Illinois" not in html.split("<main", 1)[1]


def test_compare_page_for_unknown_key_is_404(client):
    assert client.get("/compare/nothing-here/").status_code == 404


def test_sources_page_lists_sources_with_the_claims_citing_them(client):
    source = SourceFactory(title="Court Operating Rule 2")
    publication = PublicationFactory(
        blocks=[("paragraph", None, [("Records follow rule two.", [source])])]
    )

    html = client.get("/sources/").content.decode()

    assert "Court Operating Rule 2" in html
    assert "Records follow rule two." in html
    assert f'href="{publication.get_absolute_url()}"' in html


def test_feed_lists_publications_as_atom(client):
    publication = PublicationFactory(summary="First published on the site.")

    response = client.get("/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert publication.question_text in body
    assert "First published on the site." in body


def test_feed_keeps_a_withdrawn_answer_as_an_entry_saying_why(client):
    publication = PublicationFactory(summary="First published on the site.")
    withdraw_as_the_workflow_would(publication, reason="The statute was repealed.")

    body = client.get("/feed/").content.decode()

    assert f"Withdrawn: {publication.question_text}" in body
    assert "This answer was withdrawn. Reason: The statute was repealed." in body
    assert f"{publication.get_absolute_url()}history/" in body
    assert "First published on the site." not in body


@pytest.mark.parametrize("url", ["/", "/missouri/"])
def test_a_withdrawal_moves_the_last_modified_of_the_pages_that_listed_the_answer(client, url):
    kept = PublicationFactory()
    gone = PublicationFactory()
    before = client.get(url)
    withdrawn_at = gone.published_at + datetime.timedelta(hours=1)
    withdraw_as_the_workflow_would(gone, reason="Repealed.", at=withdrawn_at)

    # A cache that revalidates by date alone must not be told its list is current.
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])

    assert response.status_code == 200
    assert gone.question_text not in response.content.decode()
    assert kept.question_text in response.content.decode()


def test_sitemap_lists_live_questions_with_lastmod(client):
    publication = PublicationFactory()

    body = client.get("/sitemap-questions.xml").content.decode()

    assert f"{publication.get_absolute_url()}</loc>" in body
    lastmod = timezone.localtime(publication.published_at).date().isoformat()
    assert f"<lastmod>{lastmod}</lastmod>" in body
    assert "/missouri/</loc>" in client.get("/sitemap-jurisdictions.xml").content.decode()


def test_robots_txt_points_to_sitemap_and_keeps_out_of_admin(client):
    body = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_question_page_revalidates_with_etag_and_last_modified(client):
    publication = PublicationFactory()
    first = client.get(publication.get_absolute_url())

    again = client.get(publication.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert again.status_code == 304


def test_question_page_etag_changes_with_a_new_publication(client):
    first = PublicationFactory()
    etag = client.get(first.get_absolute_url())["ETag"]
    PublicationFactory(answer=first.answer, version=2)

    response = client.get(first.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_list_pages_revalidate_with_etag(client):
    PublicationFactory()
    for url in ("/", "/missouri/", "/sources/"):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def _every_page(publication) -> list[str]:
    url = publication.get_absolute_url()
    return [
        "/",
        "/missouri/",
        url,
        f"{url}history/",
        "/search/?q=records",
        f"/compare/{publication.compare_key}/",
        "/sources/",
    ]


@override_settings(COURTINFO_DEMO=True)
def test_demo_banner_on_every_public_page_in_demo_mode(client):
    publication = PublicationFactory()
    for url in _every_page(publication):
        html = client.get(url).content.decode()
        assert "Demonstration data — not verified legal information" in html, url


@override_settings(COURTINFO_DEMO=False)
def test_no_demo_banner_outside_demo_mode(client):
    publication = PublicationFactory()
    for url in _every_page(publication):
        html = client.get(url).content.decode()
        assert "Demonstration data" not in html, url


def test_every_page_has_one_h1_and_a_skip_link(client):
    publication = PublicationFactory()
    for url in _every_page(publication):
        html = client.get(url).content.decode()
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert 'href="#main"' in html and 'id="main"' in html, url


def test_answer_published_through_the_workflow_reads_on_every_page(
    client, editor, reviewer, publisher
):
    from claims.workflow import approve_answer, publish_answer, submit_answer, verify_claim
    from tests.factories import CitationFactory, ClaimFactory

    answer = AnswerFactory(question=QuestionFactory(text="Can clerks share files?"))
    claim = ClaimFactory(answer=answer, text="Clerks share files only under a court order.")
    CitationFactory(claim=claim, source=SourceFactory(title="Clerk Manual"), pinpoint="ch. 3")
    verify_claim(claim, by=reviewer, verdict="supported")
    submit_answer(answer, by=editor)
    approve_answer(answer, by=reviewer)
    publication = publish_answer(answer, by=publisher, summary="First version.")

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "<h1>Can clerks share files?</h1>" in html
    assert "Clerks share files only under a court order." in html
    assert "Clerk Manual" in html and "ch. 3" in html
    assert "Last reviewed" in html
    for url in ("/", "/missouri/", "/sources/", "/search/?q=clerks", "/feed/"):
        assert "Can clerks share files?" in client.get(url).content.decode(), url
    assert client.get(f"/api/answers/{answer.pk}/").json() == publication.payload


@override_settings(COURTINFO_DEMO=True)
def test_demo_home_page_does_not_claim_the_answers_were_checked(client):
    html = client.get("/").content.decode()
    assert "were NOT checked" in html
    assert "Every claim in these answers was checked" not in html


@override_settings(COURTINFO_DEMO=True)
def test_not_found_page_carries_the_demo_banner(client):
    response = client.get("/missouri/no-such-question/")
    assert response.status_code == 404
    assert "Demonstration data — not verified legal information" in response.content.decode()


@override_settings(COURTINFO_DEMO=True)
def test_demo_site_asks_search_engines_to_stay_away(client):
    publication = PublicationFactory()
    assert client.get("/robots.txt").content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /",
    ]
    assert (
        '<meta name="robots" content="noindex, nofollow">'
        in client.get(publication.get_absolute_url()).content.decode()
    )


def _renamed_after_publishing():
    topic = TopicFactory(name="Immigration", slug="immigration")
    publication = PublicationFactory(answer=_published(topic=topic, text="Who sees court files?"))
    Topic.objects.filter(pk=topic.pk).update(name="Enforcement", slug="enforcement")
    return publication


def _public_texts(client, publication) -> dict[str, str]:
    urls = [
        "/",
        "/missouri/",
        publication.get_absolute_url(),
        "/search/?q=records",
        "/api/answers/",
        f"/api/answers/{publication.answer_id}/",
        "/feed/",
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_renamed_topic_keeps_its_published_name_on_every_public_page(client):
    publication = _renamed_after_publishing()

    pages = _public_texts(client, publication)

    for url, text in pages.items():
        assert "Immigration" in text, url
        assert "Enforcement" not in text and "enforcement" not in text, url
    assert 'href="/topics/immigration/">Immigration</a>' in pages["/"]
    assert '<option value="immigration">Immigration</option>' in pages["/missouri/"]
    assert "Immigration · " in pages["/missouri/"]
    assert "› <span>Immigration</span>" in pages[publication.get_absolute_url()]
    assert "Missouri · Immigration" in pages["/search/?q=records"]
    assert json.loads(pages["/api/answers/"])["results"][0]["topic"] == {
        "name": "Immigration",
        "slug": "immigration",
    }
    assert '<category term="Immigration"/>' in pages["/feed/"]


def test_topic_filters_match_the_published_slug_after_a_rename(client):
    publication = _renamed_after_publishing()

    def listed(url):
        return "Who sees court files?" in client.get(url).content.decode()

    assert listed("/missouri/?topic=immigration")
    assert not listed("/missouri/?topic=enforcement")
    assert listed("/search/?q=records&topic=immigration")
    assert not listed("/search/?q=records&topic=enforcement")
    api = client.get("/api/answers/", {"topic": "immigration"}).json()
    assert [r["id"] for r in api["results"]] == [publication.answer_id]
    assert client.get("/api/answers/", {"topic": "enforcement"}).json()["count"] == 0


def test_republished_answer_shows_the_renamed_topic(client):
    publication = _renamed_after_publishing()
    PublicationFactory(answer=publication.answer, version=2)

    pages = _public_texts(client, publication)

    for url in ("/", "/missouri/", publication.get_absolute_url(), "/search/?q=records"):
        assert "Enforcement" in pages[url] and "Immigration" not in pages[url], url
    assert 'href="/topics/enforcement/">Enforcement</a>' in pages["/"]
    assert json.loads(pages["/api/answers/"])["results"][0]["topic"]["slug"] == "enforcement"


def test_topic_list_names_a_partly_republished_topic_once_by_its_newest_name(client):
    first = _renamed_after_publishing()
    second = PublicationFactory(answer=_published(topic=first.topic, text="Who keeps the files?"))

    html = client.get("/").content.decode()

    assert second.topic_name == "Enforcement"
    assert 'href="/topics/enforcement/">Enforcement</a>' in html
    assert 'href="/topics/immigration/">Immigration</a>' in html
    assert html.count('href="/topics/') == 2
