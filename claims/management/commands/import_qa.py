"""The import_qa command: reads question-and-answer documents into draft answers."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.importer.load import (
    ImportRefused,
    JurisdictionUnclear,
    LoadReport,
    clean_topic_name,
    import_document,
    jurisdiction_named,
    read_document,
)
from claims.importer.parse import ParseError
from courtinfo.models import Jurisdiction


class Command(BaseCommand):
    help = (
        "Import question-and-answer documents as draft answers with unverified claims. "
        "Every file is processed in its own transaction: a file with an error is refused whole "
        "(nothing is written for it, the error names the file and line), the others are "
        "imported, and the command exits with status 1 if any file was refused. Re-importing "
        "an unchanged file changes nothing; answers edited, verified or in review since the "
        "import are reported as conflicts and left alone. The claims it writes are authored by "
        "the person named with --by."
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
            "--by",
            metavar="USERNAME",
            help="The person who imports: the author of every claim written, who may then not "
            "verify them. Default: the account 'importer', which nobody can log in with.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and report what would change, writing nothing.",
        )

    def handle(
        self, *args, paths, jurisdiction=None, topic=None, by=None, dry_run=False, **options
    ):
        chosen = self._jurisdiction(jurisdiction) if jurisdiction is not None else None
        if topic is not None:
            self._check_topic(topic)
        person = self._person(by) if by is not None else None
        refused = []
        for index, path in enumerate(paths, start=1):
            if len(paths) > 1:
                self.stdout.write(f"[{index}/{len(paths)}] {path}")
            try:
                report = self._import(path, chosen, topic, person, dry_run)
            except ImportRefused as error:
                self.stderr.write(self.style.ERROR(str(error)))
                refused.append(path)
                continue
            self.stdout.write(report.summary())
            for line in report.warnings():
                self.stdout.write(self.style.WARNING(f"  {line}"))
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

    def _person(self, username: str):
        users = get_user_model()
        person = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if person is None:
            raise CommandError(
                f"--by {username!r}: no such user; name the account of the person who imports."
            )
        return person

    def _check_topic(self, name: str) -> None:
        try:
            clean_topic_name(name)
        except ValueError as error:
            raise CommandError(f"--topic {name!r}: {error}") from None

    def _import(
        self, path: str, jurisdiction: Jurisdiction | None, topic: str | None, by, dry_run: bool
    ) -> LoadReport:
        try:
            document = read_document(path)
        except ParseError as error:
            raise ImportRefused(str(error)) from None
        try:
            return import_document(
                document, jurisdiction=jurisdiction, topic_name=topic, dry_run=dry_run, user=by
            )
        except JurisdictionUnclear as error:
            raise ImportRefused(f"{error} Name it with --jurisdiction.") from None
