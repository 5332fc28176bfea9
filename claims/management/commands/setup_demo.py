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
    approve_translation,
    publish_answer,
    publish_translation,
    start_translation,
    submit_answer,
    submit_translation,
    translate_claim,
    translate_question,
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
    ("translator", "Translators", "translates published answers into Spanish"),
    ("admin", None, "superuser"),
)

# Published through the real workflow so the public pages have something to show. Their claims
# were never checked: they cite a source that says so, and demo mode banners every public page.
SAMPLE_POSITIONS = (1, 2, 14)
DEMO_SOURCE = "Demonstration only: this claim has NOT been checked against any source"
DEMO_NOTE = "Demonstration data: marked supported without any check, to show the workflow."

# One sample answer translated into Spanish by hand (never by machine), through the translation
# workflow: translator translates, reviewer approves, publisher publishes. Its English claims are
# the unchecked demo claims, so the Spanish page carries the demonstration banner too.
SAMPLE_TRANSLATION = {
    "Is there a formal agreement or memorandum of understanding between state courts in Missouri "
    "and ICE regarding information sharing?": "¿Existe un acuerdo formal o un memorando de "
    "entendimiento entre los tribunales estatales de Misuri y el ICE sobre el intercambio de "
    "información?",
    "As of my current knowledge, there is no formal agreement or memorandum of understanding "
    "between state courts in Missouri and Immigration and Customs Enforcement (ICE) specifically "
    "regarding information sharing.": "Según mi conocimiento actual, no existe un acuerdo formal "
    "ni un memorando de entendimiento entre los tribunales estatales de Misuri y el Servicio de "
    "Inmigración y Control de Aduanas (ICE) específicamente sobre el intercambio de información.",
    "However, it is essential to note that ICE can request information from state courts through "
    "other channels, such as subpoenas or court orders.": "Sin embargo, es importante señalar que "
    "el ICE puede solicitar información a los tribunales estatales por otras vías, como citaciones "
    "u órdenes judiciales.",
    "State courts have their own rules and regulations regarding the sharing of information with "
    "federal agencies, including ICE, and the extent to which they comply with such requests may "
    "vary from jurisdiction to jurisdiction.": "Los tribunales estatales tienen sus propias normas "
    "y reglamentos sobre el intercambio de información con agencias federales, incluido el ICE, y "
    "la medida en que atienden esas solicitudes puede variar de una jurisdicción a otra.",
}


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
        self._translate_sample()
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

    @transaction.atomic
    def _translate_sample(self) -> None:
        """Translate the one sample answer whose every text has a Spanish version above, once."""
        users = get_user_model().objects.in_bulk(
            ["translator", "reviewer", "publisher"], field_name="username"
        )
        if len(users) < 3:
            return
        for answer in Answer.objects.filter(
            live_publication__isnull=False, question__text__in=SAMPLE_TRANSLATION
        ).exclude(translations__language="es"):
            claims = list(answer.claims.all())
            if any(claim.text not in SAMPLE_TRANSLATION for claim in claims):
                continue
            translator = users["translator"]
            translation = start_translation(answer, by=translator)
            translate_question(
                translation, by=translator, text=SAMPLE_TRANSLATION[answer.question.text]
            )
            for claim in claims:
                translate_claim(
                    translation, claim, by=translator, text=SAMPLE_TRANSLATION[claim.text]
                )
            submit_translation(translation, by=translator)
            approve_translation(translation, by=users["reviewer"], note=DEMO_NOTE)
            publish_translation(translation, by=users["publisher"])
            self.stdout.write(
                f"Published a sample Spanish translation of “{answer.question.text}” "
                "(demonstration data, unchecked like its English)."
            )

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
