"""Reads a question-and-answer document into plain dataclasses, without touching the database."""

import codecs
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

MAX_FILE_BYTES = 5_000_000
MAX_LINE_CHARS = 20_000
# Digits of a question's or a point's number; more is no numbering (past 4,300 int() refuses).
MAX_NUMBER_DIGITS = 4

PARAGRAPH = "paragraph"
NUMBERED = "numbered"
BULLET = "bullet"


@dataclass(frozen=True)
class Block:
    """One line of an answer: a paragraph, a numbered point or a bullet."""

    kind: str  # PARAGRAPH, NUMBERED or BULLET
    number: int | None  # the point's own number; None unless NUMBERED
    line: int  # 1-based, counting every line of the file
    text: str  # without its marker
    claims: tuple[str, ...]  # its sentences, in order; joined they give back text


@dataclass(frozen=True)
class ParsedQuestion:
    """A question, its line and the blocks of its answer."""

    number: int
    line: int
    text: str  # without "N. "
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ParsedDocument:
    """The questions of one file, in order."""

    name: str
    questions: tuple[ParsedQuestion, ...]


class ParseError(Exception):
    """A document that cannot be read, with the file name and, where there is one, the line."""

    def __init__(self, name: str, line: int | None, message: str) -> None:
        self.name = name
        self.line = line
        self.message = message
        where = name if line is None else f"{name}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type["ParseError"], tuple[str, int | None, str]]:
        return type(self), (self.name, self.line, self.message)


_NUMBERED = re.compile(r"([0-9]+)\.(?:\s+(.*))?")
_BULLET = re.compile(r"(?:[-*]\s+|•\s*)(.*)|[-*]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _position(prefix: str) -> tuple[int, int]:
    """Return the 1-based line and column of the character that follows prefix."""
    prefix = _line_ends(prefix)
    return prefix.count("\n") + 1, len(prefix) - prefix.rfind("\n")


def decode(data: bytes, *, name: str) -> str:
    """Return the text of a UTF-8 (BOM optional) or UTF-16 (with BOM) file, with LF line ends."""
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(
            name,
            None,
            f"the file is {len(data):,} bytes long; the limit is 5 MB ({MAX_FILE_BYTES:,})",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"
    else:
        # Checked before decoding: a binary file is better named as such than as bad UTF-8.
        nul = data.find(b"\x00")
        if nul != -1:
            line, _ = _position(data[:nul].decode("latin-1"))
            raise ParseError(
                name,
                line,
                "looks like a binary file (it holds a NUL byte); save the document as UTF-8 text",
            )
        encoding, label = "utf-8", "UTF-8"
        data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start].decode(encoding))
        bad = data[error.start]
        raise ParseError(
            name, line, f"bytes that are not {label} (0x{bad:02x} at column {column})"
        ) from None
    return _line_ends(text)


def parse_document(data: bytes, *, name: str) -> ParsedDocument:
    """Decode and parse the bytes of a document."""
    return parse_text(decode(data, name=name), name=name)


def parse_text(text: str, *, name: str) -> ParsedDocument:
    """Parse a document's text into its numbered questions and their answers' blocks."""
    lines = _line_ends(text.removeprefix("\ufeff")).split("\n")
    _check_characters(lines, name)
    questions: list[ParsedQuestion] = []
    # The question being read: its number, line, text and the blocks of its answer so far.
    current: tuple[int, int, str, list[Block]] | None = None
    for index, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        question = _question_shape(line)
        if question is not None:
            number = _number(question.group(1), index, name)
            expected = len(questions) + (2 if current else 1)
            if number != expected:
                raise ParseError(
                    name,
                    index,
                    f"question {expected} was expected here, but this line is numbered {number} "
                    "(a numbered line ending in '?' is read as a question)",
                )
            if current is not None:
                questions.append(_close(current, name, follower=(number, index)))
            current = (number, index, question.group(2).strip(), [])
        elif current is None:
            _refuse_text_before_first_question(lines, index, name)
        else:
            current[3].append(_block(line, index, name))
    if current is None:
        raise ParseError(name, None, "no question found (a question is a line like '1. What …?')")
    questions.append(_close(current, name, follower=None))
    return ParsedDocument(name=name, questions=tuple(questions))


