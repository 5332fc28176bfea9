"""Admin for claims, sources, citations and reviews; every status change goes through workflow."""

from __future__ import annotations

import datetime

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from claims import (
    admin_content,  # noqa: F401  (registers the content models' admin)
    admin_reports,  # noqa: F401  (reader reports, scheduling, re-review, notifications)
    admin_translations,  # noqa: F401  (registers the translators' admin)
    evidence,
    named_laws,
    workflow,
)
from claims.admin_claims_editor import pop_refusals, refuse
from claims.admin_paginator import EstimatedCountPaginator
from claims.admin_views import (
    BOUNDED_CHOICES,
    PUBLICATION_TEXT,
    EditorialAdmin,
    QueueFilter,
    QueueOrderingMixin,
    ReadOnlyAdmin,
    RiskFilter,
    ShownColumnsMixin,
    StatusColumn,
    admin_url,
    lock_row,
    posted_seen,
    report,
    risk_badge,
    row_count,
    seen_field,
    when_shown,
)
from claims.models import Citation, Claim, Review, Source
from claims.risk import citations_by_claim, claim_audit
from courtinfo.models import Answer, BlockKind

VERDICTS = {
    Claim.Status.SUPPORTED,
    Claim.Status.DISPUTED,
    Claim.Status.NOT_A_CLAIM,
}


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _save_citations(request, claim: Claim, formset) -> None:
    """New, changed and removed citations, each through the workflow."""
    wf = workflow
    for form in formset.forms:
        citation = form.instance
        if form in formset.deleted_forms:
            if citation.pk:
                wf.remove_citation(Citation.objects.get(pk=citation.pk), by=request.user)
            continue
        if not form.has_changed():
            continue
        data = form.cleaned_data
        if not data.get("source"):
            continue
        if citation.pk:
            # A changed citation is a different citation: the old one goes, the new one comes.
            wf.remove_citation(Citation.objects.get(pk=citation.pk), by=request.user)
        target = data.get("claim") or claim
        wf.add_citation(
            target,
            by=request.user,
            source=data["source"],
            pinpoint=data.get("pinpoint", ""),
            quote=data.get("quote", ""),
        )
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class CitationInline(admin.TabularInline):
    model = Citation
    formfield_overrides = BOUNDED_CHOICES
    fields = ["source", "pinpoint", "quote", "quote_in_copy"]
    readonly_fields = ["quote_in_copy"]
    autocomplete_fields = ["source"]
    extra = 1

    @admin.display(description=gettext_lazy("In the archived copy"))
    def quote_in_copy(self, obj: Citation) -> str:
        if obj is None or obj.pk is None:
            return ""
        anchor = obj.anchor
        if not anchor:
            return _("No copy of the source was archived when this was cited.")
        on = when_shown(datetime.datetime.fromisoformat(anchor["retrieved_at"]))
        if anchor["found"]:
            return format_html(
                '<span class="quote-found">{} …{}<mark>{}</mark>{}…</span>',
                _("Found in the copy of %(on)s:") % {"on": on},
                anchor["prefix"],
                anchor["exact"],
                anchor["suffix"],
            )
        return format_html(
            '<span class="quote-not-found">{} {}</span>',
            _("Not found in the copy of %(on)s; the closest passage:") % {"on": on},
            f"“{Truncator(anchor['closest']).chars(300)}”" if anchor["closest"] else _("none."),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["quote"].widget.attrs.update({"rows": 2})
        return formset


# Who wrote and who checked a claim: shown on its page, never edited there.
VERIFICATION_FIELDS = ["author", "verified_by", "verified_at", "note", "updated_by", "updated_at"]


@admin.register(Claim)
class ClaimAdmin(ShownColumnsMixin, QueueOrderingMixin, EditorialAdmin):
    # A national list: no count of the whole table beside the filtered one, and an estimate for
    # an unfiltered list of a large table (claims.admin_paginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = [
        "short_text",
        "risk",
        "question",
        StatusColumn,
        "citation_count",
        "verified_by",
        "updated_at",
        "seen",
    ]
    # Who wrote a claim is its change page's; the list shows who verified it.
    list_select_related = [
        "answer__question__jurisdiction",
        "answer__live_publication",
        "verified_by",
    ]
    # What the columns read (the risk, the `seen` field and links included); the citations
    # come whole from the prefetch.
    list_only = (
        "text",
        "status",
        "verified_at",
        "updated_at",
        "answer__question__text",
        "answer__question__jurisdiction__code",
        "answer__live_publication__review_due_on",
        "verified_by__username",
    )
    list_filter = [
        QueueFilter,
        RiskFilter,
        "status",
        "answer__question__jurisdiction",
        "answer__question__topic",
        ("verified_by", admin.RelatedOnlyFieldListFilter),
        "answer__status",
    ]
    search_fields = ["text"]
    ordering = ["answer", "block", "position", "pk"]
    autocomplete_fields = ["answer"]
    # Where a claim stands is the claims editor's to change, on its answer's page.
    readonly_fields = ["place", "status_display", "risk", *VERIFICATION_FIELDS]
    fieldsets = [
        (None, {"fields": ["answer", "text", "place", "status_display", "risk"]}),
        (
            gettext_lazy("Verification"),
            {"fields": VERIFICATION_FIELDS},
        ),
    ]
    inlines = [CitationInline]
    actions = ["mark_supported", "mark_not_a_claim"]
    change_form_template = "admin/claims/claim/change_form.html"
    guard_stale_forms = True
    diff_labels = {"answer_id": gettext_lazy("Answer")}

    def get_queryset(self, request):
        # Citations counted for the rows shown; none of the large columns of the answer or its
        # publication, which the list does not show.
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=row_count(Citation, "claim"))
            .defer(
                "answer__approved_content",
                *(f"answer__live_publication__{name}" for name in PUBLICATION_TEXT),
            )
            .prefetch_related(Prefetch("citations", queryset=citations_by_claim()))
        )

    def get_readonly_fields(self, request, obj=None):
        # A claim stays in the answer it was written for; moving it elsewhere is not an edit.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "answer"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["answer", "text"]})]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "text" in form.base_fields:
            form.base_fields["text"].widget.attrs.update({"rows": 4, "class": "claim-text"})
        return form

    @admin.display(description=gettext_lazy("Claim"), ordering="text")
    def short_text(self, obj: Claim) -> str:
        return str(obj)

    @admin.display(description=gettext_lazy("Question"), ordering="answer__question__text")
    def question(self, obj: Claim) -> str:
        text = obj.answer.question.text
        text = text if len(text) <= 60 else text[:59] + "…"
        return f"{obj.answer.question.jurisdiction.code} · {text}"

    @admin.display(
        description=gettext_lazy("Jurisdiction"), ordering="answer__question__jurisdiction"
    )
    def jurisdiction(self, obj: Claim):
        return obj.answer.question.jurisdiction

    @admin.display(description=gettext_lazy("Citations"), ordering="citation_total")
    def citation_count(self, obj: Claim) -> int:
        return obj.citation_total

    @admin.display(description=gettext_lazy("Status"))
    def status_display(self, obj: Claim):
        return StatusColumn(obj)

    @admin.display(description=gettext_lazy("Risk"))
    def risk(self, obj: Claim):
        return risk_badge(claim_audit(obj)) if obj.pk else ""

    @admin.display(description=gettext_lazy("Place in the answer"))
    def place(self, obj: Claim):
        if obj.pk is None:
            return ""
        return format_html(
            '{} <a href="{}#claim-{}">{}</a>',
            _("Block %(block)d, place %(position)d.")
            % {"block": obj.block + 1, "position": obj.position + 1},
            admin_url(obj.answer),
            obj.pk,
            _("Move it in the answer's claims editor"),
        )

    # Saving through the workflow.

    def lock_edited(self, obj: Claim) -> Claim | None:
        # The workflow's lock order, so that a save and a workflow call never deadlock.
        if lock_row(Answer, obj.answer_id) is None:
            return None
        return lock_row(Claim, obj.pk)

    def save_model(self, request, obj, form, change):
        wf = workflow
        if not change:
            # At the end of the answer; the claims editor moves it where it belongs.
            blocks = obj.answer.blocks
            if blocks:
                created = wf.add_claim(
                    obj.answer, by=request.user, text=obj.text, block=len(blocks) - 1
                )
            else:
                created = wf.add_block(
                    obj.answer, by=request.user, kind=BlockKind.PARAGRAPH, text=obj.text
                )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        stored = Claim.objects.select_related("answer").get(pk=obj.pk)
        if stored.text != obj.text:
            wf.edit_claim(stored, by=request.user, text=obj.text)
        obj.refresh_from_db()

    def response_change(self, request, obj):
        # Opened from its answer's page: back there, at this claim.
        if request.GET.get("from") == "answer" and not any(
            key in request.POST for key in ("_continue", "_addanother", "_saveasnew")
        ):
            self.message_user(request, _("“%(claim)s” was saved.") % {"claim": obj})
            return HttpResponseRedirect(f"{admin_url(obj.answer)}#claim-{obj.pk}")
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Citation:
            return _save_citations(request, form.instance, formset)
        return super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        workflow.delete_claim(obj, by=request.user)

    # Verifying from the claim page or straight from the answer page.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(require_POST(self.verify_view)),
                name=f"{info[0]}_{info[1]}_verify",
            ),
            path(
                "<path:object_id>/named-source/",
                self.admin_site.admin_view(require_POST(self.named_source_view)),
                name=f"{info[0]}_{info[1]}_named_source",
            ),
        ] + super().get_urls()

    def named_source_view(self, request, object_id):
        """Create the source for a law the claim names, or cite one the library holds."""
        claim = self.acted_on(request, object_id)
        try:
            if request.POST.get("source"):
                source = self._named_library_source(claim, request.POST["source"])
                workflow.add_citation(
                    claim, by=request.user, source=source, pinpoint=request.POST.get("pinpoint", "")
                )
                messages.success(request, _("Cited %(source)s.") % {"source": source})
            else:
                if not request.user.has_perm("claims.add_source"):
                    raise PermissionDenied
                source = named_laws.create_source(
                    claim, request.POST.get("citation", ""), by=request.user
                )
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Source %(source)s is ready.") % {"source": source},
                        admin_url(source),
                        _("Archive it from its page"),
                    ),
                )
        except (named_laws.NotNamed, workflow.TransitionError) as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(f"{admin_url(claim)}#named-laws")

    def _named_library_source(self, claim: Claim, source_id: str) -> Source:
        # Only a source the page offered: one whose citation the claim's text names.
        offered = {
            str(source.pk): source
            for law in named_laws.named_laws(claim)
            for source in law.uncited_sources
        }
        if source_id not in offered:
            raise named_laws.NotNamed(
                _("That source is not one this claim's text names, or it is cited already.")
            )
        return offered[source_id]

    def verify_view(self, request, object_id):
        claim = self.acted_on(request, object_id)
        verdict = request.POST.get("verdict", "")
        if verdict not in VERDICTS:
            refuse(request, f"claim-{claim.pk}", _("Choose supported, disputed or not a claim."))
        else:
            try:
                workflow.verify_claim(
                    claim,
                    by=request.user,
                    verdict=verdict,
                    note=request.POST.get("note", ""),
                    seen=posted_seen(request),
                )
            except workflow.TransitionError as error:
                # Shown beside the claim, where the reviewer pressed the button.
                refuse(request, f"claim-{claim.pk}", str(error))
            else:
                claim.refresh_from_db()
                messages.success(
                    request,
                    _("Marked “%(claim)s” %(status)s.")
                    % {"claim": claim, "status": claim.get_status_display().lower()},
                )
        target = _safe_next(request, admin_url(claim))
        return HttpResponseRedirect(f"{target}#claim-{claim.pk}" if "#" not in target else target)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if claim is not None:
            # The workflow says which verdicts this person may give; the page only shows them.
            moves = workflow.available_verdicts(claim, request.user)
            claim.verdict_moves = [m for m in moves if m.allowed]
            claim.seen = seen_field(workflow.claim_content(claim))
            extra["can_verify"] = bool(claim.verdict_moves)
            extra["verdict_claim"] = claim
            extra["named_laws"] = named_laws.named_laws(claim)
            extra["can_cite"] = self.has_change_permission(request, claim)
            extra["can_add_source"] = request.user.has_perm("claims.add_source")
            extra["claim_refusal"] = pop_refusals(request).get(f"claim-{claim.pk}", {})
            if not claim.verdict_moves and moves:
                extra["verdict_refusal"] = moves[-1].refusal
        return super().change_view(request, object_id, form_url, extra)

    # Changelist actions.

    def has_verify_permission(self, request):
        return request.user.has_perm("claims.verify_claim")

    @admin.display(description="")
    def seen(self, obj: Claim):
        # Posted with a bulk verdict: the claim as this list showed it, so a claim changed after
        # the list was loaded is refused rather than judged unseen.
        return format_html(
            '<input type="hidden" name="seen-{}" value="{}">',
            obj.pk,
            workflow.fingerprint(workflow.claim_content(obj)),
        )

    def _bulk_verify(self, request, queryset, verdict: str, verb: str):
        done, errors = 0, []
        for claim in queryset.select_related("answer"):
            try:
                workflow.verify_claim(
                    claim,
                    by=request.user,
                    verdict=verdict,
                    seen=posted_seen(request, f"seen-{claim.pk}"),
                )
                done += 1
            except workflow.TransitionError as error:
                errors.append((claim, str(error)))
        report(request, done, errors, verb)

    @admin.action(description=gettext_lazy("Mark supported"), permissions=["verify"])
    def mark_supported(self, request, queryset):
        self._bulk_verify(request, queryset, Claim.Status.SUPPORTED, _("claims marked supported"))

    @admin.action(description=gettext_lazy("Mark not a claim"), permissions=["verify"])
    def mark_not_a_claim(self, request, queryset):
        self._bulk_verify(
            request, queryset, Claim.Status.NOT_A_CLAIM, _("claims marked not a claim")
        )

    # Revert and recover: the claim alone, then unverified again.

    def revert_object(self, request, obj: Claim, version):
        version.revert()
        self._after_restore(
            request, Claim.objects.get(pk=obj.pk), _("Reverted to an earlier text.")
        )

    def recover_object(self, request, version):
        version.revert()
        claim = Claim.objects.get(pk=version.object_id)
        self._after_restore(request, claim, _("Recovered after deletion."))
        return claim

    def _after_restore(self, request, claim: Claim, reason: str) -> None:
        # Unverified again, with the person who chose this text as its author; reopens the answer.
        workflow.mark_claim_unverified(claim, by=request.user, reason=reason)


