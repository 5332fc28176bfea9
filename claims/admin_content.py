"""Admin for jurisdictions, topics, questions, answers, publications; answers carry the workflow.

It lives in claims because it is built on the workflow and the claims admin: courtinfo, whose
models it shows, depends on nothing in claims.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import CharField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from reversion.models import Revision, Version

from claims import admin_claims_editor, admin_import, desks, workflow
from claims.admin_paginator import EstimatedCountPaginator
from claims.admin_views import (
    PUBLICATION_TEXT,
    EditorialAdmin,
    QueueFilter,
    QueueOrderingMixin,
    ReadOnlyAdmin,
    ShownColumnsMixin,
    Side,
    StatusColumn,
    admin_url,
    compare_url,
    display_name,
    posted_seen,
    report,
    row_count,
    when_shown,
)
from claims.models import Citation, Claim, Review
from claims.risk import citations_by_claim
from claims.snapshot import build_payload
from courtinfo.models import Answer, BlockKind, Jurisdiction, Publication, Question, Topic

# The buttons the answer page offers: (workflow action, label, what the note field is for).
# Who may press them and from which status comes from the workflow's own table.
ANSWER_BUTTONS = [
    ("submit", gettext_lazy("Submit for review"), ""),
    ("approve", gettext_lazy("Approve"), ""),
    ("request_changes", gettext_lazy("Send back to the editor"), "required"),
    ("publish", gettext_lazy("Publish"), "summary"),
    ("withdraw", gettext_lazy("Withdraw from the public site"), "required"),
    ("reopen", gettext_lazy("Back to draft, to rework it"), "required"),
]


admin.site.site_header = gettext_lazy("courtinfo editorial")
admin.site.site_title = gettext_lazy("courtinfo editorial")
admin.site.index_title = gettext_lazy("Work queues and content")
# The dashboard and the breadcrumbs lead everywhere; the sidebar only took width from the work.
admin.site.enable_nav_sidebar = False


def run_transition(answer: Answer, action: str, *, by, note: str = "", seen=None) -> None:
    wf = workflow
    if action == "submit":
        wf.submit_answer(answer, by=by, note=note)
    elif action == "approve":
        wf.approve_answer(answer, by=by, note=note, seen=seen)
    elif action == "request_changes":
        wf.request_changes(answer, by=by, note=note)
    elif action == "publish":
        wf.publish_answer(answer, by=by, summary=note)
    elif action == "withdraw":
        wf.withdraw_answer(answer, by=by, reason=note)
    elif action == "reopen":
        wf.reopen_answer(answer, by=by, reason=note)
    else:
        raise Http404(_("Unknown action."))


@admin.register(Jurisdiction)
class JurisdictionAdmin(EditorialAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(EditorialAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReviewDueFilter(admin.SimpleListFilter):
    title = gettext_lazy("review due")
    parameter_name = "review_due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("30", _("Within 30 days")),
            ("later", _("Later")),
        ]

    def queryset(self, request, queryset):
        prefix = "" if queryset.model is Publication else "live_publication__"
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=30)
        if self.value() == "overdue":
            return queryset.filter(**{f"{prefix}review_due_on__lt": today})
        if self.value() == "30":
            return queryset.filter(
                **{f"{prefix}review_due_on__gte": today, f"{prefix}review_due_on__lte": soon}
            )
        if self.value() == "later":
            return queryset.filter(**{f"{prefix}review_due_on__gt": soon})
        return queryset


@admin.register(Question)
class QuestionAdmin(EditorialAdmin):
    list_display = ["text", "jurisdiction", "topic", "position", "answer_status", "updated_at"]
    list_select_related = ["jurisdiction", "topic", "answer"]
    list_filter = ["jurisdiction", "topic", "answer__status"]
    search_fields = ["text", "compare_key"]
    autocomplete_fields = ["jurisdiction", "topic"]
    readonly_fields = ["source_file", "updated_by", "updated_at"]
    guard_stale_forms = True
    change_list_template = "admin/courtinfo/question/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="courtinfo_question_import",
            ),
        ] + super().get_urls()

    # The import page checks an upload's size before reading it, then checks CSRF itself.
    @method_decorator(csrf_exempt)
    def import_view(self, request):
        return admin_import.import_view(self, request)

    def get_readonly_fields(self, request, obj=None):
        # The public address, the order and the comparison key are the system's to keep.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "slug", "position", "compare_key"] if obj is not None else fields

    def view_on_site(self, obj: Question) -> str | None:
        # The public page while something is live, else the preview of the answer as it would read.
        answer = Answer.objects.filter(question=obj).only("pk", "live_publication").first()
        if answer is None:
            return None
        return (
            obj.get_absolute_url() if answer.live_publication_id else admin_url(answer, "preview")
        )

    @admin.display(description=gettext_lazy("Answer"), ordering="answer__status")
    def answer_status(self, obj: Question):
        answer = getattr(obj, "answer", None)
        if answer is None:
            return "—"
        return format_html('<a href="{}">{}</a>', admin_url(answer), StatusColumn(answer))

    def is_published(self, obj: Question) -> bool:
        return Publication.objects.filter(answer__question=obj).exists()

    def save_model(self, request, obj, form, change):
        # What the edit means for the answer's approval is the workflow's to decide (it hears
        # of every save of a question).
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Answer)
class AnswerAdmin(ShownColumnsMixin, QueueOrderingMixin, EditorialAdmin):
    # A national list: no count of the whole table beside the filtered one, and an estimate for
    # an unfiltered list of a large table (claims.admin_paginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = [
        "question_text",
        "jurisdiction",
        "topic",
        StatusColumn,
        "claim_count",
        "review_due_on",
        "updated_at",
        "seen",
    ]
    # The list shows no person: who submitted and approved is the change page's trail.
    list_select_related = [
        "question__jurisdiction",
        "question__topic",
        "live_publication",
    ]
    # What the columns read; `blocks` and the question's text for the `seen` field of an answer
    # in review.
    list_only = (
        "status",
        "blocks",
        "updated_at",
        "question__text",
        "question__jurisdiction__name",
        "question__topic__name",
        "live_publication__review_due_on",
    )
    list_filter = [
        QueueFilter,
        "status",
        "question__jurisdiction",
        "question__topic",
        ("approved_by", admin.RelatedOnlyFieldListFilter),
        ReviewDueFilter,
    ]
    search_fields = ["question__text"]
    ordering = ["question__jurisdiction__name", "question__position", "pk"]
    autocomplete_fields = ["question"]
    readonly_fields = ["status_display", "live_link", "trail"]
    # The layout and the claims are edited in the claims editor below the form, a change at a time.
    fieldsets = [(None, {"fields": ["question_link", "status_display", "trail", "live_link"]})]
    actions = ["submit", "approve", "publish"]
    change_form_template = "admin/courtinfo/answer/change_form.html"
    change_list_template = "admin/courtinfo/answer/change_list.html"
    guard_stale_forms = True
    diff_labels = {"question_id": gettext_lazy("Question")}

    def get_queryset(self, request):
        # Only an answer in review can be approved from the list, so only its claims are read
        # (for the `seen` column); claims are counted for the rows shown.
        in_review = (
            Claim.objects.filter(answer__status=Answer.Status.IN_REVIEW)
            .order_by("block", "position", "pk")
            .prefetch_related(Prefetch("citations", queryset=citations_by_claim()))
        )
        return (
            super()
            .get_queryset(request)
            .annotate(claim_total=row_count(Claim, "answer"))
            # The list shows neither what was approved nor what the live publication published.
            .defer("approved_content", *(f"live_publication__{name}" for name in PUBLICATION_TEXT))
            .prefetch_related(Prefetch("claims", queryset=in_review, to_attr="claims_in_review"))
        )

    def get_object(self, request, object_id, from_field=None):
        # A GET of the change page reads its answer once, for the workflow's buttons and then
        # for Django's form: the page changes nothing in between. Any other request reads afresh.
        shown = getattr(request, "_answer_shown", None)
        if request.method == "GET" and shown is not None and str(shown.pk) == str(object_id):
            return shown
        latest_version = (
            Version.objects.get_for_model(Answer)
            .filter(object_id=Cast(OuterRef("pk"), output_field=CharField()))
            .order_by("-pk")
            .values("pk")[:1]
        )
        queryset = (
            desks.with_last_move(Answer.objects.all())
            .annotate(latest_version_id=Subquery(latest_version))
            .select_related(
                "question__jurisdiction",
                "question__topic",
                # The live link's address names the publication's jurisdiction.
                "live_publication__jurisdiction",
                "submitted_by",
                "approved_by",
                "updated_by",
            )
        )
        try:
            answer = queryset.get(pk=object_id)
        except (Answer.DoesNotExist, ValueError):
            return None
        if request.method == "GET":
            request._answer_shown = answer
        return answer

    def view_on_site(self, obj: Answer) -> str:
        # Nothing public yet is a 404 there: show the preview instead.
        return obj.get_absolute_url() if obj.live_publication_id else admin_url(obj, "preview")

    # Columns.

    @admin.display(description=gettext_lazy("Question"), ordering="question__text")
    def question_text(self, obj: Answer) -> str:
        return obj.question.text

    @admin.display(description=gettext_lazy("Jurisdiction"), ordering="question__jurisdiction")
    def jurisdiction(self, obj: Answer):
        return obj.question.jurisdiction

    @admin.display(description=gettext_lazy("Topic"), ordering="question__topic__name")
    def topic(self, obj: Answer):
        return obj.question.topic or "—"

    @admin.display(description=gettext_lazy("Claims"), ordering="claim_total")
    def claim_count(self, obj: Answer) -> int:
        return obj.claim_total

    @admin.display(
        description=gettext_lazy("Review due"), ordering="live_publication__review_due_on"
    )
    def review_due_on(self, obj: Answer):
        return obj.live_publication.review_due_on if obj.live_publication else "—"

    @admin.display(description=gettext_lazy("Status"))
    def status_display(self, obj: Answer):
        return StatusColumn(obj)

    @admin.display(description=gettext_lazy("Live"))
    def live_link(self, obj: Answer):
        live = obj.live_publication
        if live is None:
            return _("Not on the public site.")
        return format_html(
            '<a href="{}">{}</a>',
            live.get_absolute_url(),
            _("Version %(version)s, published %(when)s")
            % {"version": live.version, "when": when_shown(live.published_at)},
        )

    # Deleting.

    def is_published(self, obj: Answer) -> bool:
        return obj.live_publication_id is not None or obj.publications.exists()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj)

    # Saving: content here, claims through the workflow.

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    # The change page: workflow buttons, then the claims editor.

    def get_readonly_fields(self, request, obj=None):
        # An answer answers the question it was made for; the question's page edits its text.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "question_link"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["question"]})]
        return super().get_fieldsets(request, obj)

    @admin.display(description=gettext_lazy("Question"))
    def question_link(self, obj: Answer):
        return format_html(
            '{} <a href="{}">{}</a>',
            obj.question.text,
            admin_url(obj.question),
            _("Edit the question"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        answer = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if answer is not None:
            extra.update(self.workflow_context(request, answer))
            # Nothing on the form is typed in: every change is a button of its own.
            extra.update(show_save=False, show_save_and_continue=False)
            extra["show_save_and_add_another"] = False
        return super().change_view(request, object_id, form_url, extra)

    def workflow_context(self, request, answer: Answer) -> dict:
        # The workflow says which moves this person has; the page only shows them.
        buttons = {action: (label, note) for action, label, note in ANSWER_BUTTONS}
        transitions = []
        for move in workflow.available_actions(answer, request.user):
            label, note = buttons[move.action]
            transitions.append(
                {"action": move.action, "label": label, "note": note, "refusal": move.refusal}
            )
        live = answer.live_publication
        # get_object annotated the answer with its newest status event and history version.
        sent_back = (
            answer.status == Answer.Status.DRAFT
            and answer.last_move == Review.Action.REQUEST_CHANGES
        )
        latest = answer.latest_version_id
        return {
            **admin_claims_editor.editor_context(request, answer),
            "transitions": transitions,
            "sent_back_note": answer.last_move_note if sent_back else None,
            "live_compare_url": (admin_url(answer, "compare") + "?from=live&to=current")
            if live
            else None,
            "history_compare_url": compare_url(answer, latest, "current") if latest else None,
            "preview_url": admin_url(answer, "preview"),
        }

    @admin.display(description=gettext_lazy("Trail"))
    def trail(self, obj: Answer):
        steps = [
            (_("Submitted by %(who)s on %(when)s"), obj.submitted_by, obj.submitted_at),
            (_("Approved by %(who)s on %(when)s"), obj.approved_by, obj.approved_at),
            (_("Last changed by %(who)s on %(when)s"), obj.updated_by, obj.updated_at),
        ]
        return format_html_join(
            " · ",
            "<span>{}</span>",
            (
                (text % {"who": display_name(who), "when": when_shown(when)},)
                for text, who, when in steps
                if when is not None
            ),
        )

    # Extra pages.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name=f"{info[0]}_{info[1]}_transition",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{info[0]}_{info[1]}_preview",
            ),
            path(
                "<path:object_id>/claims/",
                self.admin_site.admin_view(require_POST(self.claims_view)),
                name=f"{info[0]}_{info[1]}_claims",
            ),
        ] + super().get_urls()

    def claims_view(self, request, object_id):
        return admin_claims_editor.claims_editor_view(self, request, object_id)

    def transition_view(self, request, object_id):
        answer = self.acted_on(request, object_id)
        action = request.POST.get("action", "")
        try:
            run_transition(
                answer,
                action,
                by=request.user,
                note=request.POST.get("note", ""),
                seen=posted_seen(request),
            )
        except workflow.TransitionError as error:
            messages.error(request, str(error))
        else:
            answer.refresh_from_db()
            done = _("%(answer)s is now %(status)s.") % {
                "answer": answer,
                "status": answer.get_status_display().lower(),
            }
            if action == "publish" and answer.live_publication_id:
                done = format_html(
                    '{} <a href="{}">{}</a>',
                    done,
                    answer.get_absolute_url(),
                    _("See the public page."),
                )
            messages.success(request, done)
        return HttpResponseRedirect(admin_url(answer))

    def preview_view(self, request, object_id):
        answer = self.acted_on(request, object_id)
        payload = build_payload(
            answer,
            version=None,
            published_at=None,
            published_by=None,
            summary="",
            review_due_on=None,
        )
        publication = SimpleNamespace(
            payload=payload,
            version=None,
            published_at=None,
            summary="",
            review_due_on=None,
            jurisdiction=answer.question.jurisdiction,
            topic=answer.question.topic,
            question_text=answer.question.text,
            question_slug=answer.question.slug,
            answer=answer,
            get_absolute_url=lambda: "#",
        )
        context = {
            "publication": publication,
            "payload": payload,
            "preview": True,
            "preview_admin_url": admin_url(answer),
        }
        return TemplateResponse(request, "public/question.html", context)

    # History: the answer's versions, and the revisions that stored only some of its claims.

    def history_entries(self, obj: Answer) -> list:
        # A call on claims stores those claims alone (claims.workflow), so no version of the
        # answer records it: it is listed here with its comment, linking to what each claim's
        # version changed.
        versions = super().history_entries(obj)
        entries: dict[int, ClaimsEntry] = {}
        for version in claims_stored_alone(obj)[:200]:
            entry = entries.setdefault(version.revision_id, ClaimsEntry(version.revision))
            entry.add(version)
        listed = [*versions, *entries.values()]
        return sorted(listed, key=lambda e: (e.revision.date_created, e.revision.pk), reverse=True)

    # Compare: claims come with the answer's versions and the live publication is a side too.

    def version_side(self, version):
        side = super().version_side(version)
        claims = []
        citations: dict[str, list[dict]] = {}
        for other in version.revision.version_set.select_related("content_type"):
            model = other.content_type.model_class()
            if model is Claim and str(other.field_dict.get("answer_id")) == version.object_id:
                claims.append(other.field_dict)
            elif model is Citation:
                data = other.field_dict
                citations.setdefault(str(data["claim_id"]), []).append(data)
        side.claims = _claim_dicts(claims, citations)
        return side

    def current_side(self, obj: Answer):
        side = super().current_side(obj)
        claims = list(obj.claims.prefetch_related("citations").order_by("block", "position"))
        side.claims = [
            {
                "id": c.pk,
                "text": c.text,
                "status": c.status,
                "block": c.block,
                "position": c.position,
                "citations": [_citation_dict(ct.__dict__) for ct in c.citations.all()],
            }
            for c in claims
        ]
        return side

    def resolve_side(self, request, obj: Answer, which):
        if which == "live":
            live = obj.live_publication
            if live is None:
                return Side(label=_("Not on the public site yet"), fields={}, claims=[])
            claims = [
                {**claim, "status": claim.get("status")}
                for block in live.payload.get("blocks", [])
                for claim in block.get("claims", [])
            ]
            fields = self.current_side(obj).fields
            fields.update({"status": Answer.Status.PUBLISHED, "blocks": obj.blocks})
            return Side(
                label=_("Live publication, version %(version)s") % {"version": live.version},
                fields=fields,
                claims=claims,
            )
        return super().resolve_side(request, obj, which)

    def diff_field_names(self) -> list[str]:
        return ["question_id", "status", "blocks"]

    def _displayable(self, values: list[dict]) -> list[dict]:
        # The layout as the claims editor names it, not as JSON.
        for v in super()._displayable(values):
            if isinstance(v.get("blocks"), list):
                v["blocks"] = "; ".join(_block_label(block) for block in v["blocks"])
        return values

    # Revert and recover: the answer with its own claims and citations, nothing else.

    def revert_object(self, request, obj: Answer, version):
        wf = workflow
        obj.blocks = version.field_dict["blocks"]
        obj.updated_by = request.user
        obj.save(update_fields=["blocks", "updated_by", "updated_at"])
        claim_versions, citation_versions = [], []
        for other in version.revision.version_set.select_related("content_type"):
            model = other.content_type.model_class()
            if model is Claim and str(other.field_dict.get("answer_id")) == str(obj.pk):
                claim_versions.append(other)
        claim_ids = {v.object_id for v in claim_versions}
        for other in version.revision.version_set.select_related("content_type"):
            model = other.content_type.model_class()
            if model is Citation and str(other.field_dict.get("claim_id")) in claim_ids:
                citation_versions.append(other)
        for claim in obj.claims.exclude(pk__in=claim_ids):
            wf.delete_claim(claim, by=request.user)
        citation_ids = {v.object_id for v in citation_versions}
        for citation in Citation.objects.filter(claim__answer=obj, claim_id__in=claim_ids).exclude(
            pk__in=citation_ids
        ):
            wf.remove_citation(citation, by=request.user)
        for claim_version in claim_versions:
            claim_version.revert()
        for citation_version in citation_versions:
            citation_version.revert()
        reason = _("Reverted to an earlier version.")
        for claim in Claim.objects.filter(pk__in=claim_ids):
            wf.mark_claim_unverified(claim, by=request.user, reason=reason)
        wf.reconcile_answer(obj, by=request.user, what=reason)

    # Changelist actions: each item through the workflow; refusals reported one by one.

    @admin.display(description="")
    def seen(self, obj: Answer):
        # Posted with a bulk approval: the answer as this list knew it, so an answer changed
        # after the list was loaded is refused rather than approved unseen. Only an answer in
        # review can be approved; any other has no field, and an approval of it is refused.
        if obj.status != Answer.Status.IN_REVIEW:
            return ""
        claims = sorted(obj.claims_in_review, key=lambda c: (c.block, c.position, c.pk))
        return format_html(
            '<input type="hidden" name="seen-{}" value="{}">',
            obj.pk,
            workflow.fingerprint(workflow.answer_content(obj, claims)),
        )

    def _bulk(self, request, queryset, action: str, verb: str):
        done, errors = 0, []
        for answer in queryset:
            try:
                seen = posted_seen(request, f"seen-{answer.pk}") if action == "approve" else None
                run_transition(answer, action, by=request.user, seen=seen)
                done += 1
            except workflow.TransitionError as error:
                errors.append((answer, str(error)))
        report(request, done, errors, verb)

    def has_submit_permission(self, request):
        return request.user.has_perm("courtinfo.submit_answer")

    def has_review_permission(self, request):
        return request.user.has_perm("courtinfo.review_answer")

    def has_publish_permission(self, request):
        return request.user.has_perm("courtinfo.publish_answer")

    @admin.action(description=gettext_lazy("Submit for review"), permissions=["submit"])
    def submit(self, request, queryset):
        self._bulk(request, queryset, "submit", _("answers submitted for review"))

    @admin.action(description=gettext_lazy("Approve"), permissions=["review"])
    def approve(self, request, queryset):
        self._bulk(request, queryset, "approve", _("answers approved"))

    @admin.action(description=gettext_lazy("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(request, queryset, "publish", _("answers published"))


def claims_stored_alone(answer: Answer) -> QuerySet[Version]:
    """Versions of the answer's claims stored without the answer, newest first, each with the
    id of its claim's version before it (`earlier`)."""
    claim_ids = [str(pk) for pk in answer.claims.values_list("pk", flat=True)]
    earlier = (
        Version.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            db=OuterRef("db"),
            object_id=OuterRef("object_id"),
            pk__lt=OuterRef("pk"),
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    return (
        Version.objects.get_for_model(Claim)
        .filter(object_id__in=claim_ids)
        .exclude(revision__in=Version.objects.get_for_object(answer).values("revision"))
        .annotate(earlier=Subquery(earlier))
        .select_related("revision", "revision__user")
        .order_by("-pk")
    )


@dataclass
class ClaimsEntry:
    """A line of an answer's history for a revision that stored some of its claims alone."""

    revision: Revision
    claim_links: list[tuple[str, str]] = field(default_factory=list)

    def add(self, version: Version) -> None:
        """Link what this claim's version changed (its history when it has no earlier one)."""
        history = reverse("admin:claims_claim_history", args=[version.object_id])
        url = (
            f"{history}compare/?from={version.earlier}&to={version.pk}"
            if version.earlier
            else history
        )
        label = _("What changed in claim #%(id)s") % {"id": version.object_id}
        self.claim_links.append((label, url))


def _block_label(block) -> str:
    if not isinstance(block, dict) or block.get("kind") not in BlockKind.values:
        return str(block)
    label = str(BlockKind(block["kind"]).label)
    return f"{label} {block['number']}" if block.get("number") else label


def _citation_dict(data: dict) -> dict:
    return {
        "source": data.get("source_id"),
        "pinpoint": data.get("pinpoint", ""),
        "quote": data.get("quote", ""),
    }


def _claim_dicts(claims: list[dict], citations: dict[str, list[dict]]) -> list[dict]:
    claims = sorted(claims, key=lambda c: (c.get("block", 0), c.get("position", 0), c["id"]))
    return [
        {
            "id": c["id"],
            "text": c.get("text", ""),
            "status": c.get("status"),
            "block": c.get("block"),
            "position": c.get("position"),
            "citations": [_citation_dict(ct) for ct in citations.get(str(c["id"]), [])],
        }
        for c in claims
    ]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = [
        "question_text",
        "jurisdiction",
        "version",
        "published_at",
        "published_by",
        "review_due_on",
        "is_live",
    ]
    list_select_related = ["jurisdiction", "published_by", "answer__live_publication"]
    list_filter = ["jurisdiction", "topic", ReviewDueFilter]
    search_fields = ["question_text", "summary"]
    date_hierarchy = "published_at"

    @admin.display(description=gettext_lazy("Live"), boolean=True)
    def is_live(self, obj: Publication) -> bool:
        return obj.answer.live_publication_id == obj.pk
