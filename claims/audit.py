"""Risk rules that rank claims by how much they need checking, from their text and dates alone.

Each rule in `RULES` looks at one claim and either passes or gives a reason "<kind>: <sentence>"
saying what the text does and what to check. The risk of a claim follows from what was found:

- high: a legal citation that no cited source backs, a draft admitting its knowledge may be out
  of date (rules weighing ALWAYS), or, in a claim that cites nothing, what the law does or does
  not contain, a duty or practice stated as fact, a number, a name or an unnamed source (rules
  weighing UNSOURCED); these are the mistakes a reader would act on and nobody has checked;
- low: advice and statements of importance, which say nothing about what the law is, and claims
  whose quote was found in an archived copy of their source, unless their review has lapsed;
- medium: any other reason;
- low: no reason at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

from claims.citations import REMEMBERED_TEXTS, FoundCitation, citation_keys, citations_in

HEDGE = "hedge"
UNCITED = "uncited"
SPECIFIC = "specific"
ABSOLUTE = "absolute"
VAGUE = "vague"
CITATION = "citation"
STALE = "stale"
ABSENCE = "absence"
PROCEDURE = "procedure"
NAMED = "named"
KINDS = (HEDGE, UNCITED, SPECIFIC, ABSOLUTE, VAGUE, CITATION, STALE, ABSENCE, PROCEDURE, NAMED)

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
RISKS = (HIGH, MEDIUM, LOW)

# How much a rule's finding weighs: high whatever the claim cites (ALWAYS), high only while the
# claim cites nothing (UNSOURCED), or never more than medium (MINOR).
ALWAYS = "always"
UNSOURCED = "unsourced"
MINOR = "minor"

# Quoting every match would bury the advice; a few show the editor what to look for.
_MAX_QUOTED = 4

# A draft admitting its knowledge may be out of date: whatever follows was never checked.
_KNOWLEDGE_HEDGE = re.compile(
    r"\bas of my (?:current |last |latest |most recent )?(?:knowledge|update|research|training"
    r"|information)"
    r"(?: cutoff| date)?|\bas far as I (?:know|am aware)\b|\bI (?:am not|\'m not) aware\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\bit is (?:important|essential) to note\b|\bin general\b|\bmay\b|\bmight\b"
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
# Someone unnamed said it: "some reports suggest", "advocates say", "anecdotal evidence".
_ATTRIBUTION = re.compile(
    r"\b(?:(?:some|certain|several|many|various|other) )?"
    r"(?:reports?|studies|sources|advocates|experts|critics|observers|officials|commentators"
    r"|researchers|stakeholders|groups)"
    r" (?:have |has )?(?:suggest|say|said|argue|claim|show|indicate|report|note|call)\w*"
    r"|\banecdotal evidence\b|\bit (?:has been|is) (?:reported|said|claimed|suggested)\b",
    re.IGNORECASE,
)
# What the law, a policy, an agreement or the case law does not contain.
_LEGAL_THING = (
    r"(?:statutes?|laws?|legislation|rules?|regulations?|polic(?:y|ies)|agreements?"
    r"|memorand(?:um|a)|(?:court )?cases|case law|decisions|requirements?|provisions?"
    r"|guidance|procedures?|mechanisms?|programs?|programmes?|records?|data|reports?"
    r"|(?:filing )?fees?|waivers?|rights?|exceptions?|(?:other )?circumstances)"
)
_ABSENCE = re.compile(
    "|".join(
        (
            r"\b(?:does|do|did|has|have) not (?:have|contain|provide|include|require|recognize"
            r"|offer|allow|permit|mandate|enacted|adopted|passed|established|issued|addressed)"
            rf"(?: \w+){{0,4}}? {_LEGAL_THING}\b",
            r"\bthere (?:is|are|have been|has been) (?:no|not any|limited)"
            rf"(?: \w+){{0,3}}? {_LEGAL_THING}\b",
            rf"\bno (?:known |reported |specific |formal |statewide )*{_LEGAL_THING}\b",
            r"\bnot aware of any\b",
            r"\bno known \w+",
            r"\b(?:has|have) not been (?:widely )?"
            r"(?:implemented|adopted|enacted|reported|tested)\b",
        )
    ),
    re.IGNORECASE,
)
# A duty or a practice asserted as fact: who must, may or is told, trained or checked.
_PROCEDURE = re.compile(
    r"\b(?:are|is) (?:informed|notified|told|advised|trained|briefed|screened|reviewed"
    r"|provided with|given|equipped with|automatically)\b"
    r"|\breceive[sd]? (?:\w+ ){0,3}?(?:training|notice|notification|guidance)\b"
    r"|\b(?:has|have) (?:established|adopted|implemented|issued|developed) (?:\w+ ){0,2}?"
    r"(?:polic(?:y|ies)|procedures?|guidelines|protocols|rules|forms?|programs?)\b"
    r"|\bthere are established\b|\bimplements? (?:\w+ ){0,3}?(?:oversight|measures|mechanisms"
    r"|safeguards|protocols)\b|\b(?:audits|reviews|checks) are (?:regularly )?conducted\b"
    r"|\badhere to\b|\bare trained\b|\bmust (?:be )?(?:notif|inform|serve|provide|give)\w*\b"
    r"|\b(?:is|are) (?:\w+ )?(?:allowed|permitted|required|prohibited|barred|entitled)"
    r" (?:to|from)\b"
    r"|\b(?:law|statute|act|rule|policy|order) (?:\w+ ){0,2}?(?:requires|prohibits|mandates|bars"
    r"|allows|permits|protects|provides)\b|\bunder (?:\w+ ){0,2}?(?:law|statute)\b"
    r"|\b(?:is|are) restricted to\b|\bautomatically\b|\bmust\b|\bmay not\b|\bdoes not need to\b"
    r"|\b(?:can|may) (?:\w+ )?(?:appeal|petition|file|be expunged|be sealed|be renewed|be charged"
    r"|prohibit|deny|object)\b",
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
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty"
    r"|sixty|ninety)(?:[ -]\w+)? (?:hours?|days?|weeks?|months?|years?)\b"
    r"|\$\d[\d,.]*"
    r"|\b\d+(?:\.\d+)? ?(?:%|percent\b)"
    r"|\b\d[\d,.]*(?:\([A-Za-z0-9]{1,4}\))*"
)
# Named bodies and programmes (laws, bills and systems are `specific`'s): "American Civil
# Liberties Union", "Missouri Immigrant and Refugee Advocates", "Board of Pardons".
_NAMED = re.compile(
    r"\b(?:[A-Z][\w’'-]*(?: (?:of|and|for|on|the))? ){1,6}"
    r"(?:Union|Advocates|Coalition|Commission|Council|Board|Office|Department|Agency|Bureau"
    r"|Task Force|Initiative|Project|Fund|Network|Center|Centre|Clinic|Programme|Registry"
    r"|Portal|Database|Policy|Directive|Order|Protocol)\b(?: of(?: [A-Z][\w’'-]*)+)?"
)
_ARTICLE = re.compile(r"^(?:The|A|An|This|That|In|Under) ")
# Advice and statements of importance: what someone should do, not what the law is.
_ADVICE = re.compile(
    r"^(?:[\w ]{1,40}: )?(?:(?:however|overall|ultimately|additionally),? )?"
    r"(?:it is (?:always |also )?(?:essential|important|crucial|vital|advisable|necessary"
    r"|recommended|wise|critical)(?! to note)\b"
    r"|(?:ensure|assess|evaluate|consider|implement|establish|conduct|gather|analy[sz]e|compare"
    r"|consult|seek|contact|keep|review|check|talk|ask|document)\b)"
    r"|\bshould\b"
    r"|\b(?:is|are) (?:crucial|essential|vital|key) (?:to|for)\b"
    r"|\bit is advisable\b|\bby carefully\b",
    re.IGNORECASE,
)


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
    anchored: bool

    @cached_property
    def citations(self) -> tuple[FoundCitation, ...]:
        return citations_in(self.text)


@dataclass(frozen=True)
class Rule:
    kind: str
    # What the claim does that needs checking ("says 'typically'"), or None when the rule passes.
    finds: Callable[[ClaimFacts], str | None]
    advice: str
    weight: str = MINOR
    # Whether it reads the claim's text and nothing else, so that what it finds in a text can be
    # remembered: lists and the risk filter audit the same claims again on every request.
    text_only: bool = True


# Distinct claim texts whose findings are kept in memory, as their citations are.
@lru_cache(maxsize=REMEMBERED_TEXTS)
def _text_findings(text: str) -> tuple[str | None, ...]:
    """What each rule reading only the text finds in `text` (None for the other rules)."""
    facts = ClaimFacts(
        text=text,
        citation_count=0,
        cited=(),
        verified_on=None,
        review_due_on=None,
        today=date.min,
        stale_after_days=0,
        is_claim=True,
        anchored=False,
    )
    return tuple(rule.finds(facts) if rule.text_only else None for rule in RULES)


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
    anchored: bool = False,
) -> Audit:
    """The risk of one claim and the reasons for it, in the order of `RULES`.

    `cited` holds the citation strings of the sources the claim cites; `is_claim` is False for
    text a reviewer marked as not a claim, which needs no source; `anchored` is True when one of
    its citations has a quote found in an archived copy of its source.
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
        anchored=anchored,
    )
    tripped: list[tuple[Rule, str]] = []
    for rule, found in zip(RULES, _text_findings(text), strict=True):
        said = found if rule.text_only else rule.finds(facts)
        if said:
            tripped.append((rule, f"{rule.kind}: {said}; {rule.advice}."))
    risk = _risk({rule.kind for rule, _ in tripped}, {rule.weight for rule, _ in tripped}, facts)
    return Audit(risk=risk, reasons=[reason for _, reason in tripped])


