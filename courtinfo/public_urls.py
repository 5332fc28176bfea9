"""Public pages: published content only. Fixed paths come before the jurisdiction catch-alls."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from courtinfo import api, reports, views
from courtinfo.feeds import PublicationFeed
from courtinfo.sitemaps import sitemaps

app_name = "public"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("topics/<slug:topic>/", views.TopicView.as_view(), name="topic"),
    path("compare/<slug:key>/", views.CompareView.as_view(), name="compare"),
    path("sources/", views.SourcesView.as_view(), name="sources"),
    path("sources/<int:source_id>/", views.SourceView.as_view(), name="source"),
    path("feed/", PublicationFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/answers/", api.answer_list, name="api-answers"),
    path("api/answers/<int:answer_id>/", api.answer_detail, name="api-answer"),
    path("<slug:jurisdiction>/", views.JurisdictionView.as_view(), name="jurisdiction"),
    path("<slug:jurisdiction>/<slug:question>/", views.QuestionView.as_view(), name="question"),
    path(
        "<slug:jurisdiction>/<slug:question>/history/",
        views.HistoryView.as_view(),
        name="history",
    ),
    path(
        "<slug:jurisdiction>/<slug:question>/report/",
        reports.ReportView.as_view(),
        name="report",
    ),
]
