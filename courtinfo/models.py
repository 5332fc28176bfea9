"""Content models: jurisdictions, topics, questions, answers and their immutable publications."""

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _

from courtinfo.addresses import address
from courtinfo.editing import EditConflict, workflow_is_writing


class JurisdictionManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "Jurisdiction":
        return self.get(code=code)


@reversion.register()
class Jurisdiction(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        DISTRICT = "district", _("District")
        TERRITORY = "territory", _("Territory")
        FEDERAL = "federal", _("Federal")

    code = models.CharField(
        max_length=2, unique=True, help_text=_("Postal code, e.g. MO; US for federal.")
    )
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATE)

    objects = JurisdictionManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("public:jurisdiction", self.slug)

    def natural_key(self) -> tuple[str]:
        # Exports name jurisdictions by code: every database makes its own rows in a migration.
        return (self.code,)


@reversion.register()
class Topic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkflowFieldWrite(Exception):
    """A bulk update outside claims.workflow tried to write a status, a verdict or what is live."""


class ContentQuerySet(models.QuerySet):
    """Bulk writes of content: they bump the version and never write a workflow column."""

    def update(self, **kwargs):
        self._refuse_workflow_fields(kwargs)
        kwargs.setdefault("version", models.F("version") + 1)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse_workflow_fields(fields)
        objs = list(objs)
        versions = [obj.version for obj in objs]
        for obj in objs:
            obj.version = models.F("version") + 1
        try:
            updated = super().bulk_update(objs, [*fields, "version"], batch_size=batch_size)
        except Exception:
            for obj, version in zip(objs, versions, strict=True):
                obj.version = version
            raise
        # As a save does: each object holds the version its UPDATE wrote.
        for obj, version in zip(objs, versions, strict=True):
            obj.version = version + 1
        return updated

    def _refuse_workflow_fields(self, names) -> None:
        if workflow_is_writing():
            return
        owned = set()
        for attname in self.model.workflow_fields:
            field = self.model._meta.get_field(attname.removesuffix("_id"))
            owned |= {field.name, field.attname}
        written = sorted(owned & set(names))
        if written:
            raise WorkflowFieldWrite(
                f"{', '.join(written)} of {self.model._meta.verbose_name_plural} are written only "
                "by claims.workflow; call the workflow instead."
            )


class EditedModel(models.Model):
    """Content a person edits: who changed it last, and a version that every UPDATE bumps.

    Every save of an existing row goes through `_do_update`, whatever called it (a form, the
    shell, reversion's revert, the importer): it increments `version` in the same UPDATE, checks
    the version a change form opened (`expect_version`), and leaves the columns named in
    `workflow_fields` as the database has them unless claims.workflow is writing.
    """

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    # Columns only claims.workflow writes (statuses, verdicts, the live publication).
    workflow_fields: frozenset[str] = frozenset()

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def expect_version(self, version: int) -> None:
        """The next save writes only if the row is still at `version`, else raises EditConflict."""
        self.__dict__["_expected_version"] = version

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        writing = workflow_is_writing()
        kept = [
            (field, model, value)
            for field, model, value in values
            if field.attname != "version" and (writing or field.attname not in self.workflow_fields)
        ]
        kept.append((self._meta.get_field("version"), None, models.F("version") + 1))
        expected = self.__dict__.pop("_expected_version", None)
        if expected is not None:
            base_qs = base_qs.filter(version=expected)
        updated = super()._do_update(base_qs, using, pk_val, kept, update_fields, forced_update)
        if (
            not updated
            and expected is not None
            and type(self)._base_manager.using(using).filter(pk=pk_val).exists()
        ):
            raise EditConflict(self, expected)
        current = expected if expected is not None else self.__dict__.get("version")
        if updated and isinstance(current, int):
            self.version = current + 1
        return updated