def _risk(kinds: set[str], weights: set[str], facts: ClaimFacts) -> str:
    # An unbacked legal citation is wrong whatever else backs the claim.
    if CITATION in kinds:
        return HIGH
    # A quote found in an archived copy is as good as a check: only a lapsed review remains.
    if facts.anchored:
        return MEDIUM if STALE in kinds else LOW
    if ALWAYS in weights:
        return HIGH
    # Advice and statements of importance tell nobody what the law is, whatever words they use.
    if _is_advice(facts.text):
        return LOW
    if UNSOURCED in weights and UNCITED in kinds:
        return HIGH
    return MEDIUM if kinds else LOW


def _is_advice(text: str) -> bool:
    return _ADVICE.search(text.strip()) is not None


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


def _cleaned(pattern: re.Pattern[str], facts: ClaimFacts) -> list[str]:
    # Numbers inside a legal citation are the citation rule's business, not this one's.
    cited_spans = [item.span for item in facts.citations]
    return [
        _ARTICLE.sub("", match.group()).rstrip(".,")
        for match in pattern.finditer(facts.text)
        if not any(start <= match.start() < end for start, end in cited_spans)
    ]


def _specifics(facts: ClaimFacts) -> str | None:
    return _quoted(_cleaned(_SPECIFIC, facts))