class CitingClaimsInline(admin.TabularInline):
    """On a source's page: the claims that cite it."""

    model = Citation
    fields = ["claim_link", "claim_status", "pinpoint", "quote"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("claim citing this source")
    verbose_name_plural = gettext_lazy("claims citing this source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim", "source")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Claim"))
    def claim_link(self, obj: Citation):
        return format_html('<a href="{}">{}</a>', admin_url(obj.claim), obj.claim)

    @admin.display(description=gettext_lazy("Status"))
    def claim_status(self, obj: Citation):
        return StatusColumn(obj.claim)


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    list_display = ["title", "kind", "citation", "publisher", "cited_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "citation", "publisher", "url"]
    # Annotated querysets drop Meta.ordering, and autocomplete pages need a stable order.
    ordering = ["title", "pk"]
    readonly_fields = ["updated_by", "updated_at"]
    inlines = [CitingClaimsInline]
    guard_stale_forms = True
    formfield_overrides = {**BOUNDED_CHOICES, models.URLField: {"assume_scheme": "https"}}
    actions = ["archive_now"]
    change_form_template = "admin/claims/source/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "url" in form.base_fields:
            form.base_fields["url"].label = _("URL")
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cited_total=row_count(Citation, "source"))

    # Archiving a copy: fetched from the URL (the list's action) or uploaded on the source page.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/archive/",
                self.admin_site.admin_view(require_POST(self.archive_view)),
                name=f"{info[0]}_{info[1]}_archive",
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["latest_copy"] = obj.copies.select_related("retrieved_by").first()
            context["can_archive"] = self.has_change_permission(request, obj)
            context["archive_max_bytes"] = settings.COURTINFO_ARCHIVE_MAX_BYTES
        return super().render_change_form(request, context, add, change, form_url, obj)

    def archive_view(self, request, object_id):
        source = self.acted_on(request, object_id)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        upload = request.FILES.get("copy")
        try:
            if upload is None:
                copy = evidence.archive_source(source, by=request.user)
            elif upload.size > settings.COURTINFO_ARCHIVE_MAX_BYTES:
                raise evidence.ArchiveError(
                    _("The file has %(size)s bytes, more than the %(limit)s a copy may have.")
                    % {
                        "size": f"{upload.size:,}",
                        "limit": f"{settings.COURTINFO_ARCHIVE_MAX_BYTES:,}",
                    }
                )
            else:
                sent = (upload.content_type or "").split(";")[0].strip().lower()
                copy = evidence.archive_source(
                    source,
                    by=request.user,
                    data=upload.read(),
                    # Browsers label files they do not know as octet-stream: look at the bytes.
                    content_type=None if sent in ("", "application/octet-stream") else sent,
                )
        except evidence.ArchiveError as error:
            messages.error(request, format_html("{}: {}", source, error))
        else:
            messages.success(request, _archived_message(source, copy))
        return HttpResponseRedirect(admin_url(source))

    @admin.action(description=gettext_lazy("Archive now"), permissions=["change"])
    def archive_now(self, request, queryset):
        for source in queryset.order_by("pk"):
            try:
                copy = evidence.archive_source(source, by=request.user)
            except evidence.ArchiveError as error:
                messages.error(request, format_html("{}: {}", source, error))
            else:
                messages.success(request, _archived_message(source, copy))

    @admin.display(description=gettext_lazy("Cited by"), ordering="cited_total")
    def cited_count(self, obj: Source) -> int:
        return obj.cited_total

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def is_published(self, obj: Source) -> bool:
        return Citation.objects.filter(
            source=obj, claim__answer__publications__isnull=False
        ).exists()


def _archived_message(source: Source, copy) -> str:
    return format_html(
        "{}: {}",
        source,
        _("archived %(count)s characters of text (%(type)s).")
        % {"count": f"{len(copy.text):,}", "type": copy.content_type},
    )


@admin.register(Citation)
class CitationAdmin(EditorialAdmin):
    list_display = ["claim", "source", "pinpoint"]
    list_select_related = ["claim", "source"]
    search_fields = ["claim__text", "source__title", "source__citation", "pinpoint"]
    autocomplete_fields = ["claim", "source"]

    def save_model(self, request, obj, form, change):
        wf = workflow
        if change:
            wf.remove_citation(Citation.objects.get(pk=obj.pk), by=request.user)
        created = wf.add_citation(
            obj.claim, by=request.user, source=obj.source, pinpoint=obj.pinpoint, quote=obj.quote
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        workflow.remove_citation(obj, by=request.user)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "change", "answer", "claim", "note"]
    list_select_related = ["actor", "answer__question", "claim"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["note", "claim__text", "answer__question__text"]
    date_hierarchy = "at"

    @admin.display(description=gettext_lazy("Change"))
    def change(self, obj: Review) -> str:
        # Statuses as people read them; a claim's and an answer's statuses never share a value.
        labels = {**dict(Claim.Status.choices), **dict(Answer.Status.choices)}
        old = str(labels.get(obj.from_status, obj.from_status) or "—")
        new = str(labels.get(obj.to_status, obj.to_status) or "—")
        return f"{old} → {new}" if old != new else old


class SignInAttemptAdmin(AccessAttemptAdmin):
    """django-axes' sign-in attempts, without its "Clean up expired attempts" action.

    That action reads attributes axes sets only while handling a sign-in, so from the admin it
    fails with a server error; axes already removes expired attempts at each failed sign-in.
    """

    actions = []


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInAttemptAdmin)


class BoundedUserAdmin(UserAdmin):
    formfield_overrides = {**UserAdmin.formfield_overrides, **BOUNDED_CHOICES}


class BoundedGroupAdmin(GroupAdmin):
    formfield_overrides = {**GroupAdmin.formfield_overrides, **BOUNDED_CHOICES}


# Django's own user and group pages, with choices that refuse numbers no row can have.
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), BoundedUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, BoundedGroupAdmin)
