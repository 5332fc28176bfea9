"""The editorial workflow: the only code that changes the status of a claim or an answer."""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import reversion
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import evidence, snapshot
from claims.models import Citation, Claim, Review, Source, SourceCopy, TranslatedClaim
from courtinfo.editing import workflow_is_writing, workflow_writes
from courtinfo.models import (
    Answer,
    BlockKind,
    Publication,
    Question,
    Translation,
    TranslationPublication,
)

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
    kind: str = ""
    seen: Any = None
    translation: Translation | None = None
    at: datetime.datetime | None = None
    _claims: list[Claim] | None = field(default=None, repr=False)

    @property
    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = sorted(
                self.answer.claims.all(), key=lambda c: (c.block, c.position, c.id)
            )
        return self._claims


Rule = Callable[[_Facts], str | None]


@dataclass(frozen=True)
class Transition:
    """One row of a state table: who may do it, from which statuses, to which, under which rules.

    `applies` says whether the move makes sense at all (a page does not offer it otherwise);
    `rules` are about the object and the person; `inputs` about what the person typed (a note,
    a text), so they are checked on the call only, not when listing the moves a person has.
    """

    action: str
    permission: str
    verb: str
    sources: frozenset[str]
    target: str | None
    rules: tuple[Rule, ...] = ()
    done: str = ""
    inputs: tuple[Rule, ...] = ()
    applies: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Move:
    """A move the workflow offers a person now; `refusal` says why it would be refused, if so."""

    action: str
    refusal: str | None = None
    label: str = ""

    @property
    def allowed(self) -> bool:
        return self.refusal is None


# --- what was checked. A verdict stores the content of its claim (text, and each citation with
# its source), an approval the content of its answer; a verdict or approval holds only while the
# content is the same, whatever path changed it.


def _citation_content(citation: Citation) -> dict[str, Any]:
    source = citation.source
    # Every field of the source that a publication shows, so none of them changes unchecked.
    return {
        "source": source.pk,
        "title": source.title,
        "url": source.url,
        "kind": source.kind,
        "citation": source.citation,
        "publisher": source.publisher,
        "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
        "pinpoint": citation.pinpoint,
        "quote": citation.quote,
    }


def claim_content(claim: Claim) -> dict[str, Any]:
    """Exactly what a verdict on this claim covers."""
    citations = sorted(
        (_citation_content(c) for c in claim.citations.all()),
        key=lambda c: (c["source"], c["pinpoint"], c["quote"]),
    )
    return {"text": claim.text, "citations": citations}


def answer_content(answer: Answer, claims: list[Claim] | None = None) -> dict[str, Any]:
    """Exactly what an approval of this answer covers: question, layout and every claim."""
    question = answer.question
    if claims is None:
        claims = _load_claims(answer)
    return {
        "question": question.text,
        "jurisdiction": question.jurisdiction_id,
        "topic": question.topic_id,
        "blocks": answer.blocks,
        "claims": [
            {
                "id": c.pk,
                "block": c.block,
                "position": c.position,
                "status": c.status,
                "content": claim_content(c),
            }
            for c in claims
        ],
    }


def fingerprint(content: dict[str, Any] | None) -> str:
    """A short stable digest of a content dict (for pages that carry what a person saw)."""
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _load_claims(answer: Answer) -> list[Claim]:
    claims = Claim.objects.filter(answer=answer).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("id"))
    )
    return sorted(claims, key=lambda c: (c.block, c.position, c.id))


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


_SOURCE_FIELDS = (
    ("title", gettext_lazy("title")),
    ("url", gettext_lazy("URL")),
    ("kind", gettext_lazy("kind")),
    ("citation", gettext_lazy("citation")),
    ("publisher", gettext_lazy("publisher")),
    ("accessed_on", gettext_lazy("date accessed")),
)


def describe_claim_changes(before: dict | None, after: dict) -> list[str]:
    """What differs between two claim contents, one sentence each."""
    if before is None:
        return [_("it was never checked")]
    changes = []
    if before["text"] != after["text"]:
        changes.append(
            _("text changed from %(old)s to %(new)s")
            % {"old": _quoted(before["text"]), "new": _quoted(after["text"])}
        )
    old = {(c["source"], c["pinpoint"], c["quote"]): c for c in before["citations"]}
    new = {(c["source"], c["pinpoint"], c["quote"]): c for c in after["citations"]}
    for key in new.keys() - old.keys():
        changes.append(_("citation of %(source)s added") % {"source": _quoted(new[key]["title"])})
    for key in old.keys() - new.keys():
        changes.append(_("citation of %(source)s removed") % {"source": _quoted(old[key]["title"])})
    for key in old.keys() & new.keys():
        for name, label in _SOURCE_FIELDS:
            if old[key][name] != new[key][name]:
                changes.append(
                    _("source %(source)s: %(field)s changed from %(old)s to %(new)s")
                    % {
                        "source": _quoted(old[key]["title"]),
                        "field": label,
                        "old": _quoted(old[key][name]),
                        "new": _quoted(new[key][name]),
                    }
                )
    return changes or [_("its citations changed")]


def describe_answer_changes(before: dict | None, after: dict) -> list[str]:
    """What differs between two answer contents, one sentence each."""
    if before is None:
        return [_("it was never approved")]
    changes = []
    if before["question"] != after["question"]:
        changes.append(
            _("question changed from %(old)s to %(new)s")
            % {"old": _quoted(before["question"]), "new": _quoted(after["question"])}
        )
    if before["jurisdiction"] != after["jurisdiction"]:
        changes.append(_("jurisdiction changed"))
    if before["topic"] != after["topic"]:
        changes.append(_("topic changed"))
    if before["blocks"] != after["blocks"]:
        changes.append(_("layout of the answer changed"))
    old = {c["id"]: c for c in before["claims"]}
    new = {c["id"]: c for c in after["claims"]}
    for pk in sorted(new.keys() - old.keys()):
        changes.append(_("claim #%(id)s added") % {"id": pk})
    for pk in sorted(old.keys() - new.keys()):
        changes.append(_("claim #%(id)s removed") % {"id": pk})
    for pk in sorted(old.keys() & new.keys()):
        a, b = old[pk], new[pk]
        if (a["block"], a["position"]) != (b["block"], b["position"]):
            changes.append(_("claim #%(id)s moved") % {"id": pk})
        if a["status"] != b["status"]:
            changes.append(
                _("claim #%(id)s went from %(old)s to %(new)s")
                % {
                    "id": pk,
                    "old": str(C(a["status"]).label).lower(),
                    "new": str(C(b["status"]).label).lower(),
                }
            )
        if a["content"] != b["content"]:
            for change in describe_claim_changes(a["content"], b["content"]):
                changes.append(_("claim #%(id)s: %(change)s") % {"id": pk, "change": change})
    return changes or [_("its content changed")]


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
    # A verdict counts only for the content it was given on.
    status = {c.pk: _effective_status(c) for c in f.claims}
    unverified = [f"#{c.pk}" for c in f.claims if status[c.pk] == C.UNVERIFIED]
    disputed = [f"#{c.pk}" for c in f.claims if status[c.pk] == C.DISPUTED]
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


def _matches_approval(f: _Facts) -> str | None:
    current = answer_content(f.answer, f.claims)
    if f.answer.approved_content != current:
        changes = describe_answer_changes(f.answer.approved_content, current)
        return _(
            "This answer changed after it was approved (%(changes)s); it has to be reviewed "
            "and approved again before it is published."
        ) % {"changes": "; ".join(changes)}
    return None


def _seen_differs(seen: Any, current: dict) -> bool:
    """`seen` is the content a page showed, or its fingerprint; anything else never matches."""
    if isinstance(seen, str):
        return seen != fingerprint(current)
    return seen != current


def _answer_as_seen(f: _Facts) -> str | None:
    """An approval from a page holds only for the answer as that page showed it."""
    if f.seen is None:
        return None
    current = answer_content(f.answer, f.claims)
    if not _seen_differs(f.seen, current):
        return None
    if not f.seen:
        return _("The page did not say what it showed you; reload it, read it, then approve.")
    if isinstance(f.seen, dict) and "claims" in f.seen:
        changes = "; ".join(describe_answer_changes(f.seen, current))
        return _(
            "This answer changed after you opened the page (%(changes)s). Read it again, "
            "then approve it."
        ) % {"changes": changes}
    return _("This answer changed after you opened the page. Read it again, then approve it.")


