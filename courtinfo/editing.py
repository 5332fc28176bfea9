"""What a save of content may write: a version bumped in its UPDATE, no workflow column."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_workflow_writing = contextvars.ContextVar("courtinfo_workflow_writing", default=False)


@contextmanager
def workflow_writes():
    """Lets the block write the columns that only the workflow owns (claims.workflow uses it)."""
    token = _workflow_writing.set(True)
    try:
        yield
    finally:
        _workflow_writing.reset(token)


def workflow_is_writing() -> bool:
    return _workflow_writing.get()


class EditConflict(Exception):
    """A save whose expected version is no longer the row's: someone else saved in between."""

    def __init__(self, obj, expected: int):
        self.obj = obj
        self.expected = expected
        super().__init__(
            f"{obj._meta.verbose_name} #{obj.pk} was changed by someone else after version "
            f"{expected} was opened."
        )
