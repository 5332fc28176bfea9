"""The PO round trip with translators: export, translate in the file, import, all or nothing."""

import polib
import pytest
from django.core.management import CommandError, call_command

from claims import workflow
from claims.models import TranslatedClaim
from courtinfo.models import Answer, Translation
from tests.factories import PublicationFactory, SourceFactory, jurisdiction

pytestmark = pytest.mark.django_db


def _published(texts=("Courts keep records.", "Clerks answer requests."), code="MO"):
    source = SourceFactory()
    return PublicationFactory(
        answer__question__jurisdiction=jurisdiction(code),
        blocks=[("paragraph", None, [(text, [source]) for text in texts])],
    )


def _export(tmp_path, *args) -> polib.POFile:
    path = tmp_path / "es.po"
    call_command("export_translations", str(path), "--language", "es", *args)
    return polib.pofile(str(path))


def test_export_has_one_entry_per_published_claim(tmp_path):
    publication = _published()
    po = _export(tmp_path)
    claims = publication.answer.claims.order_by("position")
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po] == [
        (f"claim {c.pk}", c.text, "") for c in claims
    ]
    assert po.metadata["Language"] == "es"
    assert po[0].occurrences == [(publication.get_absolute_url(), "")]


def test_withdrawn_answers_are_not_exported(tmp_path, publisher):
    _published()
    withdrawn = _published(("Withdrawn since.",))
    workflow.withdraw_answer(withdrawn.answer, by=publisher, reason="Wrong.")
    assert {e.msgid for e in _export(tmp_path)} == {
        "Courts keep records.",
        "Clerks answer requests.",
    }


def test_round_trip_stores_drafts_by_the_translator(tmp_path, translator):
    publication = _published()
    po = _export(tmp_path)
    po[0].msgstr = "Los tribunales guardan registros."
    po[1].msgstr = "Los secretarios responden."
    path = tmp_path / "done.po"
    po.save(str(path))
    call_command("import_translations", str(path), "--by", translator.username)
    translation = Translation.objects.get(answer=publication.answer, language="es")
    assert translation.status == Answer.Status.DRAFT
    assert sorted(translation.claims.values_list("text", flat=True)) == [
        "Los secretarios responden.",
        "Los tribunales guardan registros.",
    ]
    assert set(translation.claims.values_list("translator", flat=True)) == {translator.pk}
    # Exported again, the file carries the translations.
    assert [e.msgstr for e in _export(tmp_path)] == [
        "Los tribunales guardan registros.",
        "Los secretarios responden.",
    ]


def test_an_unknown_claim_refuses_the_whole_file(tmp_path, translator):
    _published()
    po = _export(tmp_path)
    po[0].msgstr = "Bien."
    po.append(polib.POEntry(msgctxt="claim 999999", msgid="Nothing.", msgstr="Nada."))
    path = tmp_path / "bad.po"
    po.save(str(path))
    with pytest.raises(CommandError, match=r"claim 999999\): no published English claim"):
        call_command("import_translations", str(path), "--by", translator.username)
    assert not TranslatedClaim.objects.exists()


def test_english_changed_since_the_export_refuses_the_whole_file(tmp_path, translator):
    publication = _published()
    po = _export(tmp_path)
    po[0].msgstr = "Uno."
    po[1].msgstr = "Dos."
    path = tmp_path / "late.po"
    po.save(str(path))
    source = SourceFactory()
    PublicationFactory(
        answer=publication.answer,
        version=2,
        blocks=[("paragraph", None, [("Courts keep records.", [source]), ("Changed.", [source])])],
    )
    with pytest.raises(CommandError, match="English text changed since the file was exported"):
        call_command("import_translations", str(path), "--by", translator.username)
    assert not TranslatedClaim.objects.exists()


def test_fuzzy_and_empty_entries_are_skipped(tmp_path, translator):
    _published()
    po = _export(tmp_path)
    po[0].msgstr = "Borrador."
    po[0].flags.append("fuzzy")
    path = tmp_path / "fuzzy.po"
    po.save(str(path))
    call_command("import_translations", str(path), "--by", translator.username)
    assert not TranslatedClaim.objects.exists()


def test_a_person_without_the_translator_role_is_refused(tmp_path, editor):
    _published()
    po = _export(tmp_path)
    po[0].msgstr = "Uno."
    path = tmp_path / "editor.po"
    po.save(str(path))
    with pytest.raises(CommandError, match="role"):
        call_command("import_translations", str(path), "--by", editor.username)
    assert not Translation.objects.exists()


def test_an_approved_translation_changed_by_import_goes_back_to_draft(
    tmp_path, translator, other_translator
):
    publication = _published(("Only claim.",))
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Pregunta?")
    workflow.translate_claim(
        translation, publication.answer.claims.get(), by=translator, text="Única."
    )
    workflow.submit_translation(translation, by=translator)
    workflow.approve_translation(translation, by=other_translator)
    po = _export(tmp_path)
    po[0].msgstr = "Única afirmación."
    path = tmp_path / "fix.po"
    po.save(str(path))
    call_command("import_translations", str(path), "--by", translator.username)
    translation.refresh_from_db()
    assert translation.status == Answer.Status.DRAFT


def test_outdated_translations_are_exported_fuzzy_with_the_old_english(tmp_path, translator):
    publication = _published(("Old English.",))
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_claim(
        translation, publication.answer.claims.get(), by=translator, text="Inglés viejo."
    )
    PublicationFactory(
        answer=publication.answer,
        version=2,
        blocks=[("paragraph", None, [("New English.", [SourceFactory()])])],
    )
    (entry,) = _export(tmp_path)
    assert (entry.msgid, entry.msgstr, entry.previous_msgid) == (
        "New English.",
        "Inglés viejo.",
        "Old English.",
    )
    assert "fuzzy" in entry.flags


def test_export_by_jurisdiction(tmp_path):
    _published(("Missouri claim.",))
    _published(("Kansas claim.",), code="KS")
    assert [e.msgid for e in _export(tmp_path, "--jurisdiction", "KS")] == ["Kansas claim."]


def test_a_file_that_is_not_po_is_refused_with_its_name(tmp_path, translator):
    path = tmp_path / "notes.po"
    path.write_text('msgid "unterminated\n', encoding="utf-8")
    with pytest.raises(CommandError, match="notes.po"):
        call_command("import_translations", str(path), "--by", translator.username)


def test_the_exported_file_is_a_po_file_gettext_accepts(tmp_path):
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    _published()
    path = tmp_path / "es.po"
    call_command("export_translations", str(path), "--language", "es")
    checked = subprocess.run(
        [msgfmt, "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
