"""History that stays small: what each workflow call stores, and revert, recover and compare on it.

A call on claims stores those claims with their citations; a call on the whole answer, or one
that reopened it, stores the answer with every claim and citation (claims.workflow).
"""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision, Version

from claims import workflow
from claims.admin_views import admin_url
from claims.models import Citation, Claim
from courtinfo.models import Answer
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, SourceFactory
from tests.html_forms import find_form, form_data, submit

pytestmark = pytest.mark.django_db

SUPPORTED = Claim.Status.SUPPORTED


def _answer(claims: int) -> Answer:
    """A draft answer whose claims each cite one source."""
    answer = AnswerFactory()
    for position in range(claims):
        claim = ClaimFactory(answer=answer, position=position, text=f"Claim number {position}.")
        CitationFactory(claim=claim, pinpoint=f"§ {position}")
    return answer


def _publish(answer: Answer, editor, reviewer, publisher) -> None:
    """Submit, check the claims not yet supported, approve and publish."""
    workflow.submit_answer(answer, by=editor)
    for claim in answer.claims.exclude(status=SUPPORTED):
        workflow.verify_claim(claim, by=reviewer, verdict=SUPPORTED)
    workflow.approve_answer(answer, by=reviewer)
    workflow.publish_answer(answer, by=publisher)
    answer.refresh_from_db()


def _stored(revision: Revision) -> list[tuple[str, str]]:
    return sorted((v.content_type.model, v.object_id) for v in revision.version_set.all())


def _latest() -> Revision:
    return Revision.objects.order_by("-pk").first()


def _claim_alone(claim: Claim) -> list[tuple[str, str]]:
    """What a revision of the claim alone stores: it and its citations."""
    citations = [("citation", str(pk)) for pk in claim.citations.values_list("pk", flat=True)]
    return sorted([("claim", str(claim.pk)), *citations])


def _whole(answer: Answer) -> list[tuple[str, str]]:
    """What a revision of the whole answer stores: it, every claim and every citation."""
    claims = Claim.objects.filter(answer=answer).values_list("pk", flat=True)
    citations = Citation.objects.filter(claim__answer=answer).values_list("pk", flat=True)
    return sorted(
        [
            ("answer", str(answer.pk)),
            *(("claim", str(pk)) for pk in claims),
            *(("citation", str(pk)) for pk in citations),
        ]
    )


def _content(answer: Answer) -> list[tuple]:
    """The answer's claims and citations, row by row."""
    return [
        (
            claim.pk,
            claim.text,
            claim.block,
            claim.position,
            sorted(claim.citations.values_list("pk", "source_id", "pinpoint", "quote")),
        )
        for claim in Claim.objects.filter(answer=answer).order_by("block", "position")
    ]


def _press_revert(client, obj, version: Version) -> None:
    """On the object's history, follow the version's "Revert to this…" and press the button."""
    history = lxml.html.fromstring(client.get(admin_url(obj, "history")).content)
    hrefs = history.xpath('//table[@id="change-history"]//a/@href')
    [link] = [href for href in hrefs if href.endswith(f"/history/{version.pk}/")]
    page = client.get(link)
    assert page.status_code == 200
    [form] = lxml.html.fromstring(page.content).xpath('//form[@class="revert-form"]')
    assert client.post(link, form_data(form)).status_code == 302


def _press_recover(client, model, version: Version) -> None:
    """On the model's list of deleted objects, open the version and press "Recover"."""
    opts = model._meta
    listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_recoverlist"))
    link = reverse(f"admin:{opts.app_label}_{opts.model_name}_recover", args=[version.pk])
    assert f'href="{link}"' in listing.content.decode()
    page = client.get(link)
    [form] = lxml.html.fromstring(page.content).xpath('//form[@class="revert-form"]')
    assert client.post(link, form_data(form)).status_code == 302


