"""App configuration for claims and the workflow."""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and review"

    def ready(self) -> None:
        from claims import event_log, notifications, workflow  # noqa: F401 (event_log connects on import)

        workflow.connect_signals()
        workflow.connect_translation_signals()
        notifications.connect_signals()
