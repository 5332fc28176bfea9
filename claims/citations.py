"""Find legal citations in a text and give each one normalised form, its span and its kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
    "Ariz. Rev. Stat. Ann.": "Ariz. Rev. Stat.",
    "Colo. Rev. Stat. Ann.": "Colo. Rev. Stat.",
    "Fla. Stat. Ann.": "Fla. Stat.",
    "Ga. Code": "Ga. Code Ann.",
    "Ky. Rev. Stat.": "Ky. Rev. Stat. Ann.",
    "Mich. Comp. Laws Ann.": "Mich. Comp. Laws",
    "Nev. Rev. Stat. Ann.": "Nev. Rev. Stat.",
    "Ohio Rev. Code": "Ohio Rev. Code Ann.",
    "Or. Rev. Stat. Ann.": "Or. Rev. Stat.",
    "Wash. Rev. Code Ann.": "Wash. Rev. Code",
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
_SECTION_REST = re.compile(r"(?:[-:][0-9A-Za-z]+)*")


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
    listed = [each for item in found for each in _each_listed(text, item)]
    return sorted(listed, key=lambda item: item.span)


# Lists and the risk filter audit the same claims, and the sources they cite, on every request:
# what a text cites is remembered per text. A few kilobytes a text at most, and more texts than a
# national set of answers holds.
REMEMBERED_TEXTS = 16_384


@lru_cache(maxsize=REMEMBERED_TEXTS)
def citations_in(text: str) -> tuple[FoundCitation, ...]:
    """`find_citations(text)`, remembered."""
    return tuple(find_citations(text))


def citation_keys(text: str) -> frozenset[str]:
    """Every form under which the citations in `text` can be matched: normalised and base."""
    return frozenset(key for item in citations_in(text) for key in (item.normalized, item.base))


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
    # reporters-db's section patterns stop at a letter or a third part ("Ala. Code § 35-9A-421").
    rest = _SECTION_REST.match(text, end).group()
    end += len(rest)
    base = (cite.matched_text() + rest).replace(reporter, canonical, 1)
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
# Texas codes by subject, as the Bluebook abbreviates them or spelt out ("Texas Government Code"),
# with the code's letters on statutes.capitol.texas.gov; a citation takes the abbreviation.
_TEXAS_CODES = {
    "Agric.": ("Agriculture", "AG"),
    "Alco. Bev.": ("Alcoholic Beverage", "AL"),
    "Bus. & Com.": ("Business and Commerce", "BC"),
    "Bus. Orgs.": ("Business Organizations", "BO"),
    "Civ. Prac. & Rem.": ("Civil Practice and Remedies", "CP"),
    "Educ.": ("Education", "ED"),
    "Elec.": ("Election", "EL"),
    "Est.": ("Estates", "ES"),
    "Fam.": ("Family", "FA"),
    "Fin.": ("Finance", "FI"),
    "Gov't": ("Government", "GV"),
    "Health & Safety": ("Health and Safety", "HS"),
    "Hum. Res.": ("Human Resources", "HR"),
    "Ins.": ("Insurance", "IN"),
    "Lab.": ("Labor", "LA"),
    "Loc. Gov't": ("Local Government", "LG"),
    "Nat. Res.": ("Natural Resources", "NR"),
    "Occ.": ("Occupations", "OC"),
    "Parks & Wild.": ("Parks and Wildlife", "PW"),
    "Penal": ("Penal", "PE"),
    "Prop.": ("Property", "PR"),
    "Tax": ("Tax", "TX"),
    "Transp.": ("Transportation", "TN"),
    "Util.": ("Utilities", "UT"),
    "Water": ("Water", "WA"),
}


def _loose(name: str) -> str:
    return r"\s*".join(re.escape(word) for word in name.replace("'", " ' ").split()).replace(
        r"\s*'\s*", "['’]"
    )


# Longest first, so "Loc. Gov't" is tried before "Gov't".
_TEXAS_CODE_NAMES = sorted(
    {
        _loose(name)
        for abbreviation, (words, _) in _TEXAS_CODES.items()
        for name in (abbreviation, words)
    },
    key=len,
    reverse=True,
)
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
        # "Sections 67.307 and 650.475, RSMo": Missouri's own style for several sections.
        (
            r"(?:§§|\b[Ss]ections|\b[Ss]ecs\.)\s*(?P<list>\d+\.\d+(?:\([0-9A-Za-z]{1,6}\))*"
            r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\d+\.\d+(?:\([0-9A-Za-z]{1,6}\))*)+)"
            r",?\s+RSMo\b",
            "Mo. Rev. Stat.",
            STATUTE,
        ),
        (
            r"\b(?P<title>\d+)\s+(?:ILCS|Ill\.\s?Comp\.\s?Stat\.(?:\s?Ann\.)?)\s+"
            r"(?P<section>\d+/\d+(?:[-.]\d+[a-z]?)*)",
            "Ill. Comp. Stat.",
            STATUTE,
        ),
        (
            r"\b(?P<title>\d+)\s+Pa\.\s?C\.\s?S\.(?:\s?A\.)?"
            + _SIGN
            + r"(?P<section>\d+[A-Za-z]?(?:\.\d+)?)",
            "Pa. Cons. Stat.",
            STATUTE,
        ),
        *(
            (r"\b" + name + _SIGN + r"(?P<section>" + section + r")\b", code, STATUTE)
            for name, code, section in (
                # The states' own short names (eyecite reads the Bluebook T1 long ones).
                (r"RCW", "Wash. Rev. Code", r"\d+[A-Z]?\.\d+[A-Z]?\.\d+[A-Za-z]?"),
                (r"ORS", "Or. Rev. Stat.", r"\d+[A-Z]?\.\d+"),
                (r"NRS", "Nev. Rev. Stat.", r"\d+[A-Z]?\.\d+"),
                (r"KRS", "Ky. Rev. Stat. Ann.", r"\d+[A-Z]?\.\d+"),
                (r"MCL", "Mich. Comp. Laws", r"\d+\.\d+[a-z]?"),
                (r"A\.\s?R\.\s?S\.", "Ariz. Rev. Stat.", r"\d+-\d+(?:\.\d+)?"),
                (r"O\.\s?C\.\s?G\.\s?A\.", "Ga. Code Ann.", r"\d+-\d+-\d+(?:\.\d+)?"),
                (r"C\.\s?R\.\s?S\.", "Colo. Rev. Stat.", r"\d+-\d+(?:\.\d+)?-\d+(?:\.\d+)?"),
                (r"Fla\.\s?Stat\.(?:\s?Ann\.)?", "Fla. Stat.", r"\d+[A-Z]?\.\d+"),
                # Long names reporters-db does not know, or whose sections it cuts short.
                (r"Minn\.\s?Stat\.(?:\s?Ann\.)?", "Minn. Stat.", r"\d+[A-Z]?\.\d+"),
                (
                    r"Conn\.\s?Gen\.\s?Stat\.(?:\s?Ann\.)?",
                    "Conn. Gen. Stat.",
                    r"\d+[a-z]?-\d+[a-z]?",
                ),
                (
                    r"Utah\s?Code(?:\s?Ann\.)?",
                    "Utah Code Ann.",
                    r"\d+[A-Z]?-\d+[a-z]?-\d+(?:\.\d+)?",
                ),
                (
                    r"R\.\s?I\.\s?Gen\.\s?Laws(?:\s?Ann\.)?",
                    "R.I. Gen. Laws",
                    r"\d+(?:\.\d+)?-\d+(?:\.\d+)?-\d+(?:\.\d+)?",
                ),
                (
                    r"N\.\s?J\.\s?(?:Stat\.\s?Ann\.|S\.\s?A\.)",
                    "N.J. Stat. Ann.",
                    r"\d+[A-Z]?:\d+[A-Z]?-\d+(?:\.\d+)?",
                ),
            )
        ),
        (
            r"\bTex(?:as|\.)\s*(?P<code>" + "|".join(_TEXAS_CODE_NAMES) + r")\s*Code(?:\s*Ann\.)?,?"
            r"\s*(?:§+|\b[Ss]ec(?:tion)?s?\.?)\s*(?P<section>\d+[A-Z]?\.\d+[A-Za-z]?(?:\.\d+)?)",
            None,
            STATUTE,
        ),
        (
            r"\bTex(?:as|\.)\s*Code\s*(?:of\s+)?Crim(?:\.|inal)\s*Proc(?:\.|edure)(?:\s*Ann\.)?,?"
            r"\s*(?:[Aa]rts?\.|[Aa]rticles?)\s*(?P<article>\d+\.\d+[A-Za-z]?)",
            "Tex. Code Crim. Proc. Ann.",
            STATUTE,
        ),
    )
)


def _from_patterns(text: str) -> list[FoundCitation]:
    found = []
    for pattern, code, kind in _PATTERNS:
        for match in pattern.finditer(text):
            if match.groupdict().get("list"):
                found.extend(_listed_before_code(text, match, code, kind))
            else:
                found.append(_pattern_citation(text, match, code, kind))
    return found


def _pattern_citation(
    text: str, match: re.Match[str], code: str | None, kind: str
) -> FoundCitation:
    groups = match.groupdict()
    if groups.get("article"):
        return _with_tail(
            text, f"{code} art. {groups['article']}", match.start(), match.end(), kind
        )
    section = groups["section"]
    if code is None:
        code = f"Tex. {_texas_abbreviation(groups['code'])} Code Ann."
    if groups.get("set"):
        rules = _SPACE.sub(" ", groups["set"].replace(".", ". "))
        base = f"{code} {rules}. {section}"
    elif kind == COURT_RULE:
        base = f"{code} {section}"
    elif groups.get("title") and code == "Ill. Comp. Stat.":
        base = f"{groups['title']} {code} {section}"
    elif groups.get("title"):
        base = f"{groups['title']} {code} § {section}"
    else:
        base = f"{code} § {section}"
    return _with_tail(text, base, match.start(), match.end(), kind, pin=groups.get("inner") or "")


def _texas_abbreviation(written: str) -> str:
    squashed = re.sub(r"[\s.'’]", "", written).lower()
    for abbreviation, (words, _) in _TEXAS_CODES.items():
        if squashed in (
            re.sub(r"[\s.']", "", abbreviation).lower(),
            re.sub(r"\s", "", words).lower(),
        ):
            return abbreviation
    raise ValueError(f"Unknown Texas code: {written}")


_LISTED_SECTION = re.compile(r"(?P<section>\d+\.\d+)(?P<inner>(?:\([0-9A-Za-z]{1,6}\))*)")


def _listed_before_code(
    text: str, match: re.Match[str], code: str, kind: str
) -> list[FoundCitation]:
    offset = match.start("list")
    return [
        FoundCitation(
            f"{code} § {item['section']}{item['inner']}",
            f"{code} § {item['section']}",
            (offset + item.start(), offset + item.end()),
            kind,
            pin=item["inner"],
        )
        for item in _LISTED_SECTION.finditer(match["list"])
    ]


# After "§§" or "Sections", each further section is a citation: "8 U.S.C. §§ 1373, 1644" is two.
# A range names its first and last sections ("§§ 1373–1375").
_FURTHER_SECTION = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+|or\s+)?|\s+(?:and|or|through|to)\s+|\s*[&–—]\s*)(?:§+\s*)?"
    r"(?P<section>\d[0-9A-Za-z]*(?:[-.:/][0-9A-Za-z]+)*)(?P<pin>(?:\([0-9A-Za-z]{1,6}\))*)"
)
_PLURAL_SIGN = re.compile(r"§§\s*|\b[Ss]ections\s+|\b[Ss]ecs\.\s*")
_SAME_LENGTH_RANGE = re.compile(r"^(?P<first>\d+)-(?P<last>\d+)$")


def _each_listed(text: str, item: FoundCitation) -> list[FoundCitation]:
    plural = _PLURAL_SIGN.search(text, item.span[0], item.span[1])
    if plural is None or item.kind not in (STATUTE, REGULATION) or "§" not in item.base:
        return [item]
    prefix, section = item.base.rsplit("§", 1)
    prefix = prefix.rstrip("§ ") + " § "
    section = section.strip()
    found: list[FoundCitation] = []
    first_end = item.span[1]
    # reporters-db reads "§§ 1373-1375" as one section; equal lengths tell a range from "45-215".
    span_of_range = _SAME_LENGTH_RANGE.match(section)
    if span_of_range and len(span_of_range["first"]) == len(span_of_range["last"]):
        section = span_of_range["first"]
        at = text.find(section, plural.end(), item.span[1])
        last_at = at + len(section) + 1
        first_end = at + len(section)
        found.append(
            FoundCitation(
                prefix + span_of_range["last"],
                prefix + span_of_range["last"],
                (last_at, last_at + len(span_of_range["last"])),
                item.kind,
            )
        )
    normalized = prefix + section + item.pin + item.normalized[len(item.base) + len(item.pin) :]
    found.insert(
        0,
        FoundCitation(
            normalized, prefix + section, (item.span[0], first_end), item.kind, pin=item.pin
        ),
    )
    end = item.span[1]
    while more := _FURTHER_SECTION.match(text, end):
        found.append(
            FoundCitation(
                prefix + more["section"] + more["pin"],
                prefix + more["section"],
                (more.start("section"), more.end()),
                item.kind,
                pin=more["pin"],
            )
        )
        end = more.end()
    return found


@dataclass(frozen=True)
class OfficialText:
    """Where a citation's official text is published: the page and who publishes it."""

    url: str
    publisher: str


