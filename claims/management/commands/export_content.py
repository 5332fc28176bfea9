"""manage.py export_content PATH: every piece of content to one JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from claims.content_transfer import export_content


class Command(BaseCommand):
    help = (
        "Write every jurisdiction, topic, question, answer, claim, source, citation, review event "
    )
    help += "and publication, with the people they name, to one JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        counts = export_content(path)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(f"Wrote {path}: {summary}.")
