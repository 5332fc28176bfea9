"""The audit applied to stored claims: each claim's risk, and claims ranked by it."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from claims.audit import RISKS, Audit, audit_claim
from claims.models import Citation, Claim


def citations_by_claim() -> QuerySet[Citation]:
    """Citations with their sources, for a prefetch by claim: each claim's in the order they
    were made, as Citation's own ordering has them, without joining every claim's answer,
    question and jurisdiction to sort by the claims' ordering."""
    return Citation.objects.select_related("source").order_by("claim_id", "id")


def with_audit_facts(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """What the audit reads of each claim, in a fixed number of queries."""
    return claims.select_related("answer__live_publication").prefetch_related(
        Prefetch("citations", queryset=citations_by_claim())
    )


def claim_audit(claim: Claim, *, today=None) -> Audit:
    """The audit of one claim as it is stored now; its citations should be prefetched."""
    publication = claim.answer.live_publication
    return _audit(
        text=claim.text,
        status=claim.status,
        verified_at=claim.verified_at,
        review_due_on=publication.review_due_on if publication else None,
        citations=[
            (citation.source.citation, citation.anchor) for citation in claim.citations.all()
        ],
        today=today or timezone.localdate(),
    )


def _audit(*, text, status, verified_at, review_due_on, citations, today) -> Audit:
    """The audit from a claim's stored facts; `citations` holds (source citation, anchor) pairs."""
    return audit_claim(
        text=text,
        citation_count=len(citations),
        cited=[cited for cited, _ in citations if cited],
        verified_on=timezone.localdate(verified_at) if verified_at else None,
        review_due_on=review_due_on,
        today=today,
        stale_after_days=settings.COURTINFO_REVIEW_INTERVAL_DAYS,
        is_claim=status != Claim.Status.NOT_A_CLAIM,
        anchored=any(anchor and anchor.get("found") for _, anchor in citations),
    )


def audited(claims: Iterable[Claim]) -> list[Claim]:
    """The claims, each with `.audit`, riskiest first (stable within a risk)."""
    today = timezone.localdate()
    claims = list(claims)
    for claim in claims:
        claim.audit = claim_audit(claim, today=today)
    return sorted(claims, key=lambda claim: RISKS.index(claim.audit.risk))


def ranked_by_risk(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims annotated with `risk_rank`: 0 high, 1 medium, 2 low (an index of RISKS).

    The rules are Python, so the claims are audited here; the database then filters, orders and
    pages by the rank.
    """
    rows = Claim.objects.filter(pk__in=claims.order_by().values("pk")).order_by()
    # Every claim of the list is audited: its facts are read as plain values, in two queries.
    # A claim, answer, publication, citation and source instance for each would cost most of
    # the time, and the publication's published text would be read with it.
    facts = list(
        rows.values_list(
            "pk", "text", "status", "verified_at", "answer__live_publication__review_due_on"
        )
    )
    citations: dict[int, list[tuple[str, dict | None]]] = {}
    if facts:
        cited = Citation.objects.filter(claim__in=rows.values("pk")).order_by("claim_id", "id")
        for claim_id, citation, anchor in cited.values_list(
            "claim_id", "source__citation", "anchor"
        ):
            citations.setdefault(claim_id, []).append((citation, anchor))
    today = timezone.localdate()
    by_rank: dict[int, list[int]] = {}
    for pk, text, status, verified_at, review_due_on in facts:
        audit = _audit(
            text=text,
            status=status,
            verified_at=verified_at,
            review_due_on=review_due_on,
            citations=citations.get(pk, []),
            today=today,
        )
        by_rank.setdefault(RISKS.index(audit.risk), []).append(pk)
    whens = [When(pk__in=pks, then=Value(rank)) for rank, pks in sorted(by_rank.items())]
    rank = Case(*whens, default=Value(len(RISKS)), output_field=IntegerField())
    return claims.annotate(risk_rank=rank)
