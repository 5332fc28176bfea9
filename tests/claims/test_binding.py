"""What was checked is what gets published: verdicts and approvals hold only for the content they
saw, whichever path changed it (workflow call, change form, revert, shell, queryset update)."""

from types import SimpleNamespace

import pytest
import reversion
from django.db import connection
from django.urls import reverse
from reversion.models import Version

from claims import workflow
from claims.models import Citation, Claim, Review
from claims.workflow import (
    TransitionError,
    approve_answer,
    available_actions,
    available_verdicts,
    claim_content,
    edit_claim,
    publish_answer,
    submit_answer,
    verify_claim,
    withdraw_answer,
)
from courtinfo.models import Answer, Publication, Question, WorkflowFieldWrite
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, UserFactory
from tests.html_forms import find_form, form_data, submit

pytestmark = pytest.mark.django_db

S = Answer.Status
CS = Claim.Status


@pytest.fixture
def cast(db):
    return SimpleNamespace(
        writer=UserFactory(username="writer", groups=["Editors"], password=None),
        checker=UserFactory(username="checker", groups=["Reviewers"], password=None),
        releaser=UserFactory(username="releaser", groups=["Publishers"], password=None),
    )


def _approved(cast, claims: int = 2) -> Answer:
    answer = AnswerFactory()
    for i in range(claims):
        CitationFactory(claim=ClaimFactory(answer=answer, position=i))
    submit_answer(answer, by=cast.writer)
    for claim in answer.claims.all():
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    return approve_answer(answer, by=cast.checker)


def _published(cast, claims: int = 2) -> Answer:
    answer = _approved(cast, claims)
    publish_answer(answer, by=cast.releaser)
    answer.refresh_from_db()
    return answer


