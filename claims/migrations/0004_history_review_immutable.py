"""Review events are never changed or deleted, whoever asks: database triggers refuse it.

One change is let through: deleting a claim sets claim_id to NULL on its events (on_delete=SET_NULL),
so an update that only empties claim_id and leaves every other column as it was is accepted.
As for publications (courtinfo 0007), SQLite's delete trigger stands aside while courtinfo's
flush command holds the guard row, and a later migration that rebuilds this table on SQLite must
install the triggers again.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION claims_review_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'A review event is never deleted (review %).', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.claim_id IS NOT NULL AND NEW.claim_id IS NULL
                AND to_jsonb(NEW) - 'claim_id' = to_jsonb(OLD) - 'claim_id' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'A review event is never changed after it is written (review %).',
            OLD.id USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER claims_review_immutable
    BEFORE UPDATE OR DELETE ON claims_review
    FOR EACH ROW EXECUTE FUNCTION claims_review_refuse_change()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER claims_review_immutable ON claims_review",
    "DROP FUNCTION claims_review_refuse_change()",
]


def _sqlite(columns: list[str]) -> list[str]:
    unchanged = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in columns)
    return [
        f"""
        CREATE TRIGGER claims_review_no_update
        BEFORE UPDATE ON claims_review
        WHEN NOT (OLD.claim_id IS NOT NULL AND NEW.claim_id IS NULL AND {unchanged})
        BEGIN
            SELECT RAISE(ABORT, 'A review event is never changed after it is written.');
        END
        """,
        """
        CREATE TRIGGER claims_review_no_delete
        BEFORE DELETE ON claims_review
        WHEN NOT EXISTS (SELECT 1 FROM courtinfo_history_flush)
        BEGIN
            SELECT RAISE(ABORT, 'A review event is never deleted.');
        END
        """,
    ]


SQLITE_REVERSE = [
    "DROP TRIGGER claims_review_no_delete",
    "DROP TRIGGER claims_review_no_update",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRESQL
    elif vendor == "sqlite":
        # Every column but claim_id, as this migration knows the table.
        review = apps.get_model("claims", "Review")
        statements = _sqlite(
            [field.column for field in review._meta.concrete_fields if field.name != "claim"]
        )
    else:
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_history_review_answer_protect"),
        ("courtinfo", "0008_history_publication_immutable"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