def _claim_as_seen(f: _Facts) -> str | None:
    """A verdict from a page holds only for the claim as that page showed it."""
    if f.seen is None:
        return None
    current = claim_content(f.claim)
    if not _seen_differs(f.seen, current):
        return None
    if not f.seen:
        return _(
            "The page did not say what it showed you of claim #%(id)s; reload it, read the "
            "claim, then give your verdict."
        ) % {"id": f.claim.pk}
    if isinstance(f.seen, dict) and "citations" in f.seen:
        changes = "; ".join(describe_claim_changes(f.seen, current))
        return _(
            "Claim #%(id)s changed after you opened the page (%(changes)s). Read it again, "
            "then give your verdict."
        ) % {"id": f.claim.pk, "changes": changes}
    return _(
        "Claim #%(id)s changed after you opened the page. Read it again, then give your verdict."
    ) % {"id": f.claim.pk}


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
    # Fails closed: text nobody is recorded as writing could be the verifier's own.
    if f.claim.author_id is None:
        return _(
            "Nobody is recorded as the author of claim #%(id)s's text, so nobody can verify "
            "it yet; an editor has to save its text first."
        ) % {"id": f.claim.pk}
    if f.claim.author_id == f.by.pk:
        return _(
            "You wrote the current text of claim #%(id)s; another reviewer has to verify it."
        ) % {"id": f.claim.pk}
    return None


def _has_citation(f: _Facts) -> str | None:
    if not f.claim.citations.all():
        return _(
            "Claim #%(id)s has no citation; add the source that supports it, then mark it "
            "supported."
        ) % {"id": f.claim.pk}
    return None


def _has_quote(f: _Facts) -> str | None:
    if not any(c.quote.strip() for c in f.claim.citations.all()):
        return _(
            "No citation of claim #%(id)s quotes its source; add the words of the source that "
            "support the claim to a citation, then mark it supported."
        ) % {"id": f.claim.pk}
    return None


def checked_citations() -> QuerySet[Citation]:
    """Citations with what the verdict rules read: the source and its newest archived copy."""
    return Citation.objects.select_related("source").prefetch_related(
        Prefetch("source__copies", queryset=SourceCopy.objects.newest(), to_attr="newest_copies")
    )


def _newest_copy(source: Source) -> SourceCopy | None:
    copies = getattr(source, "newest_copies", None)
    if copies is None:
        return source.copies.first()
    return copies[0] if copies else None


def _quotes_in_copies(f: _Facts) -> str | None:
    # Each quote is checked against its source's newest archived copy; a source never
    # archived has nothing to check against yet.
    for citation in f.claim.citations.all():
        if not citation.quote.strip():
            continue
        copy = _newest_copy(citation.source)
        if copy is None or evidence.find_quote(copy.text, citation.quote) is not None:
            continue
        return _(
            "The quote of citation %(citation)s is not in the copy of %(source)s archived on "
            "%(date)s; correct the quote to the source's words, or archive a newer copy."
        ) % {
            "citation": " ".join(
                filter(None, [citation.pinpoint, _quoted(citation.quote, limit=40)])
            ),
            "source": _quoted(citation.source.title),
            "date": timezone.localtime(copy.retrieved_at).strftime("%Y-%m-%d %H:%M"),
        }
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


def _time_given(f: _Facts) -> str | None:
    if f.at is None or timezone.is_naive(f.at):
        return _("Give the date and time at which the answer is to be published.")
    return None


def _has_live_version(f: _Facts) -> str | None:
    """A re-review confirms what the public reads; there has to be something live."""
    if f.answer.live_publication_id is None:
        return _("This answer has no live publication to re-review.")
    return None


def _wrote_no_claim(f: _Facts) -> str | None:
    # The four-eyes rule of a verdict holds for a re-review too: nobody confirms their own text.
    own = [f"#{c.pk}" for c in f.claims if c.author_id is not None and c.author_id == f.by.pk]
    if own:
        return _(
            "You wrote the current text of %(ids)s; another reviewer has to confirm this answer."
        ) % {"ids": ", ".join(own)}
    return None


def _kind_known(f: _Facts) -> str | None:
    if f.kind not in BlockKind.values:
        return _("Choose paragraph, numbered point or bullet for the block.")
    return None


