"""The translators' admin: each published English claim beside its translation, outdated first."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from claims import workflow
from claims.admin_views import (
    EditorialAdmin,
    QueueFilter,
    QueueOrderingMixin,
    StatusColumn,
    admin_url,
    lock_row,
)
from claims.models import TranslatedClaim
from courtinfo.diff import diff_text
from courtinfo.models import Answer, Translation

OPENED = "opened_version"


class TranslatedClaimInline(admin.TabularInline):
    """Shown on the history's revert page only: translating is done on the side-by-side screen."""

    model = TranslatedClaim
    fields = ["claim", "text"]
    readonly_fields = ["claim"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NeedsWorkFilter(admin.SimpleListFilter):
    title = gettext_lazy("work")
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("outdated", gettext_lazy("English changed since translated")),
            ("waiting", gettext_lazy("Waiting for approval")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=Answer.Status.IN_REVIEW)
        if self.value() == "outdated":
            return queryset.filter(pk__in=outdated_translation_ids())
        return queryset


def outdated_translation_ids() -> list[int]:
    """Translations with a claim whose published English is no longer the text translated."""
    translations = Translation.objects.filter(
        answer__live_publication__isnull=False
    ).select_related("answer__live_publication")
    # Two queries whatever the number of translations: workflow.translation_state, asked of
    # each, would read every translation's claims separately.
    return [
        state.translation.pk
        for state in map(
            workflow.translation_state,
            translations.prefetch_related("claims"),
        )
        if state.outdated
    ]


def untranslated_answers(language: str = "es"):
    """Published English answers with no translation into `language` yet, oldest first."""
    return (
        Answer.objects.filter(live_publication__isnull=False)
        .exclude(translations__language=language)
        .select_related("question__jurisdiction", "live_publication")
        .order_by("live_publication__published_at", "pk")
    )


class TranslationForm(forms.Form):
    """The question and one field per published English claim, posted back with the version."""

    def __init__(self, *args, state: workflow.TranslationState, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state
        translation = state.translation
        self.fields[OPENED] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=translation.version
        )
        self.fields["question_text"] = forms.CharField(
            label=_("Question"),
            required=False,
            initial=translation.question_text,
            widget=forms.Textarea(attrs={"rows": 2, "lang": translation.language}),
        )
        for line in state.lines:
            self.fields[f"claim_{line.english['id']}"] = forms.CharField(
                label=_("Claim #%(id)s") % {"id": line.english["id"]},
                required=False,
                initial=line.translated.text if line.translated else "",
                widget=forms.Textarea(attrs={"rows": 3, "lang": translation.language}),
            )

    def rows(self):
        """The lines to show: outdated first, then untranslated, then done, each in answer order."""
        order = {True: 0, False: 1}
        payload = self.state.english.payload if self.state.english else {"sources": []}
        sources = {source["id"]: source for source in payload["sources"]}
        lines = sorted(
            enumerate(self.state.lines),
            key=lambda item: (order[item[1].outdated], order[item[1].missing], item[0]),
        )
        for _index, line in lines:
            yield {
                "line": line,
                "field": self[f"claim_{line.english['id']}"],
                "change": diff_text(line.translated.source_text, line.english["text"])
                if line.outdated
                else None,
                "citations": [
                    {**citation, "source": sources.get(citation["source"], {})}
                    for citation in line.english["citations"]
                ],
            }


@admin.register(Translation)
class TranslationAdmin(QueueOrderingMixin, EditorialAdmin):
    list_display = ["answer", "jurisdiction", "language", StatusColumn, "progress"]
    list_filter = [
        QueueFilter,
        "status",
        NeedsWorkFilter,
        "language",
        "answer__question__jurisdiction",
    ]
    list_select_related = ["answer__question__jurisdiction", "answer__live_publication"]
    search_fields = ["answer__question__text", "question_text"]
    fields = ["question_text"]
    inlines = [TranslatedClaimInline]
    change_list_template = "admin/courtinfo/translation/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("claims__translator")

    def add_view(self, request, form_url="", extra_context=None):
        """A translation starts from a published answer, through the workflow: choose one."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **self._untranslated_context(request),
            "opts": self.opts,
            "title": _("Start a translation"),
        }
        return TemplateResponse(request, "admin/courtinfo/translation/start.html", context)

    def _untranslated_context(self, request) -> dict:
        waiting = untranslated_answers()
        return {
            "untranslated": waiting[:25],
            "untranslated_count": waiting.count(),
            "can_start": request.user.has_perm("courtinfo.translate_answer"),
        }

    @admin.display(description=gettext_lazy("Jurisdiction"))
    def jurisdiction(self, obj: Translation):
        return obj.answer.question.jurisdiction

    @admin.display(description=gettext_lazy("Claims"))
    def progress(self, obj: Translation) -> str:
        state = workflow.translation_state(obj)
        text = _("%(done)d of %(total)d translated") % {
            "done": state.done,
            "total": len(state.lines),
        }
        if state.outdated:
            text += ", " + _("%(count)d outdated") % {"count": len(state.outdated)}
        return text

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), **self._untranslated_context(request)}
        return super().changelist_view(request, extra)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "start/<int:answer_id>/",
                self.admin_site.admin_view(require_POST(self.start_view)),
                name=f"{info[0]}_{info[1]}_start",
            ),
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name=f"{info[0]}_{info[1]}_transition",
            ),
        ] + super().get_urls()

    def start_view(self, request, answer_id: int):
        answer = get_object_or_404(Answer, pk=answer_id)
        try:
            translation = workflow.start_translation(answer, by=request.user)
        except workflow.TransitionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:courtinfo_translation_changelist"))
        return HttpResponseRedirect(admin_url(translation))

    def transition_view(self, request, object_id):
        translation = self.acted_on(request, object_id)
        calls = {
            "submit": workflow.submit_translation,
            "approve": workflow.approve_translation,
            "request_changes": workflow.request_translation_changes,
            "publish": workflow.publish_translation,
        }
        name = request.POST.get("action", "")
        call = calls.get(name)
        if call is None:
            messages.error(request, _("Choose one of the buttons on the page."))
            return HttpResponseRedirect(admin_url(translation))
        kwargs = {"by": request.user}
        if name in ("submit", "approve", "request_changes"):
            kwargs["note"] = request.POST.get("note", "")
        try:
            call(translation, **kwargs)
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            translation.refresh_from_db()
            messages.success(
                request,
                _("The translation is now %(status)s.")
                % {"status": translation.get_status_display().lower()},
            )
        return HttpResponseRedirect(admin_url(translation))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The side-by-side screen; the history's revert pages keep the plain change form."""
        translation = self.acted_on(request, object_id)
        state = workflow.translation_state(translation)
        can_translate = request.user.has_perm("courtinfo.translate_answer")
        if request.method == "POST":
            if not can_translate:
                raise PermissionDenied
            form = TranslationForm(request.POST, state=state)
            if form.is_valid() and self._save_translation(request, form, translation):
                return HttpResponseRedirect(admin_url(translation))
        else:
            form = TranslationForm(state=state)
        moves = workflow.available_translation_actions(translation, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Translate: %(answer)s") % {"answer": translation.answer},
            "original": translation,
            "translation": translation,
            "state": state,
            "form": form,
            "can_translate": can_translate and state.english is not None,
            "moves": moves,
            "english_url": state.english.get_absolute_url() if state.english else "",
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/courtinfo/translation/translate.html", context)

    def _save_translation(self, request, form, translation: Translation) -> bool:
        """Each changed text through the workflow, all or none; refusals go next to their field."""
        opened = (form.cleaned_data.get(OPENED) or "").strip()
        changed = [name for name in form.changed_data if name != OPENED]
        try:
            with transaction.atomic():
                fresh = lock_row(Translation, translation.pk)
                if fresh is None:
                    form.add_error(None, _("Not saved: someone deleted this translation."))
                    return False
                if not opened.isdigit() or int(opened) != fresh.version:
                    form.add_error(None, self.stale_message(fresh, int(opened or 0)))
                    return False
                for name in changed:
                    text = form.cleaned_data[name]
                    try:
                        if name == "question_text":
                            workflow.translate_question(translation, by=request.user, text=text)
                        else:
                            claim_id = int(name.removeprefix("claim_"))
                            workflow.translate_claim(
                                translation, claim_id, by=request.user, text=text
                            )
                    except workflow.TransitionError as error:
                        form.add_error(name, str(error))
                if form.errors:
                    raise _Refused
        except _Refused:
            return False
        if changed:
            messages.success(
                request,
                _("Saved %(count)d translated texts.") % {"count": len(changed)},
            )
        return True


class _Refused(Exception):
    """Rolls back the texts saved before one the workflow refused."""
