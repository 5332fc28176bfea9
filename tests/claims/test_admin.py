"""Claim, source and citation admin: verifying, actions, revert and recover, query counts."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from claims import workflow
from claims.models import Citation, Claim, Source
from courtinfo.models import Answer
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, SourceFactory
from tests.html_forms import error_text, find_form, form_data, open_change_form, submit

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def refusal_beside(client, response, claim: Claim) -> str:
    """The refusal the page the response leads to shows next to the claim it concerns."""
    page = lxml.html.fromstring(client.get(response["Location"]).content)
    shown = page.xpath(f'//*[@id="claim-{claim.pk}"]//*[contains(@class, "refusal")]')
    return " ".join(element.text_content() for element in shown)


def cited_claim(**kwargs) -> Claim:
    claim = ClaimFactory(**kwargs)
    CitationFactory(claim=claim)
    return claim


def claim_url(claim: Claim, view: str = "change", *args) -> str:
    return reverse(f"admin:claims_claim_{view}", args=[claim.pk, *args])


def verify(client, claim: Claim, verdict: str, note: str = "", next_url: str = ""):
    """Press a verdict button on the claim's page (or on the answer page at `next_url`)."""
    return submit(
        client,
        next_url or claim_url(claim),
        form_action=claim_url(claim, "verify"),
        press=("verdict", verdict),
        note=note,
    )


def forge_verdict(client, claim: Claim, verdict: str, note: str = "", next_url: str = ""):
    """What a crafted request posts: a verdict the page did not offer, with the page's fields."""
    page = client.get(claim_url(claim)).content.decode()
    try:
        form = find_form(page, form_action=claim_url(claim, "verify"))
    except AssertionError:  # the page offers no verdict at all: post the bare fields
        data = {"verdict": verdict, "note": note, "next": next_url}
    else:
        data = form_data(form, verdict=verdict, note=note, next=next_url)
    return client.post(claim_url(claim, "verify"), data)


def bulk(client, action: str, claims: list[Claim]):
    """Tick claims in the claims list and run an action, posting what the list rendered."""
    return submit(
        client,
        reverse("admin:claims_claim_changelist"),
        form_id="changelist-form",
        action=action,
        _selected_action=[c.pk for c in claims],
    )


# Pages.


@pytest.mark.parametrize("role", ["editor", "reviewer", "publisher"])
@pytest.mark.parametrize("name", ["claim", "source", "citation", "review"])
def test_every_role_sees_claims_lists(client, request, role, name):
    claim = cited_claim()
    workflow.edit_claim(claim, by=request.getfixturevalue("superuser"), text="Reworded claim.")
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200


def test_source_page_lists_the_claims_citing_it(client, editor):
    citation = CitationFactory()
    client.force_login(editor)
    page = client.get(reverse("admin:claims_source_change", args=[citation.source_id]))
    assert citation.claim.text in page.content.decode()


def test_claim_page_offers_verdicts_to_reviewer_not_editor(client, editor, reviewer):
    claim = cited_claim()
    client.force_login(reviewer)
    assert 'name="verdict"' in client.get(claim_url(claim)).content.decode()
    client.force_login(editor)
    assert 'name="verdict"' not in client.get(claim_url(claim)).content.decode()


# Verifying.


def test_reviewer_verifies_from_the_answer_page(client, reviewer):
    claim = cited_claim()
    answer_url = reverse("admin:courtinfo_answer_change", args=[claim.answer_id])
    client.force_login(reviewer)
    page = client.get(answer_url).content.decode()
    assert f'id="claim-{claim.pk}"' in page
    response = verify(client, claim, "supported", next_url=answer_url)
    assert response["Location"] == f"{answer_url}#claim-{claim.pk}"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUPPORTED
    assert claim.verified_by == reviewer


