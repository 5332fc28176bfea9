"""Word-level differences of texts, fields, claim lists and publication payloads, as safe HTML."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of whitespace, and single punctuation marks: "§ 67.307" changes by its number only.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

CLAIM_ADDED = "added"
CLAIM_REMOVED = "removed"
CLAIM_CHANGED = "changed"
CLAIM_UNCHANGED = "unchanged"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key(token: str) -> str:
    # Whitespace differences are not real changes: every run compares equal.
    return " " if token.isspace() else token


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, list[str], list[str]]]:
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for t in old], [_key(t) for t in new], autojunk=False
    )
    ops = [(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    # A change, a lone space, a change: show one deleted run and one inserted run, not a mosaic.
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, (tag, old_part, new_part) in enumerate(ops):
        between_changes = (
            tag == "equal"
            and all(t.isspace() for t in new_part)
            and 0 < index < len(ops) - 1
            and merged
            and merged[-1][0] != "equal"
        )
        if tag != "equal" or between_changes:
            if merged and merged[-1][0] != "equal":
                _, prev_old, prev_new = merged[-1]
                merged[-1] = ("replace", prev_old + old_part, prev_new + new_part)
            else:
                merged.append((tag, old_part, new_part))
        else:
            merged.append((tag, old_part, new_part))
    return merged


def _escaped(tokens: Iterable[str]) -> str:
    return "".join(escape(t) for t in tokens)


def _wrap(tag: str, tokens: list[str]) -> str:
    # Keep surrounding whitespace outside the mark so that underlines do not run into spaces.
    text = _escaped(tokens)
    stripped = text.strip()
    if not stripped:
        return text
    start = text.index(stripped)
    return f"{text[:start]}<{tag}>{stripped}</{tag}>{text[start + len(stripped) :]}"


def diff_text(old: str | None, new: str | None) -> SafeString:
    """The new text with deleted words in <del> and inserted words in <ins>; every word escaped."""
    old_tokens, new_tokens = _tokens(old or ""), _tokens(new or "")
    pieces: list[str] = []
    for tag, old_part, new_part in _opcodes(old_tokens, new_tokens):
        if tag == "equal":
            pieces.append(_escaped(new_part))
            continue
        if old_part:
            pieces.append(_wrap("del", old_part))
        if new_part:
            pieces.append(_wrap("ins", new_part))
    # Every piece above is escaped text or one of our own <ins>/<del> tags.
    return mark_safe("".join(pieces))  # noqa: S308


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_display(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_display(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: Any
    new: Any
    html: SafeString
    changed: bool


def _label(name: str, labels: Mapping[str, str] | None) -> str:
    if labels and name in labels:
        return str(labels[name])
    return name.replace("_", " ").capitalize()


def diff_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], labels: Mapping[str, str] | None = None
) -> list[FieldChange]:
    """One FieldChange per field present on either side, in the old side's order."""
    names = list(old) + [name for name in new if name not in old]
    changes = []
    for name in names:
        old_value, new_value = old.get(name), new.get(name)
        changes.append(
            FieldChange(
                name=name,
                label=_label(name, labels),
                old=old_value,
                new=new_value,
                html=diff_text(_display(old_value), _display(new_value)),
                changed=old_value != new_value,
            )
        )
    return changes


def _citation_key(citation: Mapping[str, Any]) -> tuple:
    return (citation.get("source"), citation.get("pinpoint", ""), citation.get("quote", ""))


@dataclass(frozen=True)
class ClaimChange:
    id: Any
    status: str
    old: dict | None
    new: dict | None
    html: SafeString
    citations_added: list[dict] = field(default_factory=list)
    citations_removed: list[dict] = field(default_factory=list)

    @property
    def text_changed(self) -> bool:
        return (self.old or {}).get("text") != (self.new or {}).get("text")

    @property
    def old_status(self) -> str | None:
        return (self.old or {}).get("status")

    @property
    def new_status(self) -> str | None:
        return (self.new or {}).get("status")

    @property
    def changed(self) -> bool:
        return self.status != CLAIM_UNCHANGED


