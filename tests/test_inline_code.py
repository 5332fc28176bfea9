"""No template holds inline script or style, so the Content-Security-Policy can forbid both."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A <script> without src runs its body; JSON-LD is data, which a policy does not govern.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_the_public_templates_are_among_those_checked():
    names = {path.relative_to(TEMPLATES).as_posix() for path in _templates()}
    assert {"base.html", "public/home.html", "public/question.html"} <= names


@pytest.mark.parametrize(
    "path", _templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix()
)
def test_template_has_no_inline_script_or_style(path):
    text = path.read_text()
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("event handler attribute", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        match = pattern.search(text)
        assert match is None, f"{path.name}: {name} at offset {match.start()}"


def test_the_checks_catch_inline_code():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">{}</script>')
    assert STYLE_ATTRIBUTE.search('<p style="color: red">')
    assert EVENT_HANDLER.search('<a onclick="x()">')
