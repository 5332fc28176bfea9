"""Sitemaps of the public pages, with each answer's last publication date.

`/sitemap.xml` is an index; each section is paginated (`?p=N`) at no more than
SITEMAP_LIMIT URLs, within the 50,000 URLs and 50 MB that search engines accept in one file.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from courtinfo import selectors
from courtinfo.models import Publication

SITEMAP_LIMIT = 5000


class QuestionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = SITEMAP_LIMIT

    def items(self):
        # A stable order: each page of the section lists the same answers until one changes.
        return selectors.live_publication_list().order_by("jurisdiction__name", "position", "id")

    def get_latest_lastmod(self):
        # For the index: one aggregate rather than every item's date.
        return Publication.objects.live().aggregate(latest=Max("published_at"))["latest"]

    def location(self, item: Publication) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Publication):
        return item.published_at


class JurisdictionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = SITEMAP_LIMIT

    def items(self):
        return [j for j in selectors.jurisdiction_counts() if j.count]

    def location(self, item) -> str:
        return reverse("public:jurisdiction", args=[item.slug])


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = SITEMAP_LIMIT

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
