"""URL configuration: the admin and the public site."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # English unprefixed, Spanish under /es/; LocaleMiddleware reads the language from the path.
    *i18n_patterns(path("", include("courtinfo.public_urls")), prefix_default_language=False),
]
