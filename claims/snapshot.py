"""The one builder of publication payloads: a complete, self-contained snapshot of an answer."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy

from claims.citations import citation_keys
from claims.models import Citation, Claim

SCHEMA = 1

_DEFAULT_BLOCK = {"kind": "paragraph", "number": None}


# What the public reads instead of a login name, for people who gave no full name.
REVIEWER = gettext_lazy("a reviewer")
EDITOR = gettext_lazy("an editor")
PUBLISHER = gettext_lazy("a publisher")


def display_name(user, role=REVIEWER) -> str | None:
    """How a person is named on public pages: their full name, never their login name."""
    if user is None:
        return None
    return user.get_full_name() or str(role)


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def prefetch_for_payload(answer) -> None:
    """Load claims, their verifiers, citations and sources in a fixed number of queries."""
    prefetch_related_objects(
        [answer],
        Prefetch(
            "claims",
            queryset=Claim.objects.select_related("verified_by")
            .order_by("block", "position", "id")
            .prefetch_related(
                Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related("source").order_by("id"),
                )
            ),
        ),
    )


def ordered_claims(answer) -> list[Claim]:
    """The answer's claims in reading order (block, then position)."""
    return sorted(answer.claims.all(), key=lambda c: (c.block, c.position, c.id))


def build_payload(
    answer,
    *,
    version: int,
    published_at: datetime.datetime,
    published_by,
    summary: str = "",
    review_due_on: datetime.date,
) -> dict[str, Any]:
    """The payload (schema 1) that public pages render; JSON-serialisable, reads no table later."""
    # A caller that already prefetched (publish_answer) keeps its cache; others get one here.
    if "claims" not in getattr(answer, "_prefetched_objects_cache", {}):
        prefetch_for_payload(answer)
    question = answer.question
    jurisdiction = question.jurisdiction
    topic = question.topic

    blocks: list[dict[str, Any]] = []
    by_index: dict[int, dict[str, Any]] = {}
    sources: dict[int, dict[str, Any]] = {}
    reviewers: list[str] = []

    def add_reviewer(user) -> None:
        name = display_name(user)
        if name and name not in reviewers:
            reviewers.append(name)

    for claim in ordered_claims(answer):
        block = by_index.get(claim.block)
        if block is None:
            layout = (
                answer.blocks[claim.block]
                if 0 <= claim.block < len(answer.blocks)
                else _DEFAULT_BLOCK
            )
            block = {"kind": layout.get("kind", "paragraph"), "number": layout.get("number")}
            block["claims"] = []
            by_index[claim.block] = block
            blocks.append(block)
        citations = []
        for citation in claim.citations.all():
            source = citation.source
            if source.pk not in sources:
                sources[source.pk] = {
                    "id": source.pk,
                    "title": source.title,
                    "url": source.url,
                    "kind": source.kind,
                    "citation": source.citation,
                    "publisher": source.publisher,
                    "accessed_on": _iso(source.accessed_on),
                }
            cited = {"source": source.pk, "pinpoint": citation.pinpoint, "quote": citation.quote}
            anchor = citation.anchor
            if anchor and anchor.get("found"):
                # The words around the quote in the archived copy, for the source's public page.
                cited["passage"] = {
                    "before": anchor["prefix"],
                    "quote": anchor["exact"],
                    "after": anchor["suffix"],
                    "retrieved_at": anchor["retrieved_at"],
                }
            citations.append(cited)
        block["claims"].append(
            {
                "id": claim.pk,
                "text": claim.text,
                "status": claim.status,
                "verified_by": display_name(claim.verified_by),
                "verified_at": _iso(claim.verified_at),
                "citations": citations,
            }
        )
        add_reviewer(claim.verified_by)
    add_reviewer(answer.approved_by)

    approved_on = timezone.localdate(answer.approved_at) if answer.approved_at else None

    return {
        "schema": SCHEMA,
        "version": version,
        "summary": summary,
        "published_at": _iso(published_at),
        "published_by": display_name(published_by, PUBLISHER),
        "review_due_on": _iso(review_due_on),
        "last_reviewed_on": _iso(approved_on),
        "jurisdiction": {
            "code": jurisdiction.code,
            "name": jurisdiction.name,
            "slug": jurisdiction.slug,
        },
        "topic": {"name": topic.name, "slug": topic.slug} if topic is not None else None,
        "question": {
            "id": question.pk,
            "text": question.text,
            "slug": question.slug,
            "position": question.position,
            "compare_key": question.compare_key,
        },
        "answer": {
            "id": answer.pk,
            "submitted_by": display_name(answer.submitted_by, EDITOR),
            "submitted_at": _iso(answer.submitted_at),
            "approved_by": display_name(answer.approved_by),
            "approved_at": _iso(answer.approved_at),
        },
        "blocks": blocks,
        "sources": list(sources.values()),
        "reviewers": reviewers,
        "citations": cited_citations(blocks, sources.values()),
    }


def cited_citations(blocks: list[dict[str, Any]], sources: Iterable[dict[str, Any]]) -> list[str]:
    """The legal citations in the claims and their sources, normalised, for public search.

    Both the normalised form and the one without subsection are kept, so a search for
    "RSMo 544.470" finds a claim citing "Mo. Rev. Stat. § 544.470(2)".
    """
    keys = set()
    for block in blocks:
        for claim in block["claims"]:
            keys.update(citation_keys(claim["text"]))
    for source in sources:
        if source["citation"]:
            keys.add(source["citation"])
            keys.update(citation_keys(source["citation"]))
    return sorted(keys)


def body_text(payload: dict[str, Any]) -> str:
    """The question and every claim as plain text, for public search."""
    lines = [payload["question"]["text"]]
    lines += [claim["text"] for block in payload["blocks"] for claim in block["claims"]]
    return "\n".join(lines)


def translated_payload(
    english,
    *,
    language: str,
    question_text: str,
    texts: dict[int, str],
    version: int,
    published_at: datetime.datetime,
    approved_by,
) -> dict[str, Any]:
    """The English publication's payload with the question and every claim in `language`.

    Citations, sources and quotes stay as they are: a quote is in the source's own language.
    """
    payload = copy.deepcopy(english.payload)
    payload["question"]["text"] = question_text
    english_texts = {}
    for block in payload["blocks"]:
        for claim in block["claims"]:
            english_texts[str(claim["id"])] = claim["text"]
            claim["text"] = texts[claim["id"]]
    payload["language"] = language
    payload["translation"] = {
        "version": version,
        "published_at": published_at.isoformat(),
        "approved_by": display_name(approved_by),
        "translates": {
            "publication": english.pk,
            "version": english.version,
            "published_at": english.published_at.isoformat(),
            # What each claim said in English, so a later English version shows what changed.
            "texts": english_texts,
        },
    }
    return payload
