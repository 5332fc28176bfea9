"""System checks: settings that name code must name code that loads."""

from django.conf import settings
from django.core.checks import Error
from django.utils.module_loading import import_string


def citation_normalizer(app_configs, **kwargs) -> list[Error]:
    """COURTINFO_CITATION_NORMALIZER, when set, names a function: or every search would fail."""
    path = getattr(settings, "COURTINFO_CITATION_NORMALIZER", "")
    if not path:
        return []
    try:
        normalizer = import_string(path)
    except ImportError as error:
        return [
            Error(
                f"COURTINFO_CITATION_NORMALIZER names {path!r}, which cannot be imported: {error}",
                hint="Name a function taking a query and returning (citations, other words), "
                "or set it to an empty string to search citations as plain words.",
                id="courtinfo.E001",
            )
        ]
    if not callable(normalizer):
        return [
            Error(
                f"COURTINFO_CITATION_NORMALIZER names {path!r}, which is not a function.",
                id="courtinfo.E002",
            )
        ]
    return []
