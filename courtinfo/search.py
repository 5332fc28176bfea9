"""Full-text search over live publications: ranked on PostgreSQL, a plain fallback elsewhere.

Both read Publication.search_document, which the database computes from the question, the claims
and the publication's normalised citations. A query's citations are normalised by the function the
setting COURTINFO_CITATION_NORMALIZER names, so "RSMo 544.470" finds "Mo. Rev. Stat. § 544.470".

On PostgreSQL the query is parsed once, into the tsquery that then filters and ranks as a constant
(a function of the query text would be parsed again for every row ranked), and whose words mark
the snippets: ts_headline would parse every shown text again, the costliest part of a search.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, reduce
from itertools import chain
from operator import and_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.html import escape, format_html
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from nltk.stem.snowball import EnglishStemmer

from courtinfo.models import SEARCH_CONFIG, Publication, TranslationPublication

MAX_QUERY_LENGTH = 200
CONFIG = SEARCH_CONFIG
# What a result list shows; the payload stays in the database.
RESULT_FIELDS = (
    "id",
    "answer_id",
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
# A lexeme in a tsquery's text: 'word', a quote doubled; one after "!" is searched for absence.
_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'")


@dataclass(frozen=True)
class Query:
    """A query as typed, and read for citations: their normalised forms and the other words.

    On PostgreSQL, `tsquery` is what the database made of it, as text: stemmed lexemes without
    stop words, combined by &, |, ! and <->.
    """

    text: str
    citations: tuple[str, ...] = ()
    rest: str = ""
    tsquery: str = ""


def clean_query(raw: str | None) -> str:
    """The query as searched: printable characters only, whitespace collapsed, bounded length."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def parse_query(text: str) -> Query:
    """The query with its citations normalised, when a normaliser is configured.

    On PostgreSQL, one query to the database parses it into its tsquery.
    """
    if not query_words(text):
        return Query(text)
    path = getattr(settings, "COURTINFO_CITATION_NORMALIZER", "")
    citations, rest = import_string(path)(text) if path else ((), "")
    parsed = Query(text, tuple(citations), rest)
    if uses_postgres():
        parsed = replace(parsed, tsquery=_database_tsquery(parsed))
    return parsed


def search(queryset: QuerySet[Publication], query: Query) -> QuerySet[Publication]:
    """Publications matching every word of the query, best first; none for an empty query.

    A query that holds a legal citation also matches publications citing it in any written form:
    either every word matches as typed, or the normalised citations and the other words do.
    """
    if not query_words(query.text):
        return queryset.none()
    if uses_postgres():
        tsquery = _ParsedQuery(query.tsquery)
        return (
            queryset.filter(search_document=tsquery)
            .annotate(rank=SearchRank(F("search_document"), tsquery))
            .order_by("-rank", "-published_at", "id")
        )
    return queryset.filter(_substrings(query)).order_by("-published_at", "id")


def snippets(publications: list[Publication], query: Query) -> dict[int, SafeString]:
    """For each publication shown, by id: the passage that matched, escaped, matches in <mark>.

    On PostgreSQL the words marked are those whose stem the query searched for, as ts_headline
    would mark them; elsewhere the query's words as typed.
    """
    if uses_postgres():
        lexemes = _lexemes(query.tsquery)
        headlines = {
            p.pk: _headline(p.body_text, _stemmed(p.body_text, lexemes)) for p in publications
        }
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


def _database_tsquery(parsed: Query) -> str:
    # Computed from constants, on any one row; no row means nothing to find.
    rows = Publication.objects.annotate(tsquery=Cast(_tsquery(parsed), TextField()))
    return next(iter(rows.order_by().values_list("tsquery", flat=True)[:1]), "")


class _ParsedQuery(SearchQuery):
    """A tsquery as the database wrote it, given back as a constant: the planner reads it once,
    where websearch_to_tsquery() would run again for every row ranked."""

    template = "(%(expressions)s)::tsquery"


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
    return _headline(text, (m.span() for m in pattern.finditer(text)) if pattern else iter(()))


def _headline(text: str, spans: Iterator[tuple[int, int]]) -> str:
    """About _SNIPPET_LENGTH characters of `text` from a little before the first span, with
    the spans inside it between the highlight marks. `spans` come in order; those past the
    snippet are never asked for."""
    first = next(spans, None)
    start = max(0, (first[0] if first else 0) - _SNIPPET_LENGTH // 3)
    # Start and end the snippet on word boundaries.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = start + _SNIPPET_LENGTH
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, at = [], start
    for hit_start, hit_end in chain([first] if first else [], spans):
        if hit_end > end:
            break
        if at <= hit_start:
            hit = _clean(text[hit_start:hit_end])
            pieces += [_clean(text[at:hit_start]), _START, hit, _STOP]
            at = hit_end
    pieces.append(_clean(text[at:end]))
    marked = "".join(pieces)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{marked.rstrip()}{suffix}"


def _clean(text: str) -> str:
    return text.replace(_START, "").replace(_STOP, "")


# PostgreSQL's english configuration stems with Snowball's English stemmer; this is the same.
_STEMMER = EnglishStemmer()


@lru_cache(maxsize=10_000)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def _lexemes(tsquery: str) -> frozenset[str]:
    """The lexemes a tsquery's text looks for, leaving out those it wants absent."""
    return frozenset(
        lexeme.replace("''", "'") for negated, lexeme in _LEXEME.findall(tsquery) if not negated
    )


@lru_cache(maxsize=256)
def _words_starting_as(lexemes: frozenset[str]) -> re.Pattern:
    # A stem keeps the start of its word: only words that start as a lexeme does are stemmed.
    starts = "|".join(sorted({re.escape(lexeme[: max(3, len(lexeme) - 1)]) for lexeme in lexemes}))
    return re.compile(rf"(?<!\w)(?:{starts})(?:[\w'’.-]*\w)?", re.IGNORECASE)


def _stemmed(text: str, lexemes: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Where in `text` the words stand whose stem is one of `lexemes`, in order."""
    if not lexemes:
        return
    for match in _words_starting_as(lexemes).finditer(text):
        word = match.group(0).lower()
        # A hyphenated word is indexed whole and by its parts.
        if any(_stem(part) in lexemes for part in (word, *word.split("-"))):
            yield match.span()


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
