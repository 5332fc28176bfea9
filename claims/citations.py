"""Find legal citations in a text and give each one normalised form, its span and its kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from eyecite import get_citations
from eyecite.models import FullCaseCitation, FullLawCitation

STATUTE = "statute"
REGULATION = "regulation"
COURT_RULE = "court_rule"
CASE = "case"

# Normalised forms follow the Bluebook abbreviations eyecite's reporters-db uses. Other names of the
# same code are folded into one, so a claim citing "K.S.A. 45-215" is backed by a source whose
# citation reads "Kan. Stat. Ann. § 45-215": the section numbers are the same in both.
_CODE_ALIASES = {
    "K.S.A.": "Kan. Stat. Ann.",
    "RSMo": "Mo. Rev. Stat.",
    "R.S.Mo.": "Mo. Rev. Stat.",
    "V.A.M.S.": "Mo. Rev. Stat.",
    "Mo. Ann. Stat.": "Mo. Rev. Stat.",
    "U.S.C.A.": "U.S.C.",
    "U.S.C.S.": "U.S.C.",
}

# Subsections and "et seq." directly after a citation belong to it: "8 U.S.C. § 1357(g)".
_TAIL = re.compile(r"(?P<pin>(?:\([0-9A-Za-z]{1,6}\))+)?(?P<seq>,?\s+et\s+seq\.?)?")
_SECTION_WORD = re.compile(r"\b(?:[Ss]ec(?:tion)?s?\.?)\s*(?=\d)")
_SECTION_SIGN = re.compile(r"(§+)\s*")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FoundCitation:
    """One citation: `normalized` with its subsection, `base` without, `span` into the text."""

    normalized: str
    base: str
    span: tuple[int, int]
    kind: str
    pin: str = ""


def find_citations(text: str) -> list[FoundCitation]:
    """The full citations to statutes, regulations, court rules and cases in `text`, in order.

    Short forms ("Id.", "567 U.S. at 400", "supra") are left out: they point back to a full
    citation, which is what a source is matched against.
    """
    found = _from_eyecite(text)
    taken = [item.span for item in found]
    for item in _from_patterns(text):
        if not any(item.span[0] < end and start < item.span[1] for start, end in taken):
            found.append(item)
            taken.append(item.span)
    return sorted(found, key=lambda item: item.span)


def citation_keys(text: str) -> set[str]:
    """Every form under which the citations in `text` can be matched: normalised and base."""
    keys = set()
    for item in find_citations(text):
        keys.update((item.normalized, item.base))
    return keys


def _from_eyecite(text: str) -> list[FoundCitation]:
    found = []
    for cite in get_citations(text):
        if isinstance(cite, FullLawCitation):
            item = _law(text, cite)
        elif isinstance(cite, FullCaseCitation):
            item = _case(text, cite)
        else:
            item = None
        if item is not None:
            found.append(item)
    return found


def _law(text: str, cite: FullLawCitation) -> FoundCitation | None:
    reporter = cite.groups.get("reporter")
    if not reporter or cite.edition_guess is None:
        return None
    source = cite.edition_guess.reporter
    # reporters-db drops the subject from some codes' short names ("Tex. Code Ann."), so keep ours.
    canonical = _spaced(reporter) if cite.groups.get("subject") else source.short_name
    canonical = _CODE_ALIASES.get(canonical, canonical)
    start, end = cite.span()
    base = cite.matched_text().replace(reporter, canonical, 1)
    base = _SECTION_SIGN.sub(r"\1 ", _SECTION_WORD.sub("§ ", base))
    kind = REGULATION if source.cite_type.startswith("admin") else STATUTE
    return _with_tail(text, _SPACE.sub(" ", base).strip(), start, end, kind)


def _case(text: str, cite: FullCaseCitation) -> FoundCitation | None:
    volume, page = cite.groups.get("volume"), cite.groups.get("page")
    if not volume or not page or not page.isdigit():
        return None
    start, end = cite.full_span()
    end = start + len(text[start:end].rstrip())
    base = f"{volume} {cite.corrected_reporter()} {page}"
    return FoundCitation(base, base, (start, end), CASE, pin=cite.metadata.pin_cite or "")


def _with_tail(
    text: str, base: str, start: int, end: int, kind: str, pin: str = ""
) -> FoundCitation:
    tail = _TAIL.match(text, end)
    pin = pin or tail.group("pin") or ""
    normalized = base + pin + (" et seq." if tail.group("seq") else "")
    return FoundCitation(normalized, base, (start, tail.end()), kind, pin=pin)


def _spaced(reporter: str) -> str:
    # "Mo.Rev.Stat." reads "Mo. Rev. Stat."; initialisms such as "U.S.C." stay closed up.
    return _SPACE.sub(" ", re.sub(r"\.(?=[A-Z][a-z])", ". ", reporter)).strip()


# Hand-written because reporters-db has no entry for these forms (its tables need "§" and the
# Bluebook name); each pattern gives a code name and a section, normalised like eyecite's.
_SECTION_MO = r"(?P<section>\d+\.\d+)"
_SECTION_KS = r"(?P<section>\d+[a-z]?-\d+[a-z0-9]*)"
_SIGN = r"\s*(?:§+\s*)?"
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), code, kind)
    for pattern, code, kind in (
        (r"\bK\.\s?S\.\s?A\." + _SIGN + _SECTION_KS, "Kan. Stat. Ann.", STATUTE),
        (r"\bKan\.\s?Stat\.\s?Ann\.\s*" + _SECTION_KS, "Kan. Stat. Ann.", STATUTE),
        (r"\bRSMo\.?" + _SIGN + _SECTION_MO, "Mo. Rev. Stat.", STATUTE),
        (
            r"(?:§+|\b[Ss]ection|\b[Ss]ec\.)\s*"
            + _SECTION_MO
            + r"(?P<inner>(?:\([0-9A-Za-z]{1,6}\))*)"
            r",?\s+RSMo\b",
            "Mo. Rev. Stat.",
            STATUTE,
        ),
        (r"\bR\.\s?S\.\s?Mo\." + _SIGN + _SECTION_MO, "Mo. Rev. Stat.", STATUTE),
        (r"\bV\.\s?A\.\s?M\.\s?S\." + _SIGN + _SECTION_MO, "Mo. Rev. Stat.", STATUTE),
        (r"\bMo\.\s?Rev\.\s?Stat\.\s*" + _SECTION_MO, "Mo. Rev. Stat.", STATUTE),
        (
            r"\b(?P<title>\d+)\s+U\.?\s?S\.?\s?C\.?(?:[AS]\.?)?\s+(?:§+\s*)?(?P<section>\d+[a-z]?)\b",
            "U.S.C.",
            STATUTE,
        ),
        (
            r"\b(?P<title>\d+)\s+C\.?\s?F\.?\s?R\.?\s+(?:§+\s*)?(?P<section>\d+(?:\.\d+)?)\b",
            "C.F.R.",
            REGULATION,
        ),
        (
            r"\b(?:INA|Immigration\s+and\s+Nationality\s+Act)\s*§+\s*(?P<section>\d+[A-Z]?)",
            "INA",
            STATUTE,
        ),
        # Missouri Supreme Court rules are numbered through the whole rule book (civil 41–101,
        # criminal 19–36), so every Missouri rule has one name.
        (
            r"\b(?:Mo\.\s?Sup\.\s?Ct\.\s?R\.|Missouri\s+Supreme\s+Court\s+Rule|"
            r"Mo\.\s?R\.\s?(?:Civ|Crim|Evid)\.\s?P\.)\s*(?P<section>\d+(?:\.\d+)*)",
            "Mo. Sup. Ct. R.",
            COURT_RULE,
        ),
        (
            r"\bFed\.\s?R\.\s?(?P<set>Civ\.\s?P|Crim\.\s?P|Evid|App\.\s?P)\.\s*(?P<section>\d+(?:\.\d+)?)",
            "Fed. R.",
            COURT_RULE,
        ),
    )
)


def _from_patterns(text: str) -> list[FoundCitation]:
    found = []
    for pattern, code, kind in _PATTERNS:
        for match in pattern.finditer(text):
            found.append(_pattern_citation(text, match, code, kind))
    return found


def _pattern_citation(text: str, match: re.Match[str], code: str, kind: str) -> FoundCitation:
    groups = match.groupdict()
    section = groups["section"]
    if groups.get("set"):
        rules = _SPACE.sub(" ", groups["set"].replace(".", ". "))
        base = f"{code} {rules}. {section}"
    elif kind == COURT_RULE:
        base = f"{code} {section}"
    elif groups.get("title"):
        base = f"{groups['title']} {code} § {section}"
    else:
        base = f"{code} § {section}"
    return _with_tail(text, base, match.start(), match.end(), kind, pin=groups.get("inner") or "")


def split_query(text: str) -> tuple[list[str], str]:
    """A search query's citations, normalised without subsection, and the rest of its words.

    "RSMo 544.470(2) bail" gives (["Mo. Rev. Stat. § 544.470"], "bail"). Public search reads this
    through the setting COURTINFO_CITATION_NORMALIZER and matches the citations against those
    that publications list (see claims.snapshot.cited_citations).
    """
    citations: list[str] = []
    if not text:
        # eyecite refuses an empty text.
        return citations, text
    rest, end = [], 0
    for item in find_citations(text):
        if item.base not in citations:
            citations.append(item.base)
        rest.append(text[end : item.span[0]])
        end = item.span[1]
    rest.append(text[end:])
    return citations, " ".join("".join(rest).split())
