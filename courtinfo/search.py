"""Full-text search over live publications: ranked on PostgreSQL, a plain fallback elsewhere."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from courtinfo.models import Publication

MAX_QUERY_LENGTH = 200
CONFIG = "english"
# Control characters cannot come from the web form, so they mark highlights unambiguously.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_LENGTH = 240


def search_vector() -> SearchVector:
    """The expression the GIN index in migration 0004 is built on; keep the two identical."""
    return SearchVector("question_text", "body_text", config=CONFIG)


def clean_query(raw: str | None) -> str:
    """The query as searched: printable characters only, whitespace collapsed, bounded length."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """Publications matching every word of the query, best first; none for an empty query."""
    if not query_words(query):
        return queryset.none()
    if uses_postgres():
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            queryset.annotate(search=search_vector())
            .filter(search=search_query)
            .annotate(
                rank=SearchRank(F("search"), search_query),
                headline=SearchHeadline(
                    "body_text",
                    search_query,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                ),
            )
            .order_by("-rank", "-published_at", "id")
        )
    condition = Q()
    for word in query_words(query):
        condition &= Q(question_text__icontains=word) | Q(body_text__icontains=word)
    return queryset.filter(condition).order_by("-published_at", "id")


def snippet(publication: Publication, query: str) -> SafeString:
    """The passage that matched, escaped, with the matching words in <mark>."""
    headline = getattr(publication, "headline", None)
    if headline is None:
        headline = _plain_headline(publication.body_text, query_words(query))
    return _marked(headline)


def _plain_headline(text: str, words: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    first = pattern.search(text) if pattern else None
    start = max(0, (first.start() if first else 0) - _SNIPPET_LENGTH // 3)
    # Start and end the snippet on word boundaries.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = start + _SNIPPET_LENGTH
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    excerpt = text[start:end].replace(_START, "").replace(_STOP, "")
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt) if pattern else excerpt
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{marked.rstrip()}{suffix}"


def _marked(headline: str) -> SafeString:
    pieces = []
    for index, part in enumerate(headline.split(_START)):
        if index == 0:
            pieces.append(escape(part.replace(_STOP, "")))
            continue
        hit, _, rest = part.partition(_STOP)
        pieces.append(format_html("<mark>{}</mark>{}", hit, rest.replace(_STOP, "")))
    # Each piece is escaped text or our own <mark> element.
    return mark_safe("".join(pieces))  # noqa: S308
