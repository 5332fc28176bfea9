"""The import_translations command: store a translator's PO file as draft translations."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.translation_files import TranslationFileRefused, import_po


class Command(BaseCommand):
    help = (
        "Store the translated entries of a PO file (made by export_translations) as draft "
        "translations by --by. The file is refused whole, naming the entries, if one names an "
        "unknown claim or its English changed since the export. Fuzzy and empty entries are "
        "skipped. A changed translation that was approved or published goes back to draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH.po")
        parser.add_argument("--by", required=True, metavar="USERNAME", help="The translator.")

    def handle(self, *args, path, by, **options):
        user = get_user_model().objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"--by {by}: no account has this username.")
        try:
            report = import_po(path, by=user)
        except TranslationFileRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{path}: stored {report.stored} translated claims in "
            f"{len(report.translations)} translations by {by}; {report.unchanged} unchanged, "
            f"{report.skipped_fuzzy} fuzzy and {report.skipped_empty} empty entries skipped."
        )