@reversion.register()
class Question(EditedModel):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="questions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField()
    slug = models.SlugField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    compare_key = models.SlugField(
        max_length=200,
        blank=True,
        help_text=_("The question without its jurisdiction's name; equal keys are compared."),
    )
    source_file = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["jurisdiction__name", "topic__name", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "slug"], name="question_unique_slug_per_jurisdiction"
            ),
        ]
        indexes = [
            models.Index(fields=["compare_key"], name="question_compare_key"),
            models.Index(fields=["jurisdiction", "topic", "position"], name="question_order"),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return address("public:question", self.jurisdiction.slug, self.slug)


class BlockKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("Paragraph")
    NUMBERED = "numbered", _("Numbered point")
    BULLET = "bullet", _("Bullet")


def validate_blocks(value) -> None:
    """Answer.blocks: a list of {"kind", "number"}; numbered points carry a positive number."""
    if not isinstance(value, list):
        raise ValidationError(_("The blocks must be a list."), code="blocks")
    for index, block in enumerate(value):
        where = _("Block %(index)s") % {"index": index}
        if not isinstance(block, dict) or set(block) != {"kind", "number"}:
            raise ValidationError(
                _('%(where)s must have exactly the keys "kind" and "number".') % {"where": where},
                code="blocks",
            )
        kind, number = block["kind"], block["number"]
        if kind not in BlockKind.values:
            raise ValidationError(
                _("%(where)s: kind must be paragraph, numbered or bullet.") % {"where": where},
                code="blocks",
            )
        numbered = kind == BlockKind.NUMBERED
        if numbered and not (type(number) is int and number > 0):
            raise ValidationError(
                _("%(where)s: a numbered point needs a number of 1 or more.") % {"where": where},
                code="blocks",
            )
        if not numbered and number is not None:
            raise ValidationError(
                _("%(where)s: only numbered points have a number.") % {"where": where},
                code="blocks",
            )


@reversion.register(follow=("claims",))
class Answer(EditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    # The answer as written: [{"kind": BlockKind, "number": int | None}, …]; Claim.block indexes it.
    blocks = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_blocks],
        help_text=_(
            'The answer\'s layout, in order: [{"kind": "paragraph", "number": null}, '
            '{"kind": "numbered", "number": 1}, {"kind": "bullet", "number": null}]. '
            "Each claim names its block by position, counting from 0."
        ),
    )
    live_publication = models.OneToOneField(
        "Publication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_answer",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the approver approved (see claims.workflow.answer_content); publishing needs a match.
    approved_content = models.JSONField(null=True, blank=True, editable=False)
    # sha256 of the content as last imported; differs from the current content once a person edits.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When `manage.py publish_scheduled` publishes this approved answer, and for whom; any edit
    # clears both (claims.workflow.schedule_publication).
    publish_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    publish_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    workflow_fields = frozenset(
        {
            "status",
            "publish_at",
            "publish_scheduled_by_id",
            "live_publication_id",
            "submitted_by_id",
            "submitted_at",
            "approved_by_id",
            "approved_at",
            "approved_content",
            "withdrawn_reason",
            "withdrawn_at",
        }
    )

    class Meta:
        ordering = ["question__jurisdiction__name", "question__position"]
        permissions = [
            ("submit_answer", "Can submit answers for review"),
            ("review_answer", "Can approve answers or request changes"),
            ("publish_answer", "Can publish and withdraw answers"),
        ]

    def __str__(self) -> str:
        return str(self.question)

    def get_absolute_url(self) -> str:
        return self.question.get_absolute_url()


class WriteOnceQuerySet(models.QuerySet):
    """Rows that are written once: update() and delete() are refused before reaching the database.

    Database triggers refuse the same for any other client (migrations courtinfo 0007, claims 0003).
    """

    refusal: type[Exception] = Exception
    reason = ""

    def update(self, **kwargs):
        raise self.refusal(self.reason)

    def delete(self):
        raise self.refusal(self.reason)


class WriteOnceModel(models.Model):
    """A row written once: saving it again, or deleting it, raises `refusal`."""

    refusal: type[Exception] = Exception
    changed_message = ""
    deleted_message = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refusal(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal(self.deleted_message)


class PublicationImmutable(Exception):
    """Raised on any attempt to change or delete a written publication."""


class PublicationQuerySet(WriteOnceQuerySet):
    refusal = PublicationImmutable
    reason = "Publications are never changed or deleted; publish a new version instead."

    def live(self):
        return self.filter(live_answer__isnull=False)


SEARCH_CONFIG = "english"


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL; plain text elsewhere, where search falls back to substrings."""

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Func):
    """What public search matches in a publication: its question, its claims and its citations.

    On PostgreSQL a tsvector weighting the question and the citations above the claims' text;
    elsewhere the same texts joined, for the substring fallback. `citations` is the payload's list
    of normalised citations as JSON text (see claims.snapshot.cited_citations).
    """

    _WEIGHTS = ("A", "B", "A")

    def __init__(self, question, body, citations, **extra):
        super().__init__(question, body, citations, output_field=SearchDocumentField(), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = self._compiled(compiler)
        return " || ' ' || ".join(f"COALESCE({sql}, '')" for sql in parts), params

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = self._compiled(compiler)
        vectors = [
            f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE({sql}, '')), '{weight}')"
            for sql, weight in zip(parts, self._WEIGHTS, strict=True)
        ]
        return " || ".join(vectors), params

    def _compiled(self, compiler) -> tuple[list[str], list]:
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return parts, params


class Publication(WriteOnceModel):
    """An immutable snapshot of an approved answer; the public pages render only these."""

    refusal = PublicationImmutable
    changed_message = "A publication is never changed after it is written."
    deleted_message = "A publication is never deleted."

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField()
    # Copied from the question at publishing time so public pages never read editorial tables.
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question_slug = models.SlugField(max_length=200)
    question_text = models.TextField()
    compare_key = models.SlugField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True)
    # The question and every claim as plain text, for public search.
    body_text = models.TextField(blank=True)
    review_due_on = models.DateField()
    payload = models.JSONField()
    # The topic as published, computed by the database from the payload: public lists and filters
    # read these, so renaming the topic changes no public page until the answer is republished.
    topic_name = models.GeneratedField(
        expression=KT("payload__topic__name"),
        output_field=models.CharField(max_length=200, null=True),
        db_persist=True,
    )
    topic_slug = models.GeneratedField(
        expression=KT("payload__topic__slug"),
        output_field=models.SlugField(max_length=200, null=True),
        db_persist=True,
    )
    # Computed by the database when the row is written; GIN-indexed on PostgreSQL (migration 0011)
    # and kept in the row, out of the TOAST table, for ranking (migration 0014).
    search_document = models.GeneratedField(
        expression=SearchDocument("question_text", "body_text", KT("payload__citations")),
        output_field=SearchDocumentField(),
        db_persist=True,
    )

    objects = PublicationQuerySet.as_manager()

    # True when a page in another language shows it in English (courtinfo.translations sets it).
    # A default here, not a missing attribute: templates look a missing one up through dir().
    english_only = False

    class Meta:
        ordering = ["answer", "version"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "version"], name="publication_unique_version_per_answer"
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "question_slug"], name="publication_lookup"),
            models.Index(fields=["compare_key"], name="publication_compare_key"),
            models.Index(fields=["-published_at"], name="publication_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.question_text} (v{self.version})"

    def get_absolute_url(self) -> str:
        return address("public:question", self.jurisdiction.slug, self.question_slug)


class PublicationSource(models.Model):
    """One entry of a publication's list of sources, as the payload gives it, with where the
    publication stands in the jurisdiction pages' order.

    Written by the database when the publication is inserted (a trigger, migration 0014), so
    every way of writing one fills it; never changed, like the publication. The sources pages
    count and order the sources of live publications here instead of decoding every payload.
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="listed_sources"
    )
    # The source's id in the editorial tables; public pages never read those.
    source_id = models.PositiveBigIntegerField()
    # The payload's entry: id, title, url, kind, citation, publisher, accessed_on.
    details = models.JSONField()
    # Its title again, in a column: the sources page is ordered by it.
    title = models.TextField()
    # The publication's, copied: the answers under a source are listed as jurisdiction pages are.
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["source_id", "publication"], name="publication_source_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.details.get('title', '')} in {self.publication_id}"


@reversion.register(follow=("claims",))
class Translation(EditedModel):
    """An answer in another language, translated claim by claim from one of its publications.

    It goes through the answer's statuses with its own approval; its public page renders only its
    own immutable publications (`TranslationPublication`).
    """

    class Language(models.TextChoices):
        SPANISH = "es", "Español"

    Status = Answer.Status

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.SPANISH)
    status = models.CharField(
        max_length=10,
        choices=Answer.Status.choices,
        default=Answer.Status.DRAFT,
        editable=False,
        db_index=True,
    )
    # The English publication the translated claims were made from.
    source_publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="translations", editable=False
    )
    question_text = models.TextField(
        blank=True, help_text=_("The question in this language, as readers will see it.")
    )
    live_publication = models.OneToOneField(
        "TranslationPublication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_translation",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the approver approved (claims.workflow.translation_content); publishing needs a match.
    approved_content = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    workflow_fields = frozenset(
        {
            "status",
            "source_publication_id",
            "live_publication_id",
            "submitted_by_id",
            "approved_by_id",
            "approved_at",
            "approved_content",
        }
    )

    class Meta:
        ordering = ["answer", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "language"], name="translation_one_per_language"
            ),
        ]
        permissions = [
            ("translate_answer", "Can translate answers and submit translations"),
            ("review_translation", "Can approve translations or send them back"),
        ]

    def __str__(self) -> str:
        return f"{self.answer} ({self.get_language_display()})"


