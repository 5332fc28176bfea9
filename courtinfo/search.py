"""Full-text search over live publications: ranked on PostgreSQL, a plain fallback elsewhere.

Both read Publication.search_document, which the database computes from the question, the claims
and the publication's normalised citations. A query's citations are normalised by the function the
setting COURTINFO_CITATION_NORMALIZER names, so "RSMo 544.470" finds "Mo. Rev. Stat. § 544.470".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape, format_html
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from courtinfo.models import SEARCH_CONFIG, Publication, TranslationPublication

MAX_QUERY_LENGTH = 200
CONFIG = SEARCH_CONFIG
# What a result list shows; the payload stays in the database.
RESULT_FIELDS = (
    "id",
    "version",
    "jurisdiction__name",
    "jurisdiction__slug",
    "jurisdiction__code",
    "topic_name",
    "topic_slug",
    "question_slug",
    "question_text",
    "body_text",
    "published_at",
    "review_due_on",
)
# Control characters cannot come from the web form, so they mark highlights unambiguously.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class Query:
    """A query as typed, and read for citations: their normalised forms and the other words."""

    text: str
    citations: tuple[str, ...] = ()
    rest: str = ""


def clean_query(raw: str | None) -> str:
    """The query as searched: printable characters only, whitespace collapsed, bounded length."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def parse_query(text: str) -> Query:
    """The query with its citations normalised, when a normaliser is configured."""
    path = getattr(settings, "COURTINFO_CITATION_NORMALIZER", "")
    if not path or not query_words(text):
        return Query(text)
    citations, rest = import_string(path)(text)
    return Query(text, tuple(citations), rest)


def search(queryset: QuerySet[Publication], query: Query) -> QuerySet[Publication]:
    """Publications matching every word of the query, best first; none for an empty query.

    A query that holds a legal citation also matches publications citing it in any written form:
    either every word matches as typed, or the normalised citations and the other words do.
    """
    if not query_words(query.text):
        return queryset.none()
    if uses_postgres():
        search_query = _tsquery(query)
        return (
            queryset.defer("body_text")
            .filter(search_document=search_query)
            .annotate(rank=SearchRank(F("search_document"), search_query))
            .order_by("-rank", "-published_at", "id")
        )
    return queryset.filter(_substrings(query)).order_by("-published_at", "id")


def snippets(publications: list[Publication], query: Query) -> dict[int, SafeString]:
    """For each publication shown, by id: the passage that matched, escaped, matches in <mark>.

    On PostgreSQL ts_headline runs in one query over these publications only, never over every
    match: it reads the whole text, the costliest part of a search.
    """
    if not publications:
        return {}
    if uses_postgres():
        rows = (
            Publication.objects.filter(pk__in=[p.pk for p in publications])
            .annotate(
                headline=SearchHeadline(
                    "body_text",
                    _tsquery(query),
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                )
            )
            .order_by()
            .values_list("pk", "headline")
        )
        headlines = dict(rows)
    else:
        words = query_words(query.text)
        headlines = {p.pk: _plain_headline(p.body_text, words) for p in publications}
    return {pk: _marked(headline) for pk, headline in headlines.items()}


def cited(publications: list[Publication], query: Query) -> dict[int, list[str]]:
    """For each publication shown, by id: the query's citations that it cites, normalised.

    A publication found through a citation of its sources may not name it in its text; this
    says why it was found. One query, and only when the query holds a citation.
    """
    if not query.citations or not publications:
        return {}
    rows = (
        Publication.objects.filter(pk__in=[p.pk for p in publications])
        .order_by()
        .values_list("pk", "payload__citations")
    )
    return {pk: [c for c in query.citations if c in (listed or [])] for pk, listed in rows}


def _tsquery(parsed: Query) -> SearchQuery:
    as_typed = SearchQuery(parsed.text, config=CONFIG, search_type="websearch")
    if not parsed.citations:
        return as_typed
    normalised = [SearchQuery(c, config=CONFIG, search_type="phrase") for c in parsed.citations]
    if query_words(parsed.rest):
        normalised.append(SearchQuery(parsed.rest, config=CONFIG, search_type="websearch"))
    return as_typed | reduce(and_, normalised)


def _substrings(parsed: Query) -> Q:
    as_typed = _every_word(parsed.text)
    if not parsed.citations:
        return as_typed
    # The document holds the payload's citations as JSON text, "§" written as "\u00a7".
    normalised = [
        Q(search_document__icontains=json.dumps(citation)[1:-1]) for citation in parsed.citations
    ]
    return as_typed | (reduce(and_, normalised) & _every_word(parsed.rest))


def _every_word(text: str) -> Q:
    return reduce(and_, (Q(search_document__icontains=word) for word in query_words(text)), Q())


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


# Text in other languages: the live translations, searched with that language's configuration.
LANGUAGE_CONFIGS = {"es": "spanish"}


def translated_answer_ids(language: str, query: Query) -> set[int]:
    """The answers whose live translation into `language` matches every word of the query."""
    words = query_words(query.text)
    if not words:
        return set()
    found = TranslationPublication.objects.filter(language=language, live_translation__isnull=False)
    if uses_postgres():
        config = LANGUAGE_CONFIGS.get(language, "simple")
        search_query = SearchQuery(query.text, config=config, search_type="websearch")
        found = found.annotate(document=SearchVector("body_text", config=config)).filter(
            document=search_query
        )
    else:
        found = found.filter(reduce(and_, (Q(body_text__icontains=word) for word in words), Q()))
    return set(found.values_list("translation__answer_id", flat=True))


def translated_snippets(
    translated: dict[int, TranslationPublication], query: Query
) -> dict[int, SafeString]:
    """A passage of each translation, by answer id, with the query's words marked."""
    words = query_words(query.text)
    return {
        answer_id: _marked(_plain_headline(item.body_text, words))
        for answer_id, item in translated.items()
    }