def _compare(client, obj, old: Version, new: Version) -> lxml.html.HtmlElement:
    """On the object's history, pick two versions and press "Compare"."""
    url = admin_url(obj, "history")
    form = find_form(client.get(url).content.decode(), form_action="/history/compare/")
    page = client.get(form.get("action"), form_data(form, **{"from": old.pk, "to": new.pk}))
    assert page.status_code == 200
    return lxml.html.fromstring(page.content)


def _public_page(client, answer: Answer) -> bytes:
    return client.get(answer.question.get_absolute_url()).content


# --- what a call stores


def _versions_added_by_a_verdict(claims: int, editor, reviewer) -> int:
    answer = _answer(claims)
    workflow.submit_answer(answer, by=editor)
    before = Version.objects.count()
    workflow.verify_claim(answer.claims.first(), by=reviewer, verdict=SUPPORTED)
    return Version.objects.count() - before


def test_a_verdict_adds_the_same_few_versions_however_many_claims_the_answer_has(editor, reviewer):
    # The claim and its one citation, in an answer of 2 claims as in one of 12.
    assert _versions_added_by_a_verdict(2, editor, reviewer) == 2
    assert _versions_added_by_a_verdict(12, editor, reviewer) == 2


CLAIM_CALLS = {
    "edit_claim": lambda claim, by: workflow.edit_claim(claim, by=by, text="Reworded."),
    "verify_claim": lambda claim, by: workflow.verify_claim(claim, by=by, verdict=SUPPORTED),
    "add_citation": lambda claim, by: workflow.add_citation(claim, by=by, source=SourceFactory()),
    "remove_citation": lambda claim, by: workflow.remove_citation(claim.citations.get(), by=by),
    "mark_claim_unverified": lambda claim, by: workflow.mark_claim_unverified(
        claim, by=by, reason="Reverted."
    ),
}


@pytest.mark.parametrize("call", sorted(CLAIM_CALLS))
def test_a_call_on_a_claim_stores_that_claim_and_its_citations_alone(call, editor, reviewer):
    answer = _answer(3)
    workflow.submit_answer(answer, by=editor)
    claim = answer.claims.order_by("position")[1]

    CLAIM_CALLS[call](claim, reviewer)

    assert _stored(_latest()) == _claim_alone(claim)
    assert _latest().user == reviewer


def test_a_call_on_a_claim_that_reopens_the_answer_stores_the_whole_answer(
    editor, reviewer, publisher
):
    answer = _answer(3)
    _publish(answer, editor, reviewer, publisher)

    workflow.edit_claim(answer.claims.first(), by=editor, text="Corrected.")

    answer.refresh_from_db()
    assert answer.status == Answer.Status.DRAFT
    assert _stored(_latest()) == _whole(answer)


def test_the_calls_on_the_whole_answer_store_the_whole_answer(editor, reviewer, publisher):
    answer = _answer(3)
    _publish(answer, editor, reviewer, publisher)

    for comment in ("Submitted", "Approved", "Published version 1"):
        assert _stored(Revision.objects.get(comment=comment)) == _whole(answer), comment


@pytest.mark.parametrize("call", ["add_claim", "delete_claim", "move_claim"])
def test_a_change_to_the_answers_claims_stores_the_whole_answer(call, editor):
    answer = _answer(3)
    first = answer.claims.order_by("position").first()
    if call == "add_claim":
        workflow.add_claim(answer, by=editor, text="One more.", block=0)
    elif call == "delete_claim":
        workflow.delete_claim(first, by=editor)
    else:
        workflow.move_claim(first, by=editor, block=0, position=2)

    assert _stored(_latest()) == _whole(answer)


def test_a_bulk_verdict_stores_each_claim_in_a_revision_of_its_own(client, editor, reviewer):
    answers = [_answer(3), _answer(2)]
    for answer in answers:
        workflow.submit_answer(answer, by=editor)
    claims = [answers[0].claims.first(), answers[1].claims.first()]
    before = _latest().pk
    client.force_login(reviewer)

    submit(
        client,
        reverse("admin:claims_claim_changelist"),
        form_id="changelist-form",
        action="mark_supported",
        _selected_action=[c.pk for c in claims],
    )

    revisions = list(Revision.objects.filter(pk__gt=before).order_by("pk"))
    assert [r.comment for r in revisions] == [f"Claim #{c.pk} marked supported" for c in claims]
    assert [_stored(r) for r in revisions] == [_claim_alone(c) for c in claims]


