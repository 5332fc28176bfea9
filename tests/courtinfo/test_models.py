"""Reference data, constraints and immutability of the content models."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from claims.models import Review
from courtinfo.models import (
    Jurisdiction,
    Publication,
    PublicationImmutable,
    PublicationSource,
    validate_blocks,
)
from tests.factories import (
    AnswerFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_migrate_fills_states_district_territories_and_federal():
    assert Jurisdiction.objects.filter(kind=Jurisdiction.Kind.STATE).count() == 50
    assert Jurisdiction.objects.get(code="DC").name == "District of Columbia"
    assert Jurisdiction.objects.filter(kind=Jurisdiction.Kind.TERRITORY).count() == 5
    assert Jurisdiction.objects.get(code="US").kind == Jurisdiction.Kind.FEDERAL
    assert Jurisdiction.objects.get(code="MO").slug == "missouri"


def test_role_groups_hold_only_their_own_workflow_permissions():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"submit_answer"} == codenames("Editors") & {
        "submit_answer",
        "review_answer",
        "publish_answer",
        "verify_claim",
    }
    assert {"review_answer", "verify_claim"} <= codenames("Reviewers")
    assert "submit_answer" not in codenames("Reviewers")
    assert codenames("Publishers") & {"change_claim", "verify_claim"} == set()
    assert "publish_answer" in codenames("Publishers")


def test_migrate_keeps_jurisdictions_and_groups_as_operators_changed_them():
    Jurisdiction.objects.filter(code="MO").update(name="State of Missouri", slug="mo")
    editors = Group.objects.get(name="Editors")
    editors.permissions.set([Permission.objects.get(codename="view_answer")])

    call_command("migrate", verbosity=0)

    assert Jurisdiction.objects.get(code="MO").name == "State of Missouri"
    assert Jurisdiction.objects.get(code="MO").slug == "mo"
    assert list(editors.permissions.values_list("codename", flat=True)) == ["view_answer"]


def test_migrate_does_not_bring_back_a_deleted_jurisdiction():
    Jurisdiction.objects.filter(code="GU").delete()

    call_command("migrate", verbosity=0)

    assert not Jurisdiction.objects.filter(code="GU").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_transactional_tests_start_with_the_migrated_reference_data(run):
    # The second run starts after the first one's flush and its rename.
    assert Jurisdiction.objects.count() == 57
    assert Jurisdiction.objects.get(code="MO").name == "Missouri"
    publishers = Group.objects.get(name="Publishers")
    assert publishers.permissions.filter(codename="publish_answer").exists()
    Jurisdiction.objects.filter(code="MO").update(name=f"Renamed in run {run}")


def test_question_slug_is_unique_per_jurisdiction():
    QuestionFactory(slug="same")
    QuestionFactory(slug="same", jurisdiction=Jurisdiction.objects.get(code="KS"))
    with pytest.raises(IntegrityError):
        QuestionFactory(slug="same")


def _publication(answer, version=1):
    question = answer.question
    return Publication.objects.create(
        answer=answer,
        version=version,
        jurisdiction=question.jurisdiction,
        question_slug=question.slug,
        question_text=question.text,
        published_at=timezone.now(),
        published_by=UserFactory(username="p"),
        review_due_on=timezone.localdate(),
        payload={},
    )


def test_publication_version_is_unique_per_answer():
    answer = AnswerFactory()
    _publication(answer)
    with pytest.raises(IntegrityError):
        _publication(answer)


def test_publication_cannot_be_changed_or_deleted():
    publication = _publication(AnswerFactory())
    publication.summary = "rewritten"
    with pytest.raises(PublicationImmutable):
        publication.save()
    with pytest.raises(PublicationImmutable):
        publication.delete()


def _execute(sql: str, *params) -> None:
    """Raw SQL, as any client could send it; in a savepoint, since PostgreSQL aborts on errors."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_publication_queryset_refuses_update_and_delete():
    publication = _publication(AnswerFactory())
    publications = Publication.objects.filter(pk=publication.pk)

    with pytest.raises(PublicationImmutable, match="never changed or deleted"):
        publications.update(summary="rewritten")
    with pytest.raises(PublicationImmutable, match="never changed or deleted"):
        publications.delete()
    with pytest.raises(PublicationImmutable):
        Publication.objects.all().delete()

    assert Publication.objects.get(pk=publication.pk).summary == ""


