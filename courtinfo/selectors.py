"""Read functions over live publications: every public page gets its data here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from courtinfo.addresses import address
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
    # The search text repeats the payload's words; a page renders the payload alone. At most one
    # row is live: ordered by its key, not by the list order, which joins three more tables for
    # the planner to weigh (a millisecond of planning on every uncached page).
    return (
        live_publications()
        .filter(jurisdiction__slug=jurisdiction_slug, question_slug=question_slug)
        .defer("body_text")
        .order_by("pk")
        .first()
    )


def live_publication_for_answer(*, answer_id: int) -> Publication | None:
    return live_publications().filter(answer_id=answer_id).defer("body_text").order_by("pk").first()


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
    """A source as the latest live publication citing it lists it, with the number citing it."""

    source: dict[str, Any]
    answer_count: int = 0
    claims: list[CitingClaim] = field(default_factory=list)


# The order of answers under a source: as the jurisdiction pages list them.
_CITING_ORDER = ("jurisdiction__name", "position", "publication_id")

# The sources page's queries are plain SQL: the ORM would spend longer building them than the
# database answering them. The latest publication citing a source is the one with the highest id.
_LIVE_PUBLICATIONS = (
    "SELECT live_publication_id FROM courtinfo_answer WHERE live_publication_id IS NOT NULL"
)
_COUNT_CITED_SOURCES = f"""
    SELECT COUNT(DISTINCT source_id) FROM courtinfo_publicationsource
    WHERE publication_id IN ({_LIVE_PUBLICATIONS})
"""  # noqa: S608
_CITED_SOURCES = f"""
    SELECT listing.id, listing.details, counted.answer_count, COUNT(*) OVER () AS total
    FROM (
        SELECT source_id, COUNT(*) AS answer_count, MAX(publication_id) AS latest
        FROM courtinfo_publicationsource
        WHERE publication_id IN ({_LIVE_PUBLICATIONS})
        GROUP BY source_id
    ) AS counted
    JOIN courtinfo_publicationsource AS listing
        ON listing.source_id = counted.source_id AND listing.publication_id = counted.latest
    ORDER BY LOWER(listing.title), listing.source_id
    LIMIT %s OFFSET %s
"""  # noqa: S608
# The `limit` latest live publications citing one source: read backwards along the
# (source, publication) index, each checked live by the answers' unique index, so a source cited
# by every answer costs as little as one cited once. One per source shown, joined by UNION ALL
# (each wrapped, as SQLite takes no LIMIT on a part of a compound query).
_LATEST_CITING_ONE = """
    SELECT publication_id FROM (
        SELECT listing.publication_id FROM courtinfo_publicationsource AS listing
        WHERE listing.source_id = %s AND EXISTS (
            SELECT 1 FROM courtinfo_answer
            WHERE courtinfo_answer.live_publication_id = listing.publication_id
        )
        ORDER BY listing.publication_id DESC
        LIMIT %s
    ) AS latest
"""
_CITING_PUBLICATIONS = """
    SELECT publication.id, publication.question_slug, publication.question_text,
        publication.payload, jurisdiction.slug AS jurisdiction_slug
    FROM courtinfo_publication AS publication
    JOIN courtinfo_jurisdiction AS jurisdiction ON jurisdiction.id = publication.jurisdiction_id
    WHERE publication.id IN ({publications})
    ORDER BY jurisdiction.name, publication.position, publication.id
"""


class CitedSources:
    """Every source a live publication cites, by title then id, as a Paginator reads it.

    Each is the source as the latest live publication citing it lists it (a renamed source is
    listed under its new name once an answer is published with it), with the number of live
    publications citing it. The database counts and orders them; no payload is read.
    """

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(_COUNT_CITED_SOURCES)
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[CitedSource]:
        return self.counted_rows(page.start, page.stop)[0]

    def counted_rows(self, bottom: int, top: int) -> tuple[list[CitedSource], int | None]:
        """The sources bottom..top and, read in the same query, how many there are in all."""
        rows = list(PublicationSource.objects.raw(_CITED_SOURCES, [top - bottom, bottom]))
        sources = [CitedSource(source=row.details, answer_count=row.answer_count) for row in rows]
        return sources, rows[0].total if rows else None


def cited_source(source_id: int) -> CitedSource | None:
    """One source as the latest live publication citing it lists it; None if none cites it."""
    latest = (
        _live_listings()
        .filter(source_id=source_id)
        .order_by("-publication_id")
        .only("details")
        .first()
    )
    return CitedSource(source=latest.details) if latest is not None else None


def _live_listings() -> QuerySet[PublicationSource]:
    live = Answer.objects.filter(live_publication__isnull=False).values("live_publication_id")
    return PublicationSource.objects.filter(publication_id__in=live)


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

    `publication_ids` names the publications read (one page of a source's answers); without
    it, `limit` claims per source are read from its `limit` latest live publications. Only the
    payloads needed are decoded.
    """
    wanted = {entry.source["id"]: entry for entry in entries}
    for publication in _citing_publications(list(wanted), publication_ids, limit):
        payload = publication.payload
        url = address("public:question", publication.jurisdiction_slug, publication.question_slug)
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


def _citing_publications(source_ids: list, publication_ids, limit: int | None):
    """The publications named, or the `limit` latest live ones citing each source, with their
    payload and their jurisdiction's slug, in page order."""
    if publication_ids is None:
        if not source_ids:
            return []
        publications = " UNION ALL ".join([_LATEST_CITING_ONE] * len(source_ids))
        params = [value for source_id in source_ids for value in (source_id, limit)]
    else:
        params = list(publication_ids)
        if not params:
            return []
        publications = _placeholders(params)
    return Publication.objects.raw(_CITING_PUBLICATIONS.format(publications=publications), params)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))