# --- reverting


def test_reverting_an_answer_to_a_published_version_restores_it_and_reopens_it(
    client, editor, reviewer, other_reviewer, publisher
):
    answer = _answer(2)
    _publish(answer, editor, reviewer, publisher)
    published = Version.objects.get_for_object(answer).get(revision__comment="Published version 1")
    as_published = _content(answer)
    first, second = answer.claims.order_by("position")
    # A correction, checked and published as version 2: a new wording, a citation replaced by
    # another, a claim added.
    workflow.edit_claim(first, by=editor, text="Claim number 0, corrected.")
    workflow.remove_citation(second.citations.get(), by=editor)
    workflow.add_citation(
        second, by=editor, source=SourceFactory(), pinpoint="§ 9", quote="The words."
    )
    third = workflow.add_claim(answer, by=editor, text="A third claim.", block=0)
    workflow.add_citation(third, by=editor, source=SourceFactory(), quote="The words.")
    _publish(answer, editor, reviewer, publisher)
    public = _public_page(client, answer)
    client.force_login(other_reviewer)

    _press_revert(client, answer, published)

    answer.refresh_from_db()
    assert _content(answer) == as_published
    assert answer.status == Answer.Status.DRAFT
    assert answer.live_publication.version == 2
    assert set(answer.claims.values_list("status", flat=True)) == {Claim.Status.UNVERIFIED}
    assert _public_page(client, answer) == public


def test_reverting_a_claim_to_a_version_of_its_own_restores_it_and_reopens_its_answer(
    client, editor, other_editor, reviewer, publisher
):
    answer = _answer(2)
    claim, other = answer.claims.order_by("position")
    workflow.edit_claim(claim, by=editor, text="The first wording.")
    first_wording = Version.objects.get_for_object(claim).first()
    assert _stored(first_wording.revision) == _claim_alone(claim)
    workflow.edit_claim(claim, by=editor, text="The second wording.")
    _publish(answer, editor, reviewer, publisher)
    public = _public_page(client, answer)
    client.force_login(other_editor)

    _press_revert(client, claim, first_wording)

    claim.refresh_from_db()
    other.refresh_from_db()
    answer.refresh_from_db()
    assert (claim.text, claim.status, claim.author) == (
        "The first wording.",
        Claim.Status.UNVERIFIED,
        other_editor,
    )
    assert (other.text, other.status) == ("Claim number 1.", SUPPORTED)
    assert answer.status == Answer.Status.DRAFT
    assert _public_page(client, answer) == public


# --- recovering


def test_a_deleted_claim_and_its_citation_are_recovered_from_its_last_verdict(
    client, editor, reviewer
):
    answer = _answer(2)
    workflow.submit_answer(answer, by=editor)
    claim = answer.claims.first()
    citation = claim.citations.get()
    workflow.verify_claim(claim, by=reviewer, verdict=SUPPORTED)
    workflow.delete_claim(claim, by=editor)
    deleted = Version.objects.get_deleted(Claim).get(object_id=str(claim.pk))
    assert deleted.revision.comment == f"Claim #{claim.pk} marked supported"
    client.force_login(editor)

    _press_recover(client, Claim, deleted)
    _press_recover(
        client, Citation, Version.objects.get_deleted(Citation).get(object_id=str(citation.pk))
    )

    recovered = Claim.objects.get(pk=claim.pk)
    assert (recovered.answer_id, recovered.text) == (answer.pk, "Claim number 0.")
    assert recovered.status == Claim.Status.UNVERIFIED
    assert list(recovered.citations.values_list("pk", "pinpoint")) == [(citation.pk, "§ 0")]