def split_lines(text: str) -> list[str]:
    """The claims a split makes of `text`: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _two_parts_at_least(f: _Facts) -> str | None:
    if len(split_lines(f.text)) < 2:
        return _(
            "Claim #%(id)s was not split: put each part of the text on a line of its own, "
            "then split."
        ) % {"id": f.claim.pk}
    return None


def _next_in_block(f: _Facts) -> Claim | None:
    after = False
    for claim in f.claims:
        if after and claim.block == f.claim.block:
            return claim
        after = after or claim.pk == f.claim.pk
    return None


def _has_next_in_block(f: _Facts) -> str | None:
    if _next_in_block(f) is None:
        return _(
            "Claim #%(id)s is the last claim of its block: there is no next claim to merge it with."
        ) % {"id": f.claim.pk}
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
        (),
        gettext_lazy("sent back"),
        (_changes_described,),
    ),
    "approve": Transition(
        Review.Action.APPROVE,
        "courtinfo.review_answer",
        gettext_lazy("approve answers"),
        frozenset({A.IN_REVIEW}),
        A.APPROVED,
        (_not_submitter, _every_claim_checked),
        gettext_lazy("approved"),
        (_answer_as_seen,),
    ),
    "publish": Transition(
        Review.Action.PUBLISH,
        "courtinfo.publish_answer",
        gettext_lazy("publish answers"),
        frozenset({A.APPROVED}),
        A.PUBLISHED,
        # Approval already required this; checked again because the snapshot must never carry
        # an unchecked claim or content nobody approved, whatever happened to the rows since.
        (_every_claim_checked, _matches_approval),
        gettext_lazy("published"),
    ),
    "withdraw": Transition(
        Review.Action.WITHDRAW,
        "courtinfo.publish_answer",
        gettext_lazy("withdraw answers"),
        # Whatever is being edited, what counts is that something is live.
        ALL_ANSWER - {A.WITHDRAWN},
        A.WITHDRAWN,
        (),
        gettext_lazy("withdrawn"),
        (_withdraw_reason_given,),
        (_has_live_publication,),
    ),
    # Any change to the content of an approved, published or withdrawn answer (its question,
    # layout, claims, citations, their sources or a verdict) sends it back to draft; the live
    # publication stays live. An answer in review stays in review: every changed claim is
    # unverified again, which blocks approval until a second person has checked it.
    "reopen": Transition(
        Review.Action.REOPEN,
        EDITOR_OR_REVIEWER,
        gettext_lazy("edit answers"),
        frozenset({A.APPROVED, A.PUBLISHED, A.WITHDRAWN}),
        A.DRAFT,
        (),
        gettext_lazy("reopened"),
        (_reason_given,),
    ),
    # A publisher sets the time at which `manage.py publish_scheduled` publishes an approved
    # answer for them; the answer stays approved, and any edit clears the time (see _reopen).
    "schedule": Transition(
        Review.Action.SCHEDULE,
        "courtinfo.publish_answer",
        gettext_lazy("schedule answers for publication"),
        frozenset({A.APPROVED}),
        A.APPROVED,
        (_every_claim_checked, _matches_approval),
        gettext_lazy("scheduled for publication"),
        (_time_given,),
    ),
    # A reviewer confirms that a published answer is still correct: the same content is
    # published again as a new version with a new review date.
    "confirm_review": Transition(
        Review.Action.CONFIRM,
        "courtinfo.review_answer",
        gettext_lazy("confirm that published answers are still correct"),
        frozenset({A.PUBLISHED}),
        A.PUBLISHED,
        (_has_live_version, _every_claim_checked, _matches_approval, _wrote_no_claim),
        gettext_lazy("re-reviewed"),
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
        (_not_author, _has_citation, _has_quote, _quotes_in_copies),
        gettext_lazy("marked supported"),
        (_claim_as_seen,),
    ),
    C.DISPUTED: Transition(
        Review.Action.VERIFY,
        "claims.verify_claim",
        gettext_lazy("verify claims"),
        ALL_CLAIM - {C.DISPUTED},
        C.DISPUTED,
        (_not_author,),
        gettext_lazy("marked disputed"),
        (_claim_as_seen, _dispute_explained),
    ),
    C.NOT_A_CLAIM: Transition(
        Review.Action.VERIFY,
        "claims.verify_claim",
        gettext_lazy("verify claims"),
        ALL_CLAIM - {C.NOT_A_CLAIM},
        C.NOT_A_CLAIM,
        (_not_author,),
        gettext_lazy("marked not a claim"),
        (_claim_as_seen,),
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
        inputs=(_text_given,),
    ),
    "add_claim": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("add claims"),
        ALL_ANSWER,
        C.UNVERIFIED,
        inputs=(_text_given, _block_exists),
    ),
    "move_claim": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("move claims"),
        ALL_CLAIM,
        None,
        inputs=(_block_exists,),
    ),
    "delete_claim": Transition(
        Review.Action.EDIT, EDITOR_OR_REVIEWER, gettext_lazy("delete claims"), ALL_CLAIM, None
    ),
    "split_claim": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("split claims"),
        ALL_CLAIM,
        C.UNVERIFIED,
        inputs=(_two_parts_at_least,),
    ),
    "merge_claims": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("merge claims"),
        ALL_CLAIM,
        C.UNVERIFIED,
        (_has_next_in_block,),
    ),
    "set_block_kind": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("change the layout of answers"),
        ALL_ANSWER,
        None,
        inputs=(_block_exists, _kind_known),
    ),
    "add_block": Transition(
        Review.Action.EDIT,
        EDITOR_OR_REVIEWER,
        gettext_lazy("add claims"),
        ALL_ANSWER,
        C.UNVERIFIED,
        inputs=(_text_given, _kind_known),
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
        inputs=(_reason_given,),
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
        if f.translation is not None:
            message = _(
                "This translation is %(status)s; only a translation that is %(allowed)s can be "
                "%(done)s."
            )
        else:
            message = _(
                "This answer is %(status)s; only an answer that is %(allowed)s can be %(done)s."
            )
        raise TransitionError(
            message
            % {"status": str(A(status).label).lower(), "allowed": _or_list(allowed), "done": t.done}
        )
    for rule in (*t.applies, *t.rules, *t.inputs):
        message = rule(f)
        if message:
            raise TransitionError(message)


def _refusal(t: Transition, f: _Facts, *, status: str) -> str | None:
    """Why the call would be refused, leaving out what the person has yet to type."""
    try:
        _check(replace(t, inputs=()), f, status=status)
    except TransitionError as error:
        return str(error)
    return None


# The buttons an answer offers, in the order a page shows them.
ANSWER_MOVES = ("submit", "approve", "request_changes", "publish", "withdraw", "reopen")


def is_checked(claim: Claim) -> bool:
    """Whether the claim counts as checked for approval: supported or not a claim, as it is now."""
    return _effective_status(claim) in (C.SUPPORTED, C.NOT_A_CLAIM)


def available_actions(answer: Answer, user) -> list[Move]:
    """The answer transitions `user` holds the role for and the answer's status allows now.

    Each comes with the reason it would still be refused (unchecked claims, the four-eyes rule,
    nothing live to withdraw), so a page can show the reason instead of a button that fails.
    """
    facts = _Facts(by=user, answer=answer)
    moves = []
    for name in ANSWER_MOVES:
        t = ANSWER_TRANSITIONS[name]
        if user is None or not user.has_perm(t.permission) or answer.status not in t.sources:
            continue
        if any(rule(facts) for rule in t.applies):
            continue
        moves.append(Move(name, _refusal(t, facts, status=answer.status)))
    return moves


def available_verdicts(claim: Claim, user) -> list[Move]:
    """The verdicts `user` may give this claim now, each with the reason it would be refused."""
    facts = _Facts(by=user, answer=claim.answer, claim=claim)
    status = _effective_status(claim)
    moves = []
    for verdict, t in CLAIM_VERDICTS.items():
        if user is None or not user.has_perm(t.permission):
            continue
        moves.append(Move(verdict, _refusal(t, facts, status=status), C(verdict).label))
    return moves


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


# --- history. Each accepted call leaves one reversion revision holding what the call changed.
# A call on claims (a verdict, an edit of the text, a citation added or removed, a claim marked
# unverified after a revert) stores those claims, each with its citations: all that reverting
# one of them needs. Every other call (import, submit, request changes, approve, publish,
# withdraw, reopen, scheduling, a change of the layout or of which claims there are) and a call
# on claims that reopened the answer store the whole answer: Answer follows its claims and a
# claim its citations, so every version of an answer is a full snapshot, and reverting the
# answer to one restores the claims and citations that call saw.


def _revision(answer: Answer, by, comment: str, *, reload_claims: bool = True) -> None:
    """One reversion revision of the answer with its claims and their citations as they are now."""
    if reload_claims:
        # A stale prefetch would put old claim data in the revision; load it afresh, in fixed
        # queries (reversion would otherwise read each claim's citations one query at a time).
        getattr(answer, "_prefetched_objects_cache", {}).pop("claims", None)
        snapshot.prefetch_for_payload(answer)
    _store_revision([answer], by, comment)


def _store_revision(objects, by, comment: str) -> None:
    """One reversion revision holding these objects (and what their registrations follow)."""
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        for obj in objects:
            reversion.add_to_revision(obj)


def _claims_revision(claims: list[Claim], by, comment: str) -> None:
    """One reversion revision of these claims and their citations as they are now, alone."""
    fresh = Claim.objects.filter(pk__in={c.pk for c in claims}).prefetch_related("citations")
    _store_revision(fresh, by, comment)


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
    answer.approved_content = None
    # A schedule was given for the approved content, which this is no longer.
    answer.publish_at = None
    answer.publish_scheduled_by = None
    answer.updated_by = by
    answer.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "approved_content",
            "publish_at",
            "publish_scheduled_by",
            "updated_by",
            "updated_at",
        ]
    )
    _record(answer, by, t.action, from_status, t.target, reason)
    return True


@dataclass
class _Voided:
    """What `_reconcile` voided: the claims it unverified, and whether it reopened the answer."""

    claims: list[Claim] = field(default_factory=list)
    reopened: bool = False


def _reconcile(answer: Answer, by, *, what: str = "") -> _Voided:
    """The one decider for changed content: verdicts and approvals hold only for what they saw.

    A claim whose text or citations (or a cited source) differ from what its verdict covered is
    unverified again; an approved, published or withdrawn answer whose content differs from its
    approval goes back to draft. Each with a review event saying what changed.
    """
    claims = _load_claims(answer)
    voided = _Voided()
    for claim in claims:
        if claim.status == C.UNVERIFIED:
            continue
        content = claim_content(claim)
        if claim.verified_content == content:
            continue
        changes = describe_claim_changes(claim.verified_content, content)
        from_status = claim.status
        _unverify(claim, author=claim.author, by=by)
        claim.save()
        _record(
            answer,
            by,
            Review.Action.RECHECK,
            from_status,
            claim.status,
            _("Claim #%(id)s changed after it was checked: %(changes)s.")
            % {"id": claim.pk, "changes": "; ".join(changes)},
            claim=claim,
        )
        voided.claims.append(claim)
    if answer.status in ANSWER_TRANSITIONS["reopen"].sources:
        content = answer_content(answer, claims)
        if answer.approved_content != content:
            changes = "; ".join(describe_answer_changes(answer.approved_content, content))
            reason = f"{what}: {changes}" if what else changes
            voided.reopened = _reopen(answer, by, reason)
    return voided


# What _sync copies back to a caller's instance: what the workflow owns, and who changed it when.
_EDIT_FIELDS = ("updated_by_id", "updated_at", "version")
_ANSWER_FIELDS = (*sorted(Answer.workflow_fields), *_EDIT_FIELDS)
_CLAIM_FIELDS = (
    "text",
    "position",
    "block",
    "author_id",
    *sorted(Claim.workflow_fields),
    *_EDIT_FIELDS,
)


def _sync(target, source, fields: tuple[str, ...]) -> None:
    """Bring the caller's instance up to date so that saving it later cannot undo the change."""
    if target is source:
        return
    for name in fields:
        if name in source.__dict__:
            setattr(target, name, source.__dict__[name])


def _comment(t: Transition, note: str) -> str:
    done = str(t.done).capitalize()
    return f"{done}: {note.strip()}" if note.strip() else done


