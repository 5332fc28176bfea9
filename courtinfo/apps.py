"""App configuration for the content app."""

from django.apps import AppConfig


class CourtinfoConfig(AppConfig):
    name = "courtinfo"
    verbose_name = "Content"
