"""The laws, rules and cases a claim's own words name, each with the sources that hold it."""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from claims.citations import FoundCitation, OfficialText, find_citations, official_text
from claims.models import Claim, Source, SourceCopy


class NotNamed(ValueError):
    """The citation asked for is not one the claim's text names."""


@dataclass(frozen=True)
class NamedLaw:
    """A citation in a claim's text, the library's sources for it and its official page."""

    citation: FoundCitation
    sources: list[Source]
    official: OfficialText | None
    cited_source_ids: frozenset[int]

    @property
    def uncited_sources(self) -> list[Source]:
        return [source for source in self.sources if source.pk not in self.cited_source_ids]


def named_laws(claim: Claim) -> list[NamedLaw]:
    """Each distinct citation in the claim's text, with the sources whose citation matches it.

    A source matches by its normalised citation, with or without the subsection ("8 U.S.C. §
    1357" backs "8 U.S.C. § 1357(g)").
    """
    found = _distinct(find_citations(claim.text))
    if not found:
        return []
    keys = {key for item in found for key in (item.normalized, item.base)}
    library: dict[str, list[Source]] = {}
    newest_first = SourceCopy.objects.defer("text")
    for source in Source.objects.filter(citation__in=keys).prefetch_related(
        Prefetch("copies", queryset=newest_first)
    ):
        library.setdefault(source.citation, []).append(source)
    cited = frozenset(claim.citations.values_list("source_id", flat=True))
    return [
        NamedLaw(
            citation=item,
            sources=_unique(library.get(item.normalized, []) + library.get(item.base, [])),
            official=official_text(item.base),
            cited_source_ids=cited,
        )
        for item in found
    ]


def create_source(claim: Claim, citation: str, *, by) -> Source:
    """A source for a citation the claim names, with its official address when one is known.

    Refused with `NotNamed` unless `citation` is one of the claim's own citations (the form posts
    it back, so it is checked, not trusted). An existing source with that citation is returned.
    """
    item = next(
        (each for each in find_citations(claim.text) if citation in (each.normalized, each.base)),
        None,
    )
    if item is None:
        raise NotNamed(
            _("“%(citation)s” is not a citation in claim #%(id)s’s text.")
            % {"citation": citation, "id": claim.pk}
        )
    existing = Source.objects.filter(citation=item.base).first()
    if existing is not None:
        return existing
    official = official_text(item.base)
    with transaction.atomic(), reversion.create_revision():
        source = Source.objects.create(
            title=item.base,
            citation=item.base,
            kind=item.kind,
            url=official.url if official else "",
            publisher=official.publisher if official else "",
            updated_by=by,
        )
        reversion.set_user(by)
        reversion.set_comment(_("Created from the citation in claim #%(id)s") % {"id": claim.pk})
    return source


def _distinct(found: list[FoundCitation]) -> list[FoundCitation]:
    seen: set[str] = set()
    distinct = []
    for item in found:
        if item.normalized not in seen:
            seen.add(item.normalized)
            distinct.append(item)
    return distinct


def _unique(sources: list[Source]) -> list[Source]:
    return list({source.pk: source for source in sources}.values())
