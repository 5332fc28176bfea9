"""The admin index's work queues, one per role, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from courtinfo.models import Answer, Publication

register = template.Library()

QUEUE_LENGTH = 10


@dataclass
class Queue:
    key: str
    title: str
    count: int
    items: list
    more_url: str


def _queue(key: str, title: str, queryset: QuerySet, more_url: str) -> Queue:
    items = list(queryset[:QUEUE_LENGTH])
    # A short list is its own count; only a full page needs the COUNT query.
    count = len(items) if len(items) < QUEUE_LENGTH else queryset.count()
    return Queue(key=key, title=title, count=count, items=items, more_url=more_url)


def _answers() -> QuerySet:
    return Answer.objects.select_related("question__jurisdiction")


def editorial_queues(user) -> list[Queue]:
    """The queues this person works from, by their permissions."""
    queues = []
    answers_url = reverse("admin:courtinfo_answer_changelist")
    if user.has_perm("courtinfo.submit_answer"):
        queues.append(
            _queue(
                "my_drafts",
                _("My drafts and answers sent back to me"),
                _answers()
                .filter(Q(updated_by=user) | Q(submitted_by=user), status=Answer.Status.DRAFT)
                .order_by("updated_at", "pk"),
                f"{answers_url}?status__exact=draft",
            )
        )
    if user.has_perm("claims.verify_claim"):
        queues.append(
            _queue(
                "claims_to_verify",
                _("Claims waiting for verification"),
                Claim.objects.select_related("answer__question__jurisdiction")
                .filter(status=Claim.Status.UNVERIFIED, answer__status=Answer.Status.IN_REVIEW)
                .exclude(author=user)
                .order_by("answer__submitted_at", "answer_id", "block", "position"),
                reverse("admin:claims_claim_changelist")
                + "?status__exact=unverified&answer__status__exact=in_review",
            )
        )
    if user.has_perm("courtinfo.review_answer"):
        queues.append(
            _queue(
                "answers_to_approve",
                _("Answers waiting for approval"),
                _answers()
                .filter(status=Answer.Status.IN_REVIEW)
                .exclude(submitted_by=user)
                .order_by("submitted_at", "pk"),
                f"{answers_url}?status__exact=in_review",
            )
        )
    if user.has_perm("courtinfo.publish_answer"):
        queues.append(
            _queue(
                "answers_to_publish",
                _("Approved answers waiting to be published"),
                _answers().filter(status=Answer.Status.APPROVED).order_by("approved_at", "pk"),
                f"{answers_url}?status__exact=approved",
            )
        )
    if user.is_staff:
        queues.append(
            _queue(
                "review_overdue",
                _("Publications past their review date"),
                Publication.objects.live()
                .filter(review_due_on__lt=timezone.localdate())
                .select_related("jurisdiction", "answer")
                .order_by("review_due_on", "pk"),
                f"{answers_url}?review_due=overdue",
            )
        )
    return queues


@register.simple_tag(takes_context=True)
def work_queues(context) -> list[Queue]:
    return editorial_queues(context["request"].user)


@register.filter
def status_label(value: str | None) -> str:
    """A claim's or an answer's status as people read it ("not_a_claim" → "Not a claim")."""
    labels = {**dict(Claim.Status.choices), **dict(Answer.Status.choices)}
    return str(labels.get(value, value or ""))
