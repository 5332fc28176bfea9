"""The answer page's claims editor: the answer as it will read; each change is a workflow call.

Every button posts one operation to `<answer>/claims/`; the view turns it into one call of
claims.workflow and returns to the claim it concerns. A refusal is kept for the page to show
beside that claim (or block), where the person is looking, instead of at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from claims import workflow
from claims.admin_views import admin_url, display_name, lock_row, seen_field, when_shown
from claims.models import Claim
from claims.risk import audited
from courtinfo.models import Answer, BlockKind

_REFUSALS = "claims_editor_refusals"
# The editor's own element: where refusals about the whole answer are shown.
EDITOR = "claims-editor"

# The operations a claim's form offers; block and answer operations are separate.
CLAIM_OPS = ("edit", "split", "merge", "up", "down", "move", "place", "delete")
BLOCK_OPS = ("kind", "add")
ANSWER_OPS = ("add_block",)


def refuse(request, anchor: str, message: str, *, typed: str = "") -> None:
    """Keep a refusal for the element `anchor` ("claim-7", "block-2") of the next page shown,
    with the text the person typed, so that the page gives it back to them."""
    refusals = request.session.get(_REFUSALS, {})
    refusals[anchor] = {"message": str(message), "typed": typed}
    request.session[_REFUSALS] = refusals


def pop_refusals(request) -> dict[str, dict]:
    """The refusals kept for this page, each {"message", "typed"}, forgotten once shown."""
    return request.session.pop(_REFUSALS, {}) if _REFUSALS in request.session else {}


@dataclass
class Block:
    index: int
    kind: str
    number: int | None
    claims: list[Claim] = field(default_factory=list)
    refusal: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.kind == BlockKind.NUMBERED:
            return _("Numbered point %(number)s") % {"number": self.number}
        return str(BlockKind(self.kind).label)


def editor_context(request, answer: Answer) -> dict:
    """The answer's blocks in order, each with its claims, their risk and what the person may do."""
    user = request.user
    claims = audited(
        answer.claims.select_related("author", "verified_by")
        .prefetch_related(
            # Each claim's citations in the order they were made, without joining every claim's
            # answer, question and jurisdiction to sort them by Claim's ordering.
            Prefetch("citations", queryset=workflow.checked_citations().order_by("claim_id", "id"))
        )
        .order_by("block", "position", "id")
    )
    claims.sort(key=lambda c: (c.block, c.position, c.pk))
    refusals = pop_refusals(request)
    blocks = [
        Block(index, layout["kind"], layout["number"], refusal=refusals.get(f"block-{index}", {}))
        for index, layout in enumerate(answer.blocks)
    ]
    for claim in claims:
        claim.answer = answer
        moves = workflow.available_verdicts(claim, user)
        claim.verdict_moves = [m for m in moves if m.allowed]
        # When no verdict is open to this reviewer, say why instead of showing no buttons; and
        # say why a verdict that is not offered is not (no citation yet, no quote).
        claim.verdict_refusal = (
            next((m.refusal for m in moves if m.action == Claim.Status.NOT_A_CLAIM), None)
            if moves and not claim.verdict_moves
            else None
        )
        claim.verdicts_withheld = (
            [(m.label, m.refusal) for m in moves if not m.allowed] if claim.verdict_moves else []
        )
        claim.can_verify = bool(claim.verdict_moves)
        claim.seen = seen_field(workflow.claim_content(claim))
        claim.refusal = refusals.get(f"claim-{claim.pk}", {})
        claim.author_name = display_name(claim.author) if claim.author else ""
        claim.verifier_name = display_name(claim.verified_by) if claim.verified_by else ""
        if claim.block >= len(blocks):
            # A layout shorter than its claims (a script, an old revert): shown, so it can move.
            blocks.extend(
                Block(index, BlockKind.PARAGRAPH, None)
                for index in range(len(blocks), claim.block + 1)
            )
        blocks[claim.block].claims.append(claim)
    for block in blocks:
        for number, claim in enumerate(block.claims):
            claim.is_first = number == 0 and block.index == 0
            claim.is_last = number == len(block.claims) - 1 and block.index == len(blocks) - 1
            claim.has_next = number < len(block.claims) - 1
    return {
        "review_claims": claims,
        "editor_blocks": blocks,
        "can_edit_claims": user.has_perm(workflow.EDITOR_OR_REVIEWER),
        "block_kinds": BlockKind.choices,
        "answer_refusal": refusals.get(EDITOR, {}),
        "checked_count": sum(1 for claim in claims if workflow.is_checked(claim)),
        "claim_count": len(claims),
        "answer_seen": seen_field(workflow.answer_content(answer, claims)),
        "can_verify": any(claim.can_verify for claim in claims),
    }