def official_text(citation: str) -> OfficialText | None:
    """The official page of a normalised statute or regulation citation, when its address is known.

    Each address pattern is the one the publisher documents for linking to a section; a code whose
    site has no stable per-section address (or none we know) gives `None`.
    """
    for pattern, publisher, address in _OFFICIAL_SITES:
        if match := pattern.fullmatch(citation):
            url = address(match)
            if url:
                return OfficialText(url, publisher)
    return None


def _kansas(match: re.Match[str]) -> str | None:
    # 44-512a is chapter 44, article 5, section 12a: ch44/044_005_0012a.html.
    chapter, rest = match["chapter"], match["rest"]
    digits = re.match(r"(\d+)([a-z]*)$", rest)
    if not digits or len(digits[1]) < 3:
        return None
    number, suffix = digits[1], digits[2]
    article, section = int(number[:-2]), int(number[-2:])
    return (
        f"https://www.ksrevisor.org/statutes/chapters/ch{int(chapter):02d}/"
        f"{int(chapter):03d}_{article:03d}_{section:04d}{suffix}.html"
    )


def _texas(match: re.Match[str]) -> str:
    letters = _TEXAS_CODES[match["code"]][1]
    chapter = match["section"].split(".")[0]
    return (
        f"https://statutes.capitol.texas.gov/Docs/{letters}/htm/{letters}.{chapter}.htm"
        f"#{match['section']}"
    )


