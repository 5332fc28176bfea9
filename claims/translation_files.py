"""Gettext PO files exchanged with translators: one entry per published English claim.

PO is what every translation tool reads (Poedit, Weblate, Pontoon); `msgctxt` names the claim,
`msgid` is its published English text, `msgstr` the translation, and the `fuzzy` flag marks a
translation whose English changed since it was made, as gettext itself marks outdated entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polib
from django.db import transaction
from django.utils import timezone

from claims import workflow
from claims.models import Claim, TranslatedClaim
from courtinfo.models import Answer, Publication, Translation

_CONTEXT = re.compile(r"^claim (?P<id>\d+)$")


class TranslationFileRefused(Exception):
    """A PO file that cannot be imported; nothing from it was stored."""

    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{path}: refused, nothing was stored:\n" + "\n".join(f"  {p}" for p in problems)
        )


@dataclass
class ImportReport:
    stored: int = 0
    unchanged: int = 0
    skipped_fuzzy: int = 0
    skipped_empty: int = 0
    translations: set[int] = field(default_factory=set)


def export_po(*, language: str, jurisdiction: str | None = None) -> polib.POFile:
    """Every claim of every live English publication (of one jurisdiction, if given)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "courtinfo",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "PO-Revision-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "Last-Translator": "",
        "Language-Team": language,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    publications = (
        Publication.objects.live()
        .select_related("jurisdiction")
        .order_by("jurisdiction__name", "position", "pk")
    )
    if jurisdiction:
        publications = publications.filter(jurisdiction__code=jurisdiction.upper())
    made = {
        tc.claim_id: tc
        for tc in TranslatedClaim.objects.filter(
            translation__language=language,
            translation__answer__in=[p.answer_id for p in publications],
        )
    }
    for publication in publications:
        url = publication.get_absolute_url()
        for claim, _block in workflow.english_claims(publication):
            translated = made.get(claim["id"])
            entry = polib.POEntry(
                msgctxt=f"claim {claim['id']}",
                msgid=claim["text"],
                msgstr=translated.text if translated else "",
                comment=f"{publication.jurisdiction.name}: {publication.question_text}",
                occurrences=[(url, "")],
            )
            if translated is not None and translated.source_text != claim["text"]:
                entry.flags.append("fuzzy")
                entry.previous_msgid = translated.source_text
            po.append(entry)
    return po


def import_po(path: str, *, by, language: str | None = None) -> ImportReport:
    """Store the file's translated entries as draft translations by `by`, all or nothing.

    Refused whole, naming the entries, when an entry names no claim of a live English
    publication, when its English (`msgid`) is no longer the published text, or when the
    workflow refuses a translation (the role, a withdrawn answer).
    """
    try:
        po = polib.pofile(path, wrapwidth=0)
    except (OSError, ValueError) as error:
        raise TranslationFileRefused(path, [f"not a readable PO file: {error}"]) from None
    language = language or po.metadata.get("Language", "").strip()
    if language not in Translation.Language.values:
        raise TranslationFileRefused(
            path,
            [
                f"the file's language is {language or 'not set'!r}; "
                f"expected one of {', '.join(Translation.Language.values)}"
            ],
        )
    report = ImportReport()
    problems: list[str] = []
    wanted: list[tuple[polib.POEntry, int]] = []
    seen: set[int] = set()
    for entry in po:
        where = f"line {entry.linenum}"
        match = _CONTEXT.match(entry.msgctxt or "")
        if match is None:
            problems.append(f"{where}: msgctxt {entry.msgctxt!r} does not name a claim")
            continue
        claim_id = int(match["id"])
        if claim_id in seen:
            problems.append(f"{where}: claim {claim_id} appears twice")
            continue
        seen.add(claim_id)
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            report.skipped_fuzzy += 1
            continue
        if not entry.msgstr.strip():
            report.skipped_empty += 1
            continue
        wanted.append((entry, claim_id))
    published = _published_texts([claim_id for _entry, claim_id in wanted])
    for entry, claim_id in wanted:
        where = f"line {entry.linenum} (claim {claim_id})"
        if claim_id not in published:
            problems.append(f"{where}: no published English claim has this id")
        elif published[claim_id][1] != entry.msgid:
            problems.append(
                f"{where}: the English text changed since the file was exported; "
                "export again and translate the new text"
            )
    if problems:
        raise TranslationFileRefused(path, problems)
    try:
        with transaction.atomic():
            for entry, claim_id in wanted:
                answer = published[claim_id][0]
                translation = workflow.start_translation(answer, by=by, language=language)
                before = TranslatedClaim.objects.filter(
                    translation=translation, claim_id=claim_id
                ).first()
                if (
                    before is not None
                    and before.text == entry.msgstr.strip()
                    and before.source_text == entry.msgid
                ):
                    report.unchanged += 1
                    continue
                workflow.translate_claim(translation, claim_id, by=by, text=entry.msgstr)
                report.stored += 1
                report.translations.add(translation.pk)
    except workflow.TransitionError as error:
        raise TranslationFileRefused(path, [str(error)]) from None
    return report


def _published_texts(claim_ids: list[int]) -> dict[int, tuple[Answer, str]]:
    """Each claim's answer and its text in the live English publication."""
    answers = {
        claim.pk: claim.answer
        for claim in Claim.objects.filter(pk__in=claim_ids).select_related(
            "answer__live_publication"
        )
    }
    texts = {}
    for claim_id, answer in answers.items():
        if answer.live_publication is None:
            continue
        for claim, _block in workflow.english_claims(answer.live_publication):
            if claim["id"] == claim_id:
                texts[claim_id] = (answer, claim["text"])
    return texts
