"""The US jurisdictions courtinfo knows, and how to recognise them in text."""

import re
from collections.abc import Iterable

STATE = "state"
DISTRICT = "district"
TERRITORY = "territory"
FEDERAL = "federal"

JURISDICTIONS: tuple[tuple[str, str, str], ...] = (
    ("AL", "Alabama", STATE),
    ("AK", "Alaska", STATE),
    ("AZ", "Arizona", STATE),
    ("AR", "Arkansas", STATE),
    ("CA", "California", STATE),
    ("CO", "Colorado", STATE),
    ("CT", "Connecticut", STATE),
    ("DE", "Delaware", STATE),
    ("FL", "Florida", STATE),
    ("GA", "Georgia", STATE),
    ("HI", "Hawaii", STATE),
    ("ID", "Idaho", STATE),
    ("IL", "Illinois", STATE),
    ("IN", "Indiana", STATE),
    ("IA", "Iowa", STATE),
    ("KS", "Kansas", STATE),
    ("KY", "Kentucky", STATE),
    ("LA", "Louisiana", STATE),
    ("ME", "Maine", STATE),
    ("MD", "Maryland", STATE),
    ("MA", "Massachusetts", STATE),
    ("MI", "Michigan", STATE),
    ("MN", "Minnesota", STATE),
    ("MS", "Mississippi", STATE),
    ("MO", "Missouri", STATE),
    ("MT", "Montana", STATE),
    ("NE", "Nebraska", STATE),
    ("NV", "Nevada", STATE),
    ("NH", "New Hampshire", STATE),
    ("NJ", "New Jersey", STATE),
    ("NM", "New Mexico", STATE),
    ("NY", "New York", STATE),
    ("NC", "North Carolina", STATE),
    ("ND", "North Dakota", STATE),
    ("OH", "Ohio", STATE),
    ("OK", "Oklahoma", STATE),
    ("OR", "Oregon", STATE),
    ("PA", "Pennsylvania", STATE),
    ("RI", "Rhode Island", STATE),
    ("SC", "South Carolina", STATE),
    ("SD", "South Dakota", STATE),
    ("TN", "Tennessee", STATE),
    ("TX", "Texas", STATE),
    ("UT", "Utah", STATE),
    ("VT", "Vermont", STATE),
    ("VA", "Virginia", STATE),
    ("WA", "Washington", STATE),
    ("WV", "West Virginia", STATE),
    ("WI", "Wisconsin", STATE),
    ("WY", "Wyoming", STATE),
    ("DC", "District of Columbia", DISTRICT),
    ("PR", "Puerto Rico", TERRITORY),
    ("GU", "Guam", TERRITORY),
    ("VI", "U.S. Virgin Islands", TERRITORY),
    ("AS", "American Samoa", TERRITORY),
    ("MP", "Northern Mariana Islands", TERRITORY),
    ("US", "United States", FEDERAL),
)

# Other ways documents name a jurisdiction; each counts as that jurisdiction when inferring.
_ALIASES: dict[str, tuple[str, ...]] = {
    "DC": ("Washington, D.C.", "Washington D.C.", "Washington, DC", "Washington DC"),
    "VI": ("US Virgin Islands", "United States Virgin Islands", "Virgin Islands"),
    "MP": ("Commonwealth of the Northern Mariana Islands",),
}

# Phrases that contain a jurisdiction's name without being about it: Kansas City straddles
# Kansas and Missouri, and a person's name is no place.
_NOT_JURISDICTIONS = ("Kansas City", "George Washington")

_BY_CODE = {row[0]: row for row in JURISDICTIONS}


def _normalise(value: str) -> str:
    words = re.sub(r"[.,]", "", value).replace("-", " ").replace("_", " ").split()
    return " ".join(words).casefold()


_BY_NAME = {_normalise(row[1]): row for row in JURISDICTIONS}
_BY_NAME.update(
    {_normalise(alias): _BY_CODE[code] for code, aliases in _ALIASES.items() for alias in aliases}
)


def names_for(code: str) -> tuple[str, ...]:
    """Return the name and the other names of the jurisdiction with this postal code."""
    return (_BY_CODE[code][1], *_ALIASES.get(code, ()))


def find_jurisdiction(value: str) -> tuple[str, str, str] | None:
    """Return the (code, name, kind) row for a postal code or a name in any case, or None."""
    value = value.strip()
    row = _BY_CODE.get(value.upper())
    if row is not None:
        return row
    return _BY_NAME.get(_normalise(value))


def _build_name_pattern() -> tuple[re.Pattern[str], dict[str, str | None]]:
    phrases: dict[str, str | None] = {phrase: None for phrase in _NOT_JURISDICTIONS}
    for code, _name, kind in JURISDICTIONS:
        if kind != FEDERAL:
            for phrase in names_for(code):
                phrases[phrase] = code
    # Longest first, so "West Virginia" is taken whole before "Virginia" could match inside it.
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    # A name written as usual or in capitals counts; "georgia" or "washington" in lower case is
    # more likely a common word or a person than a place.
    alternatives = "|".join(
        f"{re.escape(phrase)}|{re.escape(phrase.upper())}" for phrase in ordered
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), {
        key: code for phrase, code in phrases.items() for key in (phrase, phrase.upper())
    }


_NAME_PATTERN, _CODE_BY_PHRASE = _build_name_pattern()


def named_jurisdictions(texts: Iterable[str]) -> list[str]:
    """Return the codes of the states, districts and territories named in the texts, sorted."""
    codes: set[str] = set()
    for text in texts:
        for match in _NAME_PATTERN.finditer(text):
            code = _CODE_BY_PHRASE[match.group()]
            if code is not None:
                codes.add(code)
    return sorted(codes)


def infer_jurisdiction(texts: Iterable[str]) -> str:
    """Return the code of the one state, district or territory named in the texts.

    Raises ValueError when the texts name none, or several different ones.
    """
    codes = named_jurisdictions(texts)
    if not codes:
        raise ValueError(
            "No state, district or territory is named, so the jurisdiction is unknown."
        )
    if len(codes) > 1:
        names = ", ".join(f"{_BY_CODE[code][1]} ({code})" for code in codes)
        raise ValueError(f"Several jurisdictions are named ({names}), so it is unclear which one.")
    return codes[0]
