"""Recovering deleted objects: however they were deleted, listed a page at a time, never over a row.

The database records each deletion of a versioned object (claims migration 0012); the recover list
reads a page of those, newest first, each with its object's newest version (claims.recover).
"""

import importlib
import re

import lxml.html
import pytest
import reversion
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from claims import recover
from claims.admin_views import EditorialAdmin
from claims.models import Citation, Claim, Deletion
from courtinfo.models import Answer, Question
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("claims.migrations.0012_deletions")


def _versioned(*objs):
    """Each object saved in a revision of its own, as the admin and the workflow do."""
    for obj in objs:
        with reversion.create_revision():
            reversion.add_to_revision(obj)
    return objs


def _recorded(model) -> list[str]:
    """The object ids the database recorded as deleted, newest deletion first."""
    return list(
        Deletion.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
        .order_by("-pk")
        .values_list("object_id", flat=True)
    )


def _newest(model, pk) -> Version:
    return Version.objects.get_for_object_reference(model, pk).order_by("-pk").first()


def _recover_list_url(model, **query) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_recoverlist")
    return url + "".join(f"?{name}={value}" for name, value in query.items())


def _recover_url(model, version: Version) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_recover", args=[version.pk])


def _page(client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def _versions_linked(page: lxml.html.HtmlElement) -> list[int]:
    """The version ids the list's rows link to, top to bottom."""
    hrefs = page.xpath('//table[@id="change-history"]//a/@href')
    return [int(re.search(r"/recover/(\d+)/$", href).group(1)) for href in hrefs]


def _pages(client, model) -> list[list[str]]:
    """The object ids the list shows, page by page, following its "Older deletions" links."""
    url = _recover_list_url(model)
    pages = []
    while url:
        page = _page(client, url)
        pages.append([Version.objects.get(pk=pk).object_id for pk in _versions_linked(page)])
        [older] = page.xpath('//a[@class="recover-older"]/@href') or [None]
        url = _recover_list_url(model) + older if older else None
    return pages


def _listed(client, model) -> list[str]:
    """The object ids of every deleted object the list shows, newest first."""
    return [object_id for page in _pages(client, model) for object_id in page]


def _press_recover(client, model, version: Version):
    """Open the version's recover page from the list and press its button."""
    url = _recover_url(model, version)
    [form] = _page(client, url).xpath('//form[@class="revert-form"]')
    return client.post(url, form_data(form))


# --- what is recorded


def test_every_versioned_model_is_one_whose_deletions_the_database_records():
    # A model registered with reversion later needs a migration that adds its trigger.
    registered = {
        (m._meta.app_label, m._meta.model_name, m._meta.db_table)
        for m in reversion.get_registered_models()
    }
    assert registered == set(MIGRATION.VERSIONED)


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_every_versioned_table_has_its_deletion_trigger():
    # SQLite drops a table's triggers when a migration rebuilds the table.
    missing = {f"{table}_deletion" for *_, table in MIGRATION.VERSIONED} - _triggers()
    assert missing == set()


def test_deleted_from_the_shell_a_queryset_and_a_cascade_are_recorded():
    alone, first, second = ClaimFactory.create_batch(3)
    cited = CitationFactory()
    citation_id, claim_id = str(cited.pk), str(cited.claim_id)
    question_id = str(cited.claim.answer.question_id)
    alone_id, first_id, second_id = str(alone.pk), str(first.pk), str(second.pk)

    alone.delete()
    Claim.objects.filter(pk__in=[first.pk, second.pk]).delete()
    Question.objects.get(pk=question_id).delete()

    assert _recorded(Claim) == [claim_id, second_id, first_id, alone_id]
    assert _recorded(Citation) == [citation_id]
    assert _recorded(Question) == [question_id]


def test_deleted_from_the_shell_a_queryset_and_a_cascade_are_listed(client, superuser):
    alone, first, second, kept = _versioned(*ClaimFactory.create_batch(4))
    cited = CitationFactory()
    _versioned(cited.claim.answer.question, cited.claim.answer, cited.claim)
    citation_id, claim_id = str(cited.pk), str(cited.claim_id)
    answer_id, question_id = str(cited.claim.answer_id), str(cited.claim.answer.question_id)
    alone_id, first_id, second_id = str(alone.pk), str(first.pk), str(second.pk)

    alone.delete()
    Claim.objects.filter(pk__in=[first.pk, second.pk]).delete()
    # The question takes its answer with it, the answer its claim, the claim its citation.
    Question.objects.get(pk=question_id).delete()

    client.force_login(superuser)
    assert _listed(client, Claim) == [claim_id, second_id, first_id, alone_id]
    assert _listed(client, Citation) == [citation_id]
    assert _listed(client, Answer) == [answer_id]
    assert _listed(client, Question) == [question_id]
    assert str(kept.pk) not in _listed(client, Claim)


def test_an_object_deleted_without_a_version_is_not_listed(client, superuser):
    [versioned] = _versioned(ClaimFactory())
    versioned_id = str(versioned.pk)
    versioned.delete()
    ClaimFactory().delete()

    client.force_login(superuser)
    assert Deletion.objects.count() == 2
    assert _listed(client, Claim) == [versioned_id]


def test_each_object_is_listed_with_its_newest_version(client, superuser):
    [claim] = _versioned(ClaimFactory(text="First wording."))
    claim.text = "Second wording."
    claim.save()
    _versioned(claim)
    newest = _newest(Claim, claim.pk)
    claim.delete()

    client.force_login(superuser)
    assert _versions_linked(_page(client, _recover_list_url(Claim))) == [newest.pk]


def test_objects_deleted_before_the_triggers_are_recorded_by_the_migration():
    older, newer, kept = _versioned(*ClaimFactory.create_batch(3))
    _versioned(older)  # its newest version is now the newest of the three
    expected = [str(older.pk), str(newer.pk)]
    older.delete()
    newer.delete()
    Deletion.objects.all().delete()

    MIGRATION.record_deleted(connection)

    rows = Deletion.objects.order_by("-pk").values_list("object_id", flat=True)
    # Oldest deletion first as far as the versions tell: by each object's newest version.
    assert list(rows) == expected


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_records_no_deletion():
    _versioned(ClaimFactory())

    call_command("flush", interactive=False, verbosity=0)

    assert Deletion.objects.count() == 0


# --- the list, a page at a time


def test_the_newest_deletion_comes_first_and_older_pages_follow_in_order(
    client, superuser, monkeypatch
):
    monkeypatch.setattr(EditorialAdmin, "recover_list_per_page", 2)
    claims = _versioned(*ClaimFactory.create_batch(5))
    newest_first = [str(c.pk) for c in reversed(claims)]
    for claim in claims:
        claim.delete()
    client.force_login(superuser)

    assert _pages(client, Claim) == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    first = _page(client, _recover_list_url(Claim))
    assert first.xpath('//a[@class="recover-newest"]') == []
    [older] = first.xpath('//a[@class="recover-older"]/@href')
    second = _page(client, _recover_list_url(Claim) + older)
    assert second.xpath('//a[@class="recover-newest"]/@href') == [_recover_list_url(Claim)]


def test_deletions_that_cannot_be_recovered_are_passed_over_a_window_at_a_time(
    client, superuser, monkeypatch
):
    # Pages of 2, each passing over at most 2 windows of 2 deletions.
    monkeypatch.setattr(EditorialAdmin, "recover_list_per_page", 2)
    monkeypatch.setattr(recover, "WINDOW_PER_ROW", 1)
    monkeypatch.setattr(recover, "WINDOWS", 2)
    oldest, newest = (str(c.pk) for c in _versioned(*ClaimFactory.create_batch(2)))
    Claim.objects.get(pk=oldest).delete()
    # Nine deletions with nothing to recover: eight never saved in a revision, one recovered.
    for claim in ClaimFactory.create_batch(8):
        claim.delete()
    [back] = _versioned(ClaimFactory())
    version = _newest(Claim, back.pk)
    back.delete()
    version.revert()
    assert Claim.objects.filter(pk=version.object_id).exists()
    Claim.objects.get(pk=newest).delete()
    client.force_login(superuser)

    # Each page looks at four deletions at most: the second finds none, and says why.
    assert _pages(client, Claim) == [[newest], [], [oldest]]
    [older] = _page(client, _recover_list_url(Claim)).xpath('//a[@class="recover-older"]/@href')
    second = _page(client, _recover_list_url(Claim) + older)
    assert second.xpath('//p[@class="recover-passed-over"]')


def test_a_list_asked_to_start_anywhere_odd_starts_at_the_newest(client, superuser):
    [claim] = _versioned(ClaimFactory())
    newest = _newest(Claim, claim.pk)
    claim.delete()
    client.force_login(superuser)

    for before in ["x", "-1", "9" * 30, ""]:
        page = _page(client, _recover_list_url(Claim, before=before))
        assert _versions_linked(page) == [newest.pk], before


def test_the_list_costs_the_same_queries_however_many_objects_were_deleted(client, superuser):
    client.force_login(superuser)

    def queries(deleted: int) -> int:
        for claim in _versioned(*ClaimFactory.create_batch(deleted)):
            claim.delete()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_recover_list_url(Claim)).status_code == 200
        return len(captured)

    assert queries(1) == queries(12)


