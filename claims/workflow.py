"""The editorial workflow: the only code that changes the status of a claim or an answer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import snapshot
from claims.models import Citation, Claim, Review, Source
from courtinfo.models import Answer, Publication

A = Answer.Status
C = Claim.Status


class TransitionError(Exception):
    """A refused workflow call; its message is a sentence the person can act on."""


@dataclass
class _Facts:
    """What the rules of one call look at; claims are loaded only when a rule asks."""

    by: object
    answer: Answer
    claim: Claim | None = None
    note: str = ""
    text: str = ""
    block: int | None = None
    _claims: list[Claim] | None = field(default=None, repr=False)

    @property
    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = sorted(self.answer.claims.all(), key=lambda c: (c.position, c.id))
        return self._claims


Rule = Callable[[_Facts], str | None]


@dataclass(frozen=True)
class Transition:
    """One row of a state table: who may do it, from which statuses, to which, under which rules."""

    action: str
    permission: str
    verb: str
    sources: frozenset[str]
    target: str | None
    rules: tuple[Rule, ...] = ()
    done: str = ""


# --- rules: each returns None when it holds, else the sentence that tells the person what to do.


def _has_claims(f: _Facts) -> str | None:
    if not f.claims:
        return _("This answer has no claims yet; add at least one before submitting it.")
    return None


def _not_submitter(f: _Facts) -> str | None:
    if f.answer.submitted_by_id is not None and f.answer.submitted_by_id == f.by.pk:
        return _("You submitted this answer; another reviewer has to approve it.")
    return None


def _every_claim_checked(f: _Facts) -> str | None:
    if not f.claims:
        return _("This answer has no claims; add and verify them first.")
    unverified = [f"#{c.pk}" for c in f.claims if c.status == C.UNVERIFIED]
    disputed = [f"#{c.pk}" for c in f.claims if c.status == C.DISPUTED]
    problems = []
    if unverified:
        problems.append(
            ngettext(
                "%(n)d claim is still unverified: %(ids)s",
                "%(n)d claims are still unverified: %(ids)s",
                len(unverified),
            )
            % {"n": len(unverified), "ids": ", ".join(unverified)}
        )
    if disputed:
        problems.append(
            ngettext(
                "%(n)d claim is disputed: %(ids)s",
                "%(n)d claims are disputed: %(ids)s",
                len(disputed),
            )
            % {"n": len(disputed), "ids": ", ".join(disputed)}
        )
    if problems:
        return _("%(problems)s. Every claim has to be supported or marked not a claim.") % {
            "problems": "; ".join(problems)
        }
    return None


def _has_live_publication(f: _Facts) -> str | None:
    if f.answer.live_publication_id is None:
        return _("This answer has no live publication, so there is nothing to withdraw.")
    return None


def _reason_given(f: _Facts) -> str | None:
    if not f.note.strip():
        return _("Give a reason; it is shown with the change.")
    return None


def _withdraw_reason_given(f: _Facts) -> str | None:
    if not f.note.strip():
        return _("Give the reason for withdrawing; the public page shows it.")
    return None


def _changes_described(f: _Facts) -> str | None:
    if not f.note.strip():
        return _("Write a note saying what has to change before sending the answer back.")
    return None


def _not_author(f: _Facts) -> str | None:
    if f.claim.author_id is not None and f.claim.author_id == f.by.pk:
        return _(
            "You wrote the current text of claim #%(id)s; another reviewer has to verify it."
        ) % {"id": f.claim.pk}
    return None


def _has_citation(f: _Facts) -> str | None:
    if not f.claim.citations.exists():
        return _(
            "Claim #%(id)s has no citation; add the source that supports it, then mark it "
            "supported."
        ) % {"id": f.claim.pk}
    return None


def _dispute_explained(f: _Facts) -> str | None:
    if not f.note.strip():
        return _("Write a note saying what is wrong with claim #%(id)s to dispute it.") % {
            "id": f.claim.pk
        }
    return None


def _text_given(f: _Facts) -> str | None:
    if not f.text.strip():
        return _("The claim text is empty; write the claim or delete it.")
    return None


def _block_exists(f: _Facts) -> str | None:
    count = len(f.answer.blocks)
    if f.block is None or not 0 <= f.block < count:
        return _(
            "This answer has %(count)d blocks (0 to %(last)d); put the claim in one of them."
        ) % {"count": count, "last": count - 1}
    return None


# --- the state tables. An explicit table (rather than an FSM library) keeps every rule of the
# workflow in one place that reads top to bottom, and leaves the status fields plain model fields,
# so the admin and reversion's revert need no protected-field workarounds.

ALL_ANSWER = frozenset(A.values)
ALL_CLAIM = frozenset(C.values)
EDITOR_OR_REVIEWER = "claims.change_claim"

ANSWER_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        Review.Action.SUBMIT,
        "courtinfo.submit_answer",
        gettext_lazy("submit answers for review"),
        frozenset({A.DRAFT}),
        A.IN_REVIEW,
        (_has_claims,),
        gettext_lazy("submitted"),
    ),
    "request_changes": Transition(
        Review.Action.REQUEST_CHANGES,
        "courtinfo.review_answer",
        gettext_lazy("send answers back for changes"),
        frozenset({A.IN_REVIEW}),
        A.DRAFT,
        (_changes_described,),
        gettext_lazy("sent back"),
    ),
    "approve": Transition(
        Review.Action.APPROVE,
        "courtinfo.review_answer",
        gettext_lazy("approve answers"),
        frozenset({A.IN_REVIEW}),
        A.APPROVED,
        (_not_submitter, _every_claim_checked),
        gettext_lazy("approved"),
    ),
    "publish": Transition(
        Review.Action.PUBLISH,
        "courtinfo.publish_answer",
        gettext_lazy("publish answers"),
        frozenset({A.APPROVED}),
        A.PUBLISHED,
        # Approval already required this; checked again because the snapshot must never carry
        # an unchecked claim, whatever happened to the rows since.
        (_every_claim_checked,),
        gettext_lazy("published"),
    ),
    "withdraw": Transition(
        Review.Action.WITHDRAW,
        "courtinfo.publish_answer",
        gettext_lazy("withdraw answers"),
        # Whatever is being edited, what counts is that something is live.
        ALL_ANSWER - {A.WITHDRAWN},
        A.WITHDRAWN,
        (_has_live_publication, _withdraw_reason_given),
        gettext_lazy("withdrawn"),
    ),
    # Any change to the content of an approved, published or withdrawn answer (its question,
    # claims, citations or a verdict) sends it back to draft; the live publication stays live.
    # An answer in review stays in review: every changed claim is unverified again, which blocks
    # approval until a second person has checked it.
    "reopen": Transition(
        Review.Action.REOPEN,
        EDITOR_OR_REVIEWER,
        gettext_lazy("edit answers"),
        frozenset({A.APPROVED, A.PUBLISHED, A.WITHDRAWN}),
        A.DRAFT,
        (_reason_given,),
        gettext_lazy("reopened"),
    ),
}

# A verdict on a claim, from any other status (a reviewer may re-judge a claim).
CLAIM_VERDICTS: dict[str, Transition] = {
    C.SUPPORTED: Transition(
        Review.Action.VERIFY,
        "claims.verify_claim",
        gettext_lazy("verify claims"),
        ALL_CLAIM - {C.SUPPORTED},
        C.SUPPORTED,
        (_not_author, _has_citation),
        gettext_lazy("marked supported"),
    ),
    C.DISPUTED: Transition(
        Review.Action.VERIFY,
        "claims.verify_claim",
        gettext_lazy("verify claims"),
        ALL_CLAIM - {C.DISPUTED},
        C.DISPUTED,
        (_not_author, _dispute_explained),
        gettext_lazy("marked disputed"),
    ),
    C.NOT_A_CLAIM: Transition(
        Review.Action.VERIFY,
        "claims.verify_claim",
        gettext_lazy("verify claims"),
        ALL_CLAIM - {C.NOT_A_CLAIM},
        C.NOT_A_CLAIM,
        (_not_author,),
        gettext_lazy("marked not a claim"),
    ),
}

# Edits of an answer's content; each one also applies ANSWER_TRANSITIONS["reopen"].
# target is the claim's status afterwards (None: unchanged, except that removing the last
# citation of a supported claim makes it unverified, see remove_citation).
CONTENT_EDITS: dict[str, Transition] = {
    "edit_claim": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("edit claims"),
        ALL_CLAIM,
        C.UNVERIFIED,
        (_text_given,),
    ),
    "add_claim": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("add claims"),
        ALL_ANSWER,
        C.UNVERIFIED,
        (_text_given, _block_exists),
    ),
    "delete_claim": Transition(
        Review.Action.EDIT, EDITOR_OR_REVIEWER, gettext_lazy("delete claims"), ALL_CLAIM, None
    ),
    "add_citation": Transition(
        Review.Action.EDIT, EDITOR_OR_REVIEWER, gettext_lazy("add citations"), ALL_CLAIM, None
    ),
    "remove_citation": Transition(
        Review.Action.EDIT, EDITOR_OR_REVIEWER, gettext_lazy("remove citations"), ALL_CLAIM, None
    ),
    "mark_unverified": Transition(
        Review.Action.REVERT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("revert claims"),
        ALL_CLAIM,
        C.UNVERIFIED,
        (_reason_given,),
    ),
}

ROLES = {
    "claims.change_claim": gettext_lazy("Editor or Reviewer"),
    "claims.verify_claim": gettext_lazy("Reviewer"),
    "courtinfo.submit_answer": gettext_lazy("Editor"),
    "courtinfo.review_answer": gettext_lazy("Reviewer"),
    "courtinfo.publish_answer": gettext_lazy("Publisher"),
}


def _or_list(labels: list[str]) -> str:
    labels = [str(label).lower() for label in labels]
    if len(labels) == 1:
        return labels[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def _check(t: Transition, f: _Facts, *, status: str | None) -> None:
    """Role, then state, then rules; the first that fails refuses the call."""
    if f.by is None or not f.by.has_perm(t.permission):
        raise TransitionError(
            _("You need the %(role)s role to %(verb)s.")
            % {"role": ROLES.get(t.permission, t.permission), "verb": t.verb}
        )
    if status is not None and status not in t.sources:
        if f.claim is not None and t.action == Review.Action.VERIFY:
            allowed = [C(s).label for s in C.values if s in t.sources]
            raise TransitionError(
                _("Claim #%(id)s is %(status)s; only a claim that is %(allowed)s can be %(done)s.")
                % {
                    "id": f.claim.pk,
                    "status": str(C(status).label).lower(),
                    "allowed": _or_list(allowed),
                    "done": t.done,
                }
            )
        allowed = [A(s).label for s in A.values if s in t.sources]
        raise TransitionError(
            _("This answer is %(status)s; only an answer that is %(allowed)s can be %(done)s.")
            % {"status": str(A(status).label).lower(), "allowed": _or_list(allowed), "done": t.done}
        )
    for rule in t.rules:
        message = rule(f)
        if message:
            raise TransitionError(message)


# --- writing helpers


def _lock_answer(pk: int, *, for_payload: bool = False) -> Answer:
    """Lock the answer row and read its status after the lock, so concurrent calls serialise."""
    queryset = Answer.objects.select_for_update(of=("self",))
    if for_payload:
        queryset = queryset.select_related(
            "question__jurisdiction", "question__topic", "submitted_by", "approved_by"
        )
    try:
        return queryset.get(pk=pk)
    except Answer.DoesNotExist:
        raise TransitionError(_("This answer no longer exists; it was deleted.")) from None


def _lock_claim(claim: Claim) -> tuple[Answer, Claim]:
    """Lock the claim's answer first, then the claim: one lock order everywhere, no deadlocks."""
    answer = _lock_answer(claim.answer_id)
    try:
        locked = Claim.objects.select_for_update().get(pk=claim.pk, answer=answer)
    except Claim.DoesNotExist:
        raise TransitionError(
            _("Claim #%(id)s no longer exists; someone deleted it.") % {"id": claim.pk}
        ) from None
    return answer, locked


