"""E-mail to the people who can act next, and to readers whose report was acted on.

The workflow records every step as a `Review`; this module listens for the steps that hand work
to someone (submitted, approved, sent back), for new reader reports and for publications, and
sends after the transaction commits. A `Notification` row, unique per (event, recipient), is
written before anything is sent, so no event reaches a person twice; the person who acted is
never told of their own step. Each person chooses immediately, a daily digest or nothing
(`NotificationPreference`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Notification, NotificationPreference, Review
from courtinfo.models import Answer, ProblemReport, Publication

logger = logging.getLogger(__name__)
Delivery = NotificationPreference.Delivery
# Where roles are kept: groups and their model permissions (axes, the other backend, has none).
_PERMISSIONS_BACKEND = "django.contrib.auth.backends.ModelBackend"


def absolute(path: str) -> str:
    """A link that works from an e-mail: the site's address from COURTINFO_SITE_URL."""
    return settings.COURTINFO_SITE_URL.rstrip("/") + path


def answer_admin_url(answer_id: int) -> str:
    return absolute(reverse("admin:courtinfo_answer_change", args=[answer_id]))


def people_who_can(permission: str) -> QuerySet:
    """Active people holding `permission` (through a group, or as superusers) with an address."""
    return (
        get_user_model()
        .objects.with_perm(
            permission, is_active=True, include_superusers=True, backend=_PERMISSIONS_BACKEND
        )
        .exclude(email="")
        .order_by("pk")
    )


def delivery_for(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.delivery if preference else Delivery.IMMEDIATELY


def deliver(event: str, recipients: Iterable, *, subject: str, body: str) -> int:
    """Record the message for each recipient once; send it now unless they take a digest.

    Returns how many were sent now. A recipient already recorded for this event is skipped.
    """
    sent = 0
    for user in recipients:
        delivery = delivery_for(user)
        if delivery == Delivery.OFF or not user.email:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    event=event, recipient=user, subject=subject[:200], body=body
                )
        except IntegrityError:
            continue  # told already
        if delivery == Delivery.IMMEDIATELY:
            # Marked first: a failure after this loses one e-mail rather than sending it twice.
            Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
            try:
                send_mail(subject, body, None, [user.email])
                sent += 1
            except Exception:
                logger.exception("Could not send notification %s to %s", event, user.pk)
    return sent


# --- workflow steps that hand work to someone


def _question(answer: Answer) -> str:
    question = answer.question
    return f"“{question.text}” ({question.jurisdiction.name})"


@dataclass(frozen=True)
class Handoff:
    recipients: Callable[[Review], Iterable]
    subject: str
    body: str


def _reviewers(review: Review):
    return people_who_can("courtinfo.review_answer")


def _publishers(review: Review):
    return people_who_can("courtinfo.publish_answer")


def _submitter(review: Review):
    submitter = review.answer.submitted_by
    return [submitter] if submitter is not None and submitter.is_active else []


HANDOFFS: dict[str, Handoff] = {
    Review.Action.SUBMIT: Handoff(
        _reviewers,
        "Answer to review: %(question)s",
        "%(actor)s submitted the answer to %(question)s for review.\n\n"
        "What to do: verify each claim against its sources, then approve the answer or send it "
        "back with a note.\n\n%(url)s\n",
    ),
    Review.Action.APPROVE: Handoff(
        _publishers,
        "Answer to publish: %(question)s",
        "%(actor)s approved the answer to %(question)s.\n\n"
        "What to do: publish it, or schedule its publication.\n\n%(url)s\n",
    ),
    Review.Action.REQUEST_CHANGES: Handoff(
        _submitter,
        "Answer sent back to you: %(question)s",
        "%(actor)s sent the answer to %(question)s back for changes.\n\n"
        "Their note:\n%(note)s\n\n"
        "What to do: make the changes, then submit the answer again.\n\n%(url)s\n",
    ),
}


def _actor_name(user) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.get_username()


