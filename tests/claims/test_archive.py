"""Archiving a copy of a source: fetched from a local server or uploaded, and every refusal."""

import hashlib
import time

import pytest

from claims.evidence import ArchiveError, archive_source
from claims.models import SourceCopy, SourceCopyImmutable
from tests.factories import SourceFactory
from tests.source_server import PAGE, pdf_with_text


def _archive(url, by):
    return archive_source(SourceFactory(url=url), by=by)


# --- fetched copies


def test_fetched_html_keeps_readable_text_only(db, source_server, archive_locally, editor):
    copy = _archive(f"{source_server}/page.html", editor)
    assert copy.content_type == "text/html"
    assert copy.url == f"{source_server}/page.html"
    assert copy.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert copy.retrieved_by == editor
    assert "Records may be closed\nto the extent they relate to\nlegal actions." in copy.text
    assert "Section 610.021" in copy.text
    for dropped in ("tracking", "color", "Site header", "Home | About", "Copyright"):
        assert dropped not in copy.text


def test_fetched_pdf_keeps_its_text(db, source_server, archive_locally, editor):
    copy = _archive(f"{source_server}/doc.pdf", editor)
    assert copy.content_type == "application/pdf"
    assert "The court shall seal the record." in copy.text


def test_fetched_plain_text_is_decoded_with_its_charset(db, source_server, archive_locally, editor):
    assert _archive(f"{source_server}/plain.txt", editor).text == "A “plain” text."


def test_redirect_to_http_is_followed_and_final_url_kept(
    db, source_server, archive_locally, editor
):
    copy = _archive(f"{source_server}/redirect?{source_server}/plain.txt", editor)
    assert copy.url == f"{source_server}/plain.txt"


def test_newest_copy_is_the_sources_latest(db, source_server, archive_locally, editor):
    source = SourceFactory(url=f"{source_server}/plain.txt")
    archive_source(source, by=editor)
    newest = archive_source(source, by=editor, data=b"Second copy.", content_type="text/plain")
    assert source.copies.latest() == newest


# --- refusals


def test_file_scheme_is_refused(db, archive_locally, editor):
    with pytest.raises(ArchiveError, match="not an http or https address"):
        _archive("file:///etc/passwd", editor)


def test_private_host_is_refused_when_setting_off(db, source_server, settings, editor):
    settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ArchiveError, match=r"loopback.*\(127\.0\.0\.1\).*upload a copy"):
        _archive(f"{source_server}/page.html", editor)


@pytest.mark.parametrize(
    "host",
    ["10.0.0.7", "192.168.1.1", "169.254.169.254", "[::1]", "0.0.0.0"],  # noqa: S104
)
def test_private_link_local_and_reserved_addresses_are_refused(db, settings, editor, host):
    settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ArchiveError, match="never fetched"):
        _archive(f"http://{host}/", editor)


def test_allow_private_hosts_reads_the_environment(monkeypatch):
    import importlib

    import courtinfo.settings

    monkeypatch.setenv("COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS", "1")
    try:
        assert importlib.reload(courtinfo.settings).COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS is True
    finally:
        monkeypatch.delenv("COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS")
        importlib.reload(courtinfo.settings)


def test_oversized_body_is_refused(db, source_server, archive_locally, editor):
    with pytest.raises(ArchiveError, match="more than 4,000 bytes"):
        _archive(f"{source_server}/big.txt", editor)


def test_slow_server_is_refused_after_the_timeout(db, source_server, archive_locally, editor):
    started = time.monotonic()
    with pytest.raises(ArchiveError, match="did not answer within 0.5 seconds"):
        _archive(f"{source_server}/slow", editor)
    assert time.monotonic() - started < 1.5


def test_redirect_to_ftp_is_refused(db, source_server, archive_locally, editor):
    with pytest.raises(ArchiveError, match="ftp://example.org/x is not an http or https"):
        _archive(f"{source_server}/redirect?ftp://example.org/x", editor)


