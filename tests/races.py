"""Races between requests or workflow calls: on PostgreSQL, each thread on its own connection."""

import threading

import pytest
from django.db import connection, connections

POSTGRES_RACE = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks and admits one writer at a time; the race needs PostgreSQL",
    ),
]


class Worker(threading.Thread):
    """Runs one call on its own database connection; keeps its result or its exception."""

    def __init__(self, call):
        super().__init__(daemon=True)
        self.call = call
        self.result = None

    def run(self):
        try:
            self.result = self.call()
        except Exception as error:  # the test reports it; a thread would swallow it
            self.result = error
        finally:
            connections.close_all()
