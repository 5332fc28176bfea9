"""The three desks' work queues: what waits for an editor, a reviewer and a publisher.

One queryset per queue serves the dashboard and the list its link opens, so the count a
dashboard shows is the number of rows that list holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from claims import risk, workflow
from claims.models import Claim, Review
from courtinfo.models import Answer, Translation

A = Answer.Status

# Events that move an answer from one status to another; the newest says how it got where it is.
_ANSWER_MOVES = [
    Review.Action.SUBMIT,
    Review.Action.REQUEST_CHANGES,
    Review.Action.APPROVE,
    Review.Action.PUBLISH,
    Review.Action.WITHDRAW,
    Review.Action.REOPEN,
]


def with_last_move(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """Each answer with `last_move` (the newest status event's action) and `last_move_note`."""
    newest = Review.objects.filter(
        answer=OuterRef("pk"), claim__isnull=True, action__in=_ANSWER_MOVES
    ).order_by("-at", "-pk")
    return answers.annotate(
        last_move=Subquery(newest.values("action")[:1]),
        last_move_note=Subquery(newest.values("note")[:1]),
    )


def drafts(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    """Drafts this person works on or that nobody has taken up yet; sent back first.

    Nobody has taken up a draft that no person has touched through the workflow since it was
    imported (whoever imported it), or that was last saved by an import or a script.
    """
    untouched = ~Exists(Review.objects.filter(answer=OuterRef("pk")))
    nobodys = Q(updated_by__isnull=True) | Q(updated_by__is_staff=False) | untouched
    return (
        with_last_move(rows.filter(status=A.DRAFT))
        .filter(Q(updated_by=user) | Q(submitted_by=user) | nobodys)
        .annotate(
            sent_back=Case(
                When(last_move=Review.Action.REQUEST_CHANGES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("sent_back", "question__jurisdiction__name", "question__position", "pk")
    )


def answers_to_review(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    """Answers in review that this person did not submit, oldest first."""
    return rows.filter(status=A.IN_REVIEW).exclude(submitted_by=user).order_by("submitted_at", "pk")


def claims_to_check(rows: QuerySet[Claim], user) -> QuerySet[Claim]:
    """Unverified claims of answers in review whose text this person did not write, riskiest
    first (`risk_rank`), then in the order the answers were submitted."""
    rows = rows.filter(status=Claim.Status.UNVERIFIED, answer__status=A.IN_REVIEW).exclude(
        author=user
    )
    return risk.ranked_by_risk(rows).order_by(
        "risk_rank", "answer__submitted_at", "answer_id", "block", "position", "pk"
    )


def answers_to_publish(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    return rows.filter(status=A.APPROVED).order_by("approved_at", "pk")


def withdrawn(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    return rows.filter(status=A.WITHDRAWN).order_by("-withdrawn_at", "pk")


def review_overdue(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    """Answers whose live publication is past its review date, oldest due first."""
    return rows.filter(live_publication__review_due_on__lt=timezone.localdate()).order_by(
        "live_publication__review_due_on", "pk"
    )


def translations_to_start(rows: QuerySet[Answer], user) -> QuerySet[Answer]:
    """Published answers with no Spanish translation yet, longest published first."""
    return (
        rows.filter(live_publication__isnull=False)
        .exclude(translations__language=Translation.Language.SPANISH)
        .order_by("live_publication__published_at", "pk")
    )


def translations_outdated(rows: QuerySet[Translation], user) -> QuerySet[Translation]:
    """Translations with a claim whose published English changed since it was translated."""
    # The comparison is with the English payloads, so it is made in Python over live answers.
    from claims.admin_translations import outdated_translation_ids

    return rows.filter(pk__in=outdated_translation_ids()).order_by("answer__updated_at", "pk")


def translations_to_approve(rows: QuerySet[Translation], user) -> QuerySet[Translation]:
    """Translations in review of which this person translated no claim, oldest first."""
    return (
        rows.filter(status=A.IN_REVIEW)
        .exclude(claims__translator=user)
        .distinct()
        .order_by("updated_at", "pk")
    )


@dataclass(frozen=True)
class QueueKind:
    key: str
    desk: str
    title: str | Promise
    empty: str | Promise
    permission: str
    model: type
    select: Callable


QUEUES: dict[str, QueueKind] = {
    q.key: q
    for q in [
        QueueKind(
            "drafts",
            "editor",
            _("Drafts to work on"),
            _("No drafts wait for you. Import a document to start new ones."),
            "courtinfo.submit_answer",
            Answer,
            drafts,
        ),
        QueueKind(
            "answers_to_review",
            "reviewer",
            _("Answers to review"),
            _("No answer waits for your review."),
            "courtinfo.review_answer",
            Answer,
            answers_to_review,
        ),
        QueueKind(
            "claims_to_check",
            "reviewer",
            _("Claims to check, riskiest first"),
            _("No claim waits for checking."),
            "claims.verify_claim",
            Claim,
            claims_to_check,
        ),
        QueueKind(
            "review_overdue",
            "reviewer",
            _("Live answers past their review date"),
            _("Every live answer is within its review date."),
            "courtinfo.review_answer",
            Answer,
            review_overdue,
        ),
        QueueKind(
            "answers_to_publish",
            "publisher",
            _("Approved, ready to publish"),
            _("No approved answer waits to be published."),
            "courtinfo.publish_answer",
            Answer,
            answers_to_publish,
        ),
        QueueKind(
            "translations_to_start",
            "translator",
            _("Published answers to translate"),
            _("Every published answer has a Spanish translation."),
            "courtinfo.translate_answer",
            Answer,
            translations_to_start,
        ),
        QueueKind(
            "translations_outdated",
            "translator",
            _("Translations whose English changed"),
            _("No translation is behind its English."),
            "courtinfo.translate_answer",
            Translation,
            translations_outdated,
        ),
        QueueKind(
            "translations_to_approve",
            "translator",
            _("Translations waiting for approval"),
            _("No translation waits for your approval."),
            "courtinfo.review_translation",
            Translation,
            translations_to_approve,
        ),
        QueueKind(
            "withdrawn",
            "publisher",
            _("Withdrawn answers"),
            _("No answer is withdrawn."),
            "courtinfo.publish_answer",
            Answer,
            withdrawn,
        ),
    ]
}

DESKS = [
    ("editor", _("Editor's desk")),
    ("reviewer", _("Reviewer's desk")),
    ("publisher", _("Publisher's desk")),
    ("translator", _("Translator's desk")),
]


def queues_for(user, model: type | None = None) -> list[QueueKind]:
    """The queues this person may work from (of `model`'s rows when given), in desk order."""
    return [
        q
        for q in QUEUES.values()
        if (model is None or q.model is model) and user.is_staff and user.has_perm(q.permission)
    ]


def queue_rows(key: str, user, rows: QuerySet | None = None) -> QuerySet | None:
    """Queue `key` of `user` (from `rows`, by default every row); None when it is not theirs."""
    kind = QUEUES.get(key)
    if kind is None or kind not in queues_for(user):
        return None
    if rows is None:
        rows = kind.model.objects.select_related(*_SHOWN[kind.model])
    return kind.select(rows, user)


# What a dashboard line shows of each row.
_SHOWN = {
    Answer: ["question__jurisdiction", "question__topic", "live_publication"],
    Claim: ["answer__question__jurisdiction"],
    Translation: ["answer__question__jurisdiction"],
}


def with_progress(answers: list[Answer]) -> list[Answer]:
    """Each answer with `checked` and `claim_total`: how many of its claims count as checked."""
    checked = Claim.objects.prefetch_related(
        Prefetch("citations", queryset=workflow.checked_citations())
    )
    prefetch_related_objects(answers, Prefetch("claims", queryset=checked))
    for answer in answers:
        claims = list(answer.claims.all())
        answer.claim_total = len(claims)
        answer.checked = sum(1 for claim in claims if workflow.is_checked(claim))
    return answers