def _florida(match: re.Match[str]) -> str | None:
    chapter, section = match["chapter"], match["section"]
    if not chapter.isdigit():
        return None
    hundreds = int(chapter) // 100 * 100
    return (
        "https://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute&URL="
        f"{hundreds:04d}-{hundreds + 99:04d}/{int(chapter):04d}/Sections/"
        f"{int(chapter):04d}.{section}.html"
    )


_CALIFORNIA_CODES = {
    "Bus. & Prof.": "BPC",
    "Civ.": "CIV",
    "Civ. Proc.": "CCP",
    "Educ.": "EDC",
    "Evid.": "EVID",
    "Fam.": "FAM",
    "Gov't": "GOV",
    "Health & Safety": "HSC",
    "Lab.": "LAB",
    "Penal": "PEN",
    "Veh.": "VEH",
    "Welf. & Inst.": "WIC",
}
_NEW_YORK_LAWS = {
    "Civ. Prac. L. & R.": "CVP",
    "Correct. Law": "COR",
    "Crim. Proc. Law": "CPL",
    "Exec. Law": "EXC",
    "Fam. Ct. Act": "FCT",
    "Penal Law": "PEN",
    "Real Prop. Acts. Law": "RPA",
    "Real Prop. Law": "RPP",
    "Soc. Serv. Law": "SOS",
}


