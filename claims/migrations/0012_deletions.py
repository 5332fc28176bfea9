"""Deletions of versioned objects, recorded by the database: the recover lists read them.

django-reversion finds deleted objects by reading every version of a model and probing its table
for each (a DISTINCT ON over all of them on PostgreSQL): half a second and more at a million
versions, for every recover list and every recover page. Here a trigger after DELETE on each
versioned model's table records the object, so a delete from the admin, the workflow, the
importer, a cascade or the shell is recorded alike; the lists read a page of these rows by index.

PostgreSQL: one statement-level trigger per table, reading the deleted rows from its transition
table, so a bulk delete records its rows in one INSERT. An object deleted again (after a recover)
takes a new id, and so the newest place. Its flush truncates, which the triggers do not see.

SQLite: a row trigger per table; it stands aside while courtinfo's flush command holds the guard
row of courtinfo_history_flush (courtinfo 0008), as the history triggers do. SQLite drops a
table's triggers when a migration rebuilds the table, as most changes to a column do there: a
later migration that alters one of these tables must install its trigger again
(tests/claims/test_recover.py checks that every versioned table has one).

The objects deleted before this migration are recorded here once, from their versions, oldest
deletion first as far as the versions tell (by their newest version).

The tables are listed as this migration knows them: a model registered with reversion later
needs a migration of its own that adds its trigger.
"""

from django.db import migrations, models
import django.db.models.deletion

# (app label, model name, table) of every model registered with django-reversion.
VERSIONED = [
    ("courtinfo", "jurisdiction", "courtinfo_jurisdiction"),
    ("courtinfo", "topic", "courtinfo_topic"),
    ("courtinfo", "question", "courtinfo_question"),
    ("courtinfo", "answer", "courtinfo_answer"),
    ("courtinfo", "translation", "courtinfo_translation"),
    ("claims", "claim", "claims_claim"),
    ("claims", "source", "claims_source"),
    ("claims", "translatedclaim", "claims_translatedclaim"),
    ("claims", "citation", "claims_citation"),
]

POSTGRESQL_FUNCTION = """
CREATE FUNCTION claims_record_deletions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV: the model's app label and name, as django_content_type knows them.
    INSERT INTO claims_deletion (content_type_id, object_id)
    SELECT content_type.id, deleted.id::text
    FROM deleted_rows AS deleted, django_content_type AS content_type
    WHERE content_type.app_label = TG_ARGV[0] AND content_type.model = TG_ARGV[1]
    ORDER BY deleted.id
    ON CONFLICT (content_type_id, object_id) DO UPDATE SET id = EXCLUDED.id;
    RETURN NULL;
END
$$
"""


# The names put into SQL below are this file's own (VERSIONED), never input.


def _postgresql(app_label: str, model: str, table: str) -> str:
    return f"""
    CREATE TRIGGER {table}_deletion
    AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS deleted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claims_record_deletions('{app_label}', '{model}')
    """


def _sqlite(app_label: str, model: str, table: str) -> str:
    content_type = (
        f"SELECT id FROM django_content_type WHERE app_label = '{app_label}' AND model = '{model}'"  # noqa: S608
    )
    # AUTOINCREMENT: the row inserted again takes an id larger than any before it.
    return f"""
    CREATE TRIGGER {table}_deletion
    AFTER DELETE ON {table}
    WHEN NOT EXISTS (SELECT 1 FROM courtinfo_history_flush)
    BEGIN
        DELETE FROM claims_deletion
        WHERE content_type_id = ({content_type}) AND object_id = CAST(OLD.id AS TEXT);
        INSERT INTO claims_deletion (content_type_id, object_id)
        SELECT id, CAST(OLD.id AS TEXT) FROM django_content_type
        WHERE app_label = '{app_label}' AND model = '{model}';
    END
    """  # noqa: S608


# The objects already deleted: each object with a version and no row, by its newest version.
_BACKFILL = """
INSERT INTO claims_deletion (content_type_id, object_id)
SELECT version.content_type_id, version.object_id
FROM (
    SELECT content_type_id, object_id, max(id) AS newest FROM reversion_version
    WHERE db = %s AND content_type_id = (
        SELECT id FROM django_content_type WHERE app_label = %s AND model = %s
    )
    GROUP BY content_type_id, object_id
) AS version
WHERE NOT EXISTS (SELECT 1 FROM {table} AS live WHERE {same_object})
ORDER BY version.newest
"""
# PostgreSQL compares as text (an anti-join on a hash, whatever an object id holds); SQLite
# looks each row up by its key.
_SAME_OBJECT = {
    "postgresql": "live.id::text = version.object_id",
    "sqlite": "live.id = CAST(version.object_id AS INTEGER)",
}


def record_deleted(connection) -> None:
    """Record the objects deleted before the triggers: those with a version and no row."""
    with connection.cursor() as cursor:
        for app_label, model, table in VERSIONED:
            cursor.execute(
                _BACKFILL.format(table=table, same_object=_SAME_OBJECT[connection.vendor]),
                [connection.alias, app_label, model],
            )
        if connection.vendor == "postgresql":
            # Planned on the statistics of an empty table, a list would sort every deletion of
            # the model before taking its page, until autovacuum analyses the table.
            cursor.execute("ANALYZE claims_deletion")


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION, *(_postgresql(*row) for row in VERSIONED)]
    elif vendor == "sqlite":
        statements = [_sqlite(*row) for row in VERSIONED]
    else:
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)
    record_deleted(schema_editor.connection)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [f"DROP TRIGGER {table}_deletion ON {table}" for *_, table in VERSIONED]
        statements.append("DROP FUNCTION claims_record_deletions()")
    elif vendor == "sqlite":
        statements = [f"DROP TRIGGER {table}_deletion" for *_, table in VERSIONED]
    else:
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0011_review_translation_actions'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('courtinfo', '0014_sources_and_search_storage'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
    ]

    operations = [
        migrations.CreateModel(
            name='Deletion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=191)),
                ('content_type', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'indexes': [models.Index(fields=['content_type', 'id'], name='deletion_newest')],
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id'), name='deletion_once_per_object')],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
