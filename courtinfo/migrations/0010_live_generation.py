"""The generation of what is live: one row that triggers bump when the public pages change.

Bumped by: an answer whose live publication, withdrawal date or withdrawal reason changes, an
answer inserted or deleted while live, and any change to a jurisdiction (pages show its name).
The bump is an upsert, so a flushed table (tests) gets its row back at the next change; until
then the pages are simply not cached (courtinfo.caching reads no row as "do not cache").

SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
alters courtinfo_answer or courtinfo_jurisdiction there must install them again.
"""

from django.db import migrations, models

_BUMP = (
    "INSERT INTO courtinfo_livegeneration (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = courtinfo_livegeneration.value + 1"
)

POSTGRESQL = [
    f"""
    CREATE FUNCTION courtinfo_live_generation_bump() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_BUMP};
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER courtinfo_answer_live_changed
    AFTER UPDATE OF live_publication_id, withdrawn_at, withdrawn_reason ON courtinfo_answer
    FOR EACH ROW
    WHEN (
        OLD.live_publication_id IS DISTINCT FROM NEW.live_publication_id
        OR OLD.withdrawn_at IS DISTINCT FROM NEW.withdrawn_at
        OR OLD.withdrawn_reason IS DISTINCT FROM NEW.withdrawn_reason
    )
    EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
    """
    CREATE TRIGGER courtinfo_answer_live_inserted
    AFTER INSERT ON courtinfo_answer
    FOR EACH ROW WHEN (NEW.live_publication_id IS NOT NULL OR NEW.withdrawn_at IS NOT NULL)
    EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
    """
    CREATE TRIGGER courtinfo_answer_live_deleted
    AFTER DELETE ON courtinfo_answer
    FOR EACH ROW WHEN (OLD.live_publication_id IS NOT NULL OR OLD.withdrawn_at IS NOT NULL)
    EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
    """
    CREATE TRIGGER courtinfo_jurisdiction_changed
    AFTER INSERT OR UPDATE OR DELETE ON courtinfo_jurisdiction
    FOR EACH STATEMENT EXECUTE FUNCTION courtinfo_live_generation_bump()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER courtinfo_jurisdiction_changed ON courtinfo_jurisdiction",
    "DROP TRIGGER courtinfo_answer_live_deleted ON courtinfo_answer",
    "DROP TRIGGER courtinfo_answer_live_inserted ON courtinfo_answer",
    "DROP TRIGGER courtinfo_answer_live_changed ON courtinfo_answer",
    "DROP FUNCTION courtinfo_live_generation_bump()",
]

SQLITE = [
    f"""
    CREATE TRIGGER courtinfo_answer_live_changed
    AFTER UPDATE OF live_publication_id, withdrawn_at, withdrawn_reason ON courtinfo_answer
    FOR EACH ROW
    WHEN OLD.live_publication_id IS NOT NEW.live_publication_id
        OR OLD.withdrawn_at IS NOT NEW.withdrawn_at
        OR OLD.withdrawn_reason IS NOT NEW.withdrawn_reason
    BEGIN
        {_BUMP};
    END
    """,
    f"""
    CREATE TRIGGER courtinfo_answer_live_inserted
    AFTER INSERT ON courtinfo_answer
    FOR EACH ROW WHEN NEW.live_publication_id IS NOT NULL OR NEW.withdrawn_at IS NOT NULL
    BEGIN
        {_BUMP};
    END
    """,
    f"""
    CREATE TRIGGER courtinfo_answer_live_deleted
    AFTER DELETE ON courtinfo_answer
    FOR EACH ROW WHEN OLD.live_publication_id IS NOT NULL OR OLD.withdrawn_at IS NOT NULL
    BEGIN
        {_BUMP};
    END
    """,
    *(
        f"""
        CREATE TRIGGER courtinfo_jurisdiction_{event.lower()}
        AFTER {event} ON courtinfo_jurisdiction
        BEGIN
            {_BUMP};
        END
        """
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]

SQLITE_REVERSE = [
    "DROP TRIGGER courtinfo_jurisdiction_delete",
    "DROP TRIGGER courtinfo_jurisdiction_update",
    "DROP TRIGGER courtinfo_jurisdiction_insert",
    "DROP TRIGGER courtinfo_answer_live_deleted",
    "DROP TRIGGER courtinfo_answer_live_inserted",
    "DROP TRIGGER courtinfo_answer_live_changed",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def _first_generation(apps, schema_editor):
    LiveGeneration = apps.get_model("courtinfo", "LiveGeneration")
    LiveGeneration.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"value": 1}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0009_operations"),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(_first_generation, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
