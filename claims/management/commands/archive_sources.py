"""The archive_sources command: archives a copy of each source that has a URL."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.evidence import ArchiveError, archive_source
from claims.models import Source


class Command(BaseCommand):
    help = (
        "Fetch and archive a copy of every source that has a URL (or only the given ones, or "
        "only those with no copy yet); one line per source, exit status 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            metavar="ID",
            type=int,
            nargs="+",
            action="extend",
            default=[],
            help="Only these sources (their ids).",
        )
        parser.add_argument(
            "--missing", action="store_true", help="Only sources that have no copy yet."
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="Record this person as retrieving the copies."
        )

    def handle(self, *args, **options):
        by = self._person(options["by"]) if options["by"] else None
        sources = Source.objects.order_by("pk")
        if options["source"]:
            wanted = set(options["source"])
            sources = sources.filter(pk__in=wanted)
            unknown = wanted - {s.pk for s in sources}
            if unknown:
                raise CommandError(
                    "No source with id "
                    + ", ".join(str(i) for i in sorted(unknown))
                    + "; list the sources in the admin to find their ids."
                )
        else:
            sources = sources.exclude(url="")
        if options["missing"]:
            sources = sources.filter(copies__isnull=True)
        failed = 0
        for source in sources:
            try:
                copy = archive_source(source, by=by)
            except ArchiveError as error:
                failed += 1
                self.stdout.write(f"source {source.pk} “{source.title}”: failed: {error}")
                continue
            self.stdout.write(
                f"source {source.pk} “{source.title}”: archived {len(copy.text):,} characters "
                f"({copy.content_type}) from {copy.url}"
            )
        if failed:
            raise CommandError(f"{failed} of {len(sources)} sources could not be archived.")

    def _person(self, username: str):
        users = get_user_model()
        person = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if person is None:
            raise CommandError(f"--by {username!r}: no such user; name an account.")
        return person
