"""Changelist pages that do not count a large table row by row.

With `show_full_result_count = False` the admin counts only the list it shows; an unfiltered list
still counts the whole table. On PostgreSQL that count is taken from the planner's estimate
(`pg_class.reltuples`, kept by ANALYZE and autovacuum) once the table is large, where an exact
count would read every row; a filtered or searched list, and any list on another database, is
counted exactly.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and exact.
ESTIMATE_FROM = 50_000


def estimated_rows(queryset: QuerySet) -> int | None:
    """The planner's estimate of the rows in the queryset's table, or None if it has none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    # -1 (PostgreSQL 14 and later) or 0: never analysed.
    return int(row[0]) if row and row[0] > 0 else None


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered large table from the planner's estimate on PostgreSQL."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                return estimate
        return super().count
