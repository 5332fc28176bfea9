"""The publish_scheduled command: publishes the approved answers whose scheduled time has come."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from claims import workflow


class Command(BaseCommand):
    help = (
        "Publish every answer whose scheduled time has come, through publish_answer by the "
        "publisher who scheduled it; one line per answer. Safe to run every minute from cron, "
        "several copies at once included: each answer is published once."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        published = skipped = 0
        for pk in list(workflow.due_for_publication(now).values_list("pk", flat=True)):
            try:
                publication = workflow.publish_scheduled_answer(pk, now=now)
            except workflow.TransitionError as error:
                skipped += 1
                self.stdout.write(f"answer {pk}: not published, schedule cleared: {error}")
                continue
            if publication is None:
                # Another run holds it or has published it already.
                continue
            published += 1
            self.stdout.write(
                f"answer {pk}: published version {publication.version} "
                f"for {publication.published_by}"
            )
        self.stdout.write(f"{published} published, {skipped} skipped.")
