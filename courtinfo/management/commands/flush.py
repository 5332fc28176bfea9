"""Django's flush, able to empty the history tables that refuse deletions on SQLite.

SQLite's flush deletes row by row, which the triggers on publications and review events refuse
(migrations courtinfo 0007, claims 0003); they stand aside while the guard table holds a row.
The row is written and removed inside the flush's own transaction, so no other connection ever
sees the guard lifted. PostgreSQL's flush truncates, which its row triggers do not see.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

GUARD = "courtinfo_history_flush"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or GUARD not in connection.introspection.table_names():
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {GUARD} (id) VALUES (1)")  # noqa: S608
            super().handle(**options)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {GUARD}")  # noqa: S608