def test_a_removed_citation_is_recovered(client, editor):
    answer = _answer(1)
    claim = answer.claims.get()
    added = workflow.add_citation(claim, by=editor, source=SourceFactory(), pinpoint="§ 7")
    workflow.remove_citation(added, by=editor)
    client.force_login(editor)

    _press_recover(
        client, Citation, Version.objects.get_deleted(Citation).get(object_id=str(added.pk))
    )

    assert claim.citations.filter(pk=added.pk, pinpoint="§ 7").exists()


# --- comparing


def test_comparing_two_published_versions_shows_each_claims_changes(
    client, editor, reviewer, publisher
):
    answer = _answer(2)
    _publish(answer, editor, reviewer, publisher)
    first, second = answer.claims.order_by("position")
    workflow.edit_claim(first, by=editor, text="Claim number 0, corrected.")
    workflow.remove_citation(second.citations.get(), by=editor)
    workflow.add_citation(
        second, by=editor, source=SourceFactory(title="Records Act"), quote="The words."
    )
    _publish(answer, editor, reviewer, publisher)
    versions = Version.objects.get_for_object(answer)
    client.force_login(reviewer)

    page = _compare(
        client,
        answer,
        versions.get(revision__comment="Published version 1"),
        versions.get(revision__comment="Published version 2"),
    )

    [edited] = page.xpath(f'//tr[@id="claim-change-{first.pk}"]')
    inserted = edited.xpath('.//td[@class="diff"]//ins')
    assert [ins.text_content() for ins in inserted] == [", corrected"]
    [cited] = page.xpath(f'//tr[@id="claim-change-{second.pk}"]')
    assert cited.xpath('.//ins[@class="citation"]')[0].text_content().startswith("Records Act")
    assert cited.xpath('.//del[@class="citation"]')


def test_comparing_two_versions_of_a_claim_shows_its_text_change(client, editor, reviewer):
    answer = _answer(2)
    claim = answer.claims.first()
    workflow.edit_claim(claim, by=editor, text="Courts keep records.")
    workflow.edit_claim(claim, by=editor, text="Courts keep sealed records.")
    newer, older = Version.objects.get_for_object(claim)[:2]
    client.force_login(reviewer)

    page = _compare(client, claim, older, newer)

    [text] = page.xpath('//tr[@id="field-text"]/td')
    assert [ins.text_content() for ins in text.xpath(".//ins")] == ["sealed"]


def test_the_answer_history_lists_each_call_on_its_claims_with_what_changed(
    client, editor, reviewer
):
    answer = _answer(2)
    workflow.submit_answer(answer, by=editor)
    claim = answer.claims.first()
    workflow.verify_claim(claim, by=reviewer, verdict=SUPPORTED)
    client.force_login(reviewer)

    history = lxml.html.fromstring(client.get(admin_url(answer, "history")).content)

    [entry] = history.xpath('//tr[@class="claims-entry"]')
    assert f"Claim #{claim.pk} marked supported" in entry.text_content()
    [link] = entry.xpath('.//a[@class="claim-change"]/@href')
    page = lxml.html.fromstring(client.get(link).content)
    [status] = page.xpath('//tr[@id="field-status"]/td')
    assert [ins.text_content() for ins in status.xpath(".//ins")] == ["Supported"]
    # Comparing starts from the answer's newest version, not from the claim's line.
    [start] = history.xpath('//input[@name="from"][@checked]/@value')
    assert start == str(Version.objects.get_for_object(answer).first().pk)


def _history_queries(client, claims: int, editor) -> int:
    answer = _answer(claims)
    workflow.submit_answer(answer, by=editor)
    for claim in answer.claims.all():
        workflow.edit_claim(claim, by=editor, text="Reworded once.")
        workflow.edit_claim(claim, by=editor, text="Reworded twice.")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(admin_url(answer, "history")).status_code == 200
    return len(captured)


def test_the_answer_history_costs_the_same_queries_whatever_its_claims_and_versions(
    client, editor, reviewer
):
    client.force_login(reviewer)

    assert _history_queries(client, 1, editor) == _history_queries(client, 8, editor)
