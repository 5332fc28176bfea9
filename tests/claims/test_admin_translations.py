"""The translators' admin: the side-by-side screen, posted as the page renders it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import workflow
from claims.models import TranslatedClaim
from courtinfo.models import Answer, Translation
from tests.factories import PublicationFactory, SourceFactory
from tests.html_forms import error_text, find_form, form_data, open_form

pytestmark = pytest.mark.django_db


def _published(texts=("Courts keep records.", "Clerks answer requests.")):
    source = SourceFactory(title="Statute 1")
    return PublicationFactory(blocks=[("paragraph", None, [(text, [source]) for text in texts])])


def _url(translation, view="change"):
    return reverse(f"admin:courtinfo_translation_{view}", args=[translation.pk])


def _claims(publication):
    return list(publication.answer.claims.order_by("position"))


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_translator_starts_a_translation_from_the_list(client, translator):
    publication = _published()
    client.force_login(translator)
    page = client.get(reverse("admin:courtinfo_translation_changelist")).content.decode()
    assert "1 published answer has no Spanish translation yet" in page
    form = find_form(page, form_action=f"/start/{publication.answer_id}/")
    # A form inside the changelist's form would never be sent by a browser.
    assert not form.xpath("ancestor::form")
    response = client.post(form.get("action"), form_data(form))
    translation = Translation.objects.get(answer=publication.answer)
    assert response.status_code == 302 and response.url == _url(translation)


def test_the_screen_shows_each_english_claim_with_its_citations_beside_a_field(client, translator):
    publication = _published()
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    page = client.get(_url(translation)).content.decode()
    for claim in _claims(publication):
        assert claim.text in page
        assert f'name="claim_{claim.pk}"' in page
    assert "Statute 1" in page
    assert "0 of 2 claims done" in page


def test_saving_stores_each_text_through_the_workflow(client, translator):
    publication = _published()
    first, second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    form = open_form(client, _url(translation), form_id="translation_form")
    data = form_data(
        form,
        question_text="¿Qué dice la regla?",
        **{f"claim_{first.pk}": "Los tribunales guardan registros."},
    )
    response = client.post(_url(translation), data)
    assert response.status_code == 302
    made = TranslatedClaim.objects.get(translation=translation)
    assert (made.claim_id, made.text, made.translator) == (
        first.pk,
        "Los tribunales guardan registros.",
        translator,
    )
    translation.refresh_from_db()
    assert translation.question_text == "¿Qué dice la regla?"
    assert not TranslatedClaim.objects.filter(claim=second).exists()


def test_a_page_opened_before_someone_else_saved_is_refused_and_keeps_the_text(
    client, translator, other_translator
):
    publication = _published()
    first, _second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    form = open_form(client, _url(translation), form_id="translation_form")
    workflow.translate_claim(translation, first, by=other_translator, text="De otra persona.")
    response = client.post(
        _url(translation), form_data(form, **{f"claim_{first.pk}": "Mi versión."})
    )
    assert response.status_code == 200
    assert "Not saved" in response.content.decode()
    assert "Mi versión." in response.content.decode()
    assert TranslatedClaim.objects.get().text == "De otra persona."


def test_a_post_without_the_opened_version_is_refused(client, translator):
    publication = _published()
    first, _second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    form = open_form(client, _url(translation), form_id="translation_form")
    data = form_data(form, **{f"claim_{first.pk}": "Sin versión."})
    del data["opened_version"]
    response = client.post(_url(translation), data)
    assert response.status_code == 200
    assert not TranslatedClaim.objects.exists()


def test_people_who_do_not_translate_see_the_screen_without_fields_and_cannot_post(
    client, translator, publisher
):
    publication = _published()
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(publisher)
    page = client.get(_url(translation)).content.decode()
    assert "<textarea" not in page
    response = client.post(_url(translation), {"opened_version": translation.version})
    assert response.status_code == 403


def test_outdated_claims_come_first_with_the_english_change(client, translator):
    publication = _published()
    first, second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_claim(translation, first, by=translator, text="Uno.")
    workflow.translate_claim(translation, second, by=translator, text="Dos.")
    source = SourceFactory()
    PublicationFactory(
        answer=publication.answer,
        version=2,
        blocks=[
            (
                "paragraph",
                None,
                [("Courts keep records.", [source]), ("Clerks answer every request.", [source])],
            )
        ],
    )
    client.force_login(translator)
    page = client.get(_url(translation)).content.decode()
    assert page.index(f'id="claim-{second.pk}"') < page.index(f'id="claim-{first.pk}"')
    assert "<ins>every request</ins>" in page


def test_submit_is_refused_with_the_reason_until_every_claim_is_translated(client, translator):
    publication = _published()
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    page = client.get(_url(translation)).content.decode()
    form = find_form(page, form_action="/transition/")
    assert "not yet translated" in page
    assert form.xpath(".//button[@disabled]")
    response = client.post(form.get("action"), form_data(form))
    assert any("not yet translated" in m for m in _messages(response))
    translation.refresh_from_db()
    assert translation.status == Answer.Status.DRAFT


def test_the_whole_flow_from_the_screen(client, translator, other_translator, publisher):
    publication = _published()
    first, second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    client.force_login(translator)
    form = open_form(client, _url(translation), form_id="translation_form")
    client.post(
        _url(translation),
        form_data(
            form,
            question_text="¿Pregunta?",
            **{f"claim_{first.pk}": "Uno.", f"claim_{second.pk}": "Dos."},
        ),
    )
    for person, action in (
        (translator, "submit"),
        (other_translator, "approve"),
        (publisher, "publish"),
    ):
        client.force_login(person)
        page = client.get(_url(translation)).content.decode()
        forms = [
            f
            for f in __import__("lxml.html").html.fromstring(page).forms
            if f.xpath(f".//input[@name='action'][@value='{action}']")
        ]
        assert forms, f"{person} is offered no {action} button"
        client.post(forms[0].get("action"), form_data(forms[0]))
    translation.refresh_from_db()
    assert translation.status == Answer.Status.PUBLISHED
    assert translation.live_publication.payload["question"]["text"] == "¿Pregunta?"


def test_history_and_revert_pages_work(client, translator, superuser):
    publication = _published()
    first, _second = _claims(publication)
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_claim(translation, first, by=translator, text="Uno.")
    workflow.translate_claim(translation, first, by=translator, text="Uno cambiado.")
    client.force_login(superuser)
    history = client.get(_url(translation, "history"))
    assert history.status_code == 200
    assert "Translated claim" in history.content.decode()
    assert error_text(history.content.decode()) == ""
