"""The site's URLs plus the framework floors: views that do nothing but pass the middleware, and
Django's own admin, unconfigured, over the same tables as the site's admin."""

from functools import cache

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from claims.models import Claim
from courtinfo import urls as site_urls
from courtinfo.models import Answer

FLOOR_URL = "/bench/floor/"
FLOOR_TEMPLATE_URL = "/bench/floor-template/"
STOCK_ADMIN_URL = "/bench/stock-admin/"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@cache
def _base_only():
    # Compiled once, as the cached template loader does for the real pages.
    return engines["django"].from_string('{% extends "base.html" %}')


def floor_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_base_only().render({}, request))


class _StockClaimAdmin(admin.ModelAdmin):
    # As many columns as the site's claim list, each a stored field shown as Django shows it.
    list_display = (
        "id",
        "text",
        "status",
        "answer_id",
        "position",
        "block",
        "updated_at",
        "verified_at",
    )
    list_per_page = 100


class _StockClaimInline(admin.TabularInline):
    model = Claim
    fields = ("position", "block", "text")
    extra = 0


class _StockAnswerAdmin(admin.ModelAdmin):
    fields = ("blocks",)
    inlines = [_StockClaimInline]


# Django's admin as it comes: what a 100-row list or an answer with its claims costs the
# framework alone, for the site's admin pages to be read against.
stock_admin = admin.AdminSite(name="stock-admin")
stock_admin.register(Claim, _StockClaimAdmin)
stock_admin.register(Answer, _StockAnswerAdmin)

urlpatterns = [
    path(FLOOR_URL.strip("/") + "/", floor),
    path(FLOOR_TEMPLATE_URL.strip("/") + "/", floor_template),
    path(STOCK_ADMIN_URL.strip("/") + "/", stock_admin.urls),
    # The site's own list, not an include: its language prefixes must stay at the root.
    *site_urls.urlpatterns,
]
