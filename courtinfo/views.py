"""Public pages; they read live publications only, never the editorial tables."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, override
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from courtinfo import caching, selectors, translations
from courtinfo import search as fulltext
from courtinfo.caching import public_cache_headers, set_last_modified
from courtinfo.diff import diff_payloads
from courtinfo.filters import PublicationFilter, TopicFilter
from courtinfo.models import Publication
from courtinfo.paging import CountingPaginator

SEARCH_PAGE_SIZE = 20
TOPIC_PAGE_SIZE = 100
# /sources/: sources a page, and the latest claims under each (its own page lists them all).
SOURCES_PAGE_SIZE = 50
CLAIMS_PER_SOURCE = 5
# A comparison: jurisdictions a page (every state and territory would be one long page).
COMPARE_PAGE_SIZE = 12
# A source's page: the answers citing it, a page at a time.
SOURCE_ANSWERS_PAGE_SIZE = 20


def _latest(*moments: datetime | None) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


class PublicPage(TemplateView):
    """A page of published content: public cache headers and Last-Modified from its context.

    ETags and 304s are ConditionalGetMiddleware's; whole pages are cached by courtinfo.caching.
    """

    http_method_names = ["get", "head"]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        set_last_modified(response, context.get("last_modified"))
        return public_cache_headers(response)


class HomeView(PublicPage):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        recent = selectors.recent_publications()
        translations.mark_language(recent, get_language())
        counts = selectors.jurisdiction_counts()
        return super().get_context_data(
            # What exists comes first; the rest is one short list at the end.
            answered=[j for j in counts if j.count],
            unanswered=[j for j in counts if not j.count],
            topics=selectors.published_topics(),
            recent=recent,
            last_modified=_latest(
                recent[0].published_at if recent else None, selectors.latest_withdrawal()
            ),
            **kwargs,
        )


class JurisdictionView(PublicPage):
    template_name = "public/jurisdiction.html"

    def get_context_data(self, **kwargs):
        jurisdiction = selectors.jurisdiction_by_slug(kwargs.pop("jurisdiction"))
        if jurisdiction is None:
            raise Http404("No such jurisdiction.")
        filterset = TopicFilter(
            self.request.GET,
            queryset=selectors.publications_for_jurisdiction(jurisdiction=jurisdiction),
        )
        publications = list(filterset.qs) if filterset.is_valid() else []
        translations.mark_language(publications, get_language())
        return super().get_context_data(
            jurisdiction=jurisdiction,
            topics=selectors.published_topics(jurisdiction=jurisdiction),
            selected_topic=filterset.form.cleaned_data.get("topic", "")
            if filterset.is_valid()
            else "",
            publications=publications,
            last_modified=_latest(
                max((p.published_at for p in publications), default=None),
                selectors.latest_withdrawal(jurisdiction=jurisdiction),
            ),
            **kwargs,
        )


class TopicView(PublicPage):
    """The published answers of one topic, across jurisdictions."""

    template_name = "public/topic.html"

    def get_context_data(self, **kwargs):
        topic = selectors.published_topic(slug=kwargs.pop("topic"))
        if topic is None:
            raise Http404("No answer is published under this topic.")
        paginator = Paginator(selectors.publications_for_topic(slug=topic.slug), TOPIC_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            topic=topic,
            page_obj=page,
            publications=translations.marked(list(page.object_list), get_language()),
            # Any withdrawal moves it: one of this topic's answers may have left the page.
            last_modified=_latest(topic.last_published_at, selectors.latest_withdrawal()),
            **kwargs,
        )


def _english_url(publication: Publication) -> str:
    with override(translations.ENGLISH):
        return publication.get_absolute_url()


def _gone_or_404(request: HttpRequest, jurisdiction_slug: str, question_slug: str):
    withdrawn = selectors.withdrawn_publication(
        jurisdiction_slug=jurisdiction_slug, question_slug=question_slug
    )
    if withdrawn is None:
        raise Http404("No published answer here.")
    return render(
        request,
        "public/withdrawn.html",
        {"publication": withdrawn, "answer": withdrawn.answer},
        status=410,
    )


class LivePublicationPage(TemplateView):
    """A page about one live publication: 404 or 410 without one.

    In another language the page shows the publication's live translation, or says there is none
    and links the English; never a machine translation.
    """

    http_method_names = ["get", "head"]
    # False: the page shows the English record in every language (the history of what was said).
    translated_pages = True

    def get(self, request, *args, **kwargs):
        where = {"jurisdiction_slug": kwargs["jurisdiction"], "question_slug": kwargs["question"]}
        language = get_language()
        translated = None
        if language != translations.ENGLISH and self.translated_pages:
            translated = translations.live_translation_at(language=language, **where)
        if translated is not None:
            publication = translations.english_of(translated)
        else:
            publication = selectors.live_publication(**where)
        if publication is None:
            return self.without_live_publication(request, **where)
        if language != translations.ENGLISH and translated is None:
            return self.untranslated(request, publication)
        localized = translations.Localized(english=publication, translated=translated)
        context = self.get_context_data(
            publication=publication,
            payload=localized.payload,
            localized=localized,
            english_url=_english_url(publication) if translated else "",
            **self.page_data(publication),
        )
        response = self.render_to_response(context)
        set_last_modified(
            response, _latest(publication.published_at, translated and translated.published_at)
        )
        return public_cache_headers(response)

    def untranslated(self, request, publication: Publication) -> HttpResponse:
        """No translation is published: say so in the reader's language and link the English."""
        response = render(
            request,
            "public/untranslated.html",
            {"publication": publication, "english_url": _english_url(publication)},
        )
        set_last_modified(response, publication.published_at)
        return public_cache_headers(response)

    def page_data(self, publication: Publication) -> dict:
        """What the page shows besides the publication."""
        return {}

    def without_live_publication(self, request, jurisdiction_slug: str, question_slug: str):
        return _gone_or_404(request, jurisdiction_slug, question_slug)


