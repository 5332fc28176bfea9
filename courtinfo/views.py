"""Public pages; they read live publications only, never the editorial tables."""

from django.http import Http404
from django.shortcuts import render
from django.views.generic import TemplateView

from courtinfo.models import Answer, Publication


class QuestionView(TemplateView):
    template_name = "public/question.html"

    def get(self, request, *args, **kwargs):
        publication = (
            Publication.objects.live()
            .select_related("jurisdiction")
            .filter(jurisdiction__slug=kwargs["jurisdiction"], question_slug=kwargs["question"])
            .first()
        )
        if publication is None:
            return _gone_or_404(request, kwargs["jurisdiction"], kwargs["question"])
        return self.render_to_response(self.get_context_data(publication=publication))


def _gone_or_404(request, jurisdiction_slug: str, question_slug: str):
    withdrawn = (
        Publication.objects.filter(
            jurisdiction__slug=jurisdiction_slug,
            question_slug=question_slug,
            answer__status=Answer.Status.WITHDRAWN,
        )
        .select_related("answer")
        .order_by("-version")
        .first()
    )
    if withdrawn is None:
        raise Http404("No published answer here.")
    return render(
        request,
        "public/withdrawn.html",
        {"publication": withdrawn, "answer": withdrawn.answer},
        status=410,
    )
