"""export_content and import_content: an emptied, restored database serves every page as before."""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS

from claims.evidence import archive_source
from claims.models import Citation, Claim, Review, Source, SourceCopy
from claims.workflow import withdraw_answer
from courtinfo.models import Answer, Publication, Question

_REFERENCE_DATA = importlib.import_module("courtinfo.migrations.0002_jurisdictions_and_roles")
_TRANSLATORS = importlib.import_module("claims.migrations.0010_translators")
HEADERS = ("Content-Type", "ETag", "Last-Modified", "Cache-Control")


def _public_pages(client) -> dict[str, tuple]:
    paths = ["/", "/search/?q=court", "/sources/", "/feed/", "/sitemap.xml", "/api/answers/"]
    paths += [f"/sources/{pk}/" for pk in Source.objects.values_list("pk", flat=True)]
    for publication in Publication.objects.order_by("pk"):
        page = publication.get_absolute_url()
        paths += [page, f"{page}history/", f"/api/answers/{publication.answer_id}/"]
        paths += [f"/{page.split('/')[1]}/", f"/compare/{publication.compare_key}/"]
        if publication.topic_slug:
            paths.append(f"/topics/{publication.topic_slug}/")
    pages = {}
    for path in sorted(set(paths)):
        response = client.get(path)
        assert response.status_code in (200, 404, 410), path
        pages[path] = (
            response.status_code,
            response.content,
            {name: response.get(name) for name in HEADERS},
        )
    return pages


def _counts() -> dict[str, int]:
    models = [Question, Answer, Claim, Source, SourceCopy, Citation, Review, Publication]
    return {model._meta.label: model.objects.count() for model in models}


def _empty_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    _REFERENCE_DATA.create_reference_data(apps, DEFAULT_DB_ALIAS)
    _TRANSLATORS.create_groups(apps, DEFAULT_DB_ALIAS)


@pytest.fixture
def demo_site():
    """The demo's three published answers, one of them then withdrawn; an archived copy."""
    call_command("setup_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    archive_source(
        Source.objects.order_by("pk").first(),
        by=editor,
        data=b"Demonstration only: this claim has NOT been checked.",
        content_type="text/plain",
    )
    answer = Answer.objects.filter(status=Answer.Status.PUBLISHED).order_by("pk").first()
    publisher = get_user_model().objects.get(username="publisher")
    withdraw_answer(answer, by=publisher, reason="The court changed its rule.")


@pytest.mark.django_db(transaction=True)
def test_an_emptied_database_restored_from_an_export_serves_every_page_byte_for_byte(
    client, demo_site, tmp_path
):
    before, counts = _public_pages(client), _counts()
    assert counts["courtinfo.Publication"] == 3
    assert counts["claims.SourceCopy"] == 1
    assert sorted(status for status, _, _ in before.values()).count(410) >= 2
    path = tmp_path / "content.json"
    call_command("export_content", str(path), stdout=io.StringIO())

    _empty_database()
    assert _counts() == dict.fromkeys(counts, 0)
    call_command("import_content", str(path), stdout=io.StringIO())

    assert _counts() == counts
    assert _public_pages(client) == before


@pytest.mark.django_db(transaction=True)
def test_restored_people_keep_their_names_but_cannot_sign_in_until_given_a_password(
    demo_site, tmp_path
):
    path = tmp_path / "content.json"
    call_command("export_content", str(path), stdout=io.StringIO())
    assert "password" not in path.read_text()

    _empty_database()
    call_command("import_content", str(path), stdout=io.StringIO())

    publisher = get_user_model().objects.get(username="publisher")
    assert not publisher.has_usable_password()
    assert Review.objects.filter(actor=publisher, action=Review.Action.PUBLISH).count() == 3


@pytest.mark.django_db
def test_import_refuses_a_database_that_holds_content(demo_site, tmp_path):
    path = tmp_path / "content.json"
    call_command("export_content", str(path), stdout=io.StringIO())
    counts = _counts()

    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_content", str(path))
    assert _counts() == counts


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"model": "courtinfo.question", "pk": 1, "fields": {}}]))

    with pytest.raises(CommandError, match="not a courtinfo content export"):
        call_command("import_content", str(path))
