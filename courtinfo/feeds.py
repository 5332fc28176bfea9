"""Atom feed of publications and corrections of live answers, and of withdrawals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courtinfo import translations
from courtinfo.models import Publication

FEED_SIZE = 50

_FIELDS = (
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


@dataclass
class Entry:
    """One feed entry: a publication, or the withdrawal of an answer (its last publication)."""

    publication: Publication
    at: datetime.datetime
    withdrawn_reason: str | None = None


class PublicationFeed(Feed):
    feed_type = Atom1Feed
    title = _("courtinfo: published answers and corrections")
    subtitle = _("Every new or corrected answer, with the date it was published.")

    def link(self) -> str:
        return reverse("public:home")

    def items(self) -> list[Entry]:
        # Older versions of a live answer are public on its history page; a withdrawn answer is
        # one entry saying it was withdrawn and why, so a reader of the feed learns of it.
        published = [
            Entry(p, p.published_at)
            for p in Publication.objects.filter(answer__live_publication__isnull=False)
            .select_related("jurisdiction")
            .only(*_FIELDS)
            .order_by("-published_at", "-id")[:FEED_SIZE]
        ]
        last_of_withdrawn = (
            Publication.objects.filter(
                answer__withdrawn_at__isnull=False, answer__live_publication__isnull=True
            )
            .select_related("jurisdiction", "answer")
            .only(*_FIELDS, "answer__withdrawn_at", "answer__withdrawn_reason")
            .order_by("-answer__withdrawn_at", "answer_id", "-version")
        )
        withdrawn: dict[int, Entry] = {}
        for p in last_of_withdrawn[: FEED_SIZE * 4]:
            if p.answer_id not in withdrawn and len(withdrawn) < FEED_SIZE:
                withdrawn[p.answer_id] = Entry(p, p.answer.withdrawn_at, p.answer.withdrawn_reason)
        # In another language, an answer's title is its translation's where one is live.
        translations.mark_language([e.publication for e in published], get_language())
        entries = published + list(withdrawn.values())
        entries.sort(key=lambda e: (e.at, e.publication.pk), reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, item: Entry) -> str:
        title = f"{item.publication.question_text} ({item.publication.jurisdiction.name})"
        if item.withdrawn_reason is not None:
            return str(_("Withdrawn: %(title)s") % {"title": title})
        return title

    def item_description(self, item: Entry) -> str:
        if item.withdrawn_reason is not None:
            return str(_("This answer was withdrawn. Reason: %(reason)s")) % {
                "reason": item.withdrawn_reason
            }
        if item.publication.version == 1:
            return item.publication.summary or str(_("First published."))
        return item.publication.summary or str(_("Corrected."))

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        # The topic as published: a later rename shows only once the answer is republished.
        topic = item.publication.topic_name
        return (topic,) if topic else ()

    def item_link(self, item: Entry) -> str:
        url = item.publication.get_absolute_url()
        # A withdrawn answer's own page is gone (410); its history says what it said and why.
        return f"{url}history/" if item.withdrawn_reason is not None else url

    def item_guid(self, item: Entry) -> str:
        url = item.publication.get_absolute_url()
        if item.withdrawn_reason is not None:
            return f"{url}history/#withdrawn-{int(item.at.timestamp())}"
        return f"{url}history/#v{item.publication.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.at

    def item_updateddate(self, item: Entry):
        return item.at
