"""`python -m bench.history`: the revision history one pass through the workflow leaves per answer.

The seed for Missouri and `--states` other jurisdictions (every state and DC with `--national`)
is imported and each answer taken through the workflow as `make bench` does (a citation per
claim, submit, a verdict per claim, approve, publish) on a throwaway database; then reversion's
Version rows and the bytes of their serialized data are counted per answer.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys

from bench import run as bench


def measure(options: bench.Options) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # As `make bench` runs: no query log (it would fill up and hide the queries it counts).
    settings.DEBUG = False
    directory = bench._throwaway_database(connection)
    databases = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        users = bench._users()
        for code in ["MO", *bench._other_states(options)]:
            bench._import(bench._seed_for(code))
        bench._bench_publishing(users, [])
        return {"database": connection.vendor, **bench._history_per_answer(), **_sizes(connection)}
    finally:
        teardown_databases(databases, verbosity=0)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


def _sizes(connection) -> dict:
    """On PostgreSQL, the history's share of the database on disk (indexes and TOAST included)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('reversion_version'), "
            "pg_database_size(current_database())"
        )
        history, database = cursor.fetchone()
    return {"history_mb": round(history / 2**20), "database_mb": round(database / 2**20)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--states", type=int, default=1, help="jurisdictions besides Missouri")
    parser.add_argument("--national", action="store_true", help="every state and DC")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtinfo.settings")
    import django

    django.setup()
    logging.getLogger("claims.events").setLevel(logging.WARNING)
    scale = "national" if args.national else "medium"
    figures = measure(bench.Options(1, 1, args.states, scale))
    print(
        f"history on {figures['database']}: {figures['versions_per_answer']} versions per answer, "
        f"{figures['bytes_per_answer']:,} bytes per answer"
    )
    if "history_mb" in figures:
        print(f"reversion_version: {figures['history_mb']} MB of {figures['database_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