class TranslationPublicationQuerySet(WriteOnceQuerySet):
    refusal = PublicationImmutable
    reason = "Publications are never changed or deleted; publish a new version instead."


class TranslationPublication(WriteOnceModel):
    """An immutable snapshot of an approved translation: the English payload in another language."""

    refusal = PublicationImmutable
    changed_message = Publication.changed_message
    deleted_message = Publication.deleted_message

    translation = models.ForeignKey(
        Translation, on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField()
    # The English publication this one translates.
    source_publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="translated_publications"
    )
    language = models.CharField(max_length=5)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body_text = models.TextField(blank=True)
    payload = models.JSONField()

    objects = TranslationPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["translation", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "version"],
                name="translation_publication_unique_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payload['question']['text']} ({self.language}, v{self.version})"


class ProblemReport(models.Model):
    """A reader's report of a problem with a published answer, or with one of its claims.

    The reader's address is kept only while the report is open: closing it (rejected or
    resolved) deletes the address.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        RESOLVED = "resolved", _("Resolved")

    CLOSED = frozenset({Status.REJECTED, Status.RESOLVED})

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="problem_reports")
    # The version the reader was reading, and the claim as it stood there: the claim is named by
    # the id its publication gives it (null: the whole answer).
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="problem_reports"
    )
    claim = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The published claim's id; empty for the whole answer.")
    )
    claim_text = models.TextField(blank=True)
    message = models.TextField(max_length=2000)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reader report")

    def __str__(self) -> str:
        what = _("claim #%(id)s") % {"id": self.claim} if self.claim else _("the whole answer")
        return f"{what}: {self.message[:60]}"

    def save(self, *args, **kwargs):
        # Closed means the reader's address has done its job.
        if self.status in self.CLOSED:
            self.email = ""
            if update_fields := kwargs.get("update_fields"):
                kwargs["update_fields"] = {*update_fields, "email"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class LiveGeneration(models.Model):
    """A counter of changes to what the public sees; cached pages are keyed by it.

    Database triggers bump it in the transaction that changes an answer's live publication or its
    withdrawal, or any jurisdiction (migration courtinfo 0010), whoever writes: the workflow, a
    queryset update, raw SQL. A reader that sees the new value sees the change with it.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
