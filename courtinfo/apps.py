"""App configuration for the content app."""

from django.apps import AppConfig
from django.core import checks

from courtinfo.checks import citation_normalizer


class CourtinfoConfig(AppConfig):
    name = "courtinfo"
    verbose_name = "Content"

    def ready(self):
        checks.register(citation_normalizer)
