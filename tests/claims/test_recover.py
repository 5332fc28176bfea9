"""Deletions of versioned objects, recorded by the database however they were deleted.

Claims migration 0012 installs a trigger after DELETE on each versioned model's table.
"""

import importlib

import pytest
import reversion
from django.core.management import call_command
from django.db import connection

from claims.models import Claim, Deletion
from courtinfo.models import Question
from tests.factories import CitationFactory, ClaimFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("claims.migrations.0012_deletions")


def _versioned(*objs):
    """Each object saved in a revision of its own, as the admin and the workflow do."""
    for obj in objs:
        with reversion.create_revision():
            reversion.add_to_revision(obj)
    return objs


def _recorded(model) -> list[str]:
    return list(
        Deletion.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
        .order_by("-pk")
        .values_list("object_id", flat=True)
    )


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
    assert _recorded(cited._meta.model) == [citation_id]
    assert _recorded(Question) == [question_id]