def _answer_call(
    name: str, answer: Answer, by, *, note: str, seen: Any = None, **changes
) -> Answer:
    """Check and apply one answer transition that only sets fields."""
    t = ANSWER_TRANSITIONS[name]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        facts = _Facts(by=by, answer=locked, note=note, seen=seen)
        _check(t, facts, status=locked.status)
        from_status = locked.status
        locked.status = t.target
        for attr, value in changes.items():
            setattr(locked, attr, value(facts) if callable(value) else value)
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
        approved_content=None,
    )


def request_changes(answer: Answer, *, by, note: str) -> Answer:
    """in_review → draft, with a note saying what has to change."""
    return _answer_call("request_changes", answer, by, note=note)


def approve_answer(answer: Answer, *, by, note: str = "", seen: dict | str | None = None) -> Answer:
    """in_review → approved; never by its submitter; every claim supported or not a claim.

    The approval records the answer's content; publishing needs the content to be the same.
    `seen` is the content the approver was shown (see `answer_content`); a page passes it so
    that an answer changed after the page was opened is not approved unseen.
    """
    return _answer_call(
        "approve",
        answer,
        by,
        note=note,
        seen=seen,
        approved_by=by,
        approved_at=timezone.now(),
        approved_content=lambda f: answer_content(f.answer, f.claims),
    )


def withdraw_answer(answer: Answer, *, by, reason: str) -> Answer:
    """A live answer → withdrawn; its public page then answers 410 with the reason and date.

    Its translations are withdrawn with it.
    """
    with transaction.atomic():
        withdrawn = _answer_call(
            "withdraw",
            answer,
            by,
            note=reason,
            live_publication=None,
            withdrawn_reason=reason.strip(),
            withdrawn_at=timezone.now(),
            publish_at=None,
            publish_scheduled_by=None,
        )
        with workflow_writes():
            _withdraw_translations(withdrawn, by, reason)
    return withdrawn


