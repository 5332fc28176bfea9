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
