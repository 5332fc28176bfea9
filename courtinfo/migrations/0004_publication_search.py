"""A GIN index for public full-text search on PostgreSQL; nothing on other databases."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "publication_search"


def _index() -> GinIndex:
    # The expression search queried until migration 0011 replaced it with a stored column.
    return GinIndex(SearchVector("question_text", "body_text", config="english"), name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("courtinfo", "Publication"), _index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("courtinfo", "Publication"), _index())


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0003_publication_body_text"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
