"""Claims, the sources that back them, citations linking the two, and the review trail."""

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from courtinfo.models import Answer, EditedModel, Publication, WriteOnceModel, WriteOnceQuerySet


@reversion.register(follow=("citations",))
class Claim(EditedModel):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        SUPPORTED = "supported", _("Supported")
        DISPUTED = "disputed", _("Disputed")
        NOT_A_CLAIM = "not_a_claim", _("Not a claim")

    answer = models.ForeignKey("courtinfo.Answer", on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    # Index into Answer.blocks: which paragraph, point or bullet this claim belongs to.
    block = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.UNVERIFIED,
        editable=False,
        db_index=True,
    )
    # Who wrote the current text; None for imported drafts nobody has edited.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.TextField(blank=True, editable=False, help_text=_("The reviewer's verdict note."))
    # What the reviewer judged (claims.workflow.claim_content); the verdict holds while it matches.
    verified_content = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    workflow_fields = frozenset(
        {"status", "verified_by_id", "verified_at", "note", "verified_content"}
    )

    class Meta:
        ordering = ["answer", "position"]
        permissions = [("verify_claim", "Can verify claims")]
        indexes = [models.Index(fields=["answer", "position"], name="claim_order")]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


@reversion.register()
class Source(EditedModel):
    class Kind(models.TextChoices):
        STATUTE = "statute", _("Statute")
        REGULATION = "regulation", _("Regulation")
        COURT_RULE = "court_rule", _("Court rule")
        CASE = "case", _("Court decision")
        GOVERNMENT = "government", _("Government document")
        REPORT = "report", _("Report or study")
        NEWS = "news", _("News")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    citation = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The normalised legal citation, e.g. Mo. Rev. Stat. § 67.307; blank if none."),
    )
    publisher = models.CharField(max_length=300, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["citation"], name="source_citation")]

    def __str__(self) -> str:
        return f"{self.title} ({self.citation})" if self.citation else self.title


@reversion.register()
class TranslatedClaim(EditedModel):
    """One claim of a translation: its text in that language and the English it was made from.

    It is outdated when the English claim's published text is no longer `source_text`.
    """

    translation = models.ForeignKey(
        "courtinfo.Translation", on_delete=models.CASCADE, related_name="claims"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField()
    source_text = models.TextField(editable=False)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    workflow_fields = frozenset({"source_text", "translator_id"})

    class Meta:
        ordering = ["translation", "claim__block", "claim__position", "claim"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "claim"], name="translated_claim_one_per_claim"
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)


