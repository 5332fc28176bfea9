"""The export_translations command: a PO file of the published English claims for translators."""

from django.core.management.base import BaseCommand, CommandError

from claims.translation_files import export_po
from courtinfo.models import Jurisdiction, Translation


class Command(BaseCommand):
    help = (
        "Write a gettext PO file with one entry per claim of every published English answer: "
        "msgctxt names the claim, msgid is its published English text, msgstr its current "
        "translation (flagged fuzzy when the English changed since it was translated)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH.po")
        parser.add_argument(
            "--language", required=True, choices=Translation.Language.values, help="e.g. es"
        )
        parser.add_argument("--jurisdiction", metavar="CODE", help="Only this jurisdiction (MO).")

    def handle(self, *args, path, language, jurisdiction=None, **options):
        if jurisdiction and not Jurisdiction.objects.filter(code=jurisdiction.upper()).exists():
            raise CommandError(f"--jurisdiction {jurisdiction}: no jurisdiction has this code.")
        po = export_po(language=language, jurisdiction=jurisdiction)
        try:
            po.save(path)
        except OSError as error:
            raise CommandError(f"{path}: cannot write: {error.strerror}.") from None
        done = sum(1 for entry in po if entry.msgstr and "fuzzy" not in entry.flags)
        outdated = sum(1 for entry in po if "fuzzy" in entry.flags)
        self.stdout.write(
            f"Wrote {len(po)} claims to {path}: {done} translated, {outdated} outdated "
            f"(fuzzy), {len(po) - done - outdated} to translate."
        )
