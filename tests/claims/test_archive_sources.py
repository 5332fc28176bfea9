"""The archive_sources command: one line per source, and a failing exit when any fails."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims.evidence import archive_source
from claims.models import SourceCopy
from tests.factories import SourceFactory


def _run(*args):
    out = io.StringIO()
    call_command("archive_sources", *args, stdout=out)
    return out.getvalue()


def test_every_source_with_a_url_is_archived_with_a_line_each(db, source_server, archive_locally):
    page = SourceFactory(title="Page", url=f"{source_server}/page.html")
    text = SourceFactory(title="Text", url=f"{source_server}/plain.txt")
    SourceFactory(title="No URL", url="")
    out = _run()
    assert out.splitlines() == [
        f"source {page.pk} “Page”: archived {len(page.copies.get().text):,} characters "
        f"(text/html) from {source_server}/page.html",
        f"source {text.pk} “Text”: archived 15 characters (text/plain) "
        f"from {source_server}/plain.txt",
    ]
    assert page.copies.get().retrieved_by is None


def test_given_sources_only(db, source_server, archive_locally):
    chosen = SourceFactory(url=f"{source_server}/plain.txt")
    SourceFactory(url=f"{source_server}/page.html")
    _run("--source", str(chosen.pk))
    assert list(SourceCopy.objects.values_list("source", flat=True)) == [chosen.pk]


def test_missing_skips_sources_that_have_a_copy(db, source_server, archive_locally, editor):
    archived = SourceFactory(url=f"{source_server}/plain.txt")
    archive_source(archived, by=editor)
    missing = SourceFactory(url=f"{source_server}/plain.txt")
    out = _run("--missing")
    assert f"source {missing.pk} " in out
    assert f"source {archived.pk} " not in out
    assert archived.copies.count() == 1


def test_by_records_the_person(db, source_server, archive_locally, editor):
    source = SourceFactory(url=f"{source_server}/plain.txt")
    _run("--by", "editor")
    assert source.copies.get().retrieved_by == editor


def test_a_failure_is_reported_per_source_and_fails_the_command(db, source_server, archive_locally):
    good = SourceFactory(title="Good", url=f"{source_server}/plain.txt")
    bad = SourceFactory(title="Bad", url=f"{source_server}/image.png")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 sources could not be archived"):
        call_command("archive_sources", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"source {good.pk} “Good”: archived")
    assert lines[1].startswith(f"source {bad.pk} “Bad”: failed: The copy is of type “image/png”")
    assert good.copies.count() == 1


def test_given_source_without_url_fails_asking_for_an_upload(db):
    source = SourceFactory(url="")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("archive_sources", "--source", str(source.pk), stdout=out)
    assert "has no URL; upload a copy" in out.getvalue()


def test_unknown_source_id_is_refused(db):
    with pytest.raises(CommandError, match="No source with id 999"):
        _run("--source", "999")


def test_unknown_person_is_refused(db):
    with pytest.raises(CommandError, match="--by 'nobody': no such user"):
        _run("--by", "nobody")
