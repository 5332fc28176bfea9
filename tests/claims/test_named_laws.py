"""A claim's page offers the sources for the laws its text names, and makes them in one click."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import workflow
from claims.evidence import archive_source
from claims.models import Citation, Claim, Source
from claims.named_laws import NotNamed, create_source, named_laws
from tests.factories import CitationFactory, ClaimFactory, SourceFactory
from tests.html_forms import find_form, form_data

pytestmark = pytest.mark.django_db

TEXT = "Mo. Rev. Stat. § 544.470 and 8 U.S.C. §§ 1373, 1644 govern the sharing."


def _page(client, claim) -> str:
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _button_form(html: str, label: str):
    """The named-laws form whose button reads `label`."""
    page = lxml.html.fromstring(html)
    for form in page.xpath("//div[@id='named-laws']//form"):
        if label in form.text_content():
            return form
    raise AssertionError(f"No form with a button {label!r} in the named laws.")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_each_named_law_is_listed_with_its_official_page(client, editor):
    claim = ClaimFactory(text=TEXT)
    client.force_login(editor)
    html = _page(client, claim)
    laws = [law.citation.normalized for law in named_laws(claim)]
    assert laws == ["Mo. Rev. Stat. § 544.470", "8 U.S.C. § 1373", "8 U.S.C. § 1644"]
    assert "https://revisor.mo.gov/main/OneSection.aspx?section=544.470" in html
    assert "granuleid:USC-prelim-title8-section1644" in html


def test_create_source_in_one_click_with_kind_citation_and_official_url(client, editor):
    claim = ClaimFactory(text=TEXT)
    client.force_login(editor)
    form = _button_form(_page(client, claim), "Create source “8 U.S.C. § 1644”")
    response = client.post(form.get("action"), form_data(form))
    assert response.status_code == 302
    source = Source.objects.get(citation="8 U.S.C. § 1644")
    assert (source.kind, source.title, source.updated_by) == ("statute", "8 U.S.C. § 1644", editor)
    assert source.url.startswith("https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim")
    assert "Archive it from its page" in " ".join(_messages(response))
    # The page now offers the new source instead of creating it again.
    html = _page(client, claim)
    assert "Create source “8 U.S.C. § 1644”" not in html
    _button_form(html, "Cite it")


def test_a_library_source_is_found_by_citation_and_cited_through_the_workflow(client, editor):
    claim = ClaimFactory(text="Under RSMo 544.470 the court must act.")
    source = SourceFactory(citation="Mo. Rev. Stat. § 544.470", title="Section 544.470")
    client.force_login(editor)
    html = _page(client, claim)
    assert "Section 544.470" in html and "not archived yet" in html
    form = _button_form(html, "Cite it")
    response = client.post(form.get("action"), form_data(form))
    assert response.status_code == 302
    citation = Citation.objects.get(claim=claim)
    assert citation.source == source
    assert claim.answer.reviews.filter(claim=claim, actor=editor, note__startswith="Cited").exists()
    assert "Cite it" not in _page(client, claim).split('id="named-laws"')[1].split("</div>")[0]


def test_an_archived_copy_is_shown_beside_the_source(client, editor):
    claim = ClaimFactory(text="Under RSMo 544.470 the court must act.")
    source = SourceFactory(citation="Mo. Rev. Stat. § 544.470")
    archive_source(source, by=editor, data=b"Section 544.470 text.", content_type="text/plain")
    client.force_login(editor)
    assert "archived " in _page(client, claim).split('id="named-laws"')[1]


def test_a_forged_citation_is_refused_and_nothing_is_created(client, editor):
    claim = ClaimFactory(text=TEXT)
    client.force_login(editor)
    form = _button_form(_page(client, claim), "Create source “8 U.S.C. § 1644”")
    response = client.post(form.get("action"), form_data(form, citation="42 U.S.C. § 1983"))
    assert response.status_code == 302
    assert not Source.objects.exists()
    assert any("is not a citation in claim" in text for text in _messages(response))


def test_a_source_the_page_did_not_offer_cannot_be_cited(client, editor):
    claim = ClaimFactory(text="Under RSMo 544.470 the court must act.")
    SourceFactory(citation="Mo. Rev. Stat. § 544.470")
    other = SourceFactory(citation="8 U.S.C. § 1373")
    client.force_login(editor)
    form = _button_form(_page(client, claim), "Cite it")
    response = client.post(form.get("action"), form_data(form, source=other.pk))
    assert response.status_code == 302
    assert not Citation.objects.exists()
    assert any("not one this claim" in text for text in _messages(response))


def test_people_who_cannot_add_sources_are_not_offered_it_and_are_refused(client, publisher):
    claim = ClaimFactory(text=TEXT)
    client.force_login(publisher)
    html = _page(client, claim)
    assert "Create source" not in html
    url = reverse("admin:claims_claim_named_source", args=[claim.pk])
    response = client.post(url, {"citation": "8 U.S.C. § 1644"})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_citing_unverifies_a_checked_claim_through_the_workflow(client, editor, reviewer):
    claim = ClaimFactory(text="Under RSMo 544.470 the court must act.")
    CitationFactory(claim=claim, quote="the court must act")
    SourceFactory(citation="Mo. Rev. Stat. § 544.470")
    workflow.verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED)
    client.force_login(editor)
    form = _button_form(_page(client, claim), "Cite it")
    client.post(form.get("action"), form_data(form))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_create_source_refuses_a_citation_the_text_does_not_name(editor):
    claim = ClaimFactory(text=TEXT)
    with pytest.raises(NotNamed):
        create_source(claim, "Kan. Stat. Ann. § 45-215", by=editor)
    assert not Source.objects.exists()


def test_create_source_returns_the_existing_source(editor):
    claim = ClaimFactory(text=TEXT)
    existing = SourceFactory(citation="Mo. Rev. Stat. § 544.470")
    assert create_source(claim, "Mo. Rev. Stat. § 544.470", by=editor) == existing
    assert Source.objects.count() == 1


def test_claim_page_query_count_does_not_grow_with_named_laws(
    client, editor, django_assert_max_num_queries
):
    claim = ClaimFactory(text=TEXT)
    for citation in ("Mo. Rev. Stat. § 544.470", "8 U.S.C. § 1373", "8 U.S.C. § 1644"):
        archive_source(
            SourceFactory(citation=citation), by=editor, data=b"text", content_type="text/plain"
        )
    client.force_login(editor)
    find_form(_page(client, claim), form_id="claim_form")
    with django_assert_max_num_queries(40) as counted:
        _page(client, claim)
    few = len(counted.captured_queries)
    more = ClaimFactory(text=TEXT + " Also K.S.A. 45-215 and RCW 59.18.057 and ORS 90.394.")
    for citation in ("Kan. Stat. Ann. § 45-215", "Wash. Rev. Code § 59.18.057"):
        archive_source(
            SourceFactory(citation=citation), by=editor, data=b"text", content_type="text/plain"
        )
    with django_assert_max_num_queries(few) as counted_more:
        _page(client, more)
    assert len(counted_more.captured_queries) == few