def test_database_refuses_an_update_that_bypasses_the_queryset():
    publication = _publication(AnswerFactory())

    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        Publication._base_manager.filter(pk=publication.pk).update(summary="rewritten")

    assert Publication.objects.get(pk=publication.pk).summary == ""


def test_database_refuses_a_delete_that_bypasses_the_queryset():
    publication = _publication(AnswerFactory())

    with pytest.raises(IntegrityError, match="never deleted"), transaction.atomic():
        Publication._base_manager.filter(pk=publication.pk).delete()

    assert Publication.objects.filter(pk=publication.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE courtinfo_publication SET summary = 'rewritten' WHERE id = %s",
        "UPDATE courtinfo_publication SET payload = '{}', question_text = 'x' WHERE id = %s",
        "DELETE FROM courtinfo_publication WHERE id = %s",
    ],
)
def test_database_refuses_raw_sql_that_changes_or_deletes_a_publication(sql):
    publication = PublicationFactory(live=False, summary="As published.")
    payload = publication.payload

    with pytest.raises(IntegrityError, match="publication is never"):
        _execute(sql, publication.pk)

    kept = Publication.objects.get(pk=publication.pk)
    assert (kept.summary, kept.payload) == ("As published.", payload)


def test_the_database_lists_a_publications_sources_when_it_is_written():
    first, second = SourceFactory(title="Rule 1"), SourceFactory(title="Rule 2")
    publication = PublicationFactory(
        blocks=[("paragraph", None, [("One.", [first, second]), ("Two.", [second])])]
    )

    listed = PublicationSource.objects.filter(publication=publication).order_by("id")

    assert [(row.source_id, row.details) for row in listed] == [
        (source["id"], source) for source in publication.payload["sources"]
    ]
    assert [row.source_id for row in listed] == [first.pk, second.pk]


@pytest.mark.parametrize("sources", [None, {"id": 1}, "none"])
def test_a_payload_without_a_list_of_sources_lists_none(sources):
    payload = {**PublicationFactory(live=False).payload, "sources": sources}

    publication = PublicationFactory(live=False, payload=payload)

    assert not PublicationSource.objects.filter(publication=publication).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_history_and_leaves_it_guarded_again():
    publication = PublicationFactory()
    Review.objects.create(
        answer=publication.answer, actor=publication.published_by, action="publish"
    )

    call_command("flush", interactive=False, verbosity=0)

    assert not Publication.objects.exists()
    assert not Review.objects.exists()
    Jurisdiction.objects.create(code="MO", name="Missouri", slug="missouri")
    publication = PublicationFactory(live=False)
    with pytest.raises(IntegrityError, match="never deleted"):
        _execute("DELETE FROM courtinfo_publication WHERE id = %s", publication.pk)


@pytest.mark.parametrize(
    "blocks",
    [
        [],
        [{"kind": "paragraph", "number": None}, {"kind": "numbered", "number": 12}],
        [{"kind": "bullet", "number": None}],
    ],
)
def test_answer_blocks_accept_the_layouts_the_importer_writes(blocks):
    validate_blocks(blocks)


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ({"kind": "paragraph"}, "must be a list"),
        ([{"kind": "paragraph"}], 'exactly the keys "kind" and "number"'),
        ([{"kind": "heading", "number": None}], "kind must be paragraph, numbered or bullet"),
        ([{"kind": "numbered", "number": 0}], "needs a number of 1 or more"),
        ([{"kind": "numbered", "number": True}], "needs a number of 1 or more"),
        ([{"kind": "bullet", "number": 3}], "only numbered points have a number"),
    ],
)
def test_answer_blocks_refuse_malformed_layouts_naming_the_rule(blocks, message):
    with pytest.raises(ValidationError, match=message):
        validate_blocks(blocks)