class QuestionView(LivePublicationPage):
    template_name = "public/question.html"

    def page_data(self, publication: Publication) -> dict:
        return {"compared": selectors.compared_jurisdictions(publication=publication)}


class HistoryView(LivePublicationPage):
    template_name = "public/history.html"
    translated_pages = False

    def untranslated(self, request, publication: Publication) -> HttpResponse:
        # The English history is the record; the page around it is in the reader's language.
        context = self.get_context_data(
            publication=publication, payload=publication.payload, english_only=True
        )
        response = self.render_to_response(context)
        set_last_modified(response, publication.published_at)
        return public_cache_headers(response)

    def without_live_publication(self, request, jurisdiction_slug: str, question_slug: str):
        # The answer itself is gone (410), but the record of what was said, and why it was
        # withdrawn, stays readable.
        withdrawn = selectors.withdrawn_publication(
            jurisdiction_slug=jurisdiction_slug, question_slug=question_slug
        )
        if withdrawn is None:
            raise Http404("No published answer here.")
        context = self.get_context_data(publication=withdrawn, withdrawn=withdrawn.answer)
        context["payload"] = context["versions"][0]["publication"].payload
        return public_cache_headers(self.render_to_response(context))

    def get_context_data(self, **kwargs):
        versions = []
        previous = None
        for version in selectors.publication_history(publication=kwargs["publication"]):
            diff = diff_payloads(previous.payload if previous else None, version.payload)
            versions.append({"publication": version, "diff": diff, "first": previous is None})
            previous = version
        versions.reverse()
        return super().get_context_data(versions=versions, **kwargs)


