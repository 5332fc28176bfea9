"""Translations' publications are never changed or deleted (the triggers of 0008), and a translation
going live or being withdrawn bumps the live generation that cached pages are keyed by (as 0010
does for answers).
"""

from django.db import migrations

_BUMP = (
    "INSERT INTO courtinfo_livegeneration (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = courtinfo_livegeneration.value + 1"
)

POSTGRESQL = [
    """
    CREATE TRIGGER courtinfo_translation_live_changed
    AFTER UPDATE OF live_publication_id ON courtinfo_translation
    FOR EACH ROW WHEN (OLD.live_publication_id IS DISTINCT FROM NEW.live_publication_id)
    EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
    """
    CREATE TRIGGER courtinfo_translation_live_deleted
    AFTER DELETE ON courtinfo_translation
    FOR EACH ROW WHEN (OLD.live_publication_id IS NOT NULL)
    EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
    """
    CREATE TRIGGER courtinfo_translationpublication_immutable
    BEFORE UPDATE OR DELETE ON courtinfo_translationpublication
    FOR EACH ROW EXECUTE FUNCTION courtinfo_publication_refuse_change()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER courtinfo_translation_live_deleted ON courtinfo_translation",
    "DROP TRIGGER courtinfo_translation_live_changed ON courtinfo_translation",
    "DROP TRIGGER courtinfo_translationpublication_immutable ON courtinfo_translationpublication",
]

SQLITE = [
    f"""
    CREATE TRIGGER courtinfo_translation_live_changed
    AFTER UPDATE OF live_publication_id ON courtinfo_translation
    FOR EACH ROW WHEN OLD.live_publication_id IS NOT NEW.live_publication_id
    BEGIN
        {_BUMP};
    END
    """,
    f"""
    CREATE TRIGGER courtinfo_translation_live_deleted
    AFTER DELETE ON courtinfo_translation
    FOR EACH ROW WHEN OLD.live_publication_id IS NOT NULL
    BEGIN
        {_BUMP};
    END
    """,
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
    "DROP TRIGGER courtinfo_translation_live_deleted",
    "DROP TRIGGER courtinfo_translation_live_changed",
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
        ("courtinfo", "0010_live_generation"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
