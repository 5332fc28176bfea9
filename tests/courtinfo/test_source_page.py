"""The public page of a source: its details and, for each published quote, the passage in <mark>."""

from django.urls import reverse

from claims import workflow
from claims.evidence import archive_source
from claims.models import Claim
from tests.factories import ClaimFactory, SourceFactory

COPY = b"Section 1. Before the quote. The court <shall> seal the record. After the quote."


def _publish(people, source, quote):
    editor, reviewer, publisher = people
    claim = ClaimFactory(text="Courts seal records.", author=editor)
    workflow.add_citation(claim, by=editor, source=source, pinpoint="§ 1", quote=quote)
    workflow.submit_answer(claim.answer, by=editor)
    workflow.verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED)
    workflow.approve_answer(claim.answer, by=reviewer)
    return workflow.publish_answer(claim.answer, by=publisher)


def _page(client, source):
    return client.get(reverse("public:source", args=[source.pk]))


def test_source_page_shows_each_published_quote_marked_in_its_passage(
    client, editor, reviewer, publisher
):
    source = SourceFactory(title="Records Act")
    archive_source(source, by=editor, data=COPY, content_type="text/plain")
    _publish((editor, reviewer, publisher), source, "the court <shall> seal")
    response = _page(client, source)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Records Act" in html
    assert "Before the quote. <mark>The court &lt;shall&gt; seal</mark> the record." in html
    assert "Courts seal records." in html


def test_quote_of_a_source_without_a_copy_is_listed_without_a_passage(
    client, editor, reviewer, publisher
):
    source = SourceFactory()
    _publish((editor, reviewer, publisher), source, "Any words.")
    html = _page(client, source).content.decode()
    assert "Courts seal records." in html
    assert "<mark>" not in html


def test_source_no_live_publication_cites_is_not_found(client, editor):
    source = SourceFactory()
    archive_source(source, by=editor, data=COPY, content_type="text/plain")
    assert _page(client, source).status_code == 404


def test_question_page_note_links_a_quote_found_in_the_archive_to_its_passage(
    client, editor, reviewer, publisher
):
    checked = SourceFactory(title="Records Act")
    archive_source(checked, by=editor, data=COPY, content_type="text/plain")
    publication = _publish((editor, reviewer, publisher), checked, "the court <shall> seal")
    html = client.get(publication.get_absolute_url()).content.decode()
    assert f'href="{reverse("public:source", args=[checked.pk])}" class="note-archived"' in html
    assert "Found in the copy archived" in html


def test_question_page_note_of_a_quote_never_checked_against_a_copy_claims_no_archive(
    client, editor, reviewer, publisher
):
    unarchived = SourceFactory(title="Unarchived Act")
    publication = _publish((editor, reviewer, publisher), unarchived, "Any words.")
    html = client.get(publication.get_absolute_url()).content.decode()
    assert "Found in the copy archived" not in html
