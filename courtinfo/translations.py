"""Reads for public pages in another language: live translations, and whether they fell behind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from courtinfo.models import Publication, TranslationPublication

ENGLISH = "en"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def live_translations(
    answer_ids: list[int] | set[int], language: str
) -> dict[int, TranslationPublication]:
    """The live translation into `language` of each of these answers that has one, in one query."""
    if language == ENGLISH or not answer_ids:
        return {}
    found = TranslationPublication.objects.filter(
        live_translation__answer_id__in=answer_ids, language=language
    ).select_related("translation")
    return {item.translation.answer_id: item for item in found}


def english_texts(payload: dict[str, Any]) -> dict[str, str]:
    return {
        str(claim["id"]): claim["text"] for block in payload["blocks"] for claim in block["claims"]
    }


@dataclass(frozen=True)
class Localized:
    """A published answer as a reader of `language` gets it: translated, or the English only."""

    english: Publication
    translated: TranslationPublication | None

    @property
    def payload(self) -> dict[str, Any]:
        return self.translated.payload if self.translated else self.english.payload

    @property
    def question_text(self) -> str:
        return self.payload["question"]["text"]

    @property
    def outdated(self) -> bool:
        """The English was republished with different claims after this translation was made."""
        if self.translated is None:
            return False
        translates = self.translated.payload["translation"]["translates"]
        if translates["publication"] == self.english.pk:
            return False
        return translates["texts"] != english_texts(self.english.payload)


def localize(publications: list[Publication], language: str) -> list[Localized]:
    """Each English publication with its live translation into `language`, if any."""
    translated = live_translations({p.answer_id for p in publications}, language)
    return [Localized(english=p, translated=translated.get(p.answer_id)) for p in publications]


def live_translation_at(
    *, jurisdiction_slug: str, question_slug: str, language: str
) -> TranslationPublication | None:
    """The live translation of the live answer at this address, with that English publication.

    One query: the English publication (`english_of`) comes with it, so a translated page costs
    what its English page costs.
    """
    english = "live_translation__answer__live_publication"
    return (
        TranslationPublication.objects.filter(
            language=language,
            live_translation__isnull=False,
            **{
                f"{english}__jurisdiction__slug": jurisdiction_slug,
                f"{english}__question_slug": question_slug,
            },
        )
        .select_related(f"{english}__jurisdiction", "live_translation__answer")
        .defer(f"{english}__body_text", f"{english}__search_document", "body_text")
        .first()
    )


def english_of(translated: TranslationPublication) -> Publication:
    return translated.live_translation.answer.live_publication


def mark_language(
    publications: list[Publication],
    language: str,
    *,
    translated: dict[int, TranslationPublication] | None = None,
) -> None:
    """Give each listed publication its question and answer in `language`, or mark it English only.

    The instances change in memory only (publications are never saved again): a page in Spanish
    shows the Spanish text where a translation is live, the English where none is.
    """
    if language == ENGLISH:
        return
    if translated is None:
        translated = live_translations({p.answer_id for p in publications}, language)
    for publication in publications:
        found = translated.get(publication.answer_id)
        if found is None:
            publication.english_only = True
        else:
            publication.question_text = found.payload["question"]["text"]
            publication.payload = found.payload


def marked(publications: list[Publication], language: str) -> list[Publication]:
    mark_language(publications, language)
    return publications
