"""The setup_demo command: imports the bundled document, makes demo accounts, publishes samples."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.importer.load import import_document, read_document
from claims.importer.parse import ParseError
from claims.models import Claim, Source
from claims.workflow import (
    add_citation,
    approve_answer,
    publish_answer,
    submit_answer,
    verify_claim,
)
from courtinfo.models import Answer, Jurisdiction

SEED = Path(settings.BASE_DIR) / "claims" / "demo" / "missouri-courts-ice.txt"
SEED_TOPIC = "State courts and immigration enforcement"

# username, group (None for the superuser), what the account is for
ACCOUNTS = (
    ("editor", "Editors", "writes and submits answers"),
    ("reviewer", "Reviewers", "verifies claims, approves answers"),
    ("publisher", "Publishers", "publishes and withdraws"),
    ("admin", None, "superuser"),
)

# Published through the real workflow so the public pages have something to show. Their claims
# were never checked: they cite a source that says so, and demo mode banners every public page.
SAMPLE_POSITIONS = (1, 2, 14)
DEMO_SOURCE = "Demonstration only: this claim has NOT been checked against any source"
DEMO_NOTE = "Demonstration data: marked supported without any check, to show the workflow."


class Command(BaseCommand):
    help = (
        "Import the bundled Missouri document as drafts and create the demo accounts editor, "
        "reviewer, publisher and admin. Safe to run again: nothing is imported twice and "
        "existing accounts are kept. DEMO_PASSWORD sets the password of new accounts."
    )

    def handle(self, *args, **options):
        self._accounts()
        self._import_seed()
        self._publish_samples()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Admin:       http://127.0.0.1:{port}/admin/")
        self.stdout.write(
            f"Public site: http://127.0.0.1:{port}/ (published answers only; "
            "the imported drafts wait in the admin)"
        )

    def _import_seed(self) -> None:
        """Import the seed as the demo editor, who is then the author of its claims."""
        try:
            document = read_document(SEED)
        except ParseError as error:
            raise CommandError(f"The demo document cannot be read: {error}") from None
        report = import_document(
            document,
            jurisdiction=Jurisdiction.objects.get(code="MO"),
            topic_name=SEED_TOPIC,
            user=get_user_model().objects.get(username="editor"),
        )
        claims = report.claims_created + report.claims_updated + report.claims_unchanged
        if report.changed:
            self.stdout.write(
                f"Imported {SEED.name} as drafts: {report.questions} questions, {claims} claims "
                f"(Missouri, “{SEED_TOPIC}”)."
            )
        else:
            self.stdout.write(
                f"Demo content already imported: {report.questions} questions, unchanged."
            )
        for number, sentence in report.conflicts:
            self.stdout.write(f"  question {number}: {sentence}")

    def _publish_samples(self) -> None:
        """Take a few imported answers through the four-eyes workflow, once."""
        users = get_user_model().objects.in_bulk(
            ["editor", "reviewer", "publisher"], field_name="username"
        )
        if len(users) < 3:
            self.stdout.write("Sample publications skipped: a demo account is missing.")
            return
        answers = Answer.objects.filter(
            question__jurisdiction__code="MO",
            question__topic__name=SEED_TOPIC,
            question__position__in=SAMPLE_POSITIONS,
            status=Answer.Status.DRAFT,
            publications__isnull=True,
        ).select_related("question")
        source = None
        published = 0
        for answer in answers:
            source = (
                source
                or Source.objects.get_or_create(
                    title=DEMO_SOURCE,
                    defaults={"kind": Source.Kind.OTHER, "publisher": "courtinfo demonstration"},
                )[0]
            )
            self._publish_sample(answer, source, users)
            published += 1
        if published:
            self.stdout.write(
                f"Published {published} sample answers through the workflow. Their claims were NOT "
                "checked; every public page says so while COURTINFO_DEMO is on."
            )

    @transaction.atomic
    def _publish_sample(self, answer: Answer, source: Source, users: dict) -> None:
        editor, reviewer, publisher = users["editor"], users["reviewer"], users["publisher"]
        for claim in answer.claims.all():
            # The demonstration source says only that nothing was checked, and that is its quote.
            add_citation(claim, by=editor, source=source, quote=source.title)
        submit_answer(answer, by=editor, note=DEMO_NOTE)
        for claim in answer.claims.all():
            verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED, note=DEMO_NOTE)
        approve_answer(answer, by=reviewer, note=DEMO_NOTE)
        publish_answer(answer, by=publisher, summary=DEMO_NOTE)

    def _accounts(self) -> None:
        chosen = os.environ.get("DEMO_PASSWORD", "")
        created, kept = [], []
        for username, group, role in ACCOUNTS:
            password = self._account(username, group, chosen)
            if password is None:
                kept.append(username)
            else:
                created.append((username, role, password))
        if created:
            note = " (from DEMO_PASSWORD)" if chosen else "; shown only this once"
            self.stdout.write(f"Demo accounts, with their passwords{note}:")
            width = max(len(username) for username, _role, _password in created)
            for username, role, password in created:
                shown = "" if chosen else f"  {password}"
                self.stdout.write(f"  {username:<{width}}{shown}  ({role})")
        if kept:
            self.stdout.write(
                f"Accounts kept from an earlier run: {', '.join(kept)}. Forgot a password? "
                f".venv/bin/python manage.py changepassword {kept[0]}"
            )

    @transaction.atomic
    def _account(self, username: str, group: str | None, chosen: str) -> str | None:
        """Create the account unless it exists; return its new password, or None if kept."""
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            return None
        password = chosen or secrets.token_urlsafe(12)
        user = users(username=username, is_staff=True, is_superuser=group is None)
        user.set_password(password)
        user.save()
        if group is not None:
            user.groups.add(Group.objects.get(name=group))
        return password
