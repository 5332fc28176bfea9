"""Deleted objects that can be recovered, found by index: a page of them, or one by its version.

django-reversion's `Version.objects.get_deleted(model)` reads every version of the model and
probes its table for each, whatever part of the list is shown. Here the deletions the database
recorded (claims.models.Deletion) are read newest first, a page at a time, each with its newest
version; an object that exists again (it was recovered) or has no version is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models.functions import Cast
from reversion.models import Version

from claims.models import Deletion

PAGE_SIZE = 100
# A page passes over at most WINDOWS windows of WINDOW_PER_ROW deletions a row (deleted_page).
WINDOW_PER_ROW = 10
WINDOWS = 3
# The query parameter of a list's older page: the deletion it continues before.
OLDER_VAR = "before"

# The largest id the version and deletion tables hold; a number past it names no row.
_LARGEST_ID = 2**63 - 1


@dataclass
class DeletedPage:
    versions: list[Version]
    # The deletion to continue before, for the next page; None on the last page.
    older: int | None


def _versions(model: type[models.Model]) -> models.QuerySet:
    return Version.objects.get_for_model(model, model_db=router.db_for_write(model))


def recorded(model: type[models.Model], before: int | None) -> models.QuerySet:
    """Every recorded deletion of the model, newest first (before the deletion `before`)."""
    rows = Deletion.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return rows.order_by("-pk")


def deleted_rows(
    model: type[models.Model], before: int | None = None, down_to: int | None = None
) -> models.QuerySet:
    """The model's deletions, newest first, whose object is gone and has a version.

    Each row carries `latest`, the id of its object's newest version. `before` starts after the
    deletion with that id; `down_to` stops at the deletion with that id.
    """
    newest = (
        _versions(model)
        .filter(object_id=models.OuterRef("object_id"))
        .order_by("-pk")
        .values("pk")[:1]
    )
    key = model._meta.pk
    live = model._base_manager.filter(pk=Cast(models.OuterRef("object_id"), key)).order_by()
    rows = (
        recorded(model, before)
        .annotate(latest=models.Subquery(newest))
        .filter(latest__isnull=False)
        .filter(~models.Exists(live))
    )
    if down_to is not None:
        rows = rows.filter(pk__gte=down_to)
    return rows


def deleted_page(
    model: type[models.Model], before: int | None = None, size: int = PAGE_SIZE
) -> DeletedPage:
    """One page of the model's deleted objects, newest deletion first, as their newest versions.

    Deletions whose object exists again or has no version are passed over, a window of
    WINDOW_PER_ROW deletions for each row of the page at a time, and at most WINDOWS windows:
    a page costs the same however many of those there are, and may then list fewer rows than
    `size`, with a link to the older ones.
    """
    found: list[tuple[int, int]] = []
    start = before
    window = size * WINDOW_PER_ROW
    for _ in range(WINDOWS):
        # The window's last deletion, and whether any is older than it.
        edge = list(recorded(model, start).values_list("pk", flat=True)[window - 1 : window + 1])
        down_to = edge[0] if edge else None
        rows = deleted_rows(model, start, down_to).values_list("pk", "latest")
        found += rows[: size + 1 - len(found)]
        if len(found) > size:
            return _page(found[:size], older=found[size - 1][0])
        if len(edge) < 2:
            return _page(found, older=None)
        start = down_to
    return _page(found, older=start)


def _page(rows: list[tuple[int, int]], older: int | None) -> DeletedPage:
    versions = Version.objects.select_related("revision").in_bulk([latest for _, latest in rows])
    return DeletedPage(
        versions=[versions[latest] for _, latest in rows if latest in versions], older=older
    )


def posted_id(value: str | None) -> int | None:
    """A row id from a URL or a query string; None when absent or not one a table can hold."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < len(value) <= 19 and int(value) <= _LARGEST_ID:
        return int(value)
    return None


def recoverable_version(model: type[models.Model], version_id: str) -> Version | None:
    """The version, if it is the newest of a deleted object of this model; None otherwise.

    The object is looked up in its table, whatever the deletions say: an object that exists is
    never recovered over (a recover saves the version's fields onto the row).
    """
    version_id = posted_id(version_id)
    if version_id is None:
        return None
    versions = _versions(model)
    version = versions.select_related("revision").filter(pk=version_id).first()
    if version is None:
        return None
    if versions.filter(object_id=version.object_id, pk__gt=version.pk).exists():
        return None
    try:
        key = model._meta.pk.to_python(version.object_id)
    except ValidationError:
        return None
    if model._base_manager.filter(pk=key).exists():
        return None
    return version
