"""Archiving sources from the admin: the list's "Archive now" action and the source page's form."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.evidence import archive_source
from claims.models import SourceCopy
from tests.factories import SourceFactory
from tests.html_forms import find_form, form_data, open_form, submit
from tests.source_server import pdf_with_text


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _source_url(source, view="change"):
    return reverse(f"admin:claims_source_{view}", args=[source.pk])


def test_archive_now_action_reports_each_source(client, editor, source_server, archive_locally):
    good = SourceFactory(title="Good page", citation="", url=f"{source_server}/plain.txt")
    bad = SourceFactory(title="Bad page", citation="", url=f"{source_server}/image.png")
    client.force_login(editor)
    response = submit(
        client,
        reverse("admin:claims_source_changelist"),
        form_id="changelist-form",
        action="archive_now",
        _selected_action=[good.pk, bad.pk],
    )
    assert response.status_code == 302
    assert ("success", "Good page: archived 15 characters of text (text/plain).") in _messages(
        response
    )
    assert any(
        level == "error" and text.startswith("Bad page: The copy is of type “image/png”")
        for level, text in _messages(response)
    )
    assert good.copies.get().retrieved_by == editor
    assert not bad.copies.exists()


def test_archive_now_is_offered_only_to_people_who_change_sources(client, publisher):
    SourceFactory()
    client.force_login(publisher)
    page = client.get(reverse("admin:claims_source_changelist")).content.decode()
    assert 'value="archive_now"' not in page


def test_source_page_uploads_a_file_as_a_copy(client, editor):
    source = SourceFactory(url="")
    client.force_login(editor)
    form = open_form(client, _source_url(source), form_id="archive-form")
    data = form_data(form)
    data["copy"] = SimpleUploadedFile(
        "ruling.pdf", pdf_with_text("Uploaded ruling."), content_type="application/pdf"
    )
    response = client.post(form.get("action"), data)
    assert response.status_code == 302
    copy = source.copies.get()
    assert (copy.url, copy.content_type, copy.retrieved_by) == ("", "application/pdf", editor)
    assert "Uploaded ruling." in copy.text
    page = client.get(_source_url(source)).content.decode()
    assert "Newest copy archived" in page


def test_source_page_without_a_file_fetches_the_url(client, editor, source_server, archive_locally):
    source = SourceFactory(url=f"{source_server}/page.html")
    client.force_login(editor)
    response = submit(client, _source_url(source), form_id="archive-form")
    assert response.status_code == 302
    assert source.copies.get().url == f"{source_server}/page.html"


def test_refused_upload_is_reported_and_writes_nothing(client, editor):
    source = SourceFactory(title="Zip source")
    client.force_login(editor)
    form = open_form(client, _source_url(source), form_id="archive-form")
    data = form_data(form)
    data["copy"] = SimpleUploadedFile("a.zip", b"PK\x03\x04", content_type="application/zip")
    response = client.post(form.get("action"), data)
    assert any(
        level == "error" and "only HTML, PDF and plain text" in text
        for level, text in _messages(response)
    )
    assert not SourceCopy.objects.exists()


def test_oversized_upload_is_refused(client, editor, settings):
    settings.COURTINFO_ARCHIVE_MAX_BYTES = 10
    source = SourceFactory()
    client.force_login(editor)
    form = open_form(client, _source_url(source), form_id="archive-form")
    data = form_data(form)
    data["copy"] = SimpleUploadedFile("big.txt", b"x" * 11, content_type="text/plain")
    response = client.post(form.get("action"), data)
    assert any("more than the 10 a copy may have" in text for _l, text in _messages(response))
    assert not SourceCopy.objects.exists()


def test_source_page_without_change_permission_has_no_archive_form(client, publisher):
    source = SourceFactory()
    client.force_login(publisher)
    page = client.get(_source_url(source)).content.decode()
    with pytest.raises(AssertionError):
        find_form(page, form_id="archive-form")


def test_archive_view_refuses_people_who_cannot_change_sources(client, publisher):
    source = SourceFactory()
    client.force_login(publisher)
    response = client.post(_source_url(source, "archive"))
    assert response.status_code == 403
    assert not SourceCopy.objects.exists()


def test_source_page_names_the_newest_copy(client, editor):
    source = SourceFactory()
    archive_source(source, by=editor, data=b"Some words.")
    client.force_login(editor)
    page = client.get(_source_url(source)).content.decode()
    assert "11 characters of text; quotes are checked against it." in page


def test_claim_page_shows_where_each_quote_stands_in_the_copy(client, editor):
    from claims import workflow
    from tests.factories import ClaimFactory

    source = SourceFactory()
    archive_source(source, by=editor, data=b"Before. The court shall seal the record. After.")
    claim = ClaimFactory()
    workflow.add_citation(claim, by=editor, source=source, quote="the court shall seal")
    workflow.add_citation(claim, by=editor, source=source, quote="the court may seal")
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "<mark>The court shall seal</mark>" in page
    assert "Not found in the copy of" in page
    assert "closest passage: “The court shall seal”" in page


def test_claim_page_says_when_a_quote_had_no_copy_to_stand_in(client, editor):
    from tests.factories import CitationFactory

    claim = CitationFactory().claim
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert page.count("No copy of the source was archived when this was cited.") == 1
