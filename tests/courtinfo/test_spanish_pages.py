"""Public pages in Spanish: verified translations only, a note where there is none, never silent."""

import lxml.html
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from claims import workflow
from tests.factories import PublicationFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXTS = ("Courts keep records for five years.", "Clerks answer requests.")
SPANISH = ("Los tribunales guardan registros durante cinco años.", "Los secretarios responden.")


def _published(texts=TEXTS, **kwargs):
    source = SourceFactory(title="Statute 1")
    return PublicationFactory(
        blocks=[("paragraph", None, [(text, [source]) for text in texts])], **kwargs
    )


@pytest.fixture
def translated(translator, other_translator, publisher):
    """An English answer with its Spanish translation published through the workflow."""
    english = _published()
    translation = workflow.start_translation(english.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Cuánto tiempo guardan?")
    for claim, text in zip(english.answer.claims.order_by("position"), SPANISH, strict=True):
        workflow.translate_claim(translation, claim, by=translator, text=text)
    workflow.submit_translation(translation, by=translator)
    workflow.approve_translation(translation, by=other_translator)
    workflow.publish_translation(translation, by=publisher)
    return english


def _es(url: str) -> str:
    return f"/es{url}"


def _en(publication) -> str:
    # A request leaves its language active in the test's thread; an address is asked for in English.
    with override("en"):
        return publication.get_absolute_url()


def _page(client, url):
    response = client.get(url)
    return response, lxml.html.fromstring(response.content)


def test_the_spanish_page_shows_the_verified_translation(client, translated):
    response, page = _page(client, _es(_en(translated)))
    assert response.status_code == 200
    assert page.get("lang") == "es"
    assert page.findtext(".//h1") == "¿Cuánto tiempo guardan?"
    claims = [span.text_content() for span in page.xpath("//span[@class='claim']")]
    assert claims == list(SPANISH)
    assert "Traducción de la versión 1 de la respuesta en inglés" in response.content.decode()
    # The same sources and quotes: a quote stays in its source's language.
    assert "Statute 1" in page.xpath("//section[@class='sources']")[0].text_content()
    assert not page.xpath("//*[contains(@class, 'translation-outdated')]")


def test_each_page_declares_and_links_its_other_language(client, translated):
    english_url = _en(translated)
    _response, page = _page(client, _es(english_url))
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in page.xpath("//link[@rel='alternate'][@hreflang]")
    }
    assert alternates["en"].endswith(english_url)
    assert alternates["es"].endswith(_es(english_url))
    switcher = page.xpath("//nav[@class='languages']//a")
    assert [(a.get("hreflang"), a.get("href")) for a in switcher] == [("en", english_url)]
    _response, english = _page(client, english_url)
    assert english.get("lang") == "en"
    assert [a.get("href") for a in english.xpath("//nav[@class='languages']//a")] == [
        _es(english_url)
    ]


def test_an_answer_without_translation_says_so_in_spanish_and_links_the_english(client):
    english = _published()
    response, page = _page(client, _es(_en(english)))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Esta respuesta todavía no se ha traducido" in text
    assert page.xpath(f"//a[@href='{_en(english)}']")
    # Never a machine translation, nor the English claims passed off as Spanish.
    assert not page.xpath("//span[@class='claim']")
    assert page.xpath("//meta[@name='robots'][@content='noindex']")


def test_an_english_republish_with_changes_marks_the_spanish_page_outdated(client, translated):
    source = SourceFactory()
    PublicationFactory(
        answer=translated.answer,
        version=2,
        blocks=[
            (
                "paragraph",
                None,
                [("Courts keep records for ten years.", [source]), (TEXTS[1], [source])],
            )
        ],
    )
    caches["default"].clear()
    response, page = _page(client, _es(_en(translated)))
    (notice,) = page.xpath("//*[contains(@class, 'translation-outdated')]")
    assert "La respuesta en inglés se actualizó el" in notice.text_content()
    assert "esta traducción corresponde a la versión 1" in notice.text_content()
    assert notice.xpath(f".//a[@href='{_en(translated)}']")
    # The published Spanish stays as it was checked.
    claims = [span.text_content() for span in page.xpath("//span[@class='claim']")]
    assert claims == list(SPANISH)


def test_a_republish_with_the_same_claims_is_not_outdated(client, translated):
    PublicationFactory(
        answer=translated.answer,
        version=2,
        blocks=[("paragraph", None, [(text, [SourceFactory()]) for text in TEXTS])],
    )
    _response, page = _page(client, _es(_en(translated)))
    assert not page.xpath("//*[contains(@class, 'translation-outdated')]")


def test_withdrawing_the_english_answer_makes_the_spanish_page_410(client, translated, publisher):
    workflow.withdraw_answer(translated.answer, by=publisher, reason="The law changed.")
    response = client.get(_es(_en(translated)))
    assert response.status_code == 410
    assert "Esta respuesta fue retirada" in response.content.decode()
    assert client.get(_en(translated)).status_code == 410


def test_lists_show_spanish_questions_and_mark_the_english_only_ones(client, translated):
    untranslated = _published(("Only in English.",))
    _response, page = _page(client, "/es/missouri/")
    items = {a.text_content(): a.get("lang") for a in page.xpath("//main//li/a")}
    assert items["¿Cuánto tiempo guardan?"] is None
    assert items[untranslated.question_text] == "en"
    assert "(en inglés)" in page.text_content()


