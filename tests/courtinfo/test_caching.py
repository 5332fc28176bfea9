"""The cache of rendered public pages: served again until what is live changes, never after."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from claims import workflow
from courtinfo.caching import live_generation, page_key
from courtinfo.models import Answer, Jurisdiction, LiveGeneration
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    jurisdiction,
    withdraw_as_the_workflow_would,
)

pytestmark = pytest.mark.django_db


def _public_urls(publication) -> list[str]:
    url = publication.get_absolute_url()
    return [
        "/",
        "/missouri/",
        url,
        f"{url}history/",
        f"/compare/{publication.compare_key}/",
        "/search/?q=records",
        "/sources/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-questions.xml",
        "/api/answers/",
        f"/api/answers/{publication.answer_id}/",
    ]


@pytest.fixture
def publication():
    return PublicationFactory(
        answer=AnswerFactory(question=QuestionFactory(compare_key="who-sees-court-files"))
    )


def test_a_page_served_again_costs_only_the_generation_lookup(
    client, publication, django_assert_num_queries
):
    for url in _public_urls(publication):
        first = client.get(url)
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200, url
        assert again.content == first.content, url
        assert again["ETag"] == first["ETag"], url


def test_a_page_served_from_the_cache_answers_304_to_its_etag(client, publication):
    url = publication.get_absolute_url()
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_public_pages_carry_headers_a_cdn_can_honour(client, publication, settings):
    settings.COURTINFO_SHARED_MAX_AGE = 120
    settings.COURTINFO_STALE_WHILE_REVALIDATE = 30
    for url in _public_urls(publication):
        for response in (client.get(url), client.get(url)):
            control = {part.strip() for part in response["Cache-Control"].split(",")}
            assert {"public", "s-maxage=120", "stale-while-revalidate=30"} <= control, url
            assert "Accept-Language" in response["Vary"], url
            assert "Cookie" not in response["Vary"], url
            assert not response.cookies, url


def test_a_withdrawn_answer_is_never_served_from_the_cache(client, publication):
    urls = _public_urls(publication)
    listing = [
        "/",
        "/missouri/",
        "/search/?q=records",
        "/sources/",
        "/sitemap-questions.xml",
        "/api/answers/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    for url in listing:
        assert publication.get_absolute_url() in client.get(url).content.decode(), url

    withdraw_as_the_workflow_would(publication, reason="The statute was repealed.")

    assert client.get(publication.get_absolute_url()).status_code == 410
    assert client.get(f"/api/answers/{publication.answer_id}/").status_code == 410
    assert "The statute was repealed." in client.get(urls[3]).content.decode()
    assert client.get(urls[4]).status_code == 404
    for url in listing:
        assert publication.get_absolute_url() not in client.get(url).content.decode(), url


def test_withdrawing_through_the_workflow_empties_what_was_cached(client, publisher):
    publication = PublicationFactory()
    url = publication.get_absolute_url()
    assert client.get(url).status_code == 200

    workflow.withdraw_answer(publication.answer, by=publisher, reason="Out of date.")

    assert client.get(url).status_code == 410


def test_a_new_publication_replaces_the_cached_page(client, publication):
    url = publication.get_absolute_url()
    client.get(url)

    PublicationFactory(answer=publication.answer, version=2, summary="Corrected the date.")

    assert "Corrected the date." in client.get(f"{url}history/").content.decode()
    assert client.get("/api/answers/").json()["results"][0]["version"] == 2


def test_a_publication_elsewhere_reaches_the_lists(client, publication):
    client.get("/missouri/")
    client.get("/")

    other = PublicationFactory(
        answer=AnswerFactory(question=QuestionFactory(text="Can a clerk call ICE?"))
    )

    assert other.question_text in client.get("/missouri/").content.decode()
    assert other.question_text in client.get("/").content.decode()


def test_a_renamed_jurisdiction_is_not_served_under_its_old_name(client, publication):
    assert "Missouri" in client.get("/").content.decode()

    Jurisdiction.objects.filter(code="MO").update(name="Show-Me State")

    assert "Show-Me State" in client.get("/").content.decode()


def test_every_change_to_what_is_live_moves_the_generation(publication):
    start = live_generation()
    withdraw_as_the_workflow_would(publication, reason="Repealed.")
    withdrawn = live_generation()
    PublicationFactory(answer=publication.answer, version=2)
    republished = live_generation()

    assert start < withdrawn < republished


def test_editing_a_draft_does_not_move_the_generation(publication):
    start = live_generation()
    draft = AnswerFactory(question=QuestionFactory(jurisdiction=jurisdiction("KS")))
    Answer.objects.filter(pk=draft.pk).update(blocks=[])

    assert live_generation() == start


def test_without_a_generation_nothing_is_cached(client, publication):
    LiveGeneration.objects.all().delete()
    url = publication.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200

    assert len(captured) > 1, "served from the cache without knowing what is live"


def test_the_demo_flag_is_part_of_the_key(client, publication, settings):
    url = publication.get_absolute_url()
    settings.COURTINFO_DEMO = False
    assert "demo-banner" not in client.get(url).content.decode()

    settings.COURTINFO_DEMO = True

    assert "demo-banner" in client.get(url).content.decode()


def test_the_language_and_the_address_are_part_of_the_key():
    request = RequestFactory().get("/missouri/?topic=courts")
    with translation.override("en"):
        english = page_key(request, 7)
    with translation.override("es"):
        spanish = page_key(request, 7)

    assert english != spanish
    assert page_key(request, 7) != page_key(request, 8)
    assert page_key(request, 7) != page_key(RequestFactory().get("/missouri/"), 7)
    other_host = RequestFactory(HTTP_HOST="localhost").get("/missouri/?topic=courts")
    with translation.override("en"):
        assert page_key(other_host, 7) != english


def test_a_page_cached_yesterday_is_rendered_again_today(client, publication, time_machine):
    url = publication.get_absolute_url()
    time_machine.move_to(publication.review_due_on - datetime.timedelta(days=1))
    assert "Due for re-review" not in client.get(url).content.decode()

    time_machine.move_to(publication.review_due_on + datetime.timedelta(days=1))

    assert "Due for re-review" in client.get(url).content.decode()


def test_an_unreachable_cache_costs_renders_not_pages(client, publication, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Connection refused")

    cache = caches["default"]
    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert publication.question_text in response.content.decode()
