"""Read functions over live publications: every public page gets its data here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone

from courtinfo.models import Answer, Jurisdiction, Publication, PublicationSource

# Columns a list needs; the payload and the search text stay in the database.
_LIST_FIELDS = (
    "id",
    "answer_id",
    "version",
    "jurisdiction__code",
    "jurisdiction__name",
    "jurisdiction__slug",
    "topic_name",
    "topic_slug",
    "question_slug",
    "question_text",
    "compare_key",
    "position",
    "published_at",
    "review_due_on",
    "summary",
)


def live_publications() -> QuerySet[Publication]:
    """The publication the public sees for each answer, with its jurisdiction."""
    # The search document is the index's; no page reads it.
    return Publication.objects.live().select_related("jurisdiction").defer("search_document")


def live_publication_list() -> QuerySet[Publication]:
    """Live publications without their payload, for lists."""
    return live_publications().only(*_LIST_FIELDS)


def live_publication(*, jurisdiction_slug: str, question_slug: str) -> Publication | None:
    # The search text repeats the payload's words; a page renders the payload alone.
    return (
        live_publications()
        .filter(jurisdiction__slug=jurisdiction_slug, question_slug=question_slug)
        .defer("body_text")
        .first()
    )


def live_publication_for_answer(*, answer_id: int) -> Publication | None:
    return live_publications().filter(answer_id=answer_id).first()


def latest_withdrawal(*, jurisdiction=None):
    """When a published answer (of this jurisdiction) was last withdrawn, or None.

    A list page's Last-Modified has to move on when an answer leaves it, not only when one joins.
    """
    answers = Answer.objects.filter(withdrawn_at__isnull=False, publications__isnull=False)
    if jurisdiction is not None:
        answers = answers.filter(question__jurisdiction=jurisdiction)
    return answers.aggregate(latest=Max("withdrawn_at"))["latest"]


def withdrawn_publication(*, jurisdiction_slug: str, question_slug: str) -> Publication | None:
    """The last publication of a withdrawn answer at this address, with the answer's reason."""
    return (
        Publication.objects.filter(
            jurisdiction__slug=jurisdiction_slug,
            question_slug=question_slug,
            # Withdrawn and not published again; stays gone while the answer is reworked.
            answer__withdrawn_at__isnull=False,
            answer__live_publication__isnull=True,
        )
        .select_related("answer", "jurisdiction")
        .only(
            "id",
            "version",
            "question_text",
            "question_slug",
            "published_at",
            "jurisdiction__slug",
            "jurisdiction__name",
            "answer__withdrawn_reason",
            "answer__withdrawn_at",
            "answer__status",
        )
        .order_by("-version")
        .first()
    )


def withdrawn_answer(*, answer_id: int) -> Answer | None:
    return (
        Answer.objects.filter(
            pk=answer_id, withdrawn_at__isnull=False, live_publication__isnull=True
        )
        .only("id", "withdrawn_reason", "withdrawn_at", "status")
        .first()
    )


def publications_for_jurisdiction(*, jurisdiction: Jurisdiction) -> QuerySet[Publication]:
    return live_publication_list().filter(jurisdiction=jurisdiction).order_by("position", "id")


def publication_history(*, publication: Publication) -> list[Publication]:
    """Every publication of the answer behind a live publication, oldest first."""
    return list(
        Publication.objects.filter(answer_id=publication.answer_id)
        .only("id", "version", "published_at", "summary", "payload")
        .order_by("version")
    )


def comparison(*, compare_key: str) -> QuerySet[Publication]:
    """The live publications that answer the same question, one per jurisdiction, by name."""
    return live_publications().filter(compare_key=compare_key).order_by("jurisdiction__name", "id")


def compared_jurisdictions(*, publication: Publication) -> list[str]:
    """Names of the other jurisdictions that have published the same question."""
    if not publication.compare_key:
        return []
    return list(
        Publication.objects.live()
        .filter(compare_key=publication.compare_key)
        .exclude(pk=publication.pk)
        .order_by("jurisdiction__name")
        .values_list("jurisdiction__name", flat=True)
    )


def recent_publications(*, limit: int = 10) -> list[Publication]:
    return list(live_publication_list().order_by("-published_at", "-id")[:limit])


@dataclass(frozen=True)
class JurisdictionCount:
    code: str
    name: str
    slug: str
    count: int


def jurisdiction_counts() -> list[JurisdictionCount]:
    """Every jurisdiction with its number of published answers, by name."""
    counts = dict(
        Publication.objects.live()
        .values_list("jurisdiction_id")
        .annotate(n=Count("id"))
        .values_list("jurisdiction_id", "n")
        .order_by()
    )
    return [
        JurisdictionCount(code=j.code, name=j.name, slug=j.slug, count=counts.get(j.pk, 0))
        for j in Jurisdiction.objects.only("id", "code", "name", "slug").order_by("name")
    ]


def published_jurisdictions() -> list[Jurisdiction]:
    ids = Publication.objects.live().values("jurisdiction_id")
    return list(Jurisdiction.objects.filter(pk__in=ids).only("code", "name", "slug"))


@dataclass(frozen=True)
class PublishedTopic:
    name: str
    slug: str
    last_published_at: datetime | None = None


