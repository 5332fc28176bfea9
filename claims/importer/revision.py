"""The import's one revision per document, written in bulk.

Written by hand because django-reversion has no bulk API: `add_to_revision` serialises each
object through Django's json serializer, whose `json.dump` to a stream runs the pure-Python
encoder, then `_save_revision` checks that each object still exists and inserts the versions
with `bulk_create`. For a document of a hundred answers that was most of the import's time.

`store_revision` makes the rows reversion would make for the same objects, field for field and
byte for byte (tests/claims/test_load.py compares them): the same objects, collected through
reversion's own registrations and `_follow_relations`; the same serialized data, from Django's
python serializer with the options each model was registered with, then encoded as the json
serializer does; the same revision. What it leaves out is what an import does not need: the
existence check (its objects are rows it has just written or locked) and merging into an outer
revision (it refuses to run inside one).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connections, models, router
from django.db.backends.utils import CursorDebugWrapper
from django.utils import timezone
from django.utils.encoding import force_str
from reversion import is_active
from reversion.errors import RevisionManagementError
from reversion.models import Revision, Version
from reversion.revisions import (
    _follow_relations,
    _get_content_type,
    _get_options,
    create_revision,
)
from reversion.signals import post_revision_commit, pre_revision_commit

# The json serializer's own settings (django.core.serializers.json.Serializer._init_options).
# One encoder for every object: its `encode` runs the C encoder and gives the text that
# `json.dump` writes to the serializer's stream.
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)

# The columns a version is written with, in the order of the COPY.
_COLUMNS = (
    "revision",
    "object_id",
    "content_type",
    "db",
    "format",
    "serialized_data",
    "object_repr",
)


def store_revision(objects: Iterable[models.Model], *, user, comment: str) -> Revision | None:
    """Store one revision of `objects`, and what their registrations follow, in bulk.

    It stores what `reversion.create_revision()` with `add_to_revision(obj)` for each of
    `objects`, in order, would store, and sends reversion's pre- and post-revision-commit
    signals (on PostgreSQL, the versions they are sent carry no pk: they are copied in, not
    created one by one). Related objects are read through their accessors, as reversion reads
    them: prefetch them, or give them as prefetched, or each costs a query.

    Every object must be a row of the database as it is in memory (reversion would leave out
    one that is not in the database at all): the importer has just written or locked each. It
    opens no transaction of its own (the revision and its versions are two statements): call it
    in one, as the import's. Returns the revision, or None when there was nothing to store.
    """
    if is_active():
        raise RevisionManagementError(
            "store_revision writes a revision of its own; call it outside create_revision()"
        )
    using = router.db_for_write(Revision)
    date_created = timezone.now()
    # (content type, object id): (object, its database)
    found: dict[tuple[ContentType, str], tuple[models.Model, str]] = {}
    for obj in objects:
        _collect(obj, using, router.db_for_write(obj.__class__, instance=obj), True, found)
    if not found:
        return None
    data = _serialized_data([obj for obj, _model_db in found.values()])
    versions = [
        Version(
            content_type=content_type,
            object_id=object_id,
            db=model_db,
            format=_get_options(obj.__class__).format,
            serialized_data=serialized,
            object_repr=force_str(obj),
        )
        for ((content_type, object_id), (obj, model_db)), serialized in zip(
            found.items(), data, strict=True
        )
    ]
    revision = Revision(date_created=date_created, user=user, comment=comment)
    pre_revision_commit.send(sender=create_revision, revision=revision, versions=versions)
    revision.save(using=using)
    for version in versions:
        version.revision = revision
    _insert(versions, using)
    post_revision_commit.send(sender=create_revision, revision=revision, versions=versions)
    return revision


def _collect(obj, using: str, model_db: str, explicit: bool, found: dict) -> None:
    """What reversion.revisions._add_to_revision keeps of `obj` and what it follows."""
    if obj.pk is None:
        return
    options = _get_options(obj.__class__)
    if options.ignore_duplicates and explicit:
        # That needs the object's last version read back, one query each: not for a bulk write.
        raise RevisionManagementError(
            f"{obj.__class__.__name__} is registered with ignore_duplicates, which "
            "store_revision does not support"
        )
    content_type = _get_content_type(obj.__class__, using)
    key = (content_type, force_str(getattr(obj, options.object_id_field)))
    if key in found and not explicit:
        return
    # An object added again keeps its place and takes the data of the instance given last.
    found[key] = (obj, model_db)
    for related in _follow_relations(obj):
        _collect(related, using, model_db, False, found)


def _serialized_data(objects: list[models.Model]) -> list[str]:
    """Each object's serialized_data, as `serializers.serialize(format, (obj,), …)` gives it."""
    data: list[str | None] = [None] * len(objects)
    by_model: dict[type, list[int]] = {}
    for index, obj in enumerate(objects):
        by_model.setdefault(obj.__class__, []).append(index)
    for model, indexes in by_model.items():
        options = _get_options(model)
        kwargs = {
            "fields": options.fields,
            "use_natural_foreign_keys": options.use_natural_foreign_keys,
        }
        if serializers.get_serializer(options.format) is JSONSerializer:
            # The json serializer writes "[", each object's python form through json.dump, "]".
            dumped = PythonSerializer().serialize([objects[i] for i in indexes], **kwargs)
            for index, item in zip(indexes, dumped, strict=True):
                data[index] = f"[{_ENCODER.encode(item)}]"
        else:
            for index in indexes:
                data[index] = serializers.serialize(options.format, (objects[index],), **kwargs)
    return data


def _insert(versions: list[Version], using: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        Version.objects.using(using).bulk_create(versions)
        return
    # COPY: Django's bulk_create on PostgreSQL sends each column as an array, quoted in Python
    # by psycopg, which for the long serialized data costs more than the serialising.
    quote = connection.ops.quote_name
    fields = [Version._meta.get_field(name) for name in _COLUMNS]
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(Version._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    attnames = [field.attname for field in fields]
    rows = [[getattr(version, attname) for attname in attnames] for version in versions]

    def copy_rows(sql, params, many, context):
        # What django.db.backends.utils.CursorWrapper._execute does around a statement.
        context["connection"].validate_no_broken_transaction()
        with context["connection"].wrap_database_errors, context["cursor"].cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    with connection.cursor() as cursor:
        # Through the connection's execute wrappers and into its query log, as cursor.execute
        # goes, so that whatever counts the queries counts this one.
        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged:
            cursor._execute_with_wrappers(sql, None, many=False, executor=copy_rows)


def given_as_prefetched(instance: models.Model, name: str, objects: list[models.Model]) -> None:
    """Make `instance.<name>.all()` give `objects` without a query, as prefetch_related does.

    For objects already in memory, such as rows just created, whose related rows are known.
    """
    manager = getattr(instance, name)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(manager.field.remote_field.cache_name, None)
    # What django.db.models.query.prefetch_one_level stores for each instance.
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    cache[manager.field.remote_field.cache_name] = queryset
