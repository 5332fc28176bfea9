"""The newsroom's daily work in the admin: reader reports, scheduled publishing, re-review, and
each person's notification setting. Every status change goes through claims.workflow."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import workflow
from claims.admin_views import ReadOnlyAdmin, report, status_badge
from claims.models import Claim, DueForReview, NotificationPreference, ScheduledAnswer
from courtinfo.models import Answer, ProblemReport

# --- reader reports


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status_column", "question", "reported_claim", "excerpt"]
    list_display_links = ["created_at", "excerpt"]
    list_filter = ["status", "answer__question__jurisdiction"]
    list_select_related = ["answer__question__jurisdiction"]
    search_fields = ["message", "claim_text", "answer__question__text"]
    date_hierarchy = "created_at"
    actions = ["accept", "reject"]
    fields = [
        "status_column",
        "question",
        "reported_claim",
        "claim_now",
        "message",
        "has_address",
        "created_at",
        "closed_at",
        "handled_by",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_column(self, obj: ProblemReport) -> str:
        return status_badge(obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A report is closed, not deleted; closing deletes the reader's address.
        return False

    @admin.display(description=gettext_lazy("Answer"), ordering="answer__question__text")
    def question(self, obj: ProblemReport) -> str:
        question = obj.answer.question
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:courtinfo_answer_change", args=[obj.answer_id]),
            Truncator(question.text).chars(80),
            question.jurisdiction.code,
        )

    @admin.display(description=gettext_lazy("Reported claim"))
    def reported_claim(self, obj: ProblemReport) -> str:
        if obj.claim is None:
            return format_html("<em>{}</em>", _("the whole answer"))
        return format_html('<mark class="reported-claim">#{}: {}</mark>', obj.claim, obj.claim_text)

    @admin.display(description=gettext_lazy("The claim now"))
    def claim_now(self, obj: ProblemReport) -> str:
        if obj.claim is None:
            return "—"
        claim = Claim.objects.filter(pk=obj.claim, answer_id=obj.answer_id).first()
        if claim is None:
            return _("The claim was deleted since.")
        link = ""
        if obj.status == ProblemReport.Status.ACCEPTED:
            link = format_html(
                ' <a class="button edit-reported-claim" href="{}">{}</a>',
                reverse("admin:claims_claim_change", args=[claim.pk]),
                _("Edit this claim"),
            )
        return format_html("{} ({}){}", claim.text, claim.get_status_display(), link)

    @admin.display(description=gettext_lazy("Message"))
    def excerpt(self, obj: ProblemReport) -> str:
        return Truncator(obj.message).chars(100)

    @admin.display(description=gettext_lazy("Reader left an address"), boolean=True)
    def has_address(self, obj: ProblemReport) -> bool:
        return bool(obj.email)

    def _move(self, request, queryset, *, to: str, sources: set[str], verb: str) -> None:
        done, errors = 0, []
        for item in queryset:
            if item.status not in sources:
                errors.append(
                    (
                        item,
                        _("it is %(status)s; only a new or accepted report can be %(verb)s.")
                        % {"status": item.get_status_display().lower(), "verb": verb},
                    )
                )
                continue
            item.status = to
            item.handled_by = request.user
            if to in ProblemReport.CLOSED:
                item.closed_at = timezone.now()
            item.save(update_fields=["status", "handled_by", "closed_at"])
            done += 1
        report(request, done, errors, verb)

    @admin.action(
        description=gettext_lazy("Accept: the answer needs correcting"), permissions=["change"]
    )
    def accept(self, request, queryset):
        self._move(
            request,
            queryset,
            to=ProblemReport.Status.ACCEPTED,
            sources={ProblemReport.Status.NEW},
            verb=_("accepted"),
        )

    @admin.action(description=gettext_lazy("Reject: nothing to correct"), permissions=["change"])
    def reject(self, request, queryset):
        self._move(
            request,
            queryset,
            to=ProblemReport.Status.REJECTED,
            sources={ProblemReport.Status.NEW, ProblemReport.Status.ACCEPTED},
            verb=_("rejected"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Accept and reject from the report's own page, as the changelist's actions do.
        if request.method == "POST" and request.POST.get("move") in {"accept", "reject"}:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            queryset = ProblemReport.objects.filter(pk=obj.pk)
            getattr(self, request.POST["move"])(request, queryset)
            return HttpResponseRedirect(request.path)
        extra_context = {**(extra_context or {}), "report_moves": True}
        return super().change_view(request, object_id, form_url, extra_context)


# --- each person's notifications


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Everyone in a role sets their own notifications, and only their own."""

    fields = ["delivery"]
    list_display = ["user", "delivery", "last_digest_on"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def _own(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A setting is turned off, not deleted.
        return False

    def has_add_permission(self, request):
        # One setting per person.
        if not super().has_add_permission(request):
            return False
        # Asked by every admin page that lists the models; one query a request.
        if not hasattr(request, "_has_notification_preference"):
            request._has_notification_preference = NotificationPreference.objects.filter(
                user=request.user
            ).exists()
        return not request._has_notification_preference

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = request.user
        super().save_model(request, obj, form, change)


# --- scheduled publishing: the publishers' queue


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=gettext_lazy(
            "Local time of the site. `manage.py publish_scheduled` publishes it."
        ),
    )


class WorkflowQueueAdmin(ReadOnlyAdmin):
    """A read-only queue whose one page per row asks the workflow what can be done."""

    def get_actions(self, request):
        return {}

    def _row(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if obj is None:
            raise Http404(_("It is no longer in this queue."))
        return obj


@admin.register(ScheduledAnswer)
class ScheduledAnswerAdmin(WorkflowQueueAdmin):
    list_display = ["question_link", "jurisdiction", "approved_at", "publish_at", "scheduled_by"]
    list_select_related = ["question__jurisdiction", "publish_scheduled_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Answer.Status.APPROVED)
            .order_by("publish_at", "approved_at", "pk")
        )

    @admin.display(description=gettext_lazy("Question"))
    def question_link(self, obj: Answer) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:claims_scheduledanswer_change", args=[obj.pk]),
            Truncator(obj.question.text).chars(90),
        )

    @admin.display(description=gettext_lazy("Jurisdiction"))
    def jurisdiction(self, obj: Answer) -> str:
        return obj.question.jurisdiction.code

    @admin.display(description=gettext_lazy("Scheduled by"))
    def scheduled_by(self, obj: Answer) -> str:
        return str(obj.publish_scheduled_by or "")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        answer = self._row(request, object_id)
        form = ScheduleForm(
            request.POST if request.method == "POST" and "schedule" in request.POST else None,
            initial={
                "publish_at": timezone.localtime(answer.publish_at) if answer.publish_at else None
            },
        )
        if request.method == "POST":
            try:
                if "unschedule" in request.POST:
                    workflow.unschedule_publication(answer, by=request.user)
                    messages.success(request, _("The scheduled publication was cancelled."))
                    return HttpResponseRedirect(request.path)
                if form.is_valid():
                    at = form.cleaned_data["publish_at"]
                    workflow.schedule_publication(answer, by=request.user, at=at)
                    messages.success(
                        request,
                        _("Scheduled for %(when)s.")
                        % {"when": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
                    )
                    return HttpResponseRedirect(reverse("admin:claims_scheduledanswer_changelist"))
            except workflow.TransitionError as error:
                messages.error(request, str(error))
        moves = {m.action: m for m in workflow.available_operations(answer, request.user)}
        return render(
            request,
            "admin/claims/operations_page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Schedule publication"),
                "answer": answer,
                "form": form,
                "move": moves.get("schedule"),
                "kind": "schedule",
            },
        )