def published_topics(*, jurisdiction: Jurisdiction | None = None) -> list[PublishedTopic]:
    """Topics of the live publications (in the jurisdiction, if given) as published, by name.

    Read from the publications, never from the topics themselves: a renamed topic keeps its old
    name here until an answer is republished; a slug published under several names is listed
    once, under the name it was last published with.
    """
    live = Publication.objects.live().filter(topic_slug__isnull=False)
    if jurisdiction is not None:
        live = live.filter(jurisdiction=jurisdiction)
    rows = (
        live.values_list("topic_slug", "topic_name")
        .annotate(last_published_at=Max("published_at"))
        .order_by("last_published_at")
    )
    # Oldest first, so that each slug ends up with the name it was last published under.
    latest = {slug: (name, published_at) for slug, name, published_at in rows}
    topics = [
        PublishedTopic(name=name, slug=slug, last_published_at=published_at)
        for slug, (name, published_at) in latest.items()
    ]
    return sorted(topics, key=lambda topic: (topic.name, topic.slug))


def publications_for_topic(*, slug: str) -> QuerySet[Publication]:
    """The live publications of a topic as published, by jurisdiction, then in its own order."""
    return (
        live_publication_list()
        .filter(topic_slug=slug)
        .order_by("jurisdiction__name", "position", "id")
    )


def published_topic(*, slug: str) -> PublishedTopic | None:
    """The topic as its latest live publication names it; None when nothing live is under it."""
    latest = (
        Publication.objects.live()
        .filter(topic_slug=slug)
        .order_by("-published_at", "-id")
        .values_list("topic_name", "published_at")
        .first()
    )
    if latest is None:
        return None
    return PublishedTopic(name=latest[0], slug=slug, last_published_at=latest[1])


def jurisdiction_by_slug(slug: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(slug=slug).first()


def is_due_for_review(publication: Publication, *, today=None) -> bool:
    return publication.review_due_on <= (today or timezone.localdate())


@dataclass
class CitingClaim:
    text: str
    question_text: str
    url: str
    jurisdiction: str
    pinpoint: str
    # The words around the quote in the source's archived copy: before, quote, after.
    passage: dict[str, str] | None = None


@dataclass
class CitedSource:
    """A source as first listed by a live publication, with the number of those citing it."""

    source: dict[str, Any]
    answer_count: int = 0
    claims: list[CitingClaim] = field(default_factory=list)


# The order of answers under a source: as the jurisdiction pages list them.
_CITING_ORDER = ("publication__jurisdiction__name", "publication__position", "publication_id")


def _live_listings() -> QuerySet[PublicationSource]:
    return PublicationSource.objects.filter(publication__live_answer__isnull=False)


def cited_sources() -> QuerySet[PublicationSource]:
    """Every source a live publication cites, by title then id; one row each, counted.

    Each row is the source as its first live publication lists it (`details`), with
    `answer_count`, the live publications citing it. The database counts and orders them from
    the publications' listed sources; no payload is read. Rows become `CitedSource`s through
    `as_cited_sources`, once sliced to a page.
    """
    by_source = {"partition_by": F("source_id")}
    return (
        _live_listings()
        .annotate(
            answer_count=Window(Count("id"), **by_source),
            listed=Window(
                RowNumber(), order_by=[F(name).asc() for name in _CITING_ORDER], **by_source
            ),
        )
        .filter(listed=1)
        .order_by(Lower(KT("details__title")), "source_id")
        .only("source_id", "details")
    )


def as_cited_sources(rows) -> list[CitedSource]:
    return [CitedSource(source=row.details, answer_count=row.answer_count) for row in rows]


def cited_source(source_id: int) -> CitedSource | None:
    """One source a live publication cites, as its first one lists it; None if none does."""
    return next(iter(as_cited_sources(cited_sources().filter(source_id=source_id)[:1])), None)


def publications_citing(source_id: int) -> QuerySet[PublicationSource]:
    """Ids of the live publications citing a source, in the jurisdiction pages' order."""
    return (
        _live_listings()
        .filter(source_id=source_id)
        .order_by(*_CITING_ORDER)
        .values_list("publication_id", flat=True)
    )


def attach_citing_claims(entries: list[CitedSource], *, publication_ids=None, limit=None) -> None:
    """Fill each entry's claims from the publications that cite it, in page order.

    `publication_ids` restricts the publications read (one page of a source's answers);
    `limit` stops at that many claims per source, read from its first `limit` publications.
    Only the payloads needed are decoded.
    """
    wanted = {entry.source["id"]: entry for entry in entries}
    ids = set(publication_ids if publication_ids is not None else _first_citing(wanted, limit))
    publications = (
        Publication.objects.filter(pk__in=ids)
        .select_related("jurisdiction")
        .only("id", "question_slug", "question_text", "payload", "jurisdiction__slug")
        .order_by("jurisdiction__name", "position", "id")
    )
    for publication in publications:
        payload = publication.payload
        url = publication.get_absolute_url()
        jurisdiction = (payload.get("jurisdiction") or {}).get("name", "")
        for block in payload.get("blocks") or []:
            for claim in block.get("claims") or []:
                for citation in claim.get("citations") or []:
                    entry = wanted.get(citation.get("source"))
                    if entry is None or (limit is not None and len(entry.claims) >= limit):
                        continue
                    entry.claims.append(
                        CitingClaim(
                            text=claim.get("text", ""),
                            question_text=publication.question_text,
                            url=url,
                            jurisdiction=jurisdiction,
                            pinpoint=citation.get("pinpoint", ""),
                            passage=citation.get("passage"),
                        )
                    )


def _first_citing(source_ids, limit: int | None) -> list[int]:
    """Ids of the first `limit` live publications citing each source (all without a limit)."""
    rows = _live_listings().filter(source_id__in=source_ids)
    if limit is not None:
        order = [F(name).asc() for name in _CITING_ORDER]
        rows = rows.annotate(
            rank=Window(RowNumber(), partition_by=F("source_id"), order_by=order)
        ).filter(rank__lte=limit)
    return list(rows.values_list("publication_id", flat=True))
