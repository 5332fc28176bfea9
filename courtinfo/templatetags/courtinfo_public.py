"""Template tags that turn a publication payload into what the public pages show."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, translate_url
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, override

from courtinfo.addresses import address

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_STATUTE_KINDS = {"statute"}


@dataclass
class Note:
    number: int
    source: dict[str, Any]
    source_number: int
    pinpoint: str
    quote: str
    # When the quote was found in an archived copy of the source: that copy's date.
    checked_on: datetime.date | None = None


@dataclass
class ClaimView:
    id: Any
    text: str
    notes: list[Note] = field(default_factory=list)


@dataclass
class BlockView:
    kind: str
    number: int | None
    claims: list[ClaimView]


@dataclass
class AnswerDocument:
    blocks: list[BlockView]
    notes: list[Note]
    sources: list[dict[str, Any]]
    review_due_on: datetime.date | None
    last_reviewed_on: datetime.date | None
    published_at: datetime.datetime | None
    due_for_review: bool

    @property
    def block_groups(self) -> list[tuple[str, list[BlockView]]]:
        """Consecutive blocks of one list kind grouped so they render as one <ol> or <ul>."""
        groups: list[tuple[str, list[BlockView]]] = []
        for block in self.blocks:
            if block.kind != "paragraph" and groups and groups[-1][0] == block.kind:
                groups[-1][1].append(block)
            else:
                groups.append((block.kind, [block]))
        return groups


@register.filter
def isodate(value: str | None) -> datetime.date | None:
    return parse_date(value) if value else None


@register.filter
def isodatetime(value: str | None) -> datetime.datetime | None:
    return parse_datetime(value) if value else None


def _date_of(value: str | None) -> datetime.date | None:
    """The local date of an ISO date-time in a payload (an archived copy's retrieval)."""
    moment = parse_datetime(value) if value else None
    return timezone.localdate(moment) if moment else None


@register.simple_tag
def answer_document(payload: dict[str, Any]) -> AnswerDocument:
    """Number each citation as a note in reading order, and each source in first-cited order."""
    sources = [dict(s, number=i) for i, s in enumerate(payload.get("sources") or [], start=1)]
    by_id = {s["id"]: s for s in sources}
    notes: list[Note] = []
    blocks = []
    for block in payload.get("blocks") or []:
        claims = []
        for claim in block.get("claims") or []:
            view = ClaimView(id=claim.get("id"), text=claim.get("text", ""))
            for citation in claim.get("citations") or []:
                source = by_id.get(citation.get("source"))
                if source is None:
                    continue
                note = Note(
                    number=len(notes) + 1,
                    source=source,
                    source_number=source["number"],
                    pinpoint=citation.get("pinpoint") or "",
                    quote=citation.get("quote") or "",
                    checked_on=_date_of((citation.get("passage") or {}).get("retrieved_at")),
                )
                notes.append(note)
                view.notes.append(note)
            claims.append(view)
        blocks.append(BlockView(block.get("kind", "paragraph"), block.get("number"), claims))
    review_due_on = isodate(payload.get("review_due_on"))
    return AnswerDocument(
        blocks=blocks,
        notes=notes,
        sources=sources,
        review_due_on=review_due_on,
        last_reviewed_on=isodate(payload.get("last_reviewed_on")),
        published_at=isodatetime(payload.get("published_at")),
        due_for_review=review_due_on is not None and review_due_on <= timezone.localdate(),
    )


@register.simple_tag
def claim_spans(claims: list[ClaimView]) -> SafeString:
    """A block's claims, each with its note references: the page's innermost loop, in Python."""
    label = gettext("Note %(n)s")
    spans = []
    for claim in claims:
        references = mark_safe(  # noqa: S308 (every part is escaped by format_html)
            "".join(
                format_html(
                    '<sup class="note-ref"><a href="#note-{0}" aria-label="{1}">[{0}]</a></sup>',
                    note.number,
                    label % {"n": note.number},
                )
                for note in claim.notes
            )
        )
        spans.append(
            format_html(
                '<span class="claim" id="claim-{}">{}</span>{}', claim.id, claim.text, references
            )
        )
    return mark_safe(" ".join(spans))  # noqa: S308 (each span is escaped by format_html)


@register.simple_tag
def payload_url(payload: dict[str, Any], name: str = "question") -> str:
    """The public address of a payload's question ("question") or of its history ("history")."""
    return address(f"public:{name}", payload["jurisdiction"]["slug"], payload["question"]["slug"])


def json_ld_data(payload: dict[str, Any], *, url: str) -> dict[str, Any]:
    answer_text = " ".join(
        claim.get("text", "")
        for block in payload.get("blocks") or []
        for claim in block.get("claims") or []
    )
    question = {
        "@type": "Question",
        "name": payload["question"]["text"],
        "acceptedAnswer": {
            "@type": "Answer",
            "text": answer_text,
            "url": url,
            "dateModified": payload.get("published_at"),
        },
    }
    graph: list[dict[str, Any]] = [
        {
            "@type": "FAQPage",
            "url": url,
            "inLanguage": payload.get("language", "en"),
            "dateModified": payload.get("published_at"),
            "lastReviewed": payload.get("last_reviewed_on"),
            "mainEntity": [question],
        }
    ]
    for source in payload.get("sources") or []:
        if source.get("kind") in _STATUTE_KINDS:
            legislation = {
                "@type": "Legislation",
                "name": source.get("title", ""),
                "legislationIdentifier": source.get("citation") or source.get("title", ""),
            }
            if source.get("url"):
                legislation["url"] = source["url"]
            if source.get("publisher"):
                legislation["publisher"] = {
                    "@type": "Organization",
                    "name": source["publisher"],
                }
            graph.append(legislation)
    return {"@context": "https://schema.org", "@graph": graph}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """A JSON-LD script element; <, > and & are escaped so no text can close the element."""
    escaped = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308


@register.simple_tag(takes_context=True)
def question_json_ld(context, payload: dict[str, Any]) -> SafeString:
    request = context.get("request")
    path = payload_url(payload)
    url = request.build_absolute_uri(path) if request is not None else path
    return json_ld_script(json_ld_data(payload, url=url))


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    """This page in every language of the site: for hreflang links and the language switcher."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    return [
        LanguageVersion(code, name, _in_language(request, code), code == current)
        for code, name in settings.LANGUAGES
    ]


def _in_language(request, code: str) -> str:
    """The request's address in another language: translate_url without resolving it again."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return translate_url(request.get_full_path(), code)
    with override(code):
        try:
            path = address(match.view_name, *match.args, **match.kwargs)
        except NoReverseMatch:
            return translate_url(request.get_full_path(), code)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path
