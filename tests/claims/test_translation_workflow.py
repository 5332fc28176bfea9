"""Translations claim by claim: the workflow's table for them, four eyes, outdated marking."""

import pytest
from django.db import DatabaseError, connection, transaction

from claims import workflow
from claims.models import Review, TranslatedClaim
from claims.workflow import TransitionError
from courtinfo.models import (
    Answer,
    PublicationImmutable,
    Translation,
    TranslationPublication,
)
from tests.factories import AnswerFactory, PublicationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _published(texts=("Courts keep records.", "Clerks answer requests.")):
    source = SourceFactory(title="Statute")
    return PublicationFactory(blocks=[("paragraph", None, [(text, [source]) for text in texts])])


def _translated(
    publication, by, *, texts=("Los tribunales guardan registros.", "Los secretarios responden.")
):
    translation = workflow.start_translation(publication.answer, by=by)
    workflow.translate_question(translation, by=by, text="¿Qué dice la regla?")
    for claim, text in zip(publication.answer.claims.order_by("position"), texts, strict=True):
        workflow.translate_claim(translation, claim, by=by, text=text)
    translation.refresh_from_db()
    return translation


def _approved(publication, translator, reviewer):
    translation = _translated(publication, translator)
    workflow.submit_translation(translation, by=translator)
    return workflow.approve_translation(translation, by=reviewer)


def test_only_a_published_answer_can_be_translated(translator):
    answer = AnswerFactory()
    with pytest.raises(TransitionError, match="not published"):
        workflow.start_translation(answer, by=translator)
    assert not Translation.objects.exists()


def test_translating_needs_the_translator_role(publisher):
    publication = _published()
    with pytest.raises(TransitionError, match="Translator|translate answers"):
        workflow.start_translation(publication.answer, by=publisher)


def test_a_translated_claim_records_the_english_it_was_made_from(translator):
    publication = _published()
    translation = _translated(publication, translator)
    first = translation.claims.order_by("claim__position").first()
    assert (first.source_text, first.translator) == ("Courts keep records.", translator)
    assert translation.source_publication == publication


def test_a_claim_outside_the_published_english_cannot_be_translated(translator):
    publication = _published()
    other = _published(("Elsewhere.",))
    translation = workflow.start_translation(publication.answer, by=translator)
    with pytest.raises(TransitionError, match="not in the published English answer"):
        workflow.translate_claim(
            translation, other.answer.claims.get(), by=translator, text="En otro lugar."
        )
    assert not TranslatedClaim.objects.exists()


def test_submitting_needs_every_claim_translated_and_names_the_missing(translator):
    publication = _published()
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Pregunta?")
    first, second = publication.answer.claims.order_by("position")
    workflow.translate_claim(translation, first, by=translator, text="Uno.")
    with pytest.raises(TransitionError, match=f"not yet translated: #{second.pk}"):
        workflow.submit_translation(translation, by=translator)
    translation.refresh_from_db()
    assert translation.status == Answer.Status.DRAFT


def test_the_translator_of_a_claim_never_approves_the_translation(translator):
    publication = _published()
    translation = _translated(publication, translator)
    workflow.submit_translation(translation, by=translator)
    with pytest.raises(TransitionError, match="a second person approves"):
        workflow.approve_translation(translation, by=translator)


def test_another_translator_or_a_reviewer_approves(translator, other_translator, reviewer):
    translation = _approved(_published(), translator, other_translator)
    assert translation.status == Answer.Status.APPROVED
    assert translation.approved_by == other_translator
    second = _approved(_published(("Other.", "More.")), translator, reviewer)
    assert second.approved_by == reviewer


def test_publishers_cannot_approve_and_translators_cannot_publish(translator, reviewer, publisher):
    publication = _published()
    translation = _translated(publication, translator)
    workflow.submit_translation(translation, by=translator)
    with pytest.raises(TransitionError, match="role"):
        workflow.approve_translation(translation, by=publisher)
    workflow.approve_translation(translation, by=reviewer)
    with pytest.raises(TransitionError, match="role"):
        workflow.publish_translation(translation, by=translator)


