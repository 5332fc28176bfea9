"""Atom feed of publications, corrections included, for answers that are public now."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from courtinfo.models import Publication

FEED_SIZE = 50


class PublicationFeed(Feed):
    feed_type = Atom1Feed
    title = _("courtinfo: published answers and corrections")
    subtitle = _("Every new or corrected answer, with the date it was published.")

    def link(self) -> str:
        return reverse("public:home")

    def items(self):
        # Older versions of a live answer are public on its history page; a withdrawn one's are not.
        return (
            Publication.objects.filter(answer__live_publication__isnull=False)
            .select_related("jurisdiction")
            .only(
                "id",
                "version",
                "question_text",
                "question_slug",
                "summary",
                "published_at",
                "jurisdiction__name",
                "jurisdiction__slug",
                "topic_name",
            )
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Publication) -> str:
        return f"{item.question_text} ({item.jurisdiction.name})"

    def item_description(self, item: Publication) -> str:
        if item.version == 1:
            return item.summary or str(_("First published."))
        return item.summary or str(_("Corrected."))

    def item_categories(self, item: Publication) -> tuple[str, ...]:
        # The topic as published: a later rename shows only once the answer is republished.
        return (item.topic_name,) if item.topic_name else ()

    def item_link(self, item: Publication) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Publication) -> str:
        return f"{item.get_absolute_url()}history/#v{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.published_at