def _claim_change(old: dict | None, new: dict | None) -> ClaimChange:
    old_cites = list((old or {}).get("citations") or [])
    new_cites = list((new or {}).get("citations") or [])
    old_keys = {_citation_key(c) for c in old_cites}
    new_keys = {_citation_key(c) for c in new_cites}
    added = [c for c in new_cites if _citation_key(c) not in old_keys]
    removed = [c for c in old_cites if _citation_key(c) not in new_keys]
    if old is None:
        status = CLAIM_ADDED
    elif new is None:
        status = CLAIM_REMOVED
    elif (
        added
        or removed
        or old.get("text") != new.get("text")
        or old.get("status") != new.get("status")
    ):
        status = CLAIM_CHANGED
    else:
        status = CLAIM_UNCHANGED
    return ClaimChange(
        id=(new or old or {}).get("id"),
        status=status,
        old=old,
        new=new,
        html=diff_text((old or {}).get("text", ""), (new or {}).get("text", "")),
        citations_added=added,
        citations_removed=removed,
    )


def diff_claims(old: list[dict], new: list[dict]) -> list[ClaimChange]:
    """Claims matched by "id", in the new order; a removed claim follows its old predecessor."""
    old_by_id = {claim["id"]: claim for claim in old}
    new_ids = {claim["id"] for claim in new}
    # Removed claims wait until the claim before them in the old list has been placed.
    removed_after: dict[Any, list[dict]] = {}
    previous = None
    for claim in old:
        if claim["id"] in new_ids:
            previous = claim["id"]
        else:
            removed_after.setdefault(previous, []).append(claim)

    changes = [_claim_change(claim, None) for claim in removed_after.get(None, [])]
    for claim in new:
        changes.append(_claim_change(old_by_id.get(claim["id"]), claim))
        changes.extend(_claim_change(gone, None) for gone in removed_after.get(claim["id"], []))
    return changes


@dataclass(frozen=True)
class PayloadDiff:
    question: FieldChange
    fields: list[FieldChange]
    claims: list[ClaimChange]

    @property
    def changed(self) -> bool:
        return (
            self.question.changed
            or any(f.changed for f in self.fields)
            or any(c.changed for c in self.claims)
        )

    @property
    def changed_claims(self) -> list[ClaimChange]:
        return [c for c in self.claims if c.changed]


def _payload_claims(payload: Mapping[str, Any], titles: Mapping[Any, str]) -> list[dict]:
    claims = []
    for block in payload.get("blocks") or []:
        for claim in block.get("claims") or []:
            citations = [
                {**c, "source_title": titles.get(c.get("source"), "")}
                for c in claim.get("citations") or []
            ]
            claims.append({**claim, "citations": citations})
    return claims


def _source_titles(*payloads: Mapping[str, Any]) -> dict[Any, str]:
    titles: dict[Any, str] = {}
    for payload in payloads:
        for source in payload.get("sources") or []:
            titles[source.get("id")] = source.get("title", "")
    return titles


def diff_payloads(
    old_payload: Mapping[str, Any] | None, new_payload: Mapping[str, Any]
) -> PayloadDiff:
    """What changed between two publication payloads; an absent old payload means all is new."""
    old_payload = old_payload or {}
    titles = _source_titles(old_payload, new_payload)
    old_question = (old_payload.get("question") or {}).get("text", "")
    new_question = (new_payload.get("question") or {}).get("text", "")
    question = FieldChange(
        name="question",
        label="Question",
        old=old_question,
        new=new_question,
        html=diff_text(old_question, new_question),
        changed=old_question != new_question,
    )
    fields = diff_fields(
        {
            "jurisdiction": (old_payload.get("jurisdiction") or {}).get("name"),
            "topic": (old_payload.get("topic") or {}).get("name"),
        },
        {
            "jurisdiction": (new_payload.get("jurisdiction") or {}).get("name"),
            "topic": (new_payload.get("topic") or {}).get("name"),
        },
    )
    claims = diff_claims(_payload_claims(old_payload, titles), _payload_claims(new_payload, titles))
    return PayloadDiff(question=question, fields=fields, claims=claims)