def _names(table: dict[str, str]) -> str:
    return "|".join(re.escape(name) for name in sorted(table, key=len, reverse=True))


_OFFICIAL_SITES: tuple[tuple[re.Pattern[str], str, Callable[[re.Match[str]], str | None]], ...] = (
    tuple(
        (re.compile(pattern), publisher, address)
        for pattern, publisher, address in (
            (
                r"(?P<title>\d+) U\.S\.C\. § (?P<section>\d+[a-z]*(?:-\d+)?)",
                "Office of the Law Revision Counsel, U.S. House of Representatives",
                lambda m: (
                    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title"
                    f"{m['title']}-section{m['section']}&num=0&edition=prelim"
                ),
            ),
            (
                r"(?P<title>\d+) C\.F\.R\. § (?P<section>\d+(?:\.\d+)?)",
                "Office of the Federal Register (eCFR)",
                lambda m: (
                    f"https://www.ecfr.gov/current/title-{m['title']}/"
                    + (f"section-{m['section']}" if "." in m["section"] else f"part-{m['section']}")
                ),
            ),
            (
                r"Mo\. Rev\. Stat\. § (?P<section>\d+\.\d+)",
                "Missouri Revisor of Statutes",
                lambda m: f"https://revisor.mo.gov/main/OneSection.aspx?section={m['section']}",
            ),
            (
                r"Kan\. Stat\. Ann\. § (?P<chapter>\d+[a-z]?)-(?P<rest>\d+[a-z]*)",
                "Kansas Office of Revisor of Statutes",
                _kansas,
            ),
            (
                r"Tex\. (?P<code>" + _names({k: "" for k in _TEXAS_CODES}) + r") Code Ann\. "
                r"§ (?P<section>\d+[A-Z]?\.\d+[A-Za-z]?(?:\.\d+)?)",
                "Texas Legislature",
                _texas,
            ),
            (
                r"Tex\. Code Crim\. Proc\. Ann\. art\. (?P<section>\d+\.\d+[A-Za-z]?)",
                "Texas Legislature",
                lambda m: (
                    "https://statutes.capitol.texas.gov/Docs/CR/htm/CR."
                    f"{m['section'].split('.')[0]}.htm#{m['section']}"
                ),
            ),
            (
                r"Cal\. (?P<code>"
                + _names(_CALIFORNIA_CODES)
                + r") Code § (?P<section>\d+(?:\.\d+)?)",
                "California Legislative Information",
                lambda m: (
                    "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode="
                    f"{_CALIFORNIA_CODES[m['code']]}&sectionNum={m['section']}"
                ),
            ),
            (
                r"N\.Y\. (?P<law>"
                + _names(_NEW_YORK_LAWS)
                + r") § (?P<section>[\dA-Za-z-]+(?:\.\d+)?)",
                "New York State Senate",
                lambda m: (
                    f"https://www.nysenate.gov/legislation/laws/{_NEW_YORK_LAWS[m['law']]}/"
                    f"{m['section'].upper()}"
                ),
            ),
            (
                r"Ohio Rev\. Code Ann\. § (?P<section>\d+\.\d+)",
                "Legislative Service Commission of Ohio",
                lambda m: f"https://codes.ohio.gov/ohio-revised-code/section-{m['section']}",
            ),
            (
                r"Wash\. Rev\. Code § (?P<section>\d+[A-Z]?\.\d+[A-Z]?\.\d+[A-Za-z]?)",
                "Washington State Legislature",
                lambda m: f"https://app.leg.wa.gov/RCW/default.aspx?cite={m['section']}",
            ),
            (
                r"Fla\. Stat\. § (?P<chapter>\d+[A-Z]?)\.(?P<section>\d+)",
                "The Florida Legislature",
                _florida,
            ),
            (
                r"Ariz\. Rev\. Stat\. § (?P<title>\d+)-(?P<section>\d+)",
                "Arizona State Legislature",
                lambda m: f"https://www.azleg.gov/ars/{m['title']}/{int(m['section']):05d}.htm",
            ),
            (
                r"Mich\. Comp\. Laws § (?P<section>\d+\.\d+[a-z]?)",
                "Michigan Legislature",
                lambda m: (
                    "https://www.legislature.mi.gov/Laws/MCL?objectName=mcl-"
                    + m["section"].replace(".", "-")
                ),
            ),
        )
    )
)


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
