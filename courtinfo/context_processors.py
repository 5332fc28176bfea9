"""Template context shared by every page."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# The addresses every page's header and footer link to, by the name base.html gives them.
_SITE_LINKS = {
    "home": "public:home",
    "search": "public:search",
    "sources": "public:sources",
    "feed": "public:feed",
    "api": "public:api-answers",
}


@lru_cache(maxsize=64)
def _site_links(language: str | None, script_prefix: str, urlconf: str) -> dict[str, str]:
    # Reversed once per language, not once per link on every page (they were a fifth of the
    # base template's rendering); what a reversal depends on is the key.
    return {name: reverse(view, urlconf=urlconf) for name, view in _SITE_LINKS.items()}


def site(request):
    links = _site_links(get_language(), get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    return {"demo_mode": settings.COURTINFO_DEMO, "site_links": links}
