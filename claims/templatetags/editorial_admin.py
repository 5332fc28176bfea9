"""The dashboard's three desks, and the small pieces admin templates show (statuses, risks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.urls import reverse
from django.utils.functional import Promise

from claims import desks, risk
from claims.admin_views import risk_badge as _risk_badge
from claims.models import Claim
from courtinfo.models import Answer

register = template.Library()

QUEUE_LENGTH = 10


@dataclass
class Queue:
    key: str
    title: str | Promise
    empty: str | Promise
    count: int
    items: list
    list_url: str


@dataclass
class Desk:
    key: str
    title: str | Promise
    queues: list[Queue] = field(default_factory=list)


def _queue(kind: desks.QueueKind, user) -> Queue:
    rows = desks.queue_rows(kind.key, user)
    if kind.model is Claim:
        rows = risk.with_audit_facts(rows)
    items = list(rows[:QUEUE_LENGTH])
    # A short list is its own count; only a full one needs the COUNT query.
    count = len(items) if len(items) < QUEUE_LENGTH else rows.count()
    if kind.key == "answers_to_review":
        desks.with_progress(items)
    elif kind.model is Claim:
        items = risk.audited(items)
    opts = kind.model._meta
    list_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return Queue(
        key=kind.key,
        title=kind.title,
        empty=kind.empty,
        count=count,
        items=items,
        list_url=f"{list_url}?queue={kind.key}",
    )


def editorial_desks(user) -> list[Desk]:
    """The desks this person works at, each with the queues their roles give them."""
    shown = []
    for key, title in desks.DESKS:
        queues = [_queue(kind, user) for kind in desks.queues_for(user) if kind.desk == key]
        if queues:
            shown.append(Desk(key=key, title=title, queues=queues))
    return shown


@register.simple_tag(takes_context=True)
def work_desks(context) -> list[Desk]:
    return editorial_desks(context["request"].user)


@register.filter
def risk_badge(audit) -> str:
    return _risk_badge(audit) if audit is not None else ""


@register.filter
def status_label(value: str | None) -> str:
    """A claim's or an answer's status as people read it ("not_a_claim" → "Not a claim")."""
    labels = {**dict(Claim.Status.choices), **dict(Answer.Status.choices)}
    return str(labels.get(value, value or ""))