def test_redirect_to_private_host_is_refused_when_setting_off(settings):
    settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS = False
    from claims import evidence

    with pytest.raises(ArchiveError, match="never fetched"):
        evidence._CheckedRedirects().redirect_request(
            None, None, 302, "Found", {}, "http://127.0.0.1/admin/"
        )


def test_non_text_content_type_is_refused(db, source_server, archive_locally, editor):
    with pytest.raises(ArchiveError, match="“image/png”; only HTML, PDF and plain text"):
        _archive(f"{source_server}/image.png", editor)


def test_http_error_is_refused_with_its_status(db, source_server, archive_locally, editor):
    with pytest.raises(ArchiveError, match="answered 404"):
        _archive(f"{source_server}/missing", editor)


def test_source_without_url_asks_for_an_upload(db, editor):
    with pytest.raises(ArchiveError, match="has no URL; upload a copy"):
        archive_source(SourceFactory(url=""), by=editor)


def test_refused_archive_writes_no_copy(db, archive_locally, editor):
    with pytest.raises(ArchiveError):
        _archive("file:///etc/passwd", editor)
    assert not SourceCopy.objects.exists()


# --- uploads


def test_uploaded_pdf_is_stored_without_url(db, editor):
    data = pdf_with_text("Uploaded words.")
    copy = archive_source(SourceFactory(), by=editor, data=data)
    assert (copy.url, copy.content_type) == ("", "application/pdf")
    assert "Uploaded words." in copy.text
    assert copy.sha256 == hashlib.sha256(data).hexdigest()


def test_uploaded_html_is_recognised_without_a_content_type(db, editor):
    copy = archive_source(SourceFactory(), by=editor, data=PAGE)
    assert copy.content_type == "text/html"
    assert "tracking" not in copy.text


def test_uploaded_plain_text_is_decoded(db, editor):
    copy = archive_source(SourceFactory(), by=editor, data="\ufeffLe délai.".encode())
    assert copy.text == "Le délai."


def test_oversized_upload_is_refused(db, archive_locally, editor):
    with pytest.raises(ArchiveError, match="more than the 4,000"):
        archive_source(SourceFactory(), by=editor, data=b"x" * 4001)


def test_upload_of_another_type_is_refused(db, editor):
    with pytest.raises(ArchiveError, match="only HTML, PDF and plain text"):
        archive_source(
            SourceFactory(), by=editor, data=b"PK\x03\x04", content_type="application/zip"
        )


def test_damaged_pdf_is_refused(db, editor):
    with pytest.raises(ArchiveError, match="PDF could not be read"):
        archive_source(SourceFactory(), by=editor, data=b"%PDF-1.4 garbage")


def test_copy_without_text_is_refused(db, editor):
    with pytest.raises(ArchiveError, match="No readable text"):
        archive_source(SourceFactory(), by=editor, data=b"   ", content_type="text/plain")


# --- immutability


def test_copy_cannot_be_saved_again(db, editor):
    copy = archive_source(SourceFactory(), by=editor, data=b"Words.")
    copy.text = "Other words."
    with pytest.raises(SourceCopyImmutable):
        copy.save()


def test_copy_cannot_be_deleted(db, editor):
    copy = archive_source(SourceFactory(), by=editor, data=b"Words.")
    with pytest.raises(SourceCopyImmutable):
        copy.delete()


def test_copies_cannot_be_updated_or_deleted_in_bulk(db, editor):
    archive_source(SourceFactory(), by=editor, data=b"Words.")
    with pytest.raises(SourceCopyImmutable):
        SourceCopy.objects.update(text="Other words.")
    with pytest.raises(SourceCopyImmutable):
        SourceCopy.objects.all().delete()


def test_newest_selects_one_copy_per_source(db, editor):
    first, second = SourceFactory(), SourceFactory()
    archive_source(first, by=editor, data=b"Old.")
    newest = archive_source(first, by=editor, data=b"New.")
    only = archive_source(second, by=editor, data=b"Only.")
    assert set(SourceCopy.objects.newest()) == {newest, only}
