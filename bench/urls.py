"""The site's URLs plus the framework floor: views that do nothing but pass the middleware."""

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from courtinfo import urls as site_urls

FLOOR_URL = "/bench/floor/"
FLOOR_TEMPLATE_URL = "/bench/floor-template/"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@cache
def _base_only():
    # Compiled once, as the cached template loader does for the real pages.
    return engines["django"].from_string('{% extends "base.html" %}')


def floor_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_base_only().render({}, request))


urlpatterns = [
    path(FLOOR_URL.strip("/") + "/", floor),
    path(FLOOR_TEMPLATE_URL.strip("/") + "/", floor_template),
    # The site's own list, not an include: its language prefixes must stay at the root.
    *site_urls.urlpatterns,
]
