"""manage.py import_content PATH: restore an export_content file into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.content_transfer import ContentImportError, import_content


class Command(BaseCommand):
    help = "Restore a file written by export_content into a migrated database with no content."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        try:
            counts = import_content(path)
        except ContentImportError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"Restored {path}: {summary}.")
