"""Each workflow event as a log line (logger `claims.events`), once its transaction commits."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import Review

logger = logging.getLogger("claims.events")


def event_fields(review: Review) -> dict:
    # The actor the workflow passed in is already loaded; never spend a query on a log line.
    actor = review.actor if Review.actor.is_cached(review) else None
    return {
        "event": review.pk,
        "action": review.action,
        "actor_id": review.actor_id,
        "actor": actor.get_username() if actor is not None else None,
        "answer_id": review.answer_id,
        "claim_id": review.claim_id,
        "from_status": review.from_status,
        "to_status": review.to_status,
    }


def _log(fields: dict) -> None:
    logger.info(
        "%s answer %s by %s",
        fields["action"],
        fields["answer_id"],
        fields["actor"] or "nobody",
        extra=fields,
    )


@receiver(post_save, sender=Review, dispatch_uid="claims.event_log")
def log_workflow_event(
    sender, instance: Review, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        # A refused or rolled-back transition never happened; only log what committed.
        transaction.on_commit(partial(_log, event_fields(instance)))
