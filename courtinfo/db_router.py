"""Public pages read from a replica when `DATABASE_REPLICA_URL` names one; everything else reads
from the primary.

Reads go to the replica only inside `reads_from_replica` (the public pages' views), and only until
the request writes: from its first write on, it reads what it wrote, from the primary. The admin,
the workflow, management commands and any code outside a public page never leave the primary, so
nothing that must see a just-committed write reads a replica that has not caught up yet.
"""

from __future__ import annotations

import contextvars
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_public_read = contextvars.ContextVar("courtinfo_public_read", default=False)


def replica_configured() -> bool:
    return bool(settings.COURTINFO_READ_FROM_REPLICA)


def reads_from_replica(view):
    """Let the view's reads go to the replica (until it writes)."""

    @wraps(view)
    def replica_view(request, *args, **kwargs):
        token = _public_read.set(request.method in ("GET", "HEAD"))
        try:
            return view(request, *args, **kwargs)
        finally:
            _public_read.reset(token)

    return replica_view


class PublicReadRouter:
    """The public pages' reads to the replica; writes, and all other reads, to the primary."""

    def db_for_read(self, model, **hints):
        if _public_read.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # A request that writes reads its own writes from here on.
        _public_read.set(False)
        # Named, so that an object read from the replica is never saved there.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: their rows may refer to each other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication, never by a migration.
        return db != REPLICA