def _check_characters(lines: list[str], name: str) -> None:
    for index, line in enumerate(lines, start=1):
        control = _CONTROL.search(line)
        if control is not None:
            column = control.start() + 1
            if control.group() == "\x00":
                raise ParseError(
                    name, index, f"looks like a binary file (a NUL character at column {column})"
                )
            raise ParseError(
                name,
                index,
                f"control character U+{ord(control.group()):04X} at column {column} "
                "(only tabs are allowed)",
            )
        if len(line) > MAX_LINE_CHARS:
            raise ParseError(
                name,
                index,
                f"the line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
            )


def _question_shape(line: str) -> re.Match | None:
    """The match of a line shaped like a question, "N. text?": its number and its text."""
    match = _NUMBERED.fullmatch(line)
    if match is None or not (match.group(2) or "").endswith("?"):
        return None
    return match


def _number(digits: str, index: int, name: str) -> int:
    if len(digits) > MAX_NUMBER_DIGITS:
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
        raise ParseError(
            name,
            index,
            f"the number {shown} has {len(digits):,} digits; questions and points are "
            f"numbered with at most {MAX_NUMBER_DIGITS} digits",
        )
    return int(digits)


def _refuse_text_before_first_question(lines: list[str], index: int, name: str) -> None:
    if any(_question_shape(line.strip()) for line in lines[index:]):
        raise ParseError(
            name, index, "text before the first question (the document starts with '1. …?')"
        )
    raise ParseError(name, None, "no question found (a question is a line like '1. What …?')")


def _close(
    current: tuple[int, int, str, list[Block]], name: str, *, follower: tuple[int, int] | None
) -> ParsedQuestion:
    number, line, text, blocks = current
    if not blocks:
        if follower is None:
            why = "the file ends after it"
        else:
            why = f"question {follower[0]} follows directly on line {follower[1]}"
        raise ParseError(name, line, f"question {number} has no answer; {why}")
    return ParsedQuestion(number=number, line=line, text=text, blocks=tuple(blocks))


def _block(line: str, index: int, name: str) -> Block:
    kind, number, text = PARAGRAPH, None, line
    numbered = _NUMBERED.fullmatch(line)
    bullet = _BULLET.fullmatch(line)
    if numbered is not None:
        kind, number, text = NUMBERED, _number(numbered.group(1), index, name), numbered.group(2)
        if number == 0:
            raise ParseError(name, index, "point 0: points are numbered from 1")
    elif bullet is not None:
        kind, text = BULLET, bullet.group(1)
    text = (text or "").strip()
    if not text:
        what = f"point {number}" if kind == NUMBERED else "the bullet"
        raise ParseError(name, index, f"{what} has no text")
    return Block(
        kind=kind, number=number, line=index, text=text, claims=tuple(split_sentences(text))
    )


def _words(*groups: str) -> frozenset[str]:
    return frozenset(" ".join(groups).split())


# Punkt learns abbreviations from training text, and the trained models it offers would have to be
# downloaded. Told the abbreviations of legal writing instead, it never ends a claim inside a
# citation such as "Mo. Rev. Stat. § 67.307" or "Smith v. Jones, 123 F.3d 456 (8th Cir. 1999)".
_ABBREVIATIONS = _words(
    # Latin and general writing.
    "al cf e.g i.e ibid id seq viz vs v approx est misc no nos vol p pp n nn fn ed eds",
    # Names of people, offices and organisations.
    "mr mrs ms dr jr sr st mt ft prof hon gov sen rep atty att'y gen inc co corp ltd llc bros",
    "assoc univ dept dep't gov't govt ass'n comm'n int'l nat'l cong cnty mun",
    # Citations of statutes, rules, courts and reporters.
    "stat stats ann supp rev admin comp cons civ crim proc evid pen ord res reg regs fed pub",
    "const amend art sec ch cl para pt subd subsec subch ct cts app cir dist div sup super",
    "bankr jud judic legis sess cum op ops doc tit cty twp ave blvd",
    # Months.
    "jan feb mar apr jun jul aug sep sept oct nov dec",
    # States as citations abbreviate them; "me" and "or" are left out as everyday words.
    "ala ariz ark cal calif colo conn del fla ga haw ill ind kan kans ky la md mass mich minn",
    "miss mo mont neb nebr nev okla ore pa penn tenn tex vt va wash wis wisc wyo",
)

