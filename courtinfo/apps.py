"""App configuration for the content app."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _restore_reference_data(sender, using, apps=global_apps, **kwargs):
    from courtinfo.reference import ensure_reference_data

    try:
        apps.get_model("courtinfo", "Jurisdiction")
    except LookupError:  # migrated back past our first migration: nothing to restore into
        return
    ensure_reference_data(apps, using=using)


class CourtinfoConfig(AppConfig):
    name = "courtinfo"
    verbose_name = "Content"

    def ready(self) -> None:
        # A database flush (as between transactional tests) empties the tables and then sends
        # post_migrate, as Django does to restore permissions; restore our reference data with it.
        # Sent for the last of our apps, so that every permission the groups need exists by then.
        post_migrate.connect(
            _restore_reference_data,
            sender=self.apps.get_app_config("claims"),
            dispatch_uid="courtinfo.restore_reference_data",
        )