def reopen_answer(answer: Answer, *, by, reason: str) -> Answer:
    """Record that the answer's content changed: approved, published or withdrawn → draft.

    For edits made outside this module (question text, citations or claims changed in a form,
    a revert). A draft or an answer in review is left as it is.
    """
    t = ANSWER_TRANSITIONS["reopen"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        _check(t, _Facts(by=by, answer=locked, note=reason), status=None)
        if _reopen(locked, by, reason.strip()):
            _revision(locked, by, _("Reopened: %(reason)s") % {"reason": reason.strip()})
    _sync(answer, locked, _ANSWER_FIELDS)
    return locked


def reconcile_answer(answer: Answer | int, *, by=None, what: str = "") -> bool:
    """After content changed outside a workflow call: void what no longer matches.

    Saves made elsewhere (a change form, an inline, reversion's revert and recover, the
    importer, the shell) end here through the signal handlers below. `by` is the person
    responsible when known (None for a shell). Returns whether anything was voided.
    """
    pk = answer.pk if isinstance(answer, Answer) else answer
    with transaction.atomic(), workflow_writes():
        try:
            locked = _lock_answer(pk)
        except TransitionError:
            return False
        voided = _reconcile(locked, by, what=what)
        comment = what or _("Content changed after it was checked")
        if voided.reopened:
            _revision(locked, by, comment)
        elif voided.claims:
            _claims_revision(voided.claims, by, comment)
    if isinstance(answer, Answer):
        _sync(answer, locked, _ANSWER_FIELDS)
    return voided.reopened or bool(voided.claims)


def _next_version(answer: Answer) -> int:
    return (answer.publications.aggregate(v=Max("version"))["v"] or 0) + 1


def _write_publication(
    answer: Answer,
    *,
    by,
    payload: dict[str, Any],
    published_at: datetime.datetime,
    summary: str,
    review_due_on,
    **place,
) -> Publication:
    """Insert the answer's next publication, the version its payload gives; `place` is where and
    under which question it is shown."""
    version = payload["version"]
    try:
        # The row lock serialises publishers; the unique (answer, version) constraint is the
        # backstop should two ever get past it.
        with transaction.atomic():
            return Publication.objects.create(
                answer=answer,
                version=version,
                published_at=published_at,
                published_by=by,
                summary=summary,
                body_text=snapshot.body_text(payload),
                review_due_on=review_due_on,
                payload=payload,
                **place,
            )
    except IntegrityError:
        raise TransitionError(
            _(
                "This answer was just published by someone else as version %(version)s; "
                "reload the page to see it."
            )
            % {"version": version}
        ) from None


def publish_answer(answer: Answer, *, by, summary: str = "") -> Publication:
    """approved → published: write the next Publication, a snapshot of what was approved."""
    t = ANSWER_TRANSITIONS["publish"]
    summary = summary.strip()
    with transaction.atomic(), workflow_writes():
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
        publication = _write_publication(
            locked,
            by=by,
            payload=payload,
            published_at=published_at,
            summary=summary,
            review_due_on=review_due_on,
            jurisdiction_id=question.jurisdiction_id,
            topic_id=question.topic_id,
            question_slug=question.slug,
            question_text=question.text,
            compare_key=question.compare_key,
            position=question.position,
        )
        from_status = locked.status
        locked.status = t.target
        locked.live_publication = publication
        locked.withdrawn_reason = ""
        locked.withdrawn_at = None
        locked.publish_at = None
        locked.publish_scheduled_by = None
        locked.updated_by = by
        locked.save(
            update_fields=[
                "status",
                "live_publication",
                "withdrawn_reason",
                "withdrawn_at",
                "publish_at",
                "publish_scheduled_by",
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
    t: Transition,
    claim: Claim,
    by,
    *,
    note: str = "",
    text: str = "",
    seen: Any = None,
    block: int | None = None,
) -> tuple[Answer, Claim]:
    """Lock the claim and its answer, then check the call against its table entry."""
    answer, locked = _lock_claim(claim)
    facts = _Facts(by=by, answer=answer, claim=locked, note=note, text=text, seen=seen, block=block)
    _check(t, facts, status=_effective_status(locked))
    return answer, locked


def _effective_status(claim: Claim) -> str:
    """A verdict whose content changed behind the workflow's back (a queryset update) is void."""
    if claim.status != C.UNVERIFIED and claim.verified_content != claim_content(claim):
        return C.UNVERIFIED
    return claim.status


def _content_changed(answer: Answer, by, *, what: str, claims: list[Claim] | None = None) -> None:
    """Every change to an answer's content ends here: void what it changed, then one revision.

    The answer row is saved too, so its version moves on: a page opened before the change is
    stale, whichever of its claims changed. `claims` are what a call on claims changed: the
    revision holds them (and any claim voided with them) unless the answer was reopened; without
    them it holds the whole answer.
    """
    voided = _reconcile(answer, by, what=what)
    answer.updated_by = by
    answer.save(update_fields=["updated_by", "updated_at"])
    if claims is None or voided.reopened:
        _revision(answer, by, what)
    else:
        _claims_revision([*claims, *voided.claims], by, what)


def edit_claim(claim: Claim, *, by, text: str) -> Claim:
    """New text: the claim is unverified again and `by` is the author of its text."""
    text = text.strip()
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["edit_claim"]
        answer, locked = _claim_call(t, claim, by, text=text)
        if text == locked.text:
            return locked
        _rewrite(answer, locked, by, t.action, text, _("Previous text: %(text)s"))
        what = _("Edited claim #%(id)s") % {"id": locked.pk}
        _content_changed(answer, by, what=what, claims=[locked])
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def _rewrite(answer: Answer, claim: Claim, by, action: str, text: str, note: str) -> None:
    """New text for a locked claim: unverified, written by `by`; `note` keeps the old %(text)s."""
    from_status, previous = claim.status, claim.text
    claim.text = text
    _unverify(claim, author=by, by=by)
    claim.save()
    _record(answer, by, action, from_status, claim.status, note % {"text": previous}, claim=claim)


def _unverify(claim: Claim, *, author, by) -> None:
    claim.status = C.UNVERIFIED
    claim.author = author
    claim.verified_by = None
    claim.verified_at = None
    claim.verified_content = None
    claim.note = ""
    claim.updated_by = by


def verify_claim(
    claim: Claim, *, by, verdict: str, note: str = "", seen: dict | str | None = None
) -> Claim:
    """supported (with a citation), disputed (with a note) or not_a_claim; never by its author.

    The verdict records the claim's content (text, citations, their sources): it holds only
    while that content is the same. `seen` is the content the reviewer was shown (see
    `claim_content`); a page passes it so that a claim changed after it was opened is refused.
    """
    if verdict not in CLAIM_VERDICTS:
        raise TransitionError(
            _("“%(verdict)s” is not a verdict; choose supported, disputed or not a claim.")
            % {"verdict": verdict}
        )
    note = note.strip()
    with transaction.atomic(), workflow_writes():
        t = CLAIM_VERDICTS[verdict]
        answer, locked = _claim_call(t, claim, by, note=note, seen=seen)
        from_status = locked.status
        locked.status = t.target
        locked.verified_by = by
        locked.verified_at = timezone.now()
        locked.verified_content = claim_content(locked)
        locked.note = note
        locked.updated_by = by
        locked.save()
        _record(answer, by, t.action, from_status, t.target, note, claim=locked)
        what = _("Claim #%(id)s %(done)s") % {"id": locked.pk, "done": t.done}
        _content_changed(answer, by, what=what, claims=[locked])
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def mark_claim_unverified(claim: Claim, *, by, reason: str) -> Claim:
    """After a revert: the claim needs checking again, and `by`, who chose its text, cannot."""
    reason = reason.strip()
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["mark_unverified"]
        answer, locked = _claim_call(t, claim, by, note=reason)
        from_status = locked.status
        _unverify(locked, author=by, by=by)
        locked.save()
        _record(answer, by, t.action, from_status, locked.status, reason, claim=locked)
        _content_changed(answer, by, what=reason, claims=[locked])
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def add_claim(answer: Answer, *, by, text: str, block: int, position: int | None = None) -> Claim:
    """A new, unverified claim written by `by`, at the end of its block unless placed."""
    t = CONTENT_EDITS["add_claim"]
    text = text.strip()
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        facts = _Facts(by=by, answer=locked, text=text, block=block)
        _check(t, facts, status=locked.status)
        if position is None:
            earlier = [c.position for c in facts.claims if c.block <= block]
            later = [c.position for c in facts.claims if c.block > block]
            position = max(earlier) + 1 if earlier else min(later, default=0)
        position = max(position, 0)
        Claim.objects.filter(answer=locked, position__gte=position).update(
            position=F("position") + 1, version=F("version") + 1
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


def move_claim(claim: Claim, *, by, block: int, position: int) -> Claim:
    """Put a claim in a block, at `position` among that block's claims (0 is first; a position
    past the end is last). The system renumbers the positions; the claim's text is unchanged."""
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["move_claim"]
        answer, locked = _claim_call(t, claim, by, block=block)
        facts = _Facts(by=by, answer=answer)
        others = [c for c in facts.claims if c.pk != locked.pk]
        in_block = [c for c in others if c.block == block]
        position = min(max(position, 0), len(in_block))
        order = [c for c in others if c.block < block] + in_block[:position]
        order += [locked] + in_block[position:] + [c for c in others if c.block > block]
        if [c.pk for c in order] == [c.pk for c in facts.claims] and locked.block == block:
            return locked
        locked.block = block
        locked.updated_by = by
        locked.save(update_fields=["block", "updated_by", "updated_at"])
        _renumber(order, moved=locked)
        what = _("Moved claim #%(id)s to block %(block)d, place %(position)d") % {
            "id": locked.pk,
            "block": block + 1,
            "position": position + 1,
        }
        _record(answer, by, t.action, locked.status, locked.status, what, claim=locked)
        _content_changed(answer, by, what=what)
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def _renumber(order: list[Claim], *, moved: Claim | None = None) -> None:
    """Positions 0, 1, 2 … in reading order; only the rows whose position changes are written."""
    for position, claim in enumerate(order):
        current = moved if moved is not None and claim.pk == moved.pk else claim
        if current.position != position:
            Claim.objects.filter(pk=current.pk).update(position=position)
            current.position = position


def split_claim(claim: Claim, *, by, text: str) -> list[Claim]:
    """One claim per line of `text`, in the claim's place: the first keeps its citations.

    Every part is unverified and written by `by`.
    """
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["split_claim"]
        answer, locked = _claim_call(t, claim, by, text=text)
        first, *rest = split_lines(text)
        _rewrite(answer, locked, by, t.action, first, _("Split; previous text: %(text)s"))
        parts = [locked]
        for part in rest:
            new = Claim.objects.create(
                answer=answer,
                text=part,
                block=locked.block,
                position=locked.position,
                status=C.UNVERIFIED,
                author=by,
                updated_by=by,
            )
            _record(
                answer,
                by,
                t.action,
                "",
                new.status,
                _("Split from claim #%(id)s") % {"id": locked.pk},
                claim=new,
            )
            parts.append(new)
        claims = _Facts(by=by, answer=answer).claims
        others = [c for c in claims if c.pk not in {p.pk for p in parts}]
        before = [
            c
            for c in others
            if (c.block, c.position, c.pk) < (locked.block, locked.position, locked.pk)
        ]
        _renumber(before + parts + others[len(before) :])
        _content_changed(
            answer,
            by,
            what=_("Split claim #%(id)s in %(count)d") % {"id": locked.pk, "count": len(parts)},
        )
    _sync(claim, locked, _CLAIM_FIELDS)
    return parts


def merge_claims(claim: Claim, *, by) -> Claim:
    """The claim and the next one of its block become one claim, with both claims' citations."""
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["merge_claims"]
        answer, locked = _claim_call(t, claim, by)
        facts = _Facts(by=by, answer=answer, claim=locked)
        following = Claim.objects.select_for_update().get(pk=_next_in_block(facts).pk)
        what = _("Merged claim #%(other)s into claim #%(id)s") % {
            "other": following.pk,
            "id": locked.pk,
        }
        _record(answer, by, t.action, following.status, "", what, claim=following)
        following.citations.update(claim=locked)
        merged = f"{locked.text} {following.text}"
        following.delete()
        _rewrite(answer, locked, by, t.action, merged, _("Merged; previous text: %(text)s"))
        _content_changed(answer, by, what=what)
    _sync(claim, locked, _CLAIM_FIELDS)
    return locked


def _numbered(blocks: list[dict]) -> list[dict]:
    """The layout with its numbered points counted 1, 2, 3 … within each run of them."""
    number = 0
    laid_out = []
    for block in blocks:
        number = number + 1 if block["kind"] == BlockKind.NUMBERED else 0
        laid_out.append({"kind": block["kind"], "number": number or None})
    return laid_out


def set_block_kind(answer: Answer, *, by, block: int, kind: str) -> Answer:
    """Make a block a paragraph, a numbered point or a bullet; numbered points are renumbered."""
    t = CONTENT_EDITS["set_block_kind"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        _check(t, _Facts(by=by, answer=locked, block=block, kind=kind), status=locked.status)
        if locked.blocks[block]["kind"] == kind:
            return locked
        blocks = [dict(b) for b in locked.blocks]
        previous = BlockKind(blocks[block]["kind"]).label
        blocks[block]["kind"] = kind
        locked.blocks = _numbered(blocks)
        locked.updated_by = by
        locked.save(update_fields=["blocks", "updated_by", "updated_at"])
        what = _("Block %(block)d is now a %(kind)s (was a %(previous)s)") % {
            "block": block + 1,
            "kind": str(BlockKind(kind).label).lower(),
            "previous": str(previous).lower(),
        }
        _record(locked, by, t.action, locked.status, locked.status, what)
        _content_changed(locked, by, what=what)
    _sync(answer, locked, (*_ANSWER_FIELDS, "blocks"))
    return locked


def add_block(answer: Answer, *, by, kind: str, text: str) -> Claim:
    """A new block at the end of the answer, holding one new claim."""
    t = CONTENT_EDITS["add_block"]
    text = text.strip()
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        facts = _Facts(by=by, answer=locked, text=text, kind=kind)
        _check(t, facts, status=locked.status)
        locked.blocks = _numbered([*locked.blocks, {"kind": kind, "number": None}])
        locked.updated_by = by
        locked.save(update_fields=["blocks", "updated_by", "updated_at"])
        claim = Claim.objects.create(
            answer=locked,
            text=text,
            block=len(locked.blocks) - 1,
            position=max((c.position for c in facts.claims), default=-1) + 1,
            status=C.UNVERIFIED,
            author=by,
            updated_by=by,
        )
        what = _("Added claim #%(id)s in a new block") % {"id": claim.pk}
        _record(locked, by, t.action, "", claim.status, what, claim=claim)
        _content_changed(locked, by, what=what)
    _sync(answer, locked, (*_ANSWER_FIELDS, "blocks"))
    return claim


def delete_claim(claim: Claim, *, by) -> Answer:
    """Remove a claim; returns its answer."""
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["delete_claim"]
        answer, locked = _claim_call(t, claim, by)
        what = _("Deleted claim #%(id)s: %(text)s") % {"id": locked.pk, "text": locked.text}
        _record(answer, by, t.action, locked.status, "", what, claim=locked)
        locked.delete()
        _content_changed(answer, by, what=what)
    return answer


def _anchor(source: Source, quote: str) -> dict | None:
    copy = source.copies.first()
    if copy is None or not quote:
        return None
    anchor = evidence.anchor_quote(copy.text, quote)
    return {"copy": copy.pk, "retrieved_at": copy.retrieved_at.isoformat(), **anchor}


def add_citation(
    claim: Claim, *, by, source: Source, pinpoint: str = "", quote: str = ""
) -> Citation:
    """Cite a source for a claim; a verdict given before it no longer holds (it never saw it)."""
    with transaction.atomic(), workflow_writes():
        t = CONTENT_EDITS["add_citation"]
        answer, locked = _claim_call(t, claim, by)
        quote = quote.strip()
        citation = Citation.objects.create(
            claim=locked,
            source=source,
            pinpoint=pinpoint.strip(),
            quote=quote,
            anchor=_anchor(source, quote),
        )
        # A claim's citations are part of it: a page opened before this is stale.
        locked.updated_by = by
        locked.save(update_fields=["updated_by", "updated_at"])
        what = _("Cited %(source)s for claim #%(id)s") % {"source": source, "id": locked.pk}
        _record(answer, by, t.action, locked.status, locked.status, what, claim=locked)
        _content_changed(answer, by, what=what, claims=[locked])
    return citation


def remove_citation(citation: Citation, *, by) -> Claim:
    """Remove a citation; a supported claim left with none is unverified again."""
    with transaction.atomic(), workflow_writes():
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
        locked.updated_by = by
        locked.save()
        what = _("Removed citation of %(source)s from claim #%(id)s") % {
            "source": current.source,
            "id": locked.pk,
        }
        _record(answer, by, t.action, from_status, locked.status, what, claim=locked)
        _content_changed(answer, by, what=what, claims=[locked])
    _sync(citation.claim, locked, _CLAIM_FIELDS)
    return locked


# --- content saved outside a workflow call: forms, inlines, revert, recover, importer, shell

_acting = contextvars.ContextVar("claims_acting_user", default=None)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Name the person behind the saves made in the block (a request, an import).

    `user` may be a callable returning the user, so a request's user is only looked up when
    something was actually saved.
    """
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def _acting_user():
    user = _acting.get()
    if callable(user):
        user = user()
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _answers_touched(instance) -> list[int]:
    if isinstance(instance, Answer):
        return [instance.pk]
    if isinstance(instance, Claim):
        return [instance.answer_id]
    if isinstance(instance, Citation):
        return list(Claim.objects.filter(pk=instance.claim_id).values_list("answer_id", flat=True))
    if isinstance(instance, Question):
        return list(Answer.objects.filter(question_id=instance.pk).values_list("pk", flat=True))
    if isinstance(instance, Source):
        return list(
            Claim.objects.filter(citations__source=instance).values_list("answer_id", flat=True)
        )
    return []


def _content_saved(sender, instance, created=False, **kwargs) -> None:
    # A new answer, question or source has no verdict or approval to void yet.
    if workflow_is_writing() or (created and sender in (Answer, Question, Source)):
        return
    touched = _answers_touched(instance)
    if not touched:
        return
    # Only answers holding a verdict or an approval have anything to void; locked in id order.
    with_verdicts = (
        Answer.objects.filter(pk__in=touched)
        .filter(
            Q(status__in=ANSWER_TRANSITIONS["reopen"].sources)
            | Q(claims__status__in=[C.SUPPORTED, C.DISPUTED, C.NOT_A_CLAIM])
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    what = _("%(model)s #%(id)s was changed") % {
        "model": str(instance._meta.verbose_name).capitalize(),
        "id": instance.pk,
    }
    by = _acting_user()
    for pk in list(with_verdicts):
        reconcile_answer(pk, by=by, what=what)


def _content_deleted(sender, instance, origin=None, **kwargs) -> None:
    # Removed together with its answer or claim: nothing is left to judge.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and origin_model is not sender:
        return
    _content_saved(sender, instance)


WATCHED_MODELS = (Answer, Question, Claim, Citation, Source)


def connect_signals() -> None:
    """Send every save of content, whatever made it, through `reconcile_answer`."""
    for model in WATCHED_MODELS:
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"reconcile-{model.__name__}")
        post_delete.connect(
            _content_deleted, sender=model, dispatch_uid=f"reconcile-del-{model.__name__}"
        )


# --- translations: one more table on the same engine. A translation translates the English
# answer's live publication claim by claim; a translated claim is outdated when the English text
# it was made from is no longer the published English text.

TRANSLATION_TRANSITIONS: dict[str, Transition] = {}  # filled below, after its rules


@dataclass(frozen=True)
class TranslatedLine:
    """One English claim of the published answer beside its translation (None: not yet made)."""

    english: dict[str, Any]
    translated: TranslatedClaim | None
    block: dict[str, Any]

    @property
    def outdated(self) -> bool:
        return self.translated is not None and self.translated.source_text != self.english["text"]

    @property
    def missing(self) -> bool:
        return self.translated is None


@dataclass(frozen=True)
class TranslationState:
    """Where a translation stands against the English publication the public reads now."""

    translation: Translation
    english: Publication | None
    lines: list[TranslatedLine]

    @property
    def outdated(self) -> list[TranslatedLine]:
        return [line for line in self.lines if line.outdated]

    @property
    def missing(self) -> list[TranslatedLine]:
        return [line for line in self.lines if line.missing]

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if not line.missing and not line.outdated)


def english_claims(publication: Publication) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The published English claims in reading order, each with its block."""
    return [(claim, block) for block in publication.payload["blocks"] for claim in block["claims"]]


def translation_state(translation: Translation) -> TranslationState:
    """Each English claim of the live English publication with its translation, if any."""
    english = translation.answer.live_publication
    made = {tc.claim_id: tc for tc in translation.claims.all()}
    lines = (
        [
            TranslatedLine(english=claim, translated=made.get(claim["id"]), block=block)
            for claim, block in english_claims(english)
        ]
        if english is not None
        else []
    )
    return TranslationState(translation=translation, english=english, lines=lines)


def translation_content(translation: Translation) -> dict[str, Any]:
    """What approving a translation covers: the question and every translated claim."""
    return {
        "language": translation.language,
        "question": translation.question_text,
        "claims": {
            str(tc.claim_id): {"text": tc.text, "source_text": tc.source_text}
            for tc in translation.claims.order_by("claim_id")
        },
    }


def _english_is_live(f: _Facts) -> str | None:
    if f.answer.live_publication_id is None:
        return _("The English answer is not published; only a published answer can be translated.")
    return None


def _translation_complete(f: _Facts) -> str | None:
    state = translation_state(f.translation)
    if not state.lines:
        return _("The English answer has nothing published to translate.")
    problems = []
    if not f.translation.question_text.strip():
        problems.append(_("the question is not translated"))
    if state.missing:
        problems.append(
            _("claims not yet translated: %(ids)s")
            % {"ids": ", ".join(f"#{line.english['id']}" for line in state.missing)}
        )
    if state.outdated:
        problems.append(
            _("claims whose English changed since they were translated: %(ids)s")
            % {"ids": ", ".join(f"#{line.english['id']}" for line in state.outdated)}
        )
    if problems:
        return _("This translation is not complete: %(problems)s.") % {
            "problems": "; ".join(problems)
        }
    return None


def _not_translator(f: _Facts) -> str | None:
    mine = sorted(f.translation.claims.filter(translator=f.by).values_list("claim_id", flat=True))
    if mine:
        return _(
            "You translated claims %(ids)s of this translation; a second person approves it."
        ) % {"ids": ", ".join(f"#{pk}" for pk in mine)}
    return None


def _translation_matches_approval(f: _Facts) -> str | None:
    if f.translation.approved_content != translation_content(f.translation):
        return _("This translation changed after it was approved; it needs a new approval.")
    return None


TRANSLATION_TRANSITIONS.update(
    {
        "translate": Transition(
            Review.Action.TRANSLATE,
            "courtinfo.translate_answer",
            gettext_lazy("translate answers"),
            ALL_ANSWER,
            None,
            applies=(_english_is_live,),
            inputs=(_text_given,),
        ),
        "submit": Transition(
            Review.Action.TRANSLATION_SUBMIT,
            "courtinfo.translate_answer",
            gettext_lazy("submit translations for review"),
            frozenset({A.DRAFT}),
            A.IN_REVIEW,
            (_english_is_live, _translation_complete),
            gettext_lazy("submitted"),
        ),
        "request_changes": Transition(
            Review.Action.TRANSLATION_CHANGES,
            "courtinfo.review_translation",
            gettext_lazy("send translations back for changes"),
            frozenset({A.IN_REVIEW}),
            A.DRAFT,
            (),
            gettext_lazy("sent back"),
            (_changes_described,),
        ),
        "approve": Transition(
            Review.Action.TRANSLATION_APPROVE,
            "courtinfo.review_translation",
            gettext_lazy("approve translations"),
            frozenset({A.IN_REVIEW}),
            A.APPROVED,
            (_not_translator, _english_is_live, _translation_complete),
            gettext_lazy("approved"),
        ),
        "publish": Transition(
            Review.Action.TRANSLATION_PUBLISH,
            "courtinfo.publish_answer",
            gettext_lazy("publish translations"),
            frozenset({A.APPROVED}),
            A.PUBLISHED,
            (_english_is_live, _translation_complete, _translation_matches_approval),
            gettext_lazy("published"),
        ),
    }
)

TRANSLATION_MOVES = ("submit", "approve", "request_changes", "publish")


def available_translation_actions(translation: Translation, user) -> list[Move]:
    """The translation's moves `user` holds the role for, each with why it would be refused."""
    facts = _Facts(by=user, answer=translation.answer, translation=translation)
    moves = []
    for name in TRANSLATION_MOVES:
        t = TRANSLATION_TRANSITIONS[name]
        if not user.has_perm(t.permission) or translation.status not in t.sources:
            continue
        moves.append(
            Move(name, _refusal(t, facts, status=translation.status), str(t.verb).capitalize())
        )
    return moves


def _lock_translation(pk: int) -> Translation:
    try:
        translation = Translation.objects.select_for_update(of=("self",)).get(pk=pk)
    except Translation.DoesNotExist:
        raise TransitionError(_("This translation no longer exists; it was deleted.")) from None
    # The English answer's live publication is read after the lock, never from a stale instance.
    translation.answer = Answer.objects.get(pk=translation.answer_id)
    return translation


def _translation_revision(translation: Translation, by, comment: str) -> None:
    _store_revision([translation], by, comment)


def _record_translation(
    translation: Translation, by, action: Transition | str, from_status, note=""
) -> None:
    label = translation.get_language_display()
    _record(
        translation.answer,
        by,
        action.action if isinstance(action, Transition) else action,
        from_status,
        translation.status,
        f"{label}: {note}" if note else label,
    )


def _reopen_translation(translation: Translation, by, reason: str) -> None:
    """An approved, published or withdrawn translation whose content changed goes back to draft."""
    if translation.status not in ANSWER_TRANSITIONS["reopen"].sources:
        return
    from_status = translation.status
    translation.status = A.DRAFT
    translation.approved_by = None
    translation.approved_at = None
    translation.approved_content = None
    translation.save()
    _record_translation(translation, by, Review.Action.TRANSLATION_REOPEN, from_status, reason)


def start_translation(answer: Answer, *, by, language: str = "es") -> Translation:
    """The translation of a published answer into `language`, made if it does not exist yet."""
    t = TRANSLATION_TRANSITIONS["translate"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        existing = Translation.objects.filter(answer=locked, language=language).first()
        if existing is not None:
            return existing
        facts = _Facts(by=by, answer=locked, text="-")
        _check(t, facts, status=locked.status)
        translation = Translation.objects.create(
            answer=locked,
            language=language,
            source_publication_id=locked.live_publication_id,
            updated_by=by,
        )
        translation.answer = locked
        _record_translation(translation, by, t, "", _("translation started"))
        _translation_revision(translation, by, _("Translation started"))
    return translation


def translate_claim(
    translation: Translation, claim: Claim | int, *, by, text: str
) -> TranslatedClaim:
    """The claim's text in the translation's language, made from its published English text."""
    text = text.strip()
    claim_id = claim.pk if isinstance(claim, Claim) else claim
    t = TRANSLATION_TRANSITIONS["translate"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_translation(translation.pk)
        facts = _Facts(by=by, answer=locked.answer, translation=locked, text=text)
        _check(t, facts, status=locked.status)
        english = Publication.objects.get(pk=locked.answer.live_publication_id)
        source = next((c for c, _b in english_claims(english) if c["id"] == claim_id), None)
        if source is None:
            raise TransitionError(
                _("Claim #%(id)s is not in the published English answer.") % {"id": claim_id}
            )
        made = TranslatedClaim.objects.filter(translation=locked, claim_id=claim_id).first()
        if made is not None and made.text == text and made.source_text == source["text"]:
            return made
        if made is None:
            made = TranslatedClaim(translation=locked, claim_id=claim_id)
        made.text = text
        made.source_text = source["text"]
        made.translator = by
        made.updated_by = by
        made.save()
        locked.source_publication = english
        locked.updated_by = by
        locked.save()
        what = _("Translated claim #%(id)s") % {"id": claim_id}
        _reopen_translation(locked, by, what)
        _record_translation(locked, by, t, locked.status, what)
        _translation_revision(locked, by, what)
    return made


def translate_question(translation: Translation, *, by, text: str) -> Translation:
    """The question in the translation's language."""
    text = text.strip()
    t = TRANSLATION_TRANSITIONS["translate"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_translation(translation.pk)
        _check(t, _Facts(by=by, answer=locked.answer, translation=locked, text=text), status=None)
        if locked.question_text == text:
            return locked
        locked.question_text = text
        locked.updated_by = by
        locked.save()
        what = _("Translated the question")
        _reopen_translation(locked, by, what)
        _record_translation(locked, by, t, locked.status, what)
        _translation_revision(locked, by, what)
    return locked


def _translation_call(name: str, translation: Translation, by, *, note: str = "", **changes):
    t = TRANSLATION_TRANSITIONS[name]
    with transaction.atomic(), workflow_writes():
        locked = _lock_translation(translation.pk)
        facts = _Facts(by=by, answer=locked.answer, translation=locked, note=note)
        _check(t, facts, status=locked.status)
        from_status = locked.status
        locked.status = t.target
        for attr, value in changes.items():
            setattr(locked, attr, value(facts) if callable(value) else value)
        locked.updated_by = by
        locked.save()
        _record_translation(locked, by, t, from_status, note.strip())
        _translation_revision(locked, by, _comment(t, note))
    return locked


def submit_translation(translation: Translation, *, by, note: str = "") -> Translation:
    """draft → in_review (Translators); every claim translated, none outdated."""
    return _translation_call("submit", translation, by, note=note, submitted_by=by)


def request_translation_changes(translation: Translation, *, by, note: str) -> Translation:
    """in_review → draft, with a note saying what to change."""
    return _translation_call("request_changes", translation, by, note=note)


def approve_translation(translation: Translation, *, by, note: str = "") -> Translation:
    """in_review → approved; never by someone who translated one of its claims."""
    return _translation_call(
        "approve",
        translation,
        by,
        note=note,
        approved_by=by,
        approved_at=timezone.now(),
        approved_content=lambda f: translation_content(f.translation),
    )


def publish_translation(translation: Translation, *, by) -> TranslationPublication:
    """approved → published: the English publication it translates, in its language."""
    t = TRANSLATION_TRANSITIONS["publish"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_translation(translation.pk)
        _check(t, _Facts(by=by, answer=locked.answer, translation=locked), status=locked.status)
        english = Publication.objects.get(pk=locked.answer.live_publication_id)
        version = (locked.publications.aggregate(v=Max("version"))["v"] or 0) + 1
        published_at = timezone.now()
        payload = snapshot.translated_payload(
            english,
            language=locked.language,
            question_text=locked.question_text,
            texts={tc.claim_id: tc.text for tc in locked.claims.all()},
            version=version,
            published_at=published_at,
            approved_by=locked.approved_by,
        )
        publication = TranslationPublication.objects.create(
            translation=locked,
            version=version,
            source_publication=english,
            language=locked.language,
            published_at=published_at,
            published_by=by,
            body_text=snapshot.body_text(payload),
            payload=payload,
        )
        from_status = locked.status
        locked.status = t.target
        locked.source_publication = english
        locked.live_publication = publication
        locked.updated_by = by
        locked.save()
        _record_translation(
            locked, by, t, from_status, _("Version %(version)d") % {"version": version}
        )
        _translation_revision(locked, by, _("Published version %(version)d") % {"version": version})
    return publication


def _withdraw_translations(answer: Answer, by, reason: str) -> None:
    """Withdrawing the English answer withdraws what was translated from it."""
    for translation in Translation.objects.select_for_update().filter(
        answer=answer, live_publication__isnull=False
    ):
        from_status = translation.status
        translation.status = A.WITHDRAWN
        translation.live_publication = None
        translation.save()
        _record_translation(
            translation, by, Review.Action.TRANSLATION_WITHDRAW, from_status, reason.strip()
        )


def reconcile_translation(translation: Translation | int, *, by=None, what: str = "") -> bool:
    """After a translation changed outside a workflow call (a form, a revert): void its approval."""
    pk = translation.pk if isinstance(translation, Translation) else translation
    with transaction.atomic(), workflow_writes():
        try:
            locked = _lock_translation(pk)
        except TransitionError:
            return False
        if locked.status not in ANSWER_TRANSITIONS["reopen"].sources:
            return False
        if locked.approved_content == translation_content(locked):
            return False
        _reopen_translation(locked, by, what or _("Content changed after it was approved"))
        _translation_revision(locked, by, what or _("Content changed after it was approved"))
    return True


def _translation_saved(sender, instance, **kwargs) -> None:
    if workflow_is_writing():
        return
    pk = instance.pk if isinstance(instance, Translation) else instance.translation_id
    what = _("%(model)s #%(id)s was changed") % {
        "model": str(instance._meta.verbose_name).capitalize(),
        "id": instance.pk,
    }
    reconcile_translation(pk, by=_acting_user(), what=what)


def connect_translation_signals() -> None:
    """Send every save of a translation, whatever made it, through `reconcile_translation`."""
    for model in (Translation, TranslatedClaim):
        post_save.connect(
            _translation_saved, sender=model, dispatch_uid=f"reconcile-{model.__name__}"
        )
        post_delete.connect(
            _translation_saved, sender=model, dispatch_uid=f"reconcile-del-{model.__name__}"
        )


# --- operations: scheduled publishing and re-review


def schedule_publication(answer: Answer, *, by, at: datetime.datetime | None) -> Answer:
    """Publish this approved answer at `at` (`manage.py publish_scheduled`), by `by`.

    `at=None` is refused; to cancel a schedule, see `unschedule_publication`.
    """
    t = ANSWER_TRANSITIONS["schedule"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        facts = _Facts(by=by, answer=locked, at=at)
        _check(t, facts, status=locked.status)
        locked.publish_at = at
        locked.publish_scheduled_by = by
        locked.updated_by = by
        locked.save(
            update_fields=["publish_at", "publish_scheduled_by", "updated_by", "updated_at"]
        )
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M %Z")
        note = _("To be published at %(when)s") % {"when": when}
        _record(locked, by, t.action, locked.status, locked.status, note)
        _revision(locked, by, _comment(t, note))
    _sync(answer, locked, _ANSWER_FIELDS)
    return locked


def unschedule_publication(answer: Answer, *, by) -> Answer:
    """Cancel a scheduled publication; the answer stays approved."""
    t = ANSWER_TRANSITIONS["schedule"]
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk)
        _check(replace(t, rules=(), inputs=()), _Facts(by=by, answer=locked), status=None)
        if locked.publish_at is None:
            return locked
        locked.publish_at = None
        locked.publish_scheduled_by = None
        locked.updated_by = by
        locked.save(
            update_fields=["publish_at", "publish_scheduled_by", "updated_by", "updated_at"]
        )
        note = _("Schedule cancelled")
        _record(locked, by, t.action, locked.status, locked.status, note)
        _revision(locked, by, note)
    _sync(answer, locked, _ANSWER_FIELDS)
    return locked


def due_for_publication(now: datetime.datetime | None = None) -> QuerySet[Answer]:
    """Answers whose scheduled time has come, oldest first."""
    return Answer.objects.filter(publish_at__lte=now or timezone.now()).order_by("publish_at", "pk")


def publish_scheduled_answer(
    pk: int, *, now: datetime.datetime | None = None
) -> Publication | None:
    """Publish one due answer for the publisher who scheduled it, through `publish_answer`.

    Returns None when another run holds it or has already published it; raises TransitionError
    (after clearing the schedule) when publishing is refused, e.g. it changed since.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Two runs at once: the second skips a row the first holds instead of waiting for it.
        answer = (
            Answer.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, publish_at__lte=now)
            .select_related("publish_scheduled_by")
            .first()
        )
        if answer is None:
            return None
        try:
            with transaction.atomic():
                return publish_answer(
                    answer,
                    by=answer.publish_scheduled_by,
                    summary=_("Published as scheduled."),
                )
        except TransitionError as error:
            refused = error
        # The time was given for content that can no longer be published: forget it.
        with workflow_writes():
            Answer.objects.filter(pk=pk).update(publish_at=None, publish_scheduled_by=None)
    raise refused


def available_operations(answer: Answer, user) -> list[Move]:
    """Scheduling and re-review moves `user` holds the role for, each with its refusal if any."""
    facts = _Facts(by=user, answer=answer)
    moves = []
    for name in ("schedule", "confirm_review"):
        t = ANSWER_TRANSITIONS[name]
        if user is None or not user.has_perm(t.permission) or answer.status not in t.sources:
            continue
        moves.append(Move(name, _refusal(t, facts, status=answer.status), t.done))
    return moves


def confirm_review(answer: Answer, *, by, note: str = "") -> Publication:
    """Re-reviewed, still correct: the live content again as a new version, with a new review date.

    The public history lists it as a review (the text did not change), and its page shows the
    new "last reviewed" date.
    """
    t = ANSWER_TRANSITIONS["confirm_review"]
    note = note.strip()
    with transaction.atomic(), workflow_writes():
        locked = _lock_answer(answer.pk, for_payload=True)
        _check(t, _Facts(by=by, answer=locked, note=note), status=locked.status)
        live = Publication.objects.get(pk=locked.live_publication_id)
        version = _next_version(locked)
        published_at = timezone.now()
        reviewed_on = timezone.localdate(published_at)
        review_due_on = reviewed_on + datetime.timedelta(
            days=settings.COURTINFO_REVIEW_INTERVAL_DAYS
        )
        summary = _("Re-reviewed: still correct.")
        if note:
            summary = f"{summary} {note}"
        payload = {
            **live.payload,
            "version": version,
            "summary": summary,
            "published_at": published_at.isoformat(),
            "review_due_on": review_due_on.isoformat(),
            "last_reviewed_on": reviewed_on.isoformat(),
            "reviewed_again": True,
        }
        reviewer = snapshot.display_name(by)
        if reviewer not in payload.get("reviewers", []):
            payload["reviewers"] = [*payload.get("reviewers", []), reviewer]
        publication = _write_publication(
            locked,
            by=by,
            payload=payload,
            published_at=published_at,
            summary=summary,
            review_due_on=review_due_on,
            # The content is the live one: where it is shown, and under which question, too.
            jurisdiction_id=live.jurisdiction_id,
            topic_id=live.topic_id,
            question_slug=live.question_slug,
            question_text=live.question_text,
            compare_key=live.compare_key,
            position=live.position,
        )
        locked.live_publication = publication
        locked.updated_by = by
        locked.save(update_fields=["live_publication", "updated_by", "updated_at"])
        _record(locked, by, t.action, locked.status, locked.status, note or summary)
        _revision(
            locked,
            by,
            _("Re-reviewed, published unchanged as version %(version)d") % {"version": version},
        )
    _sync(answer, locked, _ANSWER_FIELDS)
    return publication