# A run of short letter groups joined by full stops (U.S.C., C.F.R., K.S.A., R.S.Mo., N.D.) is
# an abbreviation too; there are too many to list.
_DOTTED = re.compile(r"(?:[a-z]{1,4}\.)+[a-z0-9]{1,4}")

# After an abbreviation, these capitalised words still start a new sentence ("… Acme Inc. It …").
_SENTENCE_STARTERS = _words(
    "it its this these those they there he she we however additionally furthermore moreover",
    "overall also finally",
)


class _LegalAbbreviations(frozenset[str]):
    def __contains__(self, word: object) -> bool:
        return super().__contains__(word) or (
            isinstance(word, str) and _DOTTED.fullmatch(word) is not None
        )


def _make_tokenizer() -> PunktSentenceTokenizer:
    parameters = PunktParameters()
    parameters.abbrev_types = _LegalAbbreviations(_ABBREVIATIONS)
    parameters.sent_starters = set(_SENTENCE_STARTERS)
    return PunktSentenceTokenizer(parameters)


_TOKENIZER = _make_tokenizer()


# The first letter or digit of a piece of text, past any opening bracket or quote.
_FIRST_WORD_CHARACTER = re.compile(r"[\s(\[\"'“‘]*(\w)")


def _continues_sentence(piece: str) -> bool:
    first = _FIRST_WORD_CHARACTER.match(piece)
    return first is not None and (first.group(1).islower() or first.group(1).isdigit())


# A full stop, question or exclamation mark with text after it: where Punkt may end a sentence.
_INNER_SENTENCE_END = re.compile(r"[.?!].", re.DOTALL)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; legal abbreviations and citations are never cut."""
    if _INNER_SENTENCE_END.search(text) is None:
        # Most points and bullets are one sentence: Punkt would return the text whole.
        return [text.strip()] if text.strip() else []
    return _punkt_sentences(text)


def _punkt_sentences(text: str) -> list[str]:
    spans: list[list[int]] = []
    for start, end in _TOKENIZER.span_tokenize(text):
        # A sentence does not start in lower case or with a number, so a full stop before one
        # belongs to an abbreviation missing from the list ("subpara. (b)", "Sched. 4").
        if spans and _continues_sentence(text[start:end]):
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [text[start:end].strip() for start, end in spans if text[start:end].strip()]


_APOSTROPHES = re.compile(r"['’]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def make_compare_key(question_text: str, jurisdiction_names: Iterable[str]) -> str:
    """Return the key that the same question asked of different jurisdictions shares.

    The text is lower-cased; each jurisdiction name is taken out together with a "the" or
    "the state of" (commonwealth, territory) before it and a possessive "'s" after it, longest
    name first; apostrophes are dropped, accents are stripped, every other run of characters
    that are not ASCII letters or digits becomes one hyphen, and hyphens at either end go.
    "What is the policy in Missouri?" gives "what-is-the-policy-in". A question that is nothing
    but a name gives "".
    """
    text = unicodedata.normalize("NFKC", question_text).lower()
    names = {name.strip().lower() for name in jurisdiction_names if name.strip()}
    if names:
        alternatives = "|".join(
            r"\s+".join(re.escape(word) for word in name.split())
            for name in sorted(names, key=lambda name: (-len(name), name))
        )
        text = re.sub(
            rf"(?<!\w)(?:the\s+(?:(?:state|commonwealth|territory)\s+of\s+)?)?"
            rf"(?:{alternatives})(?:['’]s)?(?!\w)",
            " ",
            text,
        )
    text = _APOSTROPHES.sub("", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALPHANUMERIC.sub("-", text).strip("-")


def fingerprint(question: ParsedQuestion) -> str:
    """Return a SHA-256 hex digest of the question's text and its blocks' kinds, numbers, claims.

    Line numbers and the question's own number are left out, so moving a question does not
    count as changing it.
    """
    payload = {
        "text": question.text,
        "blocks": [[block.kind, block.number, list(block.claims)] for block in question.blocks],
    }
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
