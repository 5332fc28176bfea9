"""The import_qa command: reads question-and-answer documents into draft answers."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.template.defaultfilters import pluralize

from courtinfo.importer.load import (
    LoadReport,
    clean_topic_name,
    inferred_jurisdiction,
    jurisdiction_named,
    load_document,
    read_document,
    topic_named,
)
from courtinfo.importer.parse import ParseError
from courtinfo.jurisdictions import named_jurisdictions
from courtinfo.models import Jurisdiction, Topic


class Command(BaseCommand):
    help = (
        "Import question-and-answer documents as draft answers with unverified claims. "
        "Every file is processed in its own transaction: a file with an error is refused whole "
        "(nothing is written for it, the error names the file and line), the others are "
        "imported, and the command exits with status 1 if any file was refused. Re-importing "
        "an unchanged file changes nothing; answers edited, verified or in review since the "
        "import are reported as conflicts and left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Document files to import.")
        parser.add_argument(
            "--jurisdiction",
            metavar="CODE|NAME",
            help="Postal code (MO) or name (Missouri) of the jurisdiction of every file; "
            "by default each file's is inferred from the state its questions name.",
        )
        parser.add_argument(
            "--topic",
            metavar="NAME",
            help="Topic of the imported questions, created if it does not exist; default none.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and report what would change, writing nothing.",
        )

    def handle(self, *args, paths, jurisdiction=None, topic=None, dry_run=False, **options):
        chosen = self._jurisdiction(jurisdiction) if jurisdiction is not None else None
        if topic is not None:
            self._check_topic(topic)
        refused = []
        for index, path in enumerate(paths, start=1):
            if len(paths) > 1:
                self.stdout.write(f"[{index}/{len(paths)}] {path}")
            try:
                report, where = self._import(path, chosen, topic, dry_run)
            except _Refused as error:
                self.stderr.write(self.style.ERROR(str(error)))
                refused.append(path)
                continue
            self._summarise(report, where)
        if dry_run:
            self.stdout.write("(dry run: nothing written)")
        if refused:
            raise CommandError(
                f"{len(refused)} of {len(paths)} files refused, nothing written for them: "
                + ", ".join(refused)
            )

    def _jurisdiction(self, value: str) -> Jurisdiction:
        found = jurisdiction_named(value)
        if found is None:
            raise CommandError(
                f"Unknown jurisdiction {value!r}: give a postal code such as MO or a name "
                "such as Missouri."
            )
        return found

    def _check_topic(self, name: str) -> None:
        try:
            clean_topic_name(name)
        except ValueError as error:
            raise CommandError(f"--topic {name!r}: {error}") from None

    def _import(
        self, path: str, jurisdiction: Jurisdiction | None, topic: str | None, dry_run: bool
    ) -> tuple[LoadReport, str]:
        try:
            document = read_document(path)
        except ParseError as error:
            raise _Refused(str(error)) from None
        if jurisdiction is None:
            try:
                jurisdiction = inferred_jurisdiction(document)
            except ValueError as error:
                raise _Refused(f"{path}: {error} Name it with --jurisdiction.") from None
        else:
            self._warn_if_others_named(path, document, jurisdiction)
        try:
            with transaction.atomic():
                found: Topic | None = topic_named(topic) if topic is not None else None
                report = load_document(
                    document, jurisdiction=jurisdiction, topic=found, dry_run=dry_run
                )
                if dry_run:
                    transaction.set_rollback(True)
        except DatabaseError as error:
            raise _Refused(f"{path}: the database refused the import ({error})") from None
        where = f"{jurisdiction.name} ({jurisdiction.code})"
        if found is not None:
            where += f", topic “{found.name}”"
        return report, where

    def _warn_if_others_named(self, path: str, document, jurisdiction: Jurisdiction) -> None:
        named = named_jurisdictions(question.text for question in document.questions)
        if named and jurisdiction.code not in named:
            self.stdout.write(
                self.style.WARNING(
                    f"{path}: imported as {jurisdiction.name} as --jurisdiction says, "
                    f"though its questions name {', '.join(named)}"
                )
            )

    def _summarise(self, report: LoadReport, where: str) -> None:
        self.stdout.write(
            f"{report.name}: {where}: {report.questions} question{pluralize(report.questions)} "
            f"({report.questions_created} new, {report.questions_updated} updated, "
            f"{report.questions_unchanged} unchanged, "
            f"{len(report.conflicts)} conflict{pluralize(len(report.conflicts))}); "
            f"claims {report.claims_created} new, {report.claims_updated} updated, "
            f"{report.claims_unchanged} unchanged, {report.claims_deleted} removed"
        )
        for number, sentence in report.conflicts:
            self.stdout.write(self.style.WARNING(f"  conflict: question {number}: {sentence}"))
        if report.missing:
            numbers = ", ".join(str(number) for number in report.missing)
            self.stdout.write(
                self.style.WARNING(
                    f"  questions {numbers} are in the database but not in this file; left alone"
                )
            )


class _Refused(Exception):
    """A file that cannot be imported; the message names it."""
