"""Publications are never changed or deleted, whoever asks: database triggers refuse it.

PostgreSQL: a row trigger before UPDATE or DELETE raises. Its flush truncates, which row triggers
do not see. SQLite: triggers before UPDATE and DELETE abort; the delete trigger stands aside while
the guard table courtinfo_history_flush holds a row, which only courtinfo's flush command writes,
inside the transaction in which it empties the database (SQLite's flush deletes row by row).

SQLite drops a table's triggers when a migration rebuilds the table, as most changes to a column
do there: a later migration that alters this table must install them again.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION courtinfo_publication_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'A publication is never deleted (publication %).', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RAISE EXCEPTION 'A publication is never changed after it is written (publication %).',
            OLD.id USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER courtinfo_publication_immutable
    BEFORE UPDATE OR DELETE ON courtinfo_publication
    FOR EACH ROW EXECUTE FUNCTION courtinfo_publication_refuse_change()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER courtinfo_publication_immutable ON courtinfo_publication",
    "DROP FUNCTION courtinfo_publication_refuse_change()",
]

SQLITE = [
    "CREATE TABLE courtinfo_history_flush (id integer NOT NULL PRIMARY KEY)",
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

SQLITE_REVERSE = [
    "DROP TRIGGER courtinfo_publication_no_delete",
    "DROP TRIGGER courtinfo_publication_no_update",
    "DROP TABLE courtinfo_history_flush",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0007_history_publication_topic"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