def _record(
    answer: Answer,
    by,
    action: str,
    from_status: str,
    to_status: str,
    note: str = "",
    claim: Claim | None = None,
) -> Review:
    return Review.objects.create(
        answer=answer,
        claim=claim,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _revision(answer: Answer, by, comment: str, *, reload_claims: bool = True) -> None:
    """One reversion revision of the answer with its claims and their citations as they are now."""
    if reload_claims:
        # A stale prefetch would put old claim data in the revision; load it afresh, in fixed
        # queries (reversion would otherwise read each claim's citations one query at a time).
        getattr(answer, "_prefetched_objects_cache", {}).pop("claims", None)
        snapshot.prefetch_for_payload(answer)
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(answer)


def _reopen(answer: Answer, by, reason: str) -> bool:
    """Send an approved, published or withdrawn answer back to draft; its live publication stays."""
    t = ANSWER_TRANSITIONS["reopen"]
    if answer.status not in t.sources:
        return False
    from_status = answer.status
    answer.status = t.target
    # An approval covers the content it saw, not what came after.
    answer.approved_by = None
    answer.approved_at = None
    answer.updated_by = by
    answer.save(update_fields=["status", "approved_by", "approved_at", "updated_by", "updated_at"])
    _record(answer, by, t.action, from_status, t.target, reason)
    return True


_ANSWER_FIELDS = (
    "status",
    "live_publication_id",
    "submitted_by_id",
    "submitted_at",
    "approved_by_id",
    "approved_at",
    "withdrawn_reason",
    "withdrawn_at",
    "updated_by_id",
    "updated_at",
)
_CLAIM_FIELDS = (
    "text",
    "position",
    "block",
    "status",
    "author_id",
    "verified_by_id",
    "verified_at",
    "note",
    "updated_by_id",
    "updated_at",
)


def _sync(target, source, fields: tuple[str, ...]) -> None:
    """Bring the caller's instance up to date so that saving it later cannot undo the change."""
    if target is source:
        return
    for name in fields:
        setattr(target, name, getattr(source, name))


def _comment(t: Transition, note: str) -> str:
    done = str(t.done).capitalize()
    return f"{done}: {note.strip()}" if note.strip() else done


def _answer_call(name: str, answer: Answer, by, *, note: str, **changes) -> Answer:
    """Check and apply one answer transition that only sets fields."""
    t = ANSWER_TRANSITIONS[name]
    with transaction.atomic():
        locked = _lock_answer(answer.pk)
        _check(t, _Facts(by=by, answer=locked, note=note), status=locked.status)
        from_status = locked.status
        locked.status = t.target
        for attr, value in changes.items():
            setattr(locked, attr, value)
        locked.updated_by = by
        locked.save(update_fields=["status", "updated_by", "updated_at", *changes])
        _record(locked, by, t.action, from_status, t.target, note.strip())
        _revision(locked, by, _comment(t, note))
    _sync(answer, locked, _ANSWER_FIELDS)
    return locked


# --- the answer's transitions


def submit_answer(answer: Answer, *, by, note: str = "") -> Answer:
    """draft → in_review; the answer has claims."""
    now = timezone.now()
    return _answer_call(
        "submit",
        answer,
        by,
        note=note,
        submitted_by=by,
        submitted_at=now,
        approved_by=None,
        approved_at=None,
    )


def request_changes(answer: Answer, *, by, note: str) -> Answer:
    """in_review → draft, with a note saying what has to change."""
    return _answer_call("request_changes", answer, by, note=note)


def approve_answer(answer: Answer, *, by, note: str = "") -> Answer:
    """in_review → approved; never by its submitter; every claim supported or not a claim."""
    return _answer_call(
        "approve", answer, by, note=note, approved_by=by, approved_at=timezone.now()
    )


def withdraw_answer(answer: Answer, *, by, reason: str) -> Answer:
    """A live answer → withdrawn; its public page then answers 410 with the reason and date."""
    return _answer_call(
        "withdraw",
        answer,
        by,
        note=reason,
        live_publication=None,
        withdrawn_reason=reason.strip(),
        withdrawn_at=timezone.now(),
    )


def reopen_answer(answer: Answer, *, by, reason: str) -> Answer:
    """Record that the answer's content changed: approved, published or withdrawn → draft.

    For edits made outside this module (question text, citations or claims changed in a form,
    a revert). A draft or an answer in review is left as it is.
    """
    t = ANSWER_TRANSITIONS["reopen"]
    with transaction.atomic():
        locked = _lock_answer(answer.pk)
        _check(t, _Facts(by=by, answer=locked, note=reason), status=None)
        if _reopen(locked, by, reason.strip()):
            _revision(locked, by, _("Reopened: %(reason)s") % {"reason": reason.strip()})
    _sync(answer, locked, _ANSWER_FIELDS)
    return locked


def _next_version(answer: Answer) -> int:
    return (answer.publications.aggregate(v=Max("version"))["v"] or 0) + 1


def publish_answer(answer: Answer, *, by, summary: str = "") -> Publication:
    """approved → published: write the next Publication, a snapshot of what was approved."""
    t = ANSWER_TRANSITIONS["publish"]
    summary = summary.strip()
    with transaction.atomic():
        locked = _lock_answer(answer.pk, for_payload=True)
        snapshot.prefetch_for_payload(locked)
        _check(t, _Facts(by=by, answer=locked), status=locked.status)
        version = _next_version(locked)
        published_at = timezone.now()
        review_due_on = timezone.localdate(published_at) + datetime.timedelta(
            days=settings.COURTINFO_REVIEW_INTERVAL_DAYS
        )
        payload = snapshot.build_payload(
            locked,
            version=version,
            published_at=published_at,
            published_by=by,
            summary=summary,
            review_due_on=review_due_on,
        )
        question = locked.question
        try:
            # The row lock serialises publishers; the unique (answer, version) constraint is the
            # backstop should two ever get past it.
            with transaction.atomic():
                publication = Publication.objects.create(
                    answer=locked,
                    version=version,
                    jurisdiction=question.jurisdiction,
                    topic=question.topic,
                    question_slug=question.slug,
                    question_text=question.text,
                    compare_key=question.compare_key,
                    position=question.position,
                    published_at=published_at,
                    published_by=by,
                    summary=summary,
                    body_text=snapshot.body_text(payload),
                    review_due_on=review_due_on,
                    payload=payload,
                )
        except IntegrityError:
            raise TransitionError(
                _(
                    "This answer was just published by someone else as version %(version)s; "
                    "reload the page to see it."
                )
                % {"version": version}
            ) from None
        from_status = locked.status
        locked.status = t.target
        locked.live_publication = publication
        locked.withdrawn_reason = ""
        locked.withdrawn_at = None
        locked.updated_by = by
        locked.save(
            update_fields=[
                "status",
                "live_publication",
                "withdrawn_reason",
                "withdrawn_at",
                "updated_by",
                "updated_at",
            ]
        )
        _record(locked, by, t.action, from_status, t.target, summary or _("Version %d") % version)
        # The claims were loaded under the lock for the payload and have not changed since.
        _revision(
            locked,
            by,
            _("Published version %(version)d") % {"version": version},
            reload_claims=False,
        )
    _sync(answer, locked, _ANSWER_FIELDS)
    return publication


# --- claims


def _claim_call(
    t: Transition, claim: Claim, by, *, note: str = "", text: str = ""
) -> tuple[Answer, Claim]:
    """Lock the claim and its answer, then check the call against its table entry."""
    answer, locked = _lock_claim(claim)
    _check(
        t, _Facts(by=by, answer=answer, claim=locked, note=note, text=text), status=locked.status
    )
    return answer, locked


def _content_changed(answer: Answer, by, *, what: str) -> None:
    """Every change to an answer's content ends here: reopen if needed, then one revision."""
    _reopen(answer, by, what)
    _revision(answer, by, what)


def edit_claim(claim: Claim, *, by, text: str) -> Claim:
    """New text: the claim is unverified again and `by` is the author of its text."""
    text = text.strip()
    with transaction.atomic():
        t = CONTENT_EDITS["edit_claim"]
        answer, locked = _claim_call(t, claim, by, text=text)
        if text == locked.text:
            return locked
        from_status, previous = locked.status, locked.text
        locked.text = text
        _unverify(locked, author=by, by=by)
        locked.save()
        _record(
            answer,
            by,
            t.action,
            from_status,
            locked.status,
            _("Previous text: %(text)s") % {"text": previous},
            claim=locked,
        )
        _content_changed(answer, by, what=_("Edited claim #%(id)s") % {"id": locked.pk})
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def _unverify(claim: Claim, *, author, by) -> None:
    claim.status = C.UNVERIFIED
    claim.author = author
    claim.verified_by = None
    claim.verified_at = None
    claim.note = ""
    claim.updated_by = by


def verify_claim(claim: Claim, *, by, verdict: str, note: str = "") -> Claim:
    """supported (with a citation), disputed (with a note) or not_a_claim; never by its author."""
    if verdict not in CLAIM_VERDICTS:
        raise TransitionError(
            _("“%(verdict)s” is not a verdict; choose supported, disputed or not a claim.")
            % {"verdict": verdict}
        )
    note = note.strip()
    with transaction.atomic():
        t = CLAIM_VERDICTS[verdict]
        answer, locked = _claim_call(t, claim, by, note=note)
        from_status = locked.status
        locked.status = t.target
        locked.verified_by = by
        locked.verified_at = timezone.now()
        locked.note = note
        locked.updated_by = by
        locked.save()
        _record(answer, by, t.action, from_status, t.target, note, claim=locked)
        _content_changed(
            answer,
            by,
            what=_("Claim #%(id)s %(done)s") % {"id": locked.pk, "done": t.done},
        )
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def mark_claim_unverified(claim: Claim, *, by, reason: str) -> Claim:
    """After a revert: the claim needs checking again, and `by`, who chose its text, cannot."""
    reason = reason.strip()
    with transaction.atomic():
        t = CONTENT_EDITS["mark_unverified"]
        answer, locked = _claim_call(t, claim, by, note=reason)
        from_status = locked.status
        _unverify(locked, author=by, by=by)
        locked.save()
        _record(answer, by, t.action, from_status, locked.status, reason, claim=locked)
        _content_changed(answer, by, what=reason)
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def add_claim(answer: Answer, *, by, text: str, block: int, position: int | None = None) -> Claim:
    """A new, unverified claim written by `by`, at the end of its block unless placed."""
    t = CONTENT_EDITS["add_claim"]
    text = text.strip()
    with transaction.atomic():
        locked = _lock_answer(answer.pk)
        facts = _Facts(by=by, answer=locked, text=text, block=block)
        _check(t, facts, status=locked.status)
        if position is None:
            earlier = [c.position for c in facts.claims if c.block <= block]
            later = [c.position for c in facts.claims if c.block > block]
            position = max(earlier) + 1 if earlier else min(later, default=0)
        position = max(position, 0)
        Claim.objects.filter(answer=locked, position__gte=position).update(
            position=F("position") + 1
        )
        claim = Claim.objects.create(
            answer=locked,
            text=text,
            block=block,
            position=position,
            status=C.UNVERIFIED,
            author=by,
            updated_by=by,
        )
        what = _("Added claim #%(id)s") % {"id": claim.pk}
        _record(locked, by, t.action, "", claim.status, what, claim=claim)
        _content_changed(locked, by, what=what)
    _sync(answer, locked, _ANSWER_FIELDS)
    return claim


def delete_claim(claim: Claim, *, by) -> Answer:
    """Remove a claim; returns its answer."""
    with transaction.atomic():
        t = CONTENT_EDITS["delete_claim"]
        answer, locked = _claim_call(t, claim, by)
        what = _("Deleted claim #%(id)s: %(text)s") % {"id": locked.pk, "text": locked.text}
        _record(answer, by, t.action, locked.status, "", what, claim=locked)
        locked.delete()
        _content_changed(answer, by, what=what)
    return answer


def add_citation(
    claim: Claim, *, by, source: Source, pinpoint: str = "", quote: str = ""
) -> Citation:
    """Cite a source for a claim; the claim keeps its status, an approved answer is reopened."""
    with transaction.atomic():
        t = CONTENT_EDITS["add_citation"]
        answer, locked = _claim_call(t, claim, by)
        citation = Citation.objects.create(
            claim=locked, source=source, pinpoint=pinpoint.strip(), quote=quote.strip()
        )
        what = _("Cited %(source)s for claim #%(id)s") % {"source": source, "id": locked.pk}
        _record(answer, by, t.action, locked.status, locked.status, what, claim=locked)
        _content_changed(answer, by, what=what)
    return citation


def remove_citation(citation: Citation, *, by) -> Claim:
    """Remove a citation; a supported claim left with none is unverified again."""
    with transaction.atomic():
        t = CONTENT_EDITS["remove_citation"]
        answer, locked = _claim_call(t, citation.claim, by)
        try:
            current = Citation.objects.select_related("source").get(pk=citation.pk, claim=locked)
        except Citation.DoesNotExist:
            raise TransitionError(
                _("That citation no longer exists; someone removed it.")
            ) from None
        from_status = locked.status
        current.delete()
        if from_status == C.SUPPORTED and not locked.citations.exists():
            _unverify(locked, author=locked.author, by=by)
            locked.save()
        what = _("Removed citation of %(source)s from claim #%(id)s") % {
            "source": current.source,
            "id": locked.pk,
        }
        _record(answer, by, t.action, from_status, locked.status, what, claim=locked)
        _content_changed(answer, by, what=what)
    _sync(citation.claim, locked, _CLAIM_FIELDS)
    return locked