@reversion.register()
class Citation(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(
        max_length=200, blank=True, help_text=_("Section, page or paragraph.")
    )
    quote = models.TextField(
        blank=True, help_text=_("The words in the source that back the claim.")
    )
    # Where the quote stood in the source's newest copy when the citation was written
    # (claims.evidence.anchor_quote, plus "copy" and "retrieved_at"); None if it had no copy.
    anchor = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return f"{self.source} {self.pinpoint}".strip()


class ReviewImmutable(Exception):
    """Raised on any attempt to change or delete a review event."""


class ReviewQuerySet(WriteOnceQuerySet):
    refusal = ReviewImmutable
    reason = "Review events are never changed or deleted."


class Review(models.Model):
    """One workflow event; written by claims.workflow only, never changed or deleted.

    Deleting a claim keeps its events and only forgets the claim (claim becomes null); an answer
    with events cannot be deleted at all.
    """

    class Action(models.TextChoices):
        EDIT = "edit", _("Edited")
        VERIFY = "verify", _("Verified")
        SUBMIT = "submit", _("Submitted")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        APPROVE = "approve", _("Approved")
        PUBLISH = "publish", _("Published")
        WITHDRAW = "withdraw", _("Withdrawn")
        REOPEN = "reopen", _("Reopened by an edit")
        REVERT = "revert", _("Reverted")
        RECHECK = "recheck", _("Changed after it was checked")
        # A translation's events: kept apart so that nothing counts them as the answer's own.
        TRANSLATE = "translate", _("Translated")
        TRANSLATION_SUBMIT = "translation_submit", _("Translation submitted")
        TRANSLATION_CHANGES = "translation_changes", _("Translation sent back")
        TRANSLATION_APPROVE = "translation_approve", _("Translation approved")
        TRANSLATION_PUBLISH = "translation_publish", _("Translation published")
        TRANSLATION_REOPEN = "translation_reopen", _("Translation reopened by an edit")
        TRANSLATION_WITHDRAW = "translation_withdraw", _("Translation withdrawn")
        SCHEDULE = "schedule", _("Scheduled for publication")
        CONFIRM = "confirm_review", _("Re-reviewed, still correct")

    answer = models.ForeignKey(
        "courtinfo.Answer", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    # None: a change made outside the editorial tools (a shell or script), found by the workflow.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReviewImmutable("A review event is never changed after it is written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReviewImmutable("A review event is never deleted.")


class SourceCopyImmutable(Exception):
    """Raised on any attempt to change or delete an archived copy of a source."""


class SourceCopyQuerySet(WriteOnceQuerySet):
    refusal = SourceCopyImmutable
    reason = "Archived copies of sources are never changed or deleted; archive a new copy instead."

    def newest(self):
        """Each source's newest copy only (the one quotes are checked against)."""
        rank = models.Window(RowNumber(), partition_by="source", order_by=["-retrieved_at", "-id"])
        return self.annotate(rank=rank).filter(rank=1)


class SourceCopy(WriteOnceModel):
    """An archived copy of a source, written by claims.evidence once and never changed.

    The newest copy of a source is the one its citations' quotes are checked against.
    """

    refusal = SourceCopyImmutable
    changed_message = "An archived copy is never changed after it is written."
    deleted_message = "An archived copy is never deleted."

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="copies")
    retrieved_at = models.DateTimeField(default=timezone.now, db_index=True)
    # None: archived by `manage.py archive_sources` run without --by.
    retrieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where it was fetched from (after redirects); blank for an uploaded file.
    url = models.URLField(max_length=1000, blank=True)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    # The readable text extracted from what was retrieved.
    text = models.TextField()

    objects = SourceCopyQuerySet.as_manager()

    class Meta:
        ordering = ["-retrieved_at", "-id"]
        get_latest_by = ["retrieved_at", "id"]
        verbose_name_plural = "source copies"

    def __str__(self) -> str:
        return f"{self.source.title}, {self.retrieved_at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """How a person wants to hear of the work waiting for them; no row means immediately."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("An e-mail for each event")
        DAILY = "daily", _("One daily digest")
        OFF = "off", _("No e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    # The day the last digest went out; `send_digest` sends at most one a day.
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class Notification(models.Model):
    """One message about one event to one person: the unique pair is what stops a second send."""

    event = models.CharField(max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # None: waiting for the recipient's daily digest.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], name="notification_once_per_event_and_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


class ScheduledAnswer(Answer):
    """Approved answers as the publishers' queue lists them, with their scheduled time."""

    class Meta:
        proxy = True
        verbose_name = _("answer to publish")
        verbose_name_plural = _("answers to publish")


class DueForReview(Publication):
    """Live publications past their review date, as the re-review queue lists them."""

    class Meta:
        proxy = True
        verbose_name = _("publication due for re-review")
        verbose_name_plural = _("publications due for re-review")


class Deletion(models.Model):
    """An object with a history that was deleted, however it was: the recover lists read these.

    Written by database triggers after each delete from a versioned model's table (migration
    0012), so a delete from the admin, the workflow, the importer, a cascade or the shell is
    recorded alike. One row per object, moved to the newest place when the object is deleted
    again; a row stays when the object is recovered, and the lists leave out objects that exist.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # As reversion stores it (Version.object_id): the primary key as text.
    object_id = models.CharField(max_length=191)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="deletion_once_per_object"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "id"], name="deletion_newest")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
