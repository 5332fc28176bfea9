"""A stored search document on each publication, GIN-indexed on PostgreSQL.

The database computes it when the row is written (a generated column), so publications stay
immutable and every way of writing one (the workflow, import_content, raw SQL) fills it. On
PostgreSQL it replaces migration 0004's expression index. SQLite rebuilds the table to add a stored
generated column, which drops its triggers: they are installed again here (see migration 0008).
"""

import django.db.models.fields.json
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

import courtinfo.models


def _old_index() -> GinIndex:
    # Migration 0004's index, as it built it.
    return GinIndex(
        SearchVector("question_text", "body_text", config="english"), name="publication_search"
    )


def _new_index() -> GinIndex:
    # Without a pending list: publications are written one at a time and rarely, and a pending
    # list keeps the planner off the index until the next vacuum.
    return GinIndex(
        fields=["search_document"], name="publication_search_document", fastupdate=False
    )


def index_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    publication = apps.get_model("courtinfo", "Publication")
    schema_editor.remove_index(publication, _old_index())
    schema_editor.add_index(publication, _new_index())


def unindex_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    publication = apps.get_model("courtinfo", "Publication")
    schema_editor.remove_index(publication, _new_index())
    schema_editor.add_index(publication, _old_index())


# The triggers of migration 0008, as it wrote them.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS courtinfo_publication_no_update",
    "DROP TRIGGER IF EXISTS courtinfo_publication_no_delete",
    """
    CREATE TRIGGER courtinfo_publication_no_update
    BEFORE UPDATE ON courtinfo_publication
    BEGIN
        SELECT RAISE(ABORT, 'A publication is never changed after it is written.');
    END
    """,
    """
    CREATE TRIGGER courtinfo_publication_no_delete
    BEFORE DELETE ON courtinfo_publication
    WHEN NOT EXISTS (SELECT 1 FROM courtinfo_history_flush)
    BEGIN
        SELECT RAISE(ABORT, 'A publication is never deleted.');
    END
    """,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0010_live_generation"),
    ]

    operations = [
        # Unapplying the field rebuilds the SQLite table again: its triggers come back here.
        migrations.RunPython(
            migrations.RunPython.noop, _run({"sqlite": SQLITE_TRIGGERS}), elidable=False
        ),
        migrations.AddField(
            model_name="publication",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=courtinfo.models.SearchDocument(
                    "question_text",
                    "body_text",
                    django.db.models.fields.json.KeyTextTransform("citations", "payload"),
                ),
                output_field=courtinfo.models.SearchDocumentField(),
            ),
        ),
        migrations.RunPython(index_document, unindex_document, elidable=False),
        migrations.RunPython(
            _run({"sqlite": SQLITE_TRIGGERS}), migrations.RunPython.noop, elidable=False
        ),
    ]
