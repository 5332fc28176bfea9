"""Public pages: published content only. Fixed paths come before the jurisdiction catch-alls.

Every page that is a function of what is live is served through the cache of rendered pages.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from courtinfo import api, reports, views
from courtinfo.caching import cache_public_page
from courtinfo.db_router import reads_from_replica
from courtinfo.feeds import PublicationFeed
from courtinfo.sitemaps import sitemaps

app_name = "public"


def cached(view):
    """Served from the cache of rendered pages; on a miss, read from the replica if there is one."""
    return reads_from_replica(cache_public_page(view))


urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("search/", cached(views.SearchView.as_view()), name="search"),
    path("topics/<slug:topic>/", cached(views.TopicView.as_view()), name="topic"),
    path("compare/<slug:key>/", cached(views.CompareView.as_view()), name="compare"),
    path("sources/", cached(views.SourcesView.as_view()), name="sources"),
    path("sources/<int:source_id>/", cached(views.SourceView.as_view()), name="source"),
    path("feed/", cached(PublicationFeed()), name="feed"),
    path(
        "sitemap.xml",
        cached(sitemap_views.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "public:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/answers/", cached(api.answer_list), name="api-answers"),
    path("api/answers/<int:answer_id>/", cached(api.answer_detail), name="api-answer"),
    path("<slug:jurisdiction>/", cached(views.JurisdictionView.as_view()), name="jurisdiction"),
    path(
        "<slug:jurisdiction>/<slug:question>/",
        cached(views.QuestionView.as_view()),
        name="question",
    ),
    path(
        "<slug:jurisdiction>/<slug:question>/history/",
        cached(views.HistoryView.as_view()),
        name="history",
    ),
    path(
        "<slug:jurisdiction>/<slug:question>/report/",
        reports.ReportView.as_view(),
        name="report",
    ),
]