def test_spanish_words_find_the_translated_answer(client, translated):
    _response, page = _page(client, "/es/search/?q=secretarios")
    results = [a.text_content() for a in page.xpath("//ol[contains(@class, 'results')]/li/a")]
    assert results == ["¿Cuánto tiempo guardan?"]


@pytest.mark.postgres
def test_spanish_search_uses_the_spanish_configuration(client, translated):
    if connection.vendor != "postgresql":
        pytest.skip("Spanish stemming is PostgreSQL's")
    # "registro" (singular) finds "registros" only through Spanish stemming.
    _response, page = _page(client, "/es/search/?q=registro")
    results = [a.text_content() for a in page.xpath("//ol[contains(@class, 'results')]/li/a")]
    assert results == ["¿Cuánto tiempo guardan?"]


def test_the_interface_and_the_notices_are_in_spanish(client, translated, settings):
    settings.COURTINFO_DEMO = True
    text = client.get(_es(_en(translated))).content.decode()
    assert "Datos de demostración: no es información legal verificada." in text
    assert "Esta respuesta es información legal general, no asesoría legal" in text
    assert "Reportar un problema con esta respuesta" in text


def test_the_spanish_page_costs_the_queries_of_the_english_page(client, translated):
    def cold(url):
        caches["default"].clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert cold(_es(_en(translated))) == cold(_en(translated))


def test_the_feed_and_the_api_speak_spanish_under_es(client, translated):
    feed = client.get("/es/feed/").content.decode()
    assert "¿Cuánto tiempo guardan?" in feed
    assert 'xml:lang="es"' in feed
    listing = client.get("/es/api/answers/").json()
    (item,) = listing["results"]
    assert (item["question"], item["language"]) == ("¿Cuánto tiempo guardan?", "es")
    detail = client.get(f"/es/api/answers/{translated.answer_id}/").json()
    assert detail["language"] == "es"
    assert detail["translation"]["translates"]["version"] == 1


def test_publishing_a_translation_refreshes_the_cached_spanish_page(
    client, translator, other_translator, publisher
):
    english = _published()
    url = _es(_en(english))
    assert "todavía no se ha traducido" in client.get(url).content.decode()
    translation = workflow.start_translation(english.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Pregunta?")
    for claim, text in zip(english.answer.claims.order_by("position"), SPANISH, strict=True):
        workflow.translate_claim(translation, claim, by=translator, text=text)
    workflow.submit_translation(translation, by=translator)
    workflow.approve_translation(translation, by=other_translator)
    workflow.publish_translation(translation, by=publisher)
    assert SPANISH[0] in client.get(url).content.decode()


def test_the_history_in_spanish_keeps_the_english_record(client, translated):
    response = client.get(_es(_en(translated)) + "history/")
    assert response.status_code == 200
    assert "Este registro se lleva en inglés" in response.content.decode()


def test_the_admin_stays_in_english_whatever_the_browser_asks(client):
    # Unprefixed addresses are English (i18n_patterns without a prefix for the default language):
    # the admin's own texts exist in English only, so Django's are not mixed in from the browser.
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
    page = lxml.html.fromstring(response.content)
    assert page.get("lang") == "en"
    assert "Log in" in response.content.decode()


def test_an_unprefixed_public_page_is_english_whatever_the_browser_asks(client):
    english = _published()
    response = client.get(_en(english), HTTP_ACCEPT_LANGUAGE="es")
    assert lxml.html.fromstring(response.content).get("lang") == "en"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/es/",
        "/missouri/a-question/",
        "/es/missouri/a-question/history/",
        "/search/?q=court+%C3%A9&page=2",
        "/es/search/?q=registro",
        "/sources/?page=3",
        "/compare/some-key/",
    ],
)
def test_language_versions_name_the_addresses_translate_url_gives(path):
    from django.test import RequestFactory
    from django.urls import resolve, translate_url
    from django.utils.translation import override

    from courtinfo.templatetags.courtinfo_public import _in_language

    request = RequestFactory().get(path)
    with override("es" if path.startswith("/es/") else "en"):
        request.resolver_match = resolve(request.path_info)
        for code in ("en", "es"):
            assert _in_language(request, code) == translate_url(request.get_full_path(), code)


def _site_links(page) -> list[str]:
    header = page.xpath(
        "//header[@class='site-header']//a[not(ancestor::nav[@class='languages'])]/@href"
    )
    footer = page.xpath("//footer[@class='site-footer']//a/@href")
    return header + footer


def test_the_header_and_footer_link_within_the_readers_language(client):
    # The links are reversed once per language and kept: each language keeps its own.
    _english_response, english = _page(client, "/sources/")
    _spanish_response, spanish = _page(client, "/es/sources/")
    _again_response, again = _page(client, "/sources/")

    assert _site_links(english) == [
        "/",
        "/",
        "/search/",
        "/sources/",
        "/feed/",
        "/api/answers/",
    ]
    assert _site_links(spanish) == [
        "/es/",
        "/es/",
        "/es/search/",
        "/es/sources/",
        "/es/feed/",
        "/es/api/answers/",
    ]
    assert _site_links(again) == _site_links(english)
