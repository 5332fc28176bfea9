"""The send_digest command: the day's e-mail to each person who chose a daily digest."""

from django.core.management.base import BaseCommand

from claims import notifications


class Command(BaseCommand):
    help = (
        "Tell reviewers of publications past their review date (once per publication), then "
        "send each person who chose a daily digest one e-mail with what waits for them. Safe "
        "to run from cron as often as you like: a person gets at most one digest a day."
    )

    def handle(self, *args, **options):
        overdue = notifications.notify_overdue()
        digests = notifications.send_digest()
        self.stdout.write(f"{overdue} overdue notice(s) sent now, {digests} digest(s) sent.")