def test_publishing_snapshots_the_english_payload_in_spanish(translator, reviewer, publisher):
    publication = _published()
    translation = _approved(publication, translator, reviewer)
    published = workflow.publish_translation(translation, by=publisher)
    translation.refresh_from_db()
    assert translation.live_publication == published
    assert translation.status == Answer.Status.PUBLISHED
    payload = published.payload
    assert payload["language"] == "es"
    assert payload["question"]["text"] == "¿Qué dice la regla?"
    texts = [c["text"] for b in payload["blocks"] for c in b["claims"]]
    assert texts == ["Los tribunales guardan registros.", "Los secretarios responden."]
    # Citations, sources and quotes are the English publication's own.
    assert payload["sources"] == publication.payload["sources"]
    english_citations = [c["citations"] for b in publication.payload["blocks"] for c in b["claims"]]
    assert [c["citations"] for b in payload["blocks"] for c in b["claims"]] == english_citations
    assert payload["translation"]["translates"]["version"] == publication.version
    assert Review.objects.filter(
        answer=publication.answer, action=Review.Action.TRANSLATION_PUBLISH
    ).exists()


def test_an_english_republish_with_a_changed_claim_makes_its_translation_outdated(
    translator, reviewer
):
    publication = _published()
    translation = _translated(publication, translator)
    source = SourceFactory()
    PublicationFactory(
        answer=publication.answer,
        version=2,
        blocks=[
            (
                "paragraph",
                None,
                [
                    ("Courts keep records for ten years.", [source]),
                    ("Clerks answer requests.", [source]),
                ],
            )
        ],
    )
    state = workflow.translation_state(translation)
    assert [line.english["text"] for line in state.outdated] == [
        "Courts keep records for ten years."
    ]
    with pytest.raises(TransitionError, match="English changed since they were translated"):
        workflow.submit_translation(translation, by=translator)


def test_an_edit_after_approval_sends_the_translation_back_to_draft(
    translator, reviewer, publisher
):
    publication = _published()
    translation = _approved(publication, translator, reviewer)
    live = workflow.publish_translation(translation, by=publisher)
    claim = publication.answer.claims.order_by("position").first()
    workflow.translate_claim(translation, claim, by=translator, text="Otra versión.")
    translation.refresh_from_db()
    assert translation.status == Answer.Status.DRAFT
    assert translation.approved_content is None
    # What is live stays live until a new version is published.
    assert translation.live_publication == live


def test_a_save_outside_the_workflow_voids_the_approval(translator, reviewer):
    translation = _approved(_published(), translator, reviewer)
    translation.question_text = "¿Otra pregunta?"
    translation.save()
    translation.refresh_from_db()
    assert translation.status == Answer.Status.DRAFT


def test_a_form_cannot_write_the_translations_workflow_fields(translator, reviewer):
    translation = _approved(_published(), translator, reviewer)
    Translation.objects.get(pk=translation.pk)
    translation.status = Answer.Status.PUBLISHED
    translation.save()
    translation.refresh_from_db()
    assert translation.status == Answer.Status.APPROVED


def test_publishing_refuses_content_changed_behind_the_workflow(translator, reviewer, publisher):
    translation = _approved(_published(), translator, reviewer)
    TranslatedClaim.objects.filter(translation=translation).update(text="Cambiado a escondidas.")
    with pytest.raises(TransitionError, match="changed after it was approved"):
        workflow.publish_translation(translation, by=publisher)
    assert not TranslationPublication.objects.exists()


def test_withdrawing_the_english_answer_withdraws_its_translations(translator, reviewer, publisher):
    publication = _published()
    translation = _approved(publication, translator, reviewer)
    workflow.publish_translation(translation, by=publisher)
    workflow.withdraw_answer(publication.answer, by=publisher, reason="The law changed.")
    translation.refresh_from_db()
    assert translation.status == Answer.Status.WITHDRAWN
    assert translation.live_publication is None


def test_a_translation_publication_is_never_changed(translator, reviewer, publisher):
    translation = _approved(_published(), translator, reviewer)
    published = workflow.publish_translation(translation, by=publisher)
    with pytest.raises(PublicationImmutable):
        published.save()
    with pytest.raises(PublicationImmutable):
        TranslationPublication.objects.filter(pk=published.pk).update(version=9)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courtinfo_translationpublication SET version = 9 WHERE id = %s",
            [published.pk],
        )


def test_available_moves_say_why_they_would_be_refused(translator, reviewer):
    publication = _published()
    translation = _translated(publication, translator)
    workflow.submit_translation(translation, by=translator)
    translation.refresh_from_db()
    moves = {m.action: m for m in workflow.available_translation_actions(translation, translator)}
    assert "a second person approves" in moves["approve"].refusal
    moves = {m.action: m for m in workflow.available_translation_actions(translation, reviewer)}
    assert moves["approve"].allowed
