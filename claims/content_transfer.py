"""All published and editorial content to one JSON file and back, for moving between databases."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from claims.models import Citation, Claim, Review, Source, SourceCopy, TranslatedClaim
from courtinfo.editing import workflow_writes
from courtinfo.models import (
    Answer,
    Jurisdiction,
    Publication,
    Question,
    Topic,
    Translation,
    TranslationPublication,
)

FORMAT = "courtinfo-content"
VERSION = 1
# In dependency order; the live publications of answers and translations are forward references.
MODELS = [
    Jurisdiction,
    Topic,
    Source,
    SourceCopy,
    Question,
    Answer,
    Claim,
    Citation,
    Publication,
    Translation,
    TranslatedClaim,
    TranslationPublication,
    Review,
]
# People are named by username; their passwords never leave the database.
PERSON_FIELDS = ("username", "first_name", "last_name", "email")


class _ExactEncoder(DjangoJSONEncoder):
    # Django's encoder cuts datetimes to milliseconds; a restore must give back the same instant.
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class ContentImportError(Exception):
    """The file cannot be imported; the message says why and nothing was written."""


def _people_ids(model) -> set[int]:
    user_model = get_user_model()
    columns = [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]
    ids: set[int] = set()
    for row in model.objects.values_list(*columns) if columns else []:
        ids.update(value for value in row if value is not None)
    return ids


def export_content(path: Path) -> dict[str, int]:
    """Writes every row of MODELS, and the people they name, to `path`; returns counts by model."""
    ids = set().union(*(_people_ids(model) for model in MODELS))
    people = list(
        get_user_model().objects.filter(pk__in=ids).order_by("username").values(*PERSON_FIELDS)
    )
    objects, counts = [], {}
    for model in MODELS:
        rows = model._base_manager.order_by("pk")
        objects += serializers.serialize(
            "python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        counts[model._meta.label] = rows.count()
    document = {"format": FORMAT, "version": VERSION, "people": people, "objects": objects}
    path.write_text(json.dumps(document, cls=_ExactEncoder, ensure_ascii=False, indent=1))
    return counts


def _read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContentImportError(f"{path}: not a readable JSON file ({error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ContentImportError(f"{path}: not a courtinfo content export.")
    if document.get("version") != VERSION:
        raise ContentImportError(
            f"{path}: export version {document.get('version')!r}; this release reads {VERSION}."
        )
    return document


def _refuse_unless_empty() -> None:
    found = [model._meta.verbose_name_plural for model in MODELS[1:] if model.objects.exists()]
    if found:
        raise ContentImportError(
            "The database already holds content (" + ", ".join(map(str, found)) + "); "
            "import_content restores into an empty, migrated database only."
        )


def _ensure_people(people: list[dict]) -> None:
    user_model = get_user_model()
    for person in people:
        user, created = user_model.objects.get_or_create(
            username=person["username"],
            defaults={key: person[key] for key in PERSON_FIELDS[1:]},
        )
        if created:
            # They sign in only after someone sets a password for them.
            user.set_unusable_password()
            user.save(update_fields=["password"])


def import_content(path: Path) -> dict[str, int]:
    """Restores an export into a database with no content; all or nothing. Returns counts."""
    document = _read(path)
    with transaction.atomic(), workflow_writes():
        _refuse_unless_empty()
        _ensure_people(document["people"])
        counts: dict[str, int] = {}
        with connection.constraint_checks_disabled():
            saved = []
            for item in serializers.deserialize(
                "python", document["objects"], handle_forward_references=True
            ):
                item.save()
                saved.append(item)
                label = item.object._meta.label
                counts[label] = counts.get(label, 0) + 1
            for item in saved:
                if item.deferred_fields:
                    item.save_deferred_fields()
        connection.check_constraints(table_names=[model._meta.db_table for model in MODELS])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(statement)
    return counts
