"""Translations' publications are never changed or deleted either: the same triggers as 0008."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE TRIGGER courtinfo_translationpublication_immutable
    BEFORE UPDATE OR DELETE ON courtinfo_translationpublication
    FOR EACH ROW EXECUTE FUNCTION courtinfo_publication_refuse_change()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER courtinfo_translationpublication_immutable ON courtinfo_translationpublication",
]

SQLITE = [
    """
    CREATE TRIGGER courtinfo_translationpublication_no_update
    BEFORE UPDATE ON courtinfo_translationpublication
    BEGIN
        SELECT RAISE(ABORT, 'A publication is never changed after it is written.');
    END
    """,
    """
    CREATE TRIGGER courtinfo_translationpublication_no_delete
    BEFORE DELETE ON courtinfo_translationpublication
    WHEN NOT EXISTS (SELECT 1 FROM courtinfo_history_flush)
    BEGIN
        SELECT RAISE(ABORT, 'A publication is never deleted.');
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER courtinfo_translationpublication_no_delete",
    "DROP TRIGGER courtinfo_translationpublication_no_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0012_translations"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