def _status(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


# Paths outside the workflow: each one voids what it changed.


def test_a_source_edited_after_verification_voids_the_verdict_and_reopens(cast):
    answer = _published(cast)
    citation = Citation.objects.filter(claim__answer=answer).select_related("source").first()
    source = citation.source
    source.url = "https://example.org/a-different-page"
    source.save()
    assert _status(citation.claim) == CS.UNVERIFIED
    assert _status(answer) == S.DRAFT
    event = Review.objects.get(claim=citation.claim, action=Review.Action.RECHECK)
    assert "URL changed" in event.note and "a-different-page" in event.note
    # The live publication stays what was checked.
    assert Answer.objects.get(pk=answer.pk).live_publication_id == answer.live_publication_id


def test_a_claim_changed_in_the_shell_is_unverified_with_an_unknown_actor(cast):
    answer = _approved(cast)
    claim = answer.claims.first()
    claim.text = "Courts share everything with everyone."
    claim.save()
    assert _status(claim) == CS.UNVERIFIED
    assert _status(answer) == S.DRAFT
    event = Review.objects.get(claim=claim, action=Review.Action.RECHECK)
    assert event.actor is None
    assert "Courts share everything" in event.note


def test_a_citation_deleted_in_the_shell_voids_the_verdict(cast):
    answer = _approved(cast)
    claim = answer.claims.first()
    Citation.objects.filter(claim=claim).delete()
    assert _status(claim) == CS.UNVERIFIED
    assert _status(answer) == S.DRAFT


def test_a_claim_deleted_in_the_shell_reopens_its_approved_answer(cast):
    answer = _approved(cast)
    Claim.objects.filter(pk=answer.claims.first().pk).delete()
    assert _status(answer) == S.DRAFT
    assert "removed" in Review.objects.filter(action=Review.Action.REOPEN).get().note


def test_editing_the_question_of_a_withdrawn_answer_reopens_it_as_editing_a_claim_does(cast):
    answer = _published(cast)
    withdraw_answer(answer, by=cast.releaser, reason="Law changed.")
    question = answer.question
    question.text = "What changed in the law?"
    question.save()
    assert _status(answer) == S.DRAFT
    assert Answer.objects.get(pk=answer.pk).live_publication_id is None


def test_reverting_a_question_through_reversion_reopens_its_published_answer(cast):
    answer = _published(cast)
    question = answer.question
    with reversion.create_revision():
        question.save()
    first = Version.objects.get_for_object(question).first()
    with reversion.create_revision():
        question.text = "A reworded question nobody approved?"
        question.save()
    # The edit reopened the answer; approve and publish the new wording, then revert it.
    answer.refresh_from_db()
    assert answer.status == S.DRAFT
    for claim in answer.claims.all():
        assert claim.status == CS.SUPPORTED
    submit_answer(answer, by=cast.writer)
    approve_answer(answer, by=cast.checker)
    publish_answer(answer, by=cast.releaser)
    first.revert()
    assert _status(answer) == S.DRAFT


def test_a_content_save_never_writes_status_or_the_live_publication(cast):
    answer = _approved(cast)
    stale = Answer.objects.get(pk=answer.pk)  # opened before the publisher acted
    publication = publish_answer(answer, by=cast.releaser)
    stale.blocks = list(stale.blocks)
    stale.save()
    fresh = Answer.objects.get(pk=answer.pk)
    assert fresh.status == S.PUBLISHED
    assert fresh.live_publication_id == publication.pk


def test_a_content_save_cannot_mark_a_claim_supported(cast):
    claim = CitationFactory().claim
    claim.status = CS.SUPPORTED
    claim.verified_by = cast.checker
    claim.save()
    assert _status(claim) == CS.UNVERIFIED
    assert Claim.objects.get(pk=claim.pk).verified_by is None


# The decision points check the binding even when no signal fired (queryset updates).


def test_publishing_refuses_content_changed_by_a_queryset_update_after_approval(cast):
    answer = _approved(cast)
    Question.objects.filter(pk=answer.question_id).update(text="Asked differently?")
    with pytest.raises(TransitionError, match="changed after it was approved.*question changed"):
        publish_answer(answer, by=cast.releaser)
    assert not Publication.objects.filter(answer=answer).exists()


def test_approving_refuses_a_verdict_whose_claim_changed_by_a_queryset_update(cast):
    answer = AnswerFactory()
    claim = CitationFactory(claim=ClaimFactory(answer=answer)).claim
    submit_answer(answer, by=cast.writer)
    verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    Claim.objects.filter(pk=claim.pk).update(text="New words nobody checked.")
    with pytest.raises(TransitionError, match="unverified"):
        approve_answer(answer, by=cast.checker)


@pytest.mark.parametrize(
    "model,change",
    [
        (Claim, {"status": CS.SUPPORTED}),
        (Claim, {"verified_by": None}),
        (Answer, {"status": S.APPROVED}),
        (Answer, {"live_publication_id": None}),
    ],
)
def test_a_queryset_update_cannot_write_a_workflow_column(model, change):
    with pytest.raises(WorkflowFieldWrite, match="written only by claims.workflow"):
        model.objects.all().update(**change)


def test_a_queryset_update_of_content_bumps_the_version():
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(text="Changed in bulk.")
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1


def test_a_bulk_update_of_content_bumps_the_version():
    claims = [ClaimFactory(), ClaimFactory()]
    Claim.objects.filter(pk=claims[0].pk).update(text="Changed once before.")
    stored = list(Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("pk"))
    for claim in stored:
        claim.text = f"Changed in bulk: {claim.pk}."
    Claim.objects.bulk_update(stored, ["text"])
    assert [c.version for c in Claim.objects.order_by("pk")] == [3, 2]
    assert [c.version for c in stored] == [3, 2]


def test_a_bulk_update_cannot_write_a_workflow_column():
    claim = ClaimFactory()
    claim.status = CS.SUPPORTED
    with pytest.raises(WorkflowFieldWrite, match="written only by claims.workflow"):
        Claim.objects.bulk_update([claim], ["text", "status"])


def _raw_update(model, pk: int, **values) -> None:
    """What a client that skips Django entirely can do; only the decision points stand."""
    table = model._meta.db_table
    assignments = ", ".join(f"{column} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


def test_a_claim_forced_supported_in_raw_sql_does_not_count(cast):
    answer = AnswerFactory()
    claim = CitationFactory(claim=ClaimFactory(answer=answer)).claim
    submit_answer(answer, by=cast.writer)
    _raw_update(Claim, claim.pk, status=CS.SUPPORTED)
    with pytest.raises(TransitionError, match="unverified"):
        approve_answer(answer, by=cast.checker)


def test_an_answer_forced_approved_in_raw_sql_cannot_be_published(cast):
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer))
    _raw_update(Answer, answer.pk, status=S.APPROVED)
    with pytest.raises(TransitionError):
        publish_answer(answer, by=cast.releaser)


# Verdicts and approvals carry what the person saw.


def test_a_verdict_on_a_claim_changed_since_the_page_was_opened_is_refused(cast):
    claim = CitationFactory().claim
    seen = claim_content(claim)
    edit_claim(claim, by=cast.writer, text="The editor's newer wording.")
    with pytest.raises(TransitionError, match="changed after you opened the page.*text changed"):
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED, seen=seen)
    assert _status(claim) == CS.UNVERIFIED


def test_a_verdict_without_what_the_page_showed_is_refused(cast):
    claim = CitationFactory().claim
    with pytest.raises(TransitionError, match="did not say what it showed you"):
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED, seen="")


