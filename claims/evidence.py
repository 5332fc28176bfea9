"""Evidence: archived copies of sources, and where a citation's quote stands in them."""

from __future__ import annotations

import array
import functools
import re
import unicodedata
from dataclasses import dataclass

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
# Characters that take no room in the reading: soft hyphen, zero-width spaces and joiners.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


# Each character's folded form, computed once: a long copy repeats few distinct characters.
_FOLDED: dict[str, str] = {}


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote stands in a text: `text[start:end]`."""

    start: int
    end: int


@functools.lru_cache(maxsize=8)
def _normalise(text: str) -> tuple[str, array.array]:
    """A comparable copy of `text` and, for each of its characters, the offset it came from.

    Cached: an archived copy is immutable, and the workflow checks many quotes against it.

    Letter case, quote marks, dashes and compatibility forms (ligatures, non-breaking spaces)
    are folded; every run of whitespace becomes one space; a word hyphenated across a line
    break is joined again.
    """
    chars: list[str] = []
    offsets = array.array("q")
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _INVISIBLE:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            if chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(i)
            i = j
            continue
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = _FOLDED[ch] = unicodedata.normalize("NFKC", ch).translate(_QUOTES).lower()
        if folded == "-" and _breaks_word(text, i):
            # "infor-\nmation": skip the hyphen and the line break, keep reading the word.
            j = i + 1
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            i = j
            continue
        for out in folded:
            if out.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(i)
                continue
            chars.append(out)
            offsets.append(i)
        i += 1
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def _breaks_word(text: str, i: int) -> bool:
    """Whether the hyphen at `i` ends a line in the middle of a word."""
    if i == 0 or not text[i - 1].isalpha():
        return False
    j = i + 1
    saw_newline = False
    while j < len(text) and (text[j].isspace() or text[j] in _INVISIBLE):
        saw_newline = saw_newline or text[j] in "\n\r\u2028\u2029\x0b\x0c\x85"
        j += 1
    return saw_newline and j < len(text) and text[j].isalpha()


def _pattern(quote: str) -> re.Pattern[str] | None:
    needle, _offsets = _normalise(quote)
    if not needle.strip():
        return None
    # A hyphen inside a word may stand where the text joined a word broken across lines.
    parts = re.split(r"(?<=\w)-(?=\w)", needle)
    body = "-?".join(re.escape(p) for p in parts)
    # Whole words only: "shall" does not stand in "shallow".
    head = r"(?<!\w)" if needle[0].isalnum() else ""
    tail = r"(?!\w)" if needle[-1].isalnum() else ""
    return re.compile(head + body + tail)


def find_quote(text: str, quote: str) -> QuoteMatch | None:
    """Where `quote` stands in `text`, or None; differences of wording are never tolerated."""
    pattern = _pattern(quote)
    if pattern is None or not text:
        return None
    haystack, offsets = _normalise(text)
    found = pattern.search(haystack)
    if found is None:
        return None
    return QuoteMatch(offsets[found.start()], offsets[found.end() - 1] + 1)
