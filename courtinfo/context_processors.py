"""Template context shared by every page."""

from django.conf import settings


def site(request):
    return {"demo_mode": settings.COURTINFO_DEMO}
