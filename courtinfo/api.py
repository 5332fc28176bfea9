"""Read-only JSON of published answers: a filtered, paginated list and each payload."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from courtinfo import selectors, translations
from courtinfo.caching import public_cache_headers, set_last_modified
from courtinfo.filters import PublicationFilter
from courtinfo.models import Publication

PAGE_SIZE = 50


def _summary(publication: Publication, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": publication.answer_id,
        "version": publication.version,
        "question": publication.question_text,
        # Under /es/api/: "es" where a checked translation is live, else "en" (the English).
        "language": translations.ENGLISH
        if getattr(publication, "english_only", False)
        else get_language(),
        "jurisdiction": {
            "code": publication.jurisdiction.code,
            "name": publication.jurisdiction.name,
            "slug": publication.jurisdiction.slug,
        },
        "topic": (
            {"name": publication.topic_name, "slug": publication.topic_slug}
            if publication.topic_slug is not None
            else None
        ),
        "compare_key": publication.compare_key,
        "published_at": publication.published_at.isoformat(),
        "review_due_on": publication.review_due_on.isoformat(),
        "summary": publication.summary,
        "url": request.build_absolute_uri(publication.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("public:api-answer", args=[publication.answer_id])
        ),
    }


def _page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@require_safe
def answer_list(request: HttpRequest) -> JsonResponse:
    filterset = PublicationFilter(
        request.GET,
        queryset=selectors.live_publication_list().order_by("jurisdiction__name", "position", "id"),
    )
    queryset = filterset.qs if filterset.is_valid() else Publication.objects.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    data = {
        "count": page.paginator.count,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": (
            _page_url(request, page.previous_page_number()) if page.has_previous() else None
        ),
        "results": [
            _summary(p, request)
            for p in translations.marked(list(page.object_list), get_language())
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return public_cache_headers(response)


@require_safe
def answer_detail(request: HttpRequest, answer_id: int) -> JsonResponse:
    publication = selectors.live_publication_for_answer(answer_id=answer_id)
    if publication is None:
        withdrawn = selectors.withdrawn_answer(answer_id=answer_id)
        if withdrawn is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        return JsonResponse(
            {
                "detail": "Withdrawn.",
                "withdrawn_at": withdrawn.withdrawn_at.isoformat()
                if withdrawn.withdrawn_at
                else None,
                "reason": withdrawn.withdrawn_reason,
            },
            status=410,
            json_dumps_params={"ensure_ascii": False},
        )
    payload = publication.payload
    translated = translations.live_translations({answer_id}, get_language()).get(answer_id)
    if translated is not None:
        payload = translated.payload
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    set_last_modified(response, publication.published_at)
    return public_cache_headers(response)
