"""Each publication's list of sources as rows, and its search document kept in the row.

Sources: a trigger after insert on courtinfo_publication copies the payload's "sources" entries,
so the workflow, import_content and raw SQL all fill it; the publications already written are
copied here. The sources pages then count and order sources with an index instead of decoding
every live payload.

Search document (PostgreSQL): a search reads it for every match it ranks. Out of the row, in the
TOAST table, that is an index lookup and a page or two for each match; STORAGE MAIN keeps it in
the row when the row can hold it (the payload and text go out first). CLUSTER rewrites the rows
already written, inside this migration's transaction (VACUUM FULL cannot); the table is left
unclustered, as before. A later migration that rewrites the column must set it again.

SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
alters courtinfo_publication there must install this one again (and those of 0008).
"""

from django.db import migrations, models

# A payload whose "sources" is missing or not a list lists none.
POSTGRESQL = [
    """
    CREATE FUNCTION courtinfo_publication_list_sources() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO courtinfo_publicationsource
            (publication_id, source_id, details, title, jurisdiction_id, position)
        SELECT NEW.id, (entry ->> 'id')::bigint, entry, COALESCE(entry ->> 'title', ''),
            NEW.jurisdiction_id, NEW.position
        FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(NEW.payload -> 'sources') = 'array'
            THEN NEW.payload -> 'sources' ELSE '[]'::jsonb END
        ) AS entry;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER courtinfo_publication_sources
    AFTER INSERT ON courtinfo_publication
    FOR EACH ROW EXECUTE FUNCTION courtinfo_publication_list_sources()
    """,
    # The publications already written.
    """
    INSERT INTO courtinfo_publicationsource
        (publication_id, source_id, details, title, jurisdiction_id, position)
    SELECT publication.id, (entry ->> 'id')::bigint, entry, COALESCE(entry ->> 'title', ''),
        publication.jurisdiction_id, publication.position
    FROM courtinfo_publication AS publication
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(publication.payload -> 'sources') = 'array'
        THEN publication.payload -> 'sources' ELSE '[]'::jsonb END
    ) AS entry
    ORDER BY publication.id
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER courtinfo_publication_sources ON courtinfo_publication",
    "DROP FUNCTION courtinfo_publication_list_sources()",
]

SQLITE = [
    """
    CREATE TRIGGER courtinfo_publication_sources
    AFTER INSERT ON courtinfo_publication
    BEGIN
        INSERT INTO courtinfo_publicationsource
            (publication_id, source_id, details, title, jurisdiction_id, position)
        SELECT NEW.id, json_extract(entry.value, '$.id'), entry.value,
            COALESCE(json_extract(entry.value, '$.title'), ''), NEW.jurisdiction_id, NEW.position
        FROM json_each(NEW.payload, '$.sources') AS entry
        WHERE json_type(NEW.payload, '$.sources') = 'array';
    END
    """,
    """
    INSERT INTO courtinfo_publicationsource
        (publication_id, source_id, details, title, jurisdiction_id, position)
    SELECT publication.id, json_extract(entry.value, '$.id'), entry.value,
        COALESCE(json_extract(entry.value, '$.title'), ''), publication.jurisdiction_id,
        publication.position
    FROM courtinfo_publication AS publication, json_each(publication.payload, '$.sources') AS entry
    WHERE json_type(publication.payload, '$.sources') = 'array'
    ORDER BY publication.id
    """,
]

SQLITE_REVERSE = ["DROP TRIGGER courtinfo_publication_sources"]

SEARCH_DOCUMENT_IN_THE_ROW = [
    "ALTER TABLE courtinfo_publication ALTER COLUMN search_document SET STORAGE MAIN",
    "CLUSTER courtinfo_publication USING courtinfo_publication_pkey",
    "ALTER TABLE courtinfo_publication SET WITHOUT CLUSTER",
]

SEARCH_DOCUMENT_IN_THE_ROW_REVERSE = [
    "ALTER TABLE courtinfo_publication ALTER COLUMN search_document SET STORAGE EXTENDED",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0013_translation_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicationSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_id", models.PositiveBigIntegerField()),
                ("details", models.JSONField()),
                ("title", models.TextField()),
                ("position", models.PositiveIntegerField()),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=models.PROTECT,
                        related_name="listed_sources",
                        to="courtinfo.publication",
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=models.PROTECT,
                        related_name="+",
                        to="courtinfo.jurisdiction",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["source_id", "publication"], name="publication_source_lookup"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
        migrations.RunPython(
            _run({"postgresql": SEARCH_DOCUMENT_IN_THE_ROW}),
            _run({"postgresql": SEARCH_DOCUMENT_IN_THE_ROW_REVERSE}),
            elidable=False,
        ),
    ]