# --- recovering


def test_a_recovered_object_leaves_the_list_and_returns_when_deleted_again(client, editor):
    first, second = (str(c.pk) for c in _versioned(*(CitationFactory().claim for _ in range(2))))
    Claim.objects.get(pk=first).delete()
    Claim.objects.get(pk=second).delete()
    client.force_login(editor)
    assert _listed(client, Claim) == [second, first]

    assert _press_recover(client, Claim, _newest(Claim, first)).status_code == 302

    assert Claim.objects.filter(pk=first).exists()
    assert _listed(client, Claim) == [second]
    Claim.objects.get(pk=first).delete()
    assert _listed(client, Claim) == [first, second]


def test_the_recover_page_refuses_a_version_of_an_object_that_exists(client, editor):
    [claim] = _versioned(ClaimFactory(text="As it is now."))
    version = _newest(Claim, claim.pk)
    url = _recover_url(Claim, version)
    client.force_login(editor)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    claim.refresh_from_db()
    assert claim.text == "As it is now."


def test_the_recover_page_refuses_all_but_the_newest_version_of_a_deleted_object(client, editor):
    [claim] = _versioned(ClaimFactory())
    oldest = _newest(Claim, claim.pk)
    _versioned(claim)
    newest = _newest(Claim, claim.pk)
    claim.delete()
    client.force_login(editor)

    assert client.get(_recover_url(Claim, oldest)).status_code == 404
    assert client.get(_recover_url(Claim, newest)).status_code == 200


def test_the_recover_page_refuses_a_version_of_another_model_or_none(client, editor):
    citation = CitationFactory()
    _versioned(citation)
    version = _newest(Citation, citation.pk)
    citation.delete()
    client.force_login(editor)

    assert client.get(_recover_url(Citation, version)).status_code == 200
    assert client.get(_recover_url(Claim, version)).status_code == 404
    for huge in ("9" * 12, "9" * 19, "9" * 30):
        url = reverse("admin:claims_claim_recoverlist") + huge + "/"
        assert client.get(url).status_code == 404, huge


def test_a_deleted_answer_is_listed_for_whoever_may_recover_answers(client, superuser):
    [answer] = _versioned(AnswerFactory())
    version = _newest(Answer, answer.pk)
    answer.delete()
    client.force_login(superuser)

    page = _page(client, _recover_list_url(Answer))

    assert _versions_linked(page) == [version.pk]
    assert page.xpath('//a[@class="recover-older"]') == []
