"""The editorial workflow: every rule with a refused and an accepted case, and the role matrix."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone
from reversion.models import Revision, Version

from claims import workflow
from claims.models import Citation, Claim, Review
from claims.workflow import (
    TransitionError,
    add_citation,
    add_claim,
    approve_answer,
    delete_claim,
    edit_claim,
    mark_claim_unverified,
    publish_answer,
    remove_citation,
    reopen_answer,
    request_changes,
    submit_answer,
    verify_claim,
    withdraw_answer,
)
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer, Publication
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = Answer.Status
CS = Claim.Status


def _state() -> dict:
    """Everything a workflow call may write."""
    return {
        "reviews": Review.objects.count(),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
        "publications": list(Publication.objects.values_list("pk", "version")),
        "answers": list(
            Answer.objects.order_by("pk").values_list(
                "pk",
                "status",
                "live_publication",
                "submitted_by",
                "approved_by",
                "withdrawn_reason",
                "updated_by",
                "updated_at",
            )
        ),
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk",
                "text",
                "status",
                "position",
                "author",
                "verified_by",
                "note",
                "updated_by",
                "updated_at",
            )
        ),
        "citations": list(Citation.objects.order_by("pk").values_list("pk", "claim", "source")),
    }


@contextmanager
def refused(match: str):
    """The call raises TransitionError with a sentence matching `match` and writes nothing."""
    before = _state()
    with pytest.raises(TransitionError, match=match):
        yield
    assert _state() == before


@pytest.fixture
def cast(db):
    """People who prepare the scene, so that the person under test is never bound by four-eyes."""
    return SimpleNamespace(
        writer=UserFactory(username="writer", groups=["Editors"], password=None),
        checker=UserFactory(username="checker", groups=["Reviewers"], password=None),
        releaser=UserFactory(username="releaser", groups=["Publishers"], password=None),
    )


def _answer(claims: int = 2, *, cited: bool = True) -> Answer:
    answer = AnswerFactory()
    for i in range(claims):
        claim = ClaimFactory(answer=answer, position=i)
        if cited:
            CitationFactory(claim=claim)
    return answer


def _in_review(cast, claims: int = 2) -> Answer:
    return submit_answer(_answer(claims), by=cast.writer)


def _approved(cast, claims: int = 2) -> Answer:
    answer = _in_review(cast, claims)
    for claim in answer.claims.all():
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    return approve_answer(answer, by=cast.checker)


def _published(cast, claims: int = 2) -> Answer:
    answer = _approved(cast, claims)
    publish_answer(answer, by=cast.releaser)
    answer.refresh_from_db()
    return answer


def _republish(cast, answer: Answer) -> Publication:
    """Take a reopened answer through review again and publish it."""
    submit_answer(answer, by=cast.writer)
    for claim in answer.claims.exclude(status__in=[CS.SUPPORTED, CS.NOT_A_CLAIM]):
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    approve_answer(answer, by=cast.checker)
    return publish_answer(answer, by=cast.releaser)


# --- the role matrix: every call against the three roles, a user with none and a superuser


def _scene(call: str, cast):
    """An object where `call` is allowed by state and rules; returns the call awaiting `by`."""
    if call == "edit_claim":
        claim = _answer(1).claims.get()
        return lambda by: edit_claim(claim, by=by, text="A corrected statement of fact.")
    if call == "add_claim":
        answer = _answer(1)
        return lambda by: add_claim(answer, by=by, text="A new statement.", block=0)
    if call == "delete_claim":
        claim = _answer(2).claims.first()
        return lambda by: delete_claim(claim, by=by)
    if call == "add_citation":
        claim = _answer(1).claims.get()
        source = SourceFactory()
        return lambda by: add_citation(claim, by=by, source=source, pinpoint="§ 2")
    if call == "remove_citation":
        citation = Citation.objects.get(claim__answer=_answer(1))
        return lambda by: remove_citation(citation, by=by)
    if call == "mark_claim_unverified":
        claim = _approved(cast, 1).claims.get()
        return lambda by: mark_claim_unverified(claim, by=by, reason="Reverted to version 1.")
    if call == "reopen_answer":
        answer = _approved(cast)
        return lambda by: reopen_answer(answer, by=by, reason="The question text changed.")
    if call == "verify_claim":
        claim = _answer(1).claims.get()
        return lambda by: verify_claim(claim, by=by, verdict=CS.SUPPORTED)
    if call == "submit_answer":
        answer = _answer(1)
        return lambda by: submit_answer(answer, by=by)
    if call == "request_changes":
        answer = _in_review(cast)
        return lambda by: request_changes(answer, by=by, note="Claim 2 needs a source.")
    if call == "approve_answer":
        answer = _in_review(cast)
        for claim in answer.claims.all():
            verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
        return lambda by: approve_answer(answer, by=by)
    if call == "publish_answer":
        answer = _approved(cast)
        return lambda by: publish_answer(answer, by=by, summary="First version.")
    if call == "withdraw_answer":
        answer = _published(cast)
        return lambda by: withdraw_answer(answer, by=by, reason="The law changed.")
    raise AssertionError(call)


EDITING = {"editor", "reviewer", "superuser"}
MATRIX = {
    "edit_claim": EDITING,
    "add_claim": EDITING,
    "delete_claim": EDITING,
    "add_citation": EDITING,
    "remove_citation": EDITING,
    "mark_claim_unverified": EDITING,
    "reopen_answer": EDITING,
    "verify_claim": {"reviewer", "superuser"},
    "submit_answer": {"editor", "superuser"},
    "request_changes": {"reviewer", "superuser"},
    "approve_answer": {"reviewer", "superuser"},
    "publish_answer": {"publisher", "superuser"},
    "withdraw_answer": {"publisher", "superuser"},
}
ROLES = ["editor", "reviewer", "publisher", "outsider", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", sorted(MATRIX))
def test_role_matrix_only_permitted_roles_may_call(request, cast, call, role):
    by = request.getfixturevalue(role)
    act = _scene(call, cast)
    if role in MATRIX[call]:
        reviews, revisions = Review.objects.count(), Revision.objects.count()
        act(by)
        assert Review.objects.count() > reviews
        assert Review.objects.order_by("-id").first().actor == by
        assert Revision.objects.count() == revisions + 1
        revision = Revision.objects.order_by("-id").first()
        assert revision.user == by
        assert revision.comment
    else:
        with refused("You need the .* role to"):
            act(by)


def test_every_call_is_in_the_matrix():
    public = {name for name in MATRIX if callable(getattr(workflow, name))}
    assert public == set(MATRIX)


# --- claims


def test_supported_needs_a_citation(reviewer):
    claim = _answer(1, cited=False).claims.get()
    with refused(rf"Claim #{claim.pk} has no citation; add the source"):
        verify_claim(claim, by=reviewer, verdict=CS.SUPPORTED)


def test_claim_with_a_citation_can_be_marked_supported(reviewer):
    claim = _answer(1).claims.get()
    verified = verify_claim(claim, by=reviewer, verdict=CS.SUPPORTED, note="Matches § 1.")
    assert verified.status == CS.SUPPORTED
    assert verified.verified_by == reviewer
    assert verified.verified_at is not None
    review = Review.objects.get(claim=claim)
    assert (review.action, review.from_status, review.to_status, review.note) == (
        Review.Action.VERIFY,
        CS.UNVERIFIED,
        CS.SUPPORTED,
        "Matches § 1.",
    )
    assert review.actor == reviewer and review.answer == claim.answer


def test_disputed_needs_a_note(reviewer):
    claim = _answer(1).claims.get()
    with refused("Write a note saying what is wrong"):
        verify_claim(claim, by=reviewer, verdict=CS.DISPUTED, note="  ")


def test_disputed_with_a_note_keeps_the_note(reviewer):
    claim = _answer(1).claims.get()
    verified = verify_claim(claim, by=reviewer, verdict=CS.DISPUTED, note="The section is 67.308.")
    assert (verified.status, verified.note) == (CS.DISPUTED, "The section is 67.308.")


def test_not_a_claim_needs_neither_citation_nor_note(reviewer):
    claim = _answer(1, cited=False).claims.get()
    assert verify_claim(claim, by=reviewer, verdict=CS.NOT_A_CLAIM).status == CS.NOT_A_CLAIM


def test_unknown_verdict_is_refused(reviewer):
    claim = _answer(1).claims.get()
    with refused("is not a verdict; choose supported, disputed or not a claim"):
        verify_claim(claim, by=reviewer, verdict="probably")


def test_same_verdict_twice_is_refused(reviewer, other_reviewer):
    claim = verify_claim(_answer(1).claims.get(), by=reviewer, verdict=CS.SUPPORTED)
    with refused(rf"Claim #{claim.pk} is supported; only a claim that is unverified"):
        verify_claim(claim, by=other_reviewer, verdict=CS.SUPPORTED)


def test_a_reviewer_may_rejudge_a_disputed_claim(reviewer, other_reviewer):
    claim = _answer(1).claims.get()
    verify_claim(claim, by=reviewer, verdict=CS.DISPUTED, note="Wrong section.")
    claim = verify_claim(claim, by=other_reviewer, verdict=CS.SUPPORTED)
    assert (claim.status, claim.verified_by, claim.note) == (CS.SUPPORTED, other_reviewer, "")


def test_editing_claim_text_makes_it_unverified_and_the_editor_its_author(editor, reviewer):
    claim = verify_claim(_answer(1).claims.get(), by=reviewer, verdict=CS.SUPPORTED)
    edited = edit_claim(claim, by=editor, text="  Courts must share records only on order.  ")
    assert edited.text == "Courts must share records only on order."
    assert (edited.status, edited.author, edited.verified_by) == (CS.UNVERIFIED, editor, None)
    review = Review.objects.get(claim=claim, action=Review.Action.EDIT)
    assert (review.from_status, review.to_status) == (CS.SUPPORTED, CS.UNVERIFIED)


def test_empty_claim_text_is_refused(editor):
    claim = _answer(1).claims.get()
    with refused("The claim text is empty"):
        edit_claim(claim, by=editor, text="   ")


def test_unchanged_claim_text_changes_nothing(editor, reviewer):
    claim = verify_claim(_answer(1).claims.get(), by=reviewer, verdict=CS.SUPPORTED)
    before = _state()
    assert edit_claim(claim, by=editor, text=claim.text).status == CS.SUPPORTED
    assert _state() == before


def test_reviewer_may_correct_claim_text(reviewer):
    claim = _answer(1).claims.get()
    assert edit_claim(claim, by=reviewer, text="Corrected.").author == reviewer


def test_author_of_current_text_cannot_verify_it(reviewer):
    claim = edit_claim(_answer(1).claims.get(), by=reviewer, text="Reviewer's wording.")
    with refused(rf"You wrote the current text of claim #{claim.pk}; another reviewer"):
        verify_claim(claim, by=reviewer, verdict=CS.SUPPORTED)


def test_author_rule_binds_superusers(superuser):
    claim = edit_claim(_answer(1).claims.get(), by=superuser, text="Root's wording.")
    with refused("You wrote the current text"):
        verify_claim(claim, by=superuser, verdict=CS.NOT_A_CLAIM)


def test_another_reviewer_may_verify_corrected_text(reviewer, other_reviewer):
    claim = edit_claim(_answer(1).claims.get(), by=reviewer, text="Reviewer's wording.")
    assert verify_claim(claim, by=other_reviewer, verdict=CS.SUPPORTED).status == CS.SUPPORTED


def test_removing_the_last_citation_of_a_supported_claim_makes_it_unverified(editor, reviewer):
    claim = verify_claim(_answer(1).claims.get(), by=reviewer, verdict=CS.SUPPORTED)
    claim = remove_citation(claim.citations.get(), by=editor)
    assert claim.status == CS.UNVERIFIED and claim.verified_by is None
    assert not claim.citations.exists()


def test_removing_one_of_two_citations_keeps_the_claim_supported(editor, reviewer):
    claim = _answer(1).claims.get()
    CitationFactory(claim=claim)
    claim = verify_claim(claim, by=reviewer, verdict=CS.SUPPORTED)
    claim = remove_citation(claim.citations.first(), by=editor)
    assert claim.status == CS.SUPPORTED and claim.citations.count() == 1


def test_removing_a_citation_already_removed_is_refused(editor):
    citation = Citation.objects.get(claim__answer=_answer(1))
    stale = Citation.objects.get(pk=citation.pk)
    remove_citation(citation, by=editor)
    with refused("That citation no longer exists"):
        remove_citation(stale, by=editor)


def test_added_claim_is_unverified_written_by_its_adder_and_placed_in_its_block(editor):
    answer = _answer(0)
    answer.blocks = [{"kind": "paragraph", "number": None}, {"kind": "numbered", "number": 1}]
    answer.save()
    first = ClaimFactory(answer=answer, block=0, position=0)
    point = ClaimFactory(answer=answer, block=1, position=1)
    claim = add_claim(answer, by=editor, text="A second sentence of the paragraph.", block=0)
    assert (claim.status, claim.author, claim.block) == (CS.UNVERIFIED, editor, 0)
    order = list(answer.claims.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, claim.pk, point.pk]


def test_claim_must_go_into_an_existing_block(editor):
    answer = _answer(1)
    with refused(r"This answer has 1 blocks \(0 to 0\)"):
        add_claim(answer, by=editor, text="Somewhere.", block=3)


def test_mark_claim_unverified_needs_a_reason(editor):
    claim = _answer(1).claims.get()
    with refused("Give a reason"):
        mark_claim_unverified(claim, by=editor, reason="")


def test_reverted_claim_is_unverified_and_the_reverter_cannot_verify_it(cast, reviewer):
    claim = _approved(cast, 1).claims.get()
    claim = mark_claim_unverified(claim, by=reviewer, reason="Reverted to the imported text.")
    assert (claim.status, claim.author) == (CS.UNVERIFIED, reviewer)
    assert Review.objects.filter(claim=claim, action=Review.Action.REVERT).exists()
    with refused("You wrote the current text"):
        verify_claim(claim, by=reviewer, verdict=CS.SUPPORTED)


def test_deleted_claim_leaves_a_review_with_its_text(editor):
    claim = _answer(2).claims.first()
    text = claim.text
    delete_claim(claim, by=editor)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert Review.objects.filter(note__contains=text, action=Review.Action.EDIT).exists()


def test_call_on_a_claim_deleted_meanwhile_is_refused(editor, other_editor):
    claim = _answer(2).claims.first()
    stale = Claim.objects.get(pk=claim.pk)
    delete_claim(claim, by=other_editor)
    with refused(rf"Claim #{stale.pk} no longer exists"):
        edit_claim(stale, by=editor, text="Too late.")


# --- answers


def test_submit_needs_claims(editor):
    answer = _answer(0)
    with refused("This answer has no claims yet"):
        submit_answer(answer, by=editor)


def test_draft_with_claims_can_be_submitted(editor):
    answer = submit_answer(_answer(1), by=editor, note="Ready.")
    assert (answer.status, answer.submitted_by) == (S.IN_REVIEW, editor)
    review = Review.objects.get(answer=answer)
    assert (review.action, review.from_status, review.to_status, review.note) == (
        Review.Action.SUBMIT,
        S.DRAFT,
        S.IN_REVIEW,
        "Ready.",
    )


def test_only_a_draft_can_be_submitted(cast, editor):
    answer = _in_review(cast)
    with refused("This answer is in review; only an answer that is draft can be submitted"):
        submit_answer(answer, by=editor)


def test_request_changes_needs_a_note(cast, reviewer):
    answer = _in_review(cast)
    with refused("Write a note saying what has to change"):
        request_changes(answer, by=reviewer, note="")


def test_request_changes_sends_the_answer_back_to_draft(cast, reviewer):
    answer = request_changes(_in_review(cast), by=reviewer, note="Cite § 67.307.")
    assert answer.status == S.DRAFT
    assert Review.objects.filter(answer=answer, note="Cite § 67.307.").exists()


def test_only_an_answer_in_review_can_be_sent_back(reviewer):
    answer = _answer(1)
    with refused("This answer is draft; only an answer that is in review can be sent back"):
        request_changes(answer, by=reviewer, note="Why?")


def test_submitter_cannot_approve(superuser, reviewer):
    answer = submit_answer(_answer(1), by=superuser)
    verify_claim(answer.claims.get(), by=reviewer, verdict=CS.SUPPORTED)
    with refused("You submitted this answer; another reviewer has to approve it"):
        approve_answer(answer, by=superuser)


def test_another_reviewer_may_approve(cast, reviewer):
    answer = _in_review(cast)
    for claim in answer.claims.all():
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    answer = approve_answer(answer, by=reviewer, note="All checked.")
    assert (answer.status, answer.approved_by) == (S.APPROVED, reviewer)


def test_approval_needs_every_claim_supported_or_not_a_claim(cast, reviewer):
    answer = _in_review(cast, claims=4)
    first, second, third, fourth = answer.claims.order_by("position")
    verify_claim(first, by=cast.checker, verdict=CS.SUPPORTED)
    verify_claim(second, by=cast.checker, verdict=CS.DISPUTED, note="Wrong.")
    with refused(
        rf"2 claims are still unverified: #{third.pk}, #{fourth.pk}; "
        rf"1 claim is disputed: #{second.pk}\."
    ):
        approve_answer(answer, by=reviewer)


def test_not_a_claim_counts_as_checked_for_approval(cast, reviewer):
    answer = _in_review(cast, claims=2)
    first, second = answer.claims.order_by("position")
    verify_claim(first, by=cast.checker, verdict=CS.SUPPORTED)
    verify_claim(second, by=cast.checker, verdict=CS.NOT_A_CLAIM)
    assert approve_answer(answer, by=reviewer).status == S.APPROVED


def test_only_an_answer_in_review_can_be_approved(reviewer):
    answer = _answer(1)
    with refused("This answer is draft; only an answer that is in review can be approved"):
        approve_answer(answer, by=reviewer)


def test_editing_a_claim_of_an_approved_answer_sends_it_back_to_draft(cast, editor):
    answer = _approved(cast)
    edit_claim(answer.claims.first(), by=editor, text="Changed after approval.")
    answer.refresh_from_db()
    assert (answer.status, answer.approved_by) == (S.DRAFT, None)
    review = Review.objects.filter(answer=answer, action=Review.Action.REOPEN).get()
    assert (review.from_status, review.to_status) == (S.APPROVED, S.DRAFT)


def test_editing_a_published_answer_sends_it_to_draft_and_keeps_it_live(cast, editor):
    answer = _published(cast)
    live = answer.live_publication
    edit_claim(answer.claims.first(), by=editor, text="Changed after publishing.")
    answer.refresh_from_db()
    assert answer.status == S.DRAFT
    assert answer.live_publication == live


def test_editing_a_withdrawn_answer_sends_it_to_draft(cast, editor):
    answer = withdraw_answer(_published(cast), by=cast.releaser, reason="Outdated.")
    edit_claim(answer.claims.first(), by=editor, text="Updated for the new law.")
    answer.refresh_from_db()
    assert (answer.status, answer.live_publication) == (S.DRAFT, None)


def test_editing_during_review_keeps_review_but_blocks_approval(cast, reviewer, other_reviewer):
    answer = _in_review(cast)
    for claim in answer.claims.all():
        verify_claim(claim, by=cast.checker, verdict=CS.SUPPORTED)
    corrected = edit_claim(answer.claims.first(), by=reviewer, text="Reviewer's correction.")
    answer.refresh_from_db()
    assert answer.status == S.IN_REVIEW
    with refused(rf"1 claim is still unverified: #{corrected.pk}"):
        approve_answer(answer, by=other_reviewer)
    verify_claim(corrected, by=other_reviewer, verdict=CS.SUPPORTED)
    assert approve_answer(answer, by=reviewer).status == S.APPROVED


def test_a_citation_added_after_verification_voids_the_verdict_and_reopens(cast, editor):
    answer = _approved(cast)
    claim = answer.claims.first()
    add_citation(claim, by=editor, source=SourceFactory(), pinpoint="§ 3", quote="Shall.")
    claim.refresh_from_db()
    answer.refresh_from_db()
    # The reviewer never saw the new source: the claim has to be checked again.
    assert (answer.status, claim.status) == (S.DRAFT, CS.UNVERIFIED)
    event = claim.reviews.filter(action=Review.Action.RECHECK).get()
    assert "added" in event.note


def test_adding_a_claim_reopens_a_published_answer(cast, editor):
    answer = _published(cast)
    add_claim(answer, by=editor, text="One more thing.", block=0)
    assert answer.status == S.DRAFT


def test_deleting_a_claim_reopens_an_approved_answer(cast, editor):
    answer = _approved(cast)
    answer = delete_claim(answer.claims.first(), by=editor)
    assert answer.status == S.DRAFT and answer.claims.count() == 1


def test_verdict_on_a_published_claim_reopens_the_answer(cast, reviewer):
    answer = _published(cast)
    verify_claim(answer.claims.first(), by=reviewer, verdict=CS.DISPUTED, note="Repealed.")
    answer.refresh_from_db()
    assert answer.status == S.DRAFT


def test_reopen_answer_sends_a_published_answer_back_to_draft(cast, editor):
    answer = reopen_answer(_published(cast), by=editor, reason="The question was reworded.")
    assert answer.status == S.DRAFT and answer.live_publication is not None
    assert Review.objects.filter(answer=answer, note="The question was reworded.").exists()


def test_reopen_answer_leaves_a_draft_as_it_is(editor):
    answer = _answer(1)
    before = _state()
    assert reopen_answer(answer, by=editor, reason="Edited.").status == S.DRAFT
    assert _state() == before


def test_reopen_answer_needs_a_reason(cast, editor):
    answer = _approved(cast)
    with refused("Give a reason"):
        reopen_answer(answer, by=editor, reason=" ")


def test_caller_instance_is_brought_up_to_date(cast, editor):
    answer = _approved(cast)
    claim = answer.claims.first()
    reopen_answer(answer, by=editor, reason="Edited.")
    assert answer.status == S.DRAFT
    edit_claim(claim, by=editor, text="New words.")
    assert (claim.text, claim.author) == ("New words.", editor)


# --- publications


def test_only_an_approved_answer_can_be_published(cast, publisher):
    answer = _in_review(cast)
    with refused("This answer is in review; only an answer that is approved can be published"):
        publish_answer(answer, by=publisher)


def test_publishing_writes_the_next_version_and_makes_it_live(cast, editor, publisher):
    answer = _approved(cast)
    first = publish_answer(answer, by=publisher, summary="First.")
    assert (first.version, answer.status, answer.live_publication) == (1, S.PUBLISHED, first)
    edit_claim(answer.claims.first(), by=editor, text="Second wording.")
    answer.refresh_from_db()
    second = _republish(cast, answer)
    answer.refresh_from_db()
    assert second.version == 2
    assert answer.live_publication == second
    assert list(answer.publications.values_list("version", flat=True)) == [1, 2]


def test_publication_copies_the_question_for_public_pages(cast, publisher):
    answer = _approved(cast)
    publication = publish_answer(answer, by=publisher)
    question = answer.question
    assert (publication.jurisdiction, publication.topic) == (question.jurisdiction, question.topic)
    assert (publication.question_slug, publication.question_text) == (question.slug, question.text)
    assert (publication.compare_key, publication.position) == (
        question.compare_key,
        question.position,
    )
    for claim in answer.claims.all():
        assert claim.text in publication.body_text
    assert question.text in publication.body_text


def test_publication_sets_review_due_on_from_the_setting(cast, publisher, settings):
    settings.COURTINFO_REVIEW_INTERVAL_DAYS = 30
    publication = publish_answer(_approved(cast), by=publisher)
    local_published = timezone.localdate(publication.published_at)
    assert (publication.review_due_on - local_published).days == 30
    assert publication.payload["review_due_on"] == publication.review_due_on.isoformat()


def test_publish_refuses_when_the_version_was_just_taken(cast, publisher, monkeypatch):
    answer = _approved(cast)
    publish_answer(answer, by=publisher)
    # Simulate a second publisher that got past the lock: the constraint must still hold.
    with workflow_writes():
        Answer.objects.filter(pk=answer.pk).update(status=S.APPROVED)
    answer.refresh_from_db()
    monkeypatch.setattr(workflow, "_next_version", lambda answer: 1)
    with refused("This answer was just published by someone else as version 1"):
        publish_answer(answer, by=publisher)
    assert Publication.objects.filter(answer=answer).aggregate(v=Max("version"))["v"] == 1


def test_publish_refuses_a_claim_that_lost_its_check(cast, publisher):
    answer = _approved(cast)
    claim = answer.claims.first()
    # A row changed outside the workflow must still never reach the public.
    with workflow_writes():
        Claim.objects.filter(pk=claim.pk).update(status=CS.UNVERIFIED)
    with refused(rf"1 claim is still unverified: #{claim.pk}"):
        publish_answer(answer, by=publisher)


def test_publish_clears_an_earlier_withdrawal(cast, editor):
    answer = withdraw_answer(_published(cast), by=cast.releaser, reason="Outdated.")
    edit_claim(answer.claims.first(), by=editor, text="Updated.")
    answer.refresh_from_db()
    _republish(cast, answer)
    answer.refresh_from_db()
    assert (answer.status, answer.withdrawn_reason, answer.withdrawn_at) == (
        S.PUBLISHED,
        "",
        None,
    )


# --- withdrawal


def test_withdraw_needs_a_live_publication(cast, publisher):
    answer = _approved(cast)
    with refused("no live publication, so there is nothing to withdraw"):
        withdraw_answer(answer, by=publisher, reason="Wrong.")


def test_withdraw_needs_a_reason(cast, publisher):
    answer = _published(cast)
    with refused("Give the reason for withdrawing"):
        withdraw_answer(answer, by=publisher, reason="")


def test_withdrawing_takes_the_answer_off_the_public_site(cast, publisher):
    answer = withdraw_answer(_published(cast), by=publisher, reason="The statute was repealed.")
    assert (answer.status, answer.live_publication) == (S.WITHDRAWN, None)
    assert answer.withdrawn_reason == "The statute was repealed."
    assert answer.withdrawn_at is not None
    assert Publication.objects.filter(answer=answer).count() == 1


def test_a_live_answer_being_edited_can_be_withdrawn(cast, editor, publisher):
    answer = _published(cast)
    edit_claim(answer.claims.first(), by=editor, text="Being fixed.")
    answer.refresh_from_db()
    answer = withdraw_answer(answer, by=publisher, reason="Wrong until fixed.")
    assert (answer.status, answer.live_publication) == (S.WITHDRAWN, None)


def test_a_withdrawn_answer_cannot_be_withdrawn_again(cast, publisher):
    answer = withdraw_answer(_published(cast), by=publisher, reason="Outdated.")
    with refused("This answer is withdrawn; only an answer that is draft, in review, approved"):
        withdraw_answer(answer, by=publisher, reason="Again.")


# --- the trail


def _stored(revision: Revision) -> list[tuple[str, str]]:
    return sorted((v.content_type.model, v.object_id) for v in revision.version_set.all())


def test_a_call_on_a_claim_leaves_a_revision_with_that_claim_and_its_citations(editor):
    answer = _answer(2)
    claim = answer.claims.first()
    edit_claim(claim, by=editor, text="Revised.")
    revision = Revision.objects.order_by("-id").first()
    assert (revision.user, revision.comment) == (editor, f"Edited claim #{claim.pk}")
    citation = claim.citations.get()
    assert _stored(revision) == [("citation", str(citation.pk)), ("claim", str(claim.pk))]
    assert Version.objects.get_for_object(claim).first().field_dict["text"] == "Revised."


def test_a_call_on_the_answer_leaves_a_revision_with_the_answer_its_claims_and_citations(editor):
    answer = _answer(2)
    submit_answer(answer, by=editor)
    revision = Revision.objects.order_by("-id").first()
    assert (revision.user, revision.comment) == (editor, "Submitted")
    claims = list(answer.claims.all())
    assert _stored(revision) == sorted(
        [("answer", str(answer.pk))]
        + [("claim", str(c.pk)) for c in claims]
        + [("citation", str(c.citations.get().pk)) for c in claims]
    )
