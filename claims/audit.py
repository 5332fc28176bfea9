"""Risk rules that rank claims by how much they need checking, from their text and dates alone.

Each rule in `RULES` looks at one claim and either passes or gives a reason "<kind>: <sentence>"
saying what the text does and what to check. The risk of a claim follows from the kinds found:

- high: a legal citation that no cited source backs (`citation`), or a specific or absolute
  statement (`specific`, `absolute`) in a claim that cites nothing (`uncited`); these are the
  mistakes a reader would act on and nobody has checked;
- medium: any other reason;
- low: no reason at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from claims.citations import FoundCitation, citation_keys, find_citations

HEDGE = "hedge"
UNCITED = "uncited"
SPECIFIC = "specific"
ABSOLUTE = "absolute"
VAGUE = "vague"
CITATION = "citation"
STALE = "stale"
KINDS = (HEDGE, UNCITED, SPECIFIC, ABSOLUTE, VAGUE, CITATION, STALE)

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
RISKS = (HIGH, MEDIUM, LOW)

# Quoting every match would bury the advice; a few show the editor what to look for.
_MAX_QUOTED = 4

_HEDGE = re.compile(
    r"\bas of my (?:current |last |most recent )?(?:knowledge|update|research|training)"
    r"(?: cutoff)?|\bit is (?:important|essential) to note\b|\bin general\b|\bmay\b|\bmight\b"
    r"|\bcould\b|\btypically\b|\bgenerally\b|\busually\b|\boften\b|\blikely\b|\bpotentially\b",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    r"\bno known \w+|\bthere (?:is|are) no\b|\beffectively requires\b|\balways\b|\bnever\b"
    r"|\ball\b|\bevery\b|\bnone\b|\bno one\b|\bnobody\b|\bonly\b|\bsolely\b|\bentirely\b"
    r"|\bcompletely\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\bin recent years\b|\brecently\b|\bincreasingly\b|\bwidely\b|\ba number of \w+"
    r"|\b(?:various|certain|some|several|numerous|many) \w+",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_SPECIFIC = re.compile(
    # Named laws, bills and systems first, so "Senate Bill 5" is quoted whole rather than as "5".
    r"\b(?:Senate|House|Assembly) Bill (?:No\. )?\d+\b|\b[SH]\.?B\.? ?\d+\b"
    r"|\b(?:[A-Z][\w’'-]*(?: (?:of|and|for|on|the))? ){1,6}"
    r"(?:Act|Law|Code|Amendment|System|Program)\b"
    r"|\b" + _MONTH + r" \d{1,2}(?:, \d{4})?\b"
    r"|\b\d+(?:\.\d+)? ?(?:%|percent\b)"
    r"|\b\d[\d,.]*(?:\([A-Za-z0-9]{1,4}\))*"
)
_ARTICLE = re.compile(r"^(?:The|A|An|This|That|In|Under) ")


@dataclass(frozen=True)
class Audit:
    risk: str
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimFacts:
    """What the rules may look at: one claim's text, its citations and its dates."""

    text: str
    citation_count: int
    cited: tuple[str, ...]
    verified_on: date | None
    review_due_on: date | None
    today: date
    stale_after_days: int
    is_claim: bool

    @cached_property
    def citations(self) -> list[FoundCitation]:
        return find_citations(self.text)


@dataclass(frozen=True)
class Rule:
    kind: str
    # What the claim does that needs checking ("says 'typically'"), or None when the rule passes.
    finds: Callable[[ClaimFacts], str | None]
    advice: str


def audit_claim(
    *,
    text: str,
    citation_count: int,
    cited: Iterable[str] = (),
    verified_on: date | None,
    review_due_on: date | None,
    today: date,
    stale_after_days: int = 180,
    is_claim: bool = True,
) -> Audit:
    """The risk of one claim and the reasons for it, in the order of `RULES`.

    `cited` holds the citation strings of the sources the claim cites; `is_claim` is False for
    text a reviewer marked as not a claim, which needs no source.
    """
    facts = ClaimFacts(
        text=text,
        citation_count=citation_count,
        cited=tuple(cited),
        verified_on=verified_on,
        review_due_on=review_due_on,
        today=today,
        stale_after_days=stale_after_days,
        is_claim=is_claim,
    )
    found: dict[str, str] = {}
    for rule in RULES:
        said = rule.finds(facts)
        if said:
            found[rule.kind] = f"{rule.kind}: {said}; {rule.advice}."
    return Audit(risk=_risk(set(found)), reasons=list(found.values()))


def _risk(kinds: set[str]) -> str:
    if CITATION in kinds or (UNCITED in kinds and kinds & {SPECIFIC, ABSOLUTE}):
        return HIGH
    return MEDIUM if kinds else LOW


def _quoted(matches: Iterable[str], verb: str = "says") -> str | None:
    seen: dict[str, str] = {}
    for match in matches:
        seen.setdefault(match.lower(), match)
    if not seen:
        return None
    shown = ", ".join(f"'{match}'" for match in list(seen.values())[:_MAX_QUOTED])
    more = len(seen) - _MAX_QUOTED
    return f"{verb} {shown}" + (f" and {more} more" if more > 0 else "")


def _words(pattern: re.Pattern[str]) -> Callable[[ClaimFacts], str | None]:
    def finds(facts: ClaimFacts) -> str | None:
        return _quoted(match.group() for match in pattern.finditer(facts.text))

    return finds


def _specifics(facts: ClaimFacts) -> str | None:
    # Numbers inside a legal citation are the citation rule's business, not this one's.
    cited_spans = [item.span for item in facts.citations]
    return _quoted(
        _ARTICLE.sub("", match.group()).rstrip(".,")
        for match in _SPECIFIC.finditer(facts.text)
        if not any(start <= match.start() < end for start, end in cited_spans)
    )


def _uncited(facts: ClaimFacts) -> str | None:
    return "cites no source" if facts.is_claim and facts.citation_count == 0 else None


def _unbacked(facts: ClaimFacts) -> str | None:
    backing = set(facts.cited)
    for cited in facts.cited:
        backing |= citation_keys(cited)
    unbacked = [
        item.normalized
        for item in facts.citations
        if item.normalized not in backing and item.base not in backing
    ]
    return _quoted(unbacked, verb="names")


def _stale(facts: ClaimFacts) -> str | None:
    if facts.review_due_on is not None and facts.review_due_on < facts.today:
        return f"its answer's review was due on {facts.review_due_on.isoformat()}"
    limit = facts.today - timedelta(days=facts.stale_after_days)
    if facts.verified_on is not None and facts.verified_on < limit:
        return (
            f"was last verified on {facts.verified_on.isoformat()}, "
            f"more than {facts.stale_after_days} days ago"
        )
    return None


RULES: tuple[Rule, ...] = (
    Rule(CITATION, _unbacked, "no cited source is that law, rule or case: cite it or correct it"),
    Rule(UNCITED, _uncited, "find a source that says this, or mark it as not a claim"),
    Rule(SPECIFIC, _specifics, "check each number, date and name against the source"),
    Rule(ABSOLUTE, _words(_ABSOLUTE), "check that there really are no exceptions"),
    Rule(HEDGE, _words(_HEDGE), "find what the rule actually is and say it plainly"),
    Rule(VAGUE, _words(_VAGUE), "name who or what exactly, with a source, or cut it"),
    Rule(STALE, _stale, "check it again against the current law"),
)