def test_an_approval_of_an_answer_changed_since_the_page_was_opened_is_refused(cast):
    answer = AnswerFactory()
    first = CitationFactory(claim=ClaimFactory(answer=answer, position=0)).claim
    CitationFactory(claim=ClaimFactory(answer=answer, position=1))
    submit_answer(answer, by=cast.writer)
    for claim in answer.claims.all():
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    seen = workflow.answer_content(answer)
    other = UserFactory(username="checker2", groups=["Reviewers"], password=None)
    verify_claim(first, by=other, verdict=CS.NOT_A_CLAIM)
    with pytest.raises(TransitionError, match="changed after you opened the page"):
        approve_answer(answer, by=cast.checker, seen=seen)
    assert _status(answer) == S.IN_REVIEW


def test_an_approval_records_the_content_and_publishing_checks_it(cast):
    answer = _approved(cast)
    assert answer.approved_content == workflow.answer_content(answer)
    publication = publish_answer(answer, by=cast.releaser)
    assert publication.version == 1


# Imported or legacy text with no recorded author cannot be verified (fails closed).


def test_a_claim_with_no_recorded_author_cannot_be_verified(cast):
    claim = CitationFactory(claim=ClaimFactory(author=None)).claim
    with pytest.raises(TransitionError, match="Nobody is recorded as the author"):
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)


# The admin asks the workflow.


def test_available_actions_come_with_the_reason_they_would_be_refused(cast):
    answer = AnswerFactory()
    ClaimFactory(answer=answer)
    submit_answer(answer, by=cast.writer)
    moves = {m.action: m for m in available_actions(answer, cast.checker)}
    assert set(moves) == {"approve", "request_changes"}
    assert "unverified" in moves["approve"].refusal
    assert moves["request_changes"].allowed
    assert available_actions(answer, cast.releaser) == []


def test_available_verdicts_refuse_the_author_of_the_text(cast):
    claim = CitationFactory().claim
    edit_claim(claim, by=cast.checker, text="Reviewer's own correction.")
    claim.refresh_from_db()
    assert all(not m.allowed for m in available_verdicts(claim, cast.checker))


# Through the admin, as a person clicks.


def test_verify_button_on_a_page_opened_before_an_edit_is_refused(client, cast):
    claim = CitationFactory().claim
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.force_login(cast.checker)
    page = client.get(url).content.decode()
    edit_claim(claim, by=cast.writer, text="Changed while the reviewer read.")
    form = find_form(page, form_action=reverse("admin:claims_claim_verify", args=[claim.pk]))
    client.post(form.get("action"), form_data(form, press=("verdict", "supported")))
    assert _status(claim) == CS.UNVERIFIED


def test_bulk_mark_supported_refuses_claims_changed_after_the_list_was_loaded(client, cast):
    claim = CitationFactory().claim
    client.force_login(cast.checker)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    edit_claim(claim, by=cast.writer, text="Changed while the list was open.")
    form = find_form(page, form_id="changelist-form")
    data = form_data(form, action="mark_supported", _selected_action=[claim.pk])
    client.post(reverse("admin:claims_claim_changelist"), data)
    assert _status(claim) == CS.UNVERIFIED


def test_a_source_edited_in_the_admin_reopens_answers_citing_it_by_that_person(client, cast):
    answer = _published(cast)
    source = Citation.objects.filter(claim__answer=answer).first().source
    client.force_login(cast.writer)
    submit(
        client,
        reverse("admin:claims_source_change", args=[source.pk]),
        form_id="source_form",
        title="A renamed statute",
    )
    assert _status(answer) == S.DRAFT
    event = Review.objects.get(answer=answer, action=Review.Action.REOPEN)
    assert event.actor == cast.writer


def test_a_source_detail_shown_to_the_public_is_covered_by_the_verdict(cast):
    answer = _approved(cast)
    source = Citation.objects.filter(claim__answer=answer).first().source
    source.publisher = "Someone else entirely"
    source.save()
    assert _status(answer) == S.DRAFT
    assert "publisher changed" in Review.objects.get(action=Review.Action.REOPEN).note


def test_a_verdict_voided_behind_the_workflow_can_be_given_again(cast):
    answer = _approved(cast)
    claim = answer.claims.first()
    Claim.objects.filter(pk=claim.pk).update(text="Changed by a queryset update.")
    other = UserFactory(username="checker2", groups=["Reviewers"], password=None)
    verify_claim(claim, by=other, verdict=CS.SUPPORTED)
    claim.refresh_from_db()
    assert claim.verified_content == claim_content(claim)


def test_the_claim_page_does_not_move_a_claim_to_another_answer(client, cast):
    claim = CitationFactory().claim
    elsewhere = AnswerFactory()
    client.force_login(cast.writer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    form = find_form(page, form_id="claim_form")
    assert "answer" not in dict(form.form_values())
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        form_data(form, answer=elsewhere.pk),
    )
    assert Claim.objects.get(pk=claim.pk).answer_id == claim.answer_id