def notify_review(review_id: int) -> int:
    """Tell the people a recorded workflow step hands work to; once per step and person."""
    review = (
        Review.objects.select_related(
            "actor", "answer__question__jurisdiction", "answer__submitted_by"
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.answer is None or review.action not in HANDOFFS:
        return 0
    handoff = HANDOFFS[review.action]
    values = {
        "question": _question(review.answer),
        "actor": _actor_name(review.actor),
        "note": review.note or "-",
        "url": answer_admin_url(review.answer_id),
    }
    recipients = [u for u in handoff.recipients(review) if u.pk != review.actor_id]
    return deliver(
        f"review:{review.pk}",
        recipients,
        subject=_(handoff.subject) % values,
        body=_(handoff.body) % values,
    )


def _review_recorded(sender, instance: Review, created: bool = False, **kwargs) -> None:
    if not created or instance.claim_id is not None:
        return
    if instance.action in HANDOFFS:
        pk = instance.pk
        transaction.on_commit(lambda: notify_review(pk))
    elif instance.action == Review.Action.PUBLISH and instance.answer_id is not None:
        # After the commit, so that publishing itself does no more work than it must.
        answer_id, actor = instance.answer_id, instance.actor
        transaction.on_commit(lambda: resolve_reports(answer_id, by=actor))


# --- reader reports


def notify_report(report_id: int) -> int:
    report = (
        ProblemReport.objects.select_related("answer__question__jurisdiction")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    what = (
        _("claim #%(id)s: “%(text)s”") % {"id": report.claim, "text": report.claim_text}
        if report.claim
        else _("the whole answer")
    )
    values = {
        "question": _question(report.answer),
        "what": what,
        "message": report.message,
        "url": absolute(reverse("admin:courtinfo_problemreport_change", args=[report.pk])),
    }
    return deliver(
        f"report:{report.pk}",
        people_who_can("courtinfo.change_problemreport"),
        subject=_("Reader report: %(question)s") % values,
        body=_(
            "A reader reported a problem with the answer to %(question)s, about %(what)s:\n\n"
            "%(message)s\n\n"
            "What to do: read the report, then accept it (and correct the claim) or reject it."
            "\n\n%(url)s\n"
        )
        % values,
    )


def _report_saved(sender, instance: ProblemReport, created: bool = False, **kwargs) -> None:
    if created:
        pk = instance.pk
        transaction.on_commit(lambda: notify_report(pk))


def _published_claims(payload: dict[str, Any]) -> dict[int, Any]:
    return {
        claim["id"]: (claim["text"], claim.get("citations"))
        for block in payload.get("blocks") or []
        for claim in block.get("claims") or []
    }


def _corrected(report: ProblemReport, payload: dict[str, Any]) -> bool:
    """Whether `payload` changed what the report is about, against what the reader read."""
    before = report.publication.payload
    if report.claim is not None:
        old = _published_claims(before).get(report.claim)
        return _published_claims(payload).get(report.claim) != old
    # A report on the whole answer is closed by any correction once an editor accepted it.
    return report.status == ProblemReport.Status.ACCEPTED and (
        _published_claims(before) != _published_claims(payload)
        or before["question"]["text"] != payload["question"]["text"]
    )


def resolve_reports(answer_id: int, *, by=None) -> list[ProblemReport]:
    """After a publication: open reports whose part was corrected are resolved, readers told.

    The e-mails go after the reports' own transaction commits.
    """
    with transaction.atomic():
        live = Publication.objects.filter(live_answer__pk=answer_id).first()
        if live is None:
            return []
        return _resolve(answer_id, live, by)


def _resolve(answer_id: int, live: Publication, by) -> list[ProblemReport]:
    resolved = []
    reports = (
        ProblemReport.objects.select_for_update()
        .select_related("publication")
        .filter(
            answer_id=answer_id,
            status__in=[ProblemReport.Status.NEW, ProblemReport.Status.ACCEPTED],
        )
        .exclude(publication=live)
    )
    for report in reports:
        if not _corrected(report, live.payload):
            continue
        address = report.email
        report.status = ProblemReport.Status.RESOLVED
        report.closed_at = timezone.now()
        report.handled_by = by
        report.save(update_fields=["status", "closed_at", "handled_by"])
        resolved.append(report)
        if address:
            url = absolute(live.get_absolute_url())
            transaction.on_commit(
                lambda address=address, report=report, url=url: _tell_reader(report, address, url)
            )
    return resolved


def _tell_reader(report: ProblemReport, address: str, url: str) -> None:
    what = (
        _("the statement “%(text)s”") % {"text": report.claim_text}
        if report.claim
        else _("the answer")
    )
    try:
        send_mail(
            _("The answer you reported has been corrected"),
            _(
                "Thank you for your report about %(what)s. A corrected answer, checked by a "
                "second person, is now published:\n\n%(url)s\n\n"
                "Your report is closed and your e-mail address has been deleted.\n"
            )
            % {"what": what, "url": url},
            None,
            [address],
        )
    except Exception:
        logger.exception("Could not tell the reader of report %s", report.pk)


# --- publications past their review date


def notify_overdue(today=None) -> int:
    """Tell the reviewers of each live publication past its review date, once per publication."""
    today = today or timezone.localdate()
    reviewers = list(people_who_can("courtinfo.review_answer"))
    overdue = (
        Publication.objects.live()
        .filter(review_due_on__lt=today)
        .select_related("jurisdiction")
        .order_by("review_due_on", "pk")
    )
    queue = absolute(reverse("admin:claims_dueforreview_changelist"))
    count = 0
    for publication in overdue:
        values = {
            "question": f"“{publication.question_text}” ({publication.jurisdiction.name})",
            "due": publication.review_due_on.isoformat(),
            "url": absolute(reverse("admin:claims_dueforreview_change", args=[publication.pk])),
            "queue": queue,
        }
        count += deliver(
            f"overdue:{publication.pk}",
            reviewers,
            subject=_("Due for re-review: %(question)s") % values,
            body=_(
                "The published answer to %(question)s was due for review on %(due)s.\n\n"
                "What to do: check it against its sources, then confirm it is still correct or "
                "reopen it for changes.\n\n%(url)s\n\nEvery answer due: %(queue)s\n"
            )
            % values,
        )
    return count


# --- the daily digest


def send_digest(today=None) -> int:
    """One e-mail per person with what waits for them; at most one per person and day.

    Safe to run again (from cron, or twice at once): the day is recorded under a row lock
    before anything is sent, and the notifications it carries are marked sent with it.
    """
    today = today or timezone.localdate()
    waiting = (
        Notification.objects.filter(
            sent_at__isnull=True, recipient__notification_preference__delivery=Delivery.DAILY
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in sorted(set(waiting)):
        digest = _take_digest(user_id, today)
        if digest is None:
            continue
        address, items = digest
        body = "\n\n".join(f"{n.subject}\n{'-' * len(n.subject)}\n{n.body}" for n in items)
        try:
            send_mail(
                _("courtinfo: %(count)d item(s) waiting for you") % {"count": len(items)},
                body,
                None,
                [address],
            )
            count += 1
        except Exception:
            logger.exception("Could not send the digest of user %s", user_id)
    return count


def _take_digest(user_id: int, today) -> tuple[str, list[Notification]] | None:
    with transaction.atomic():
        preference = (
            NotificationPreference.objects.select_for_update()
            .select_related("user")
            .get(user_id=user_id)
        )
        if preference.delivery != Delivery.DAILY or preference.last_digest_on == today:
            return None
        items = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=user_id, sent_at__isnull=True)
            .order_by("created_at", "pk")
        )
        address = preference.user.email
        if not items or not address:
            return None
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=timezone.now())
        preference.last_digest_on = today
        preference.save(update_fields=["last_digest_on"])
    return address, items


def connect_signals() -> None:
    post_save.connect(_review_recorded, sender=Review, dispatch_uid="notify-review")
    post_save.connect(_report_saved, sender=ProblemReport, dispatch_uid="notify-report")
