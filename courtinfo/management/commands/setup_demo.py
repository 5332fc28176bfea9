"""The setup_demo command: imports the bundled document and creates the demo accounts."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courtinfo.importer.load import load_document, read_document, topic_named
from courtinfo.importer.parse import ParseError
from courtinfo.models import Jurisdiction

SEED = Path(settings.BASE_DIR) / "courtinfo" / "demo" / "missouri-courts-ice.txt"
SEED_TOPIC = "State courts and immigration enforcement"

# username, group (None for the superuser), what the account is for
ACCOUNTS = (
    ("editor", "Editors", "writes and submits answers"),
    ("reviewer", "Reviewers", "verifies claims, approves answers"),
    ("publisher", "Publishers", "publishes and withdraws"),
    ("admin", None, "superuser"),
)


class Command(BaseCommand):
    help = (
        "Import the bundled Missouri document as drafts and create the demo accounts editor, "
        "reviewer, publisher and admin. Safe to run again: nothing is imported twice and "
        "existing accounts are kept. DEMO_PASSWORD sets the password of new accounts."
    )

    def handle(self, *args, **options):
        self._import_seed()
        self._accounts()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Admin:       http://127.0.0.1:{port}/admin/")
        self.stdout.write(
            f"Public site: http://127.0.0.1:{port}/ (published answers only; "
            "the imported drafts wait in the admin)"
        )

    def _import_seed(self) -> None:
        try:
            document = read_document(SEED)
        except ParseError as error:
            raise CommandError(f"The demo document cannot be read: {error}") from None
        with transaction.atomic():
            report = load_document(
                document,
                jurisdiction=Jurisdiction.objects.get(code="MO"),
                topic=topic_named(SEED_TOPIC),
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