def test_supported_without_citation_is_refused_with_reason(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = forge_verdict(client, claim, "supported")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert "citation" in refusal_beside(client, response, claim).lower()


def test_dispute_needs_a_note(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    verify(client, claim, "disputed")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    verify(client, claim, "disputed", note="The statute says otherwise.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISPUTED


def test_author_cannot_verify_own_text(client, reviewer):
    claim = cited_claim()
    workflow.edit_claim(claim, by=reviewer, text="My own words.")
    client.force_login(reviewer)
    forge_verdict(client, claim, "supported")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_verify_redirect_ignores_foreign_next(client, reviewer):
    claim = cited_claim()
    client.force_login(reviewer)
    response = forge_verdict(client, claim, "supported", next_url="https://evil.example/")
    assert response["Location"].startswith(claim_url(claim))


def test_editor_cannot_verify(client, editor):
    claim = cited_claim()
    client.force_login(editor)
    response = forge_verdict(client, claim, "supported")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert "Reviewer" in refusal_beside(client, response, claim)


# Actions.


def test_mark_supported_action_passes_cited_and_reports_uncited(client, reviewer):
    good = cited_claim()
    bare = ClaimFactory(answer=good.answer)
    client.force_login(reviewer)
    response = bulk(client, "mark_supported", [good, bare])
    good.refresh_from_db()
    bare.refresh_from_db()
    assert good.status == Claim.Status.SUPPORTED
    assert bare.status == Claim.Status.UNVERIFIED
    texts = messages_of(response)
    assert any(str(bare) in t for t in texts)
    assert any("1 claims marked supported" in t for t in texts)


def test_mark_not_a_claim_action(client, reviewer):
    claim = ClaimFactory(text="Ask a lawyer.")
    client.force_login(reviewer)
    bulk(client, "mark_not_a_claim", [claim])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NOT_A_CLAIM


def test_verify_actions_not_offered_to_editors(client, editor):
    ClaimFactory()
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "mark_supported" not in page


# Editing through the form.


def test_claim_form_edit_goes_through_workflow(client, editor, reviewer):
    claim = cited_claim()
    workflow.verify_claim(claim, by=reviewer, verdict="supported")
    client.force_login(editor)
    url, form = open_change_form(client, claim)
    assert client.post(url, form_data(form, text="A corrected claim.")).status_code == 302
    claim.refresh_from_db()
    assert claim.text == "A corrected claim."
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.author == editor


def test_citation_added_inline_goes_through_workflow(client, reviewer):
    claim = ClaimFactory()
    source = SourceFactory()
    client.force_login(reviewer)
    url, form = open_change_form(client, claim)
    typed = {"citations-0-source": source.pk, "citations-0-pinpoint": "§ 2"}
    assert client.post(url, form_data(form, **typed)).status_code == 302
    assert claim.citations.get().source == source
    assert claim.reviews.filter(note__contains=str(source)).exists()


def test_stale_claim_form_is_refused(client, editor, other_editor):
    claim = ClaimFactory(text="Old text.")
    client.force_login(editor)
    url, form = open_change_form(client, claim)
    workflow.edit_claim(claim, by=other_editor, text="Their text.")
    response = client.post(url, form_data(form, text="My text."))
    assert response.status_code == 200
    page = response.content.decode()
    assert "editor2" in error_text(page)
    assert "My text." in page
    claim.refresh_from_db()
    assert claim.text == "Their text."


def test_claim_form_is_stale_after_a_citation_was_added(client, editor, reviewer):
    claim = ClaimFactory(text="Old text.")
    client.force_login(editor)
    url, form = open_change_form(client, claim)
    workflow.add_citation(claim, by=reviewer, source=SourceFactory())
    response = client.post(url, form_data(form, text="My text."))
    assert response.status_code == 200
    assert "reviewer" in error_text(response.content.decode())
    claim.refresh_from_db()
    assert claim.text == "Old text."


def test_revert_claim_restores_only_that_claim(client, editor, other_editor, reviewer):
    answer = AnswerFactory()
    first = cited_claim(answer=answer, text="First, original.")
    second = cited_claim(answer=answer, text="Second, original.")
    workflow.edit_claim(first, by=editor, text="First, edited once.")
    old_version = Version.objects.get_for_object(first).first()
    # edit_claim stores that claim alone.
    assert not old_version.revision.version_set.filter(object_id=str(second.pk)).exists()
    workflow.edit_claim(second, by=editor, text="Second, edited later.")
    workflow.edit_claim(first, by=editor, text="First, edited twice.")
    workflow.verify_claim(second, by=reviewer, verdict="supported")

    client.force_login(other_editor)
    url = claim_url(first, "revision", old_version.pk)
    preview = client.get(url)
    assert preview.status_code == 200
    assert "<del>twice</del>" in preview.content.decode()
    assert client.post(url).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "First, edited once."
    assert first.status == Claim.Status.UNVERIFIED
    assert first.author == other_editor
    assert second.text == "Second, edited later."
    assert second.status == Claim.Status.SUPPORTED


def test_revert_of_answer_keeps_other_answers_and_unverifies_its_claims(client, editor, reviewer):
    answer = AnswerFactory()
    claim = cited_claim(answer=answer, text="Version one.")
    bystander = cited_claim(text="Another answer's claim.")
    workflow.edit_claim(claim, by=editor, text="Version two.")
    workflow.submit_answer(answer, by=editor)
    version = Version.objects.get_for_object(answer).first()
    workflow.edit_claim(claim, by=editor, text="Version three.")
    workflow.add_claim(answer, by=editor, text="Added after.", block=0)
    workflow.verify_claim(bystander, by=reviewer, verdict="supported")

    client.force_login(reviewer)
    url = reverse("admin:courtinfo_answer_revision", args=[answer.pk, version.pk])
    assert client.post(url).status_code == 302
    assert list(answer.claims.values_list("text", flat=True)) == ["Version two."]
    assert answer.claims.get().status == Claim.Status.UNVERIFIED
    bystander.refresh_from_db()
    assert bystander.status == Claim.Status.SUPPORTED


def test_deleted_claim_can_be_recovered_unverified(client, editor, reviewer):
    claim = cited_claim(text="Deleted by mistake.")
    workflow.verify_claim(claim, by=reviewer, verdict="supported")
    pk = claim.pk
    client.force_login(editor)
    client.post(claim_url(claim, "delete"), {"post": "yes"})
    assert not Claim.objects.filter(pk=pk).exists()

    deleted = Version.objects.get_deleted(Claim).get(object_id=str(pk))
    recover_url = reverse("admin:claims_claim_recover", args=[deleted.pk])
    assert client.get(reverse("admin:claims_claim_recoverlist")).status_code == 200
    assert client.get(recover_url).status_code == 200
    assert client.post(recover_url).status_code == 302
    recovered = Claim.objects.get(pk=pk)
    assert recovered.text == "Deleted by mistake."
    assert recovered.status == Claim.Status.UNVERIFIED


def test_deleted_citation_can_be_recovered(client, editor):
    citation = CitationFactory()
    workflow.add_citation(citation.claim, by=editor, source=SourceFactory())
    pk = citation.pk
    client.force_login(editor)
    client.post(reverse("admin:claims_citation_delete", args=[pk]), {"post": "yes"})
    assert not Citation.objects.filter(pk=pk).exists()
    deleted = Version.objects.get_deleted(Citation).get(object_id=str(pk))
    client.post(reverse("admin:claims_citation_recover", args=[deleted.pk]))
    assert Citation.objects.filter(pk=pk).exists()


def test_deleting_a_cited_published_source_is_refused(client, editor, reviewer, publisher):
    claim = cited_claim()
    workflow.submit_answer(claim.answer, by=editor)
    workflow.verify_claim(claim, by=reviewer, verdict="supported")
    workflow.approve_answer(claim.answer, by=reviewer)
    workflow.publish_answer(claim.answer, by=publisher)
    source = claim.citations.get().source
    source_admin = reverse("admin:claims_source_delete", args=[source.pk])
    source_user = reviewer
    source_user.is_superuser = True
    source_user.save()
    client.force_login(source_user)
    response = client.post(source_admin, {"post": "yes"})
    assert Source.objects.filter(pk=source.pk).exists()
    assert "published" in messages_of(response)[0]


# Query counts.


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_claim_list_queries_do_not_grow_with_rows(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:claims_claim_changelist")
    for _ in range(10):
        cited_claim()
    small = _queries(client, url)
    answer = AnswerFactory()
    Claim.objects.bulk_create(
        [Claim(answer=answer, text=f"Claim {n}.", position=n) for n in range(990)]
    )
    large = _queries(client, url)
    assert large == small


def test_the_claim_list_reads_no_person_one_row_at_a_time(client, superuser, editor, reviewer):
    # Claims written and verified by people: the list reads neither person row by row.
    client.force_login(superuser)
    url = reverse("admin:claims_claim_changelist")
    now = timezone.now()

    def made_by_people():
        cited_claim(
            author=editor, verified_by=reviewer, verified_at=now, status=Claim.Status.SUPPORTED
        )

    for _ in range(2):
        made_by_people()
    small = _queries(client, url)
    for _ in range(10):
        made_by_people()

    assert _queries(client, url) == small


def test_source_list_queries_do_not_grow_with_rows(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:claims_source_changelist")
    SourceFactory.create_batch(10)
    small = _queries(client, url)
    Source.objects.bulk_create([Source(title=f"S{n}") for n in range(990)])
    assert _queries(client, url) == small


def test_source_page_queries_do_not_grow_with_citing_claims(client, superuser):
    client.force_login(superuser)
    source = SourceFactory()
    for _ in range(3):
        CitationFactory(source=source)
    url = reverse("admin:claims_source_change", args=[source.pk])
    # The first request fills the process's caches (content types): not a cost per claim.
    _queries(client, url)
    small = _queries(client, url)
    for _ in range(27):
        CitationFactory(source=source)
    assert _queries(client, url) == small


def test_answer_in_review_shows_in_answer_status_filter(client, reviewer):
    answer = AnswerFactory(status=Answer.Status.IN_REVIEW)
    claim = ClaimFactory(answer=answer)
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_changelist") + "?answer__status__exact=in_review"
    assert claim.text in client.get(url).content.decode()


def test_claim_history_lists_only_versions_where_it_changed(client, editor, reviewer):
    answer = AnswerFactory()
    claim = cited_claim(answer=answer, text="Mine.")
    other = cited_claim(answer=answer, text="Other.")
    workflow.edit_claim(claim, by=editor, text="Mine, edited.")
    workflow.edit_claim(other, by=editor, text="Other, edited.")
    # Calls on the whole answer store this claim again, unchanged.
    workflow.submit_answer(answer, by=editor)
    workflow.request_changes(answer, by=reviewer, note="Say more.")
    client.force_login(reviewer)
    response = client.get(claim_url(claim, "history"))
    assert len(response.context["versions"]) == 1
    assert len(Version.objects.get_for_object(claim)) == 3


def test_review_trail_shows_statuses_as_people_read_them(client, editor, reviewer):
    claim = cited_claim()
    workflow.submit_answer(claim.answer, by=editor)
    workflow.verify_claim(claim, by=reviewer, verdict="not_a_claim")
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_review_changelist")).content.decode()
    assert "Unverified → Not a claim" in page
    assert "Draft → In review" in page
    assert "not_a_claim" not in page and "in_review →" not in page


def test_compare_page_shows_claim_statuses_as_people_read_them(client, editor, reviewer):
    claim = cited_claim()
    workflow.submit_answer(claim.answer, by=editor)
    before = Version.objects.get_for_object(claim.answer).first()
    workflow.verify_claim(claim, by=reviewer, verdict="not_a_claim")
    client.force_login(reviewer)
    url = reverse("admin:courtinfo_answer_compare", args=[claim.answer_id])
    page = client.get(url, {"from": before.pk, "to": "current"}).content.decode()
    assert "Unverified → Not a claim" in page
    assert "unverified → not_a_claim" not in page