def _number(request, name: str) -> int | None:
    value = request.POST.get(name, "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return int(value)


def _stale(obj, request) -> str | None:
    """Why the posted form is older than the row, or None when it saw the row as it is."""
    if _number(request, "version") == obj.version:
        return None
    said = _(
        "Not changed: %(who)s changed this on %(when)s, after you opened the page; it is shown "
        "as it is now."
    ) % {
        "who": display_name(obj.updated_by) if obj.updated_by else _("a colleague"),
        "when": when_shown(obj.updated_at),
    }
    if isinstance(obj, Claim) and request.POST.get("text"):
        said += " " + _(
            "Its text now reads “%(text)s”. What you typed is kept in the box: save it again if "
            "it should replace that."
        ) % {"text": obj.text}
    return said


def claims_editor_view(model_admin, request, object_id):
    """One operation of the claims editor, then back to the answer at what it concerns."""
    answer = model_admin.acted_on(request, object_id)
    op = request.POST.get("op", "")
    if op in CLAIM_OPS:
        claim = answer.claims.filter(pk=_number(request, "claim") or 0).first()
        if claim is None:
            refuse(request, EDITOR, _("That claim is no longer in this answer."))
            return HttpResponseRedirect(f"{admin_url(answer)}#{EDITOR}")
        return _run(
            request,
            answer,
            f"claim-{claim.pk}",
            claim,
            lambda: _claim_op(request, answer, claim, op),
        )
    if op in BLOCK_OPS or op in ANSWER_OPS:
        block = _number(request, "block")
        known = op in BLOCK_OPS and block is not None and block < len(answer.blocks)
        anchor = f"block-{block}" if known else EDITOR
        return _run(request, answer, anchor, answer, lambda: _answer_op(request, answer, op, block))
    refuse(request, EDITOR, _("Choose what to do with the claim: that button is unknown."))
    return HttpResponseRedirect(f"{admin_url(answer)}#{EDITOR}")


def _run(request, answer: Answer, anchor: str, opened, operation) -> HttpResponseRedirect:
    """Run one operation unless the page is older than `opened` (the claim or the answer it
    changes); back to the answer where it happened, with a refusal kept there if any."""
    try:
        with transaction.atomic():
            # The workflow's lock order, held until the change commits: two people pressing at
            # once cannot both pass the version check.
            fresh = lock_row(Answer, answer.pk)
            if not isinstance(opened, Answer):
                fresh = lock_row(type(opened), opened.pk)
            if fresh is None:
                raise workflow.TransitionError(_("Someone deleted this after you opened the page."))
            stale = _stale(fresh, request)
            if stale:
                raise workflow.TransitionError(stale)
            anchor = operation() or anchor
    except workflow.TransitionError as error:
        refuse(request, anchor, str(error), typed=request.POST.get("text", ""))
    return HttpResponseRedirect(f"{admin_url(answer)}#{anchor}")


def _claim_op(request, answer: Answer, claim: Claim, op: str) -> str | None:
    by = request.user
    text = request.POST.get("text", "")
    if op == "edit":
        workflow.edit_claim(claim, by=by, text=text)
        messages.success(request, _("Claim #%(id)s saved.") % {"id": claim.pk})
    elif op == "split":
        parts = workflow.split_claim(claim, by=by, text=text)
        messages.success(
            request,
            _("Claim #%(id)s split in %(count)d claims.") % {"id": claim.pk, "count": len(parts)},
        )
    elif op == "merge":
        workflow.merge_claims(claim, by=by)
        messages.success(request, _("Claim #%(id)s merged with the next claim.") % {"id": claim.pk})
    elif op == "delete":
        if not by.has_perm("claims.delete_claim"):
            raise workflow.TransitionError(_("You need the Editor role to delete claims."))
        workflow.delete_claim(claim, by=by)
        messages.success(
            request,
            format_html(
                "{} <a href='{}'>{}</a>",
                _("Claim #%(id)s deleted.") % {"id": claim.pk},
                reverse("admin:claims_claim_recoverlist"),
                _("Recover deleted claims"),
            ),
        )
        return f"block-{claim.block}"
    else:
        block, position = _destination(request, answer, claim, op)
        workflow.move_claim(claim, by=by, block=block, position=position)
    return None


def _destination(request, answer: Answer, claim: Claim, op: str) -> tuple[int, int]:
    """Where a move sends the claim: (block, position among that block's claims)."""
    if op in ("move", "place"):
        block = _number(request, "block")
        if block is None:
            raise workflow.TransitionError(_("Choose the block to move the claim to."))
        position = _number(request, "position") if op == "place" else None
        return block, position if position is not None else 10**6
    siblings = list(
        answer.claims.filter(block=claim.block)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = siblings.index(claim.pk)
    if op == "up":
        if index > 0:
            return claim.block, index - 1
        if claim.block == 0:
            raise workflow.TransitionError(_("This is the answer's first claim already."))
        return claim.block - 1, 10**6
    if index < len(siblings) - 1:
        return claim.block, index + 1
    if claim.block >= len(answer.blocks) - 1:
        raise workflow.TransitionError(_("This is the answer's last claim already."))
    return claim.block + 1, 0


def _answer_op(request, answer: Answer, op: str, block: int | None) -> str | None:
    by = request.user
    kind = request.POST.get("kind", "")
    if op == "kind":
        workflow.set_block_kind(answer, by=by, block=block, kind=kind)
        messages.success(request, _("The block's layout was changed."))
        return None
    if op == "add":
        claim = workflow.add_claim(answer, by=by, text=request.POST.get("text", ""), block=block)
    else:
        claim = workflow.add_block(answer, by=by, kind=kind, text=request.POST.get("text", ""))
    messages.success(request, _("Claim #%(id)s added.") % {"id": claim.pk})
    return f"claim-{claim.pk}"