class SearchView(PublicPage):
    template_name = "public/search.html"

    def get_context_data(self, **kwargs):
        query = fulltext.clean_query(self.request.GET.get("q"))
        filterset = PublicationFilter(
            self.request.GET, queryset=selectors.live_publications().only(*fulltext.RESULT_FIELDS)
        )
        base = filterset.qs if filterset.is_valid() else Publication.objects.none()
        parsed = fulltext.parse_query(query)
        results = fulltext.search(base, parsed)
        language = get_language()
        if language != translations.ENGLISH:
            # Words in the reader's language find the answers whose translation holds them.
            in_language = fulltext.translated_answer_ids(language, parsed)
            if in_language:
                results = base.filter(
                    Q(pk__in=results.values("pk")) | Q(answer_id__in=in_language)
                ).order_by("-published_at", "id")
        page = CountingPaginator(results, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
        shown = list(page.object_list)
        snippets = fulltext.snippets(shown, parsed)
        cited = fulltext.cited(shown, parsed)
        if language != translations.ENGLISH:
            translated = translations.live_translations({p.answer_id for p in shown}, language)
            in_language = fulltext.translated_snippets(translated, parsed)
            translations.mark_language(shown, language, translated=translated)
            snippets.update(
                {p.pk: in_language[p.answer_id] for p in shown if p.answer_id in in_language}
            )
        hits = [
            {"publication": p, "snippet": snippets[p.pk], "cites": cited.get(p.pk, [])}
            for p in shown
        ]
        params = self.request.GET.copy()
        params.pop("page", None)
        # Every search shows the same two filter lists: read once per change to what is live.
        topics = caching.live_data("published_topics", selectors.published_topics)
        selected_topic = self.request.GET.get("topic") or ""
        return super().get_context_data(
            query=query,
            searched=bool(fulltext.query_words(query)),
            page_obj=page,
            hits=hits,
            jurisdictions=caching.live_data(
                "published_jurisdictions", selectors.published_jurisdictions
            ),
            topics=topics,
            selected_jurisdiction=(self.request.GET.get("jurisdiction") or "").upper(),
            selected_topic=selected_topic,
            # The topic's own page lists its answers without any words to search for.
            topic_page=next((t for t in topics if t.slug == selected_topic), None),
            page_query=params.urlencode(),
            **kwargs,
        )


class CompareView(PublicPage):
    template_name = "public/compare.html"

    def get_context_data(self, **kwargs):
        page = _page(
            Paginator(selectors.comparison(compare_key=kwargs["key"]), COMPARE_PAGE_SIZE),
            self.request,
        )
        publications = list(page.object_list)
        if not publications:
            raise Http404("Nothing published under this question.")
        translations.mark_language(publications, get_language())
        return super().get_context_data(
            publications=publications,
            page_obj=page,
            question_text=publications[0].question_text,
            # A withdrawal elsewhere moves the others up a page: the page changed then too.
            last_modified=_latest(
                max(p.published_at for p in publications), selectors.latest_withdrawal()
            ),
            **kwargs,
        )


class SourcesView(PublicPage):
    template_name = "public/sources.html"

    def get_context_data(self, **kwargs):
        page = _page(CountingPaginator(selectors.CitedSources(), SOURCES_PAGE_SIZE), self.request)
        selectors.attach_citing_claims(page.object_list, limit=CLAIMS_PER_SOURCE)
        return super().get_context_data(
            uses=page.object_list, page_obj=page, claims_shown=CLAIMS_PER_SOURCE, **kwargs
        )


class SourceView(PublicPage):
    template_name = "public/source.html"

    def get_context_data(self, **kwargs):
        use = selectors.cited_source(self.kwargs["source_id"])
        if use is None:
            raise Http404("No published answer cites this source.")
        citing = selectors.publications_citing(use.source["id"])
        page = _page(Paginator(citing, SOURCE_ANSWERS_PAGE_SIZE), self.request)
        selectors.attach_citing_claims([use], publication_ids=page.object_list)
        return super().get_context_data(use=use, page_obj=page, **kwargs)


def _page(paginator: Paginator, request: HttpRequest):
    """The page that ?page= names (the first without one); 404 for any other value."""
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    if settings.COURTINFO_DEMO:
        # Demonstration data must never be found through a search engine.
        lines = ["User-agent: *", "Disallow: /"]
        return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=86400)
    return response