# --- re-review: live publications due for review, oldest first


class DueForReviewAdmin(WorkflowQueueAdmin):
    list_display = ["question_link", "jurisdiction", "review_due_on", "version", "published_at"]
    list_select_related = ["jurisdiction"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .live()
            .filter(review_due_on__lte=timezone.localdate())
            .order_by("review_due_on", "pk")
        )

    @admin.display(description=gettext_lazy("Question"))
    def question_link(self, obj) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:claims_dueforreview_change", args=[obj.pk]),
            Truncator(obj.question_text).chars(90),
        )

    @admin.display(description=gettext_lazy("Jurisdiction"))
    def jurisdiction(self, obj) -> str:
        return obj.jurisdiction.code

    def change_view(self, request, object_id, form_url="", extra_context=None):
        publication = self._row(request, object_id)
        answer = Answer.objects.select_related("question__jurisdiction").get(
            pk=publication.answer_id
        )
        if request.method == "POST":
            try:
                if "confirm" in request.POST:
                    new = workflow.confirm_review(
                        answer, by=request.user, note=request.POST.get("note", "")
                    )
                    messages.success(
                        request,
                        _("Confirmed: version %(version)d is live, next review due %(due)s.")
                        % {"version": new.version, "due": new.review_due_on.isoformat()},
                    )
                    return HttpResponseRedirect(reverse("admin:claims_dueforreview_changelist"))
                if "reopen" in request.POST:
                    workflow.reopen_answer(
                        answer, by=request.user, reason=request.POST.get("note", "")
                    )
                    messages.success(
                        request,
                        _("Reopened; the published version stays live until a new one is."),
                    )
                    return HttpResponseRedirect(
                        reverse("admin:courtinfo_answer_change", args=[answer.pk])
                    )
            except workflow.TransitionError as error:
                messages.error(request, str(error))
        moves = {m.action: m for m in workflow.available_operations(answer, request.user)}
        return render(
            request,
            "admin/claims/operations_page.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Re-review"),
                "answer": answer,
                "publication": publication,
                "move": moves.get("confirm_review"),
                "can_reopen": request.user.has_perm("claims.change_claim")
                and answer.status in workflow.ANSWER_TRANSITIONS["reopen"].sources,
                "kind": "rereview",
                "overdue_days": (timezone.localdate() - publication.review_due_on).days,
            },
        )


admin.site.register(DueForReview, DueForReviewAdmin)
