"""Template context shared by every page."""

from django.conf import settings

from courtinfo.addresses import address

# The addresses every page's header and footer link to, by the name base.html gives them.
_SITE_LINKS = {
    "home": "public:home",
    "search": "public:search",
    "sources": "public:sources",
    "feed": "public:feed",
    "api": "public:api-answers",
}


def site(request):
    # Each address is reversed once per language (courtinfo.addresses), not on every page.
    links = {name: address(view) for name, view in _SITE_LINKS.items()}
    return {"demo_mode": settings.COURTINFO_DEMO, "site_links": links}
