"""Marking a claim supported needs a quote, and a quote must stand in its source's archived copy."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from claims.evidence import archive_source
from claims.models import Claim
from claims.workflow import TransitionError, add_citation, available_verdicts, verify_claim
from tests.factories import CitationFactory, ClaimFactory, SourceFactory

SUPPORTED = Claim.Status.SUPPORTED
ARCHIVED = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
STATUTE = (
    "Section 67.307. No municipality shall enact a policy that limits or prohibits\n"
    "any officer from communicating with federal agencies regarding the “immigration\n"
    "status” of any person."
)


def _cited(quote, **source):
    citation = CitationFactory(quote=quote, pinpoint="§ 2", source=SourceFactory(**source))
    return citation.claim, citation.source


def _archive(source, editor, text=STATUTE):
    with time_machine.travel(ARCHIVED, tick=False):
        return archive_source(source, by=editor, data=text.encode(), content_type="text/plain")


def test_supported_is_refused_without_a_quote(reviewer):
    claim, _source = _cited("")
    with pytest.raises(TransitionError, match=rf"No citation of claim #{claim.pk} quotes"):
        verify_claim(claim, by=reviewer, verdict=SUPPORTED)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_one_quoted_citation_is_enough(reviewer):
    claim, _source = _cited("")
    CitationFactory(claim=claim, quote="Any words.")
    assert verify_claim(claim, by=reviewer, verdict=SUPPORTED).status == SUPPORTED


def test_supported_is_refused_when_the_copy_lacks_the_quote(reviewer, editor):
    claim, source = _cited("No municipality may enact a policy", title="Sunshine Law")
    _archive(source, editor)
    local = timezone.localtime(ARCHIVED).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(TransitionError) as refusal:
        verify_claim(claim, by=reviewer, verdict=SUPPORTED)
    assert str(refusal.value) == (
        "The quote of citation § 2 “No municipality may enact a policy” is not in the copy of "
        f"“Sunshine Law” archived on {local}; correct the quote to the source's words, or "
        "archive a newer copy."
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_supported_is_accepted_when_the_quote_differs_only_in_quotes_and_line_breaks(
    reviewer, editor
):
    claim, source = _cited('federal agencies regarding the "immigration status" of any person')
    _archive(source, editor)
    assert verify_claim(claim, by=reviewer, verdict=SUPPORTED).status == SUPPORTED


def test_source_without_a_copy_is_accepted_with_a_quote(reviewer):
    claim, source = _cited("Words nobody can check yet.")
    assert not source.copies.exists()
    assert verify_claim(claim, by=reviewer, verdict=SUPPORTED).status == SUPPORTED


def test_the_newest_copy_is_the_one_checked(reviewer, editor):
    claim, source = _cited("No municipality shall enact a policy")
    _archive(source, editor, text="An older version without those words.")
    with time_machine.travel(ARCHIVED + datetime.timedelta(days=1), tick=False):
        archive_source(source, by=editor, data=STATUTE.encode(), content_type="text/plain")
    assert verify_claim(claim, by=reviewer, verdict=SUPPORTED).status == SUPPORTED


def test_every_quoted_citation_must_stand_in_its_copy(reviewer, editor):
    claim, source = _cited("No municipality shall enact a policy")
    _archive(source, editor)
    other = CitationFactory(claim=claim, quote="Words not there.", source=source).source
    assert other == source
    with pytest.raises(TransitionError, match="“Words not there.” is not in the copy"):
        verify_claim(claim, by=reviewer, verdict=SUPPORTED)


def test_the_page_offers_supported_with_the_refusal(reviewer, editor):
    claim, source = _cited("Not in the statute at all")
    _archive(source, editor)
    moves = {m.action: m for m in available_verdicts(claim, reviewer)}
    assert "is not in the copy" in moves[SUPPORTED].refusal


def test_disputed_needs_no_quote(reviewer):
    claim = ClaimFactory()
    verified = verify_claim(claim, by=reviewer, verdict=Claim.Status.DISPUTED, note="Wrong.")
    assert verified.status == Claim.Status.DISPUTED


def test_answer_page_checks_quotes_without_a_query_per_claim(client, reviewer, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(reviewer)

    def page_queries(count):
        claim, source = _cited("No municipality shall enact a policy")
        _archive(source, editor)
        for _ in range(count - 1):
            other, other_source = _cited("No municipality shall enact a policy")
            other.answer = claim.answer
            other.save()
            _archive(other_source, editor)
        url = reverse("admin:courtinfo_answer_change", args=[claim.answer.pk])
        with CaptureQueriesContext(connection) as queries:
            assert "is not in the copy" not in client.get(url).content.decode()
        return len(queries)

    assert page_queries(2) == page_queries(8)


# --- anchors written with each citation


def _cite_archived(editor, quote):
    """A citation with `quote`, written after its source was archived; and the copy."""
    source = SourceFactory()
    copy = _archive(source, editor)
    return add_citation(ClaimFactory(), by=editor, source=source, quote=quote), copy


def test_citation_of_an_archived_source_stores_where_its_quote_stands(editor):
    citation, copy = _cite_archived(editor, "no municipality SHALL enact")
    assert citation.anchor == {
        "copy": copy.pk,
        "retrieved_at": ARCHIVED.isoformat(),
        "found": True,
        "exact": "No municipality shall enact",
        "prefix": "Section 67.307. ",
        "suffix": " a policy that limits or prohibi",
        "start": 16,
        "end": 43,
    }


def test_citation_whose_quote_is_not_in_the_copy_stores_the_closest_passage(editor):
    citation, copy = _cite_archived(editor, "No municipality may enact a policy")
    assert citation.anchor == {
        "copy": copy.pk,
        "retrieved_at": ARCHIVED.isoformat(),
        "found": False,
        "closest": "No municipality shall enact a policy",
    }


def test_citation_of_a_source_without_a_copy_stores_no_anchor(editor):
    citation = add_citation(ClaimFactory(), by=editor, source=SourceFactory(), quote="Words.")
    assert citation.anchor is None
