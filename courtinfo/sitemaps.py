"""Sitemap of the public pages, with each answer's last publication date."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from courtinfo import selectors
from courtinfo.models import Publication


class QuestionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return selectors.live_publication_list().order_by("jurisdiction__name", "position", "id")

    def location(self, item: Publication) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Publication):
        return item.published_at


class JurisdictionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return [j for j in selectors.jurisdiction_counts() if j.count]

    def location(self, item) -> str:
        return reverse("public:jurisdiction", args=[item.slug])


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return selectors.published_topics()

    def location(self, item) -> str:
        return reverse("public:topic", args=[item.slug])

    def lastmod(self, item):
        return item.last_published_at


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["public:home", "public:sources"]

    def location(self, item: str) -> str:
        return reverse(item)


sitemaps = {
    "questions": QuestionSitemap,
    "jurisdictions": JurisdictionSitemap,
    "topics": TopicSitemap,
    "pages": StaticSitemap,
}
