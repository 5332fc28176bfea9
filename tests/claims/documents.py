"""Hypothesis strategies for import documents: any text, and the seed document mutated."""

from pathlib import Path

from hypothesis import strategies as st

SEED = Path(__file__).parent.parent / "fixtures" / "000_185f39eb3d0e638c.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")

# Characters that make up the document format, so random text is often nearly a document.
_FORMAT = st.sampled_from(["1", "2", "0", "9", ".", ". ", "?", " ", "\t", "\n", "- ", "* ", "• "])
_WORDS = st.sampled_from(["Missouri", "court", "ICE", "Mo. Rev. Stat. § 67.307", "e.g.", "U.S."])
_ANY_CHARACTER = st.characters(codec="utf-8")
_NUMBER = st.one_of(
    st.sampled_from(["0", "00"]),
    st.integers(1, 30).map(str),
    st.integers(1, 12).map(lambda digits: "9" * digits),
    # Python's int() refuses more than 4,300 digits.
    st.integers(4_290, 4_400).map(lambda digits: "1" * digits),
)

document_like_text = st.lists(st.one_of(_FORMAT, _WORDS, _ANY_CHARACTER), max_size=80).map("".join)


@st.composite
def seed_mutations(draw) -> str:
    """The seed with one to three of its lines deleted, repeated, renumbered or garbled."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        change = draw(
            st.sampled_from(["delete", "repeat", "renumber", "replace", "insert", "cut", "spice"])
        )
        if change == "delete" and len(lines) > 1:
            del lines[index]
        elif change == "repeat":
            lines.insert(index, line)
        elif change == "renumber":
            text = line.split(". ", 1)[-1]
            lines[index] = f"{draw(_NUMBER)}. {text}"
        elif change == "replace":
            lines[index] = draw(document_like_text)
        elif change == "insert":
            lines.insert(index, draw(document_like_text))
        elif change == "cut":
            lines[index] = line[: draw(st.integers(0, len(line)))]
        else:
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(_ANY_CHARACTER) + line[at:]
    return "\n".join(lines)


@st.composite
def encoded(draw, texts) -> bytes:
    """A text as a file might hold it: UTF-8 with or without a BOM, CRLF, UTF-16, or a bad byte."""
    text = draw(texts)
    form = draw(st.sampled_from(["utf-8", "utf-8-sig", "crlf", "utf-16", "flipped"]))
    if form == "utf-16":
        return text.encode("utf-16")
    if form == "crlf":
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8-sig" if form == "utf-8-sig" else "utf-8")
    if form == "flipped" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data