def _named(facts: ClaimFacts) -> str | None:
    return _quoted(_cleaned(_NAMED, facts), verb="names")


def _soft_hedges(facts: ClaimFacts) -> str | None:
    if _KNOWLEDGE_HEDGE.search(facts.text):
        return None  # the knowledge hedge says it louder
    return _words(_HEDGE)(facts)


def _vague_words(facts: ClaimFacts) -> str | None:
    if _ATTRIBUTION.search(facts.text):
        return None  # the unnamed attribution says it louder
    return _words(_VAGUE)(facts)


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
    Rule(
        CITATION,
        _unbacked,
        "no cited source is that law, rule or case: cite it or correct it",
        ALWAYS,
        text_only=False,
    ),
    Rule(
        HEDGE,
        _words(_KNOWLEDGE_HEDGE),
        "the draft admits it may be out of date: check the current law before anything else",
        ALWAYS,
    ),
    Rule(
        ABSENCE,
        _words(_ABSENCE),
        "says the law, a policy, an agreement or the case law has no such thing: search the "
        "statutes, court rules and cases for one before keeping it",
        UNSOURCED,
    ),
    Rule(
        PROCEDURE,
        _words(_PROCEDURE),
        "states a duty or a practice as fact: find the statute, rule, form or policy that sets "
        "it up, or cut it",
        UNSOURCED,
    ),
    Rule(
        SPECIFIC,
        _specifics,
        "check each number, date and name against the source",
        UNSOURCED,
    ),
    Rule(
        NAMED,
        _named,
        "check that the body or programme exists under that name and does what is said",
        UNSOURCED,
    ),
    Rule(
        VAGUE,
        _words(_ATTRIBUTION),
        "find the report or person meant and cite them, or cut it",
        UNSOURCED,
    ),
    Rule(
        UNCITED,
        _uncited,
        "find a source that says this, or mark it as not a claim",
        text_only=False,
    ),
    Rule(ABSOLUTE, _words(_ABSOLUTE), "check that there really are no exceptions"),
    Rule(HEDGE, _soft_hedges, "find what the rule actually is and say it plainly"),
    Rule(VAGUE, _vague_words, "name who or what exactly, with a source, or cut it"),
    Rule(STALE, _stale, "check it again against the current law", text_only=False),
)
