"""The audit_content command: ranks claims by how much they need checking."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.audit import RISKS
from claims.models import Claim
from claims.risk import claim_audit, with_audit_facts
from courtinfo.models import Jurisdiction

_TEXT_WIDTH = 70


class Command(BaseCommand):
    help = (
        "Rank every claim by how much it needs checking: high, then medium, then low risk, "
        "each with the reasons (absence claims, duties and practices stated as fact, named laws "
        "and bodies, hedges, unnamed attributions, missing sources, legal citations no source "
        "backs, stale reviews)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jurisdiction", metavar="CODE", help="Only this jurisdiction's claims (MO)."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print one JSON list of {"claim", "risk", "reasons"} instead of a table.',
        )

    def handle(self, *args, **options):
        claims = with_audit_facts(
            Claim.objects.select_related("answer__question__jurisdiction")
        ).order_by(
            "answer__question__jurisdiction__name",
            "answer__question__position",
            "position",
            "id",
        )
        if options["jurisdiction"]:
            jurisdiction = Jurisdiction.objects.filter(
                code__iexact=options["jurisdiction"].strip()
            ).first()
            if jurisdiction is None:
                raise CommandError(
                    f"Unknown jurisdiction {options['jurisdiction']!r}: give a postal code "
                    "such as MO, or US for federal."
                )
            claims = claims.filter(answer__question__jurisdiction=jurisdiction)

        today = timezone.localdate()
        rows = []
        for order, claim in enumerate(claims):
            audit = claim_audit(claim, today=today)
            rows.append((RISKS.index(audit.risk), order, claim, audit))
        rows.sort(key=lambda row: row[:2])

        if options["json"]:
            report = [
                {"claim": claim.pk, "risk": audit.risk, "reasons": audit.reasons}
                for _, _, claim, audit in rows
            ]
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
            return
        self._write_table(rows)

    def _write_table(self, rows) -> None:
        self.stdout.write(f"{'RISK':<7}{'CLAIM':>6}  {'JUR':<4}{'Q':>3}  TEXT")
        for _, _, claim, audit in rows:
            question = claim.answer.question
            text = " ".join(claim.text.split())
            if len(text) > _TEXT_WIDTH:
                text = text[: _TEXT_WIDTH - 1] + "…"
            self.stdout.write(
                f"{audit.risk:<7}{claim.pk:>6}  {question.jurisdiction.code:<4}"
                f"{question.position:>3}  {text}"
            )
            for reason in audit.reasons:
                self.stdout.write(f"{'':<22}- {reason}")
        counts = {risk: sum(1 for row in rows if row[3].risk == risk) for risk in RISKS}
        self.stdout.write(
            f"{len(rows)} claims: " + ", ".join(f"{counts[risk]} {risk}" for risk in RISKS)
        )
