"""The editorial admin's shared machinery: history compare, object-only revert, stale-form guard."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from claims import workflow
from claims.models import Source
from courtinfo.diff import ClaimChange, FieldChange, diff_claims, diff_fields

STALE_FIELD = "_opened_stamp"

# Bookkeeping columns that a person never edits and that differ on every save.
_HIDDEN_IN_DIFF = {
    "id",
    "created_at",
    "updated_at",
    "import_fingerprint",
    "version",
    "verified_content",
    "approved_content",
}


def display_name(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def seen_field(content: dict) -> str:
    """What a page showed, for a hidden field that verdict and approval forms post back."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False)


def posted_seen(request, name: str = "seen") -> dict | str:
    """The content (or its fingerprint) a page posted back; "" when absent or unreadable.

    "" never matches anything, so a form that lost its field is refused, never waved through.
    """
    raw = request.POST.get(name, "")
    if not raw.startswith("{"):
        return raw.strip()
    try:
        value = json.loads(raw)
    except ValueError:
        return ""
    return value if isinstance(value, dict) else ""


def admin_url(obj: models.Model, view: str = "change", *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[quote(obj.pk), *args])


def compare_url(obj: models.Model, from_id: Any, to_id: Any) -> str:
    return f"{admin_url(obj, 'compare')}?from={from_id}&to={to_id}"


def versions_for(obj: models.Model):
    return Version.objects.get_for_object(obj).select_related("revision", "revision__user")


@dataclass
class Side:
    """One side of a comparison: the object's fields and, for an answer, its claims."""

    label: str
    fields: dict[str, Any]
    claims: list[dict] | None = None


class StaleFormMixin(forms.ModelForm):
    """Carries the edit stamp the person opened and refuses to save over a newer change."""

    stamp_for = None  # set by EditorialAdmin.get_form: (obj) -> str
    stale_message_for = None  # set by EditorialAdmin.get_form: (obj, opened) -> str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[STALE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and self.stamp_for:
            self.initial[STALE_FIELD] = self.stamp_for(self.instance)

    def clean(self):
        cleaned = super().clean()
        opened = self.data.get(self.add_prefix(STALE_FIELD), "")
        if self.instance.pk and opened and self.stamp_for:
            current = self.stamp_for(type(self.instance)._default_manager.get(pk=self.instance.pk))
            if current != opened:
                raise ValidationError(self.stale_message_for(self.instance, opened))
        return cleaned


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened (publications, reviews): viewable, never added or changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EditorialAdmin(VersionAdmin):
    """VersionAdmin that compares versions, reverts only the chosen object, guards stale forms."""

    history_latest_first = True
    object_history_template = "admin/editorial/object_history.html"
    guard_stale_forms = False
    diff_labels: dict[str, str] = {}

    def acted_on(self, request, object_id: str) -> models.Model:
        """The object a workflow view acts on: 404 when absent, 403 when not visible."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    # Stale-form guard.

    def edit_stamp(self, obj: models.Model) -> str:
        """What changes whenever someone saves obj; the form refuses to save when it differs."""
        return obj.updated_at.isoformat() if getattr(obj, "updated_at", None) else ""

    def last_editor(self, obj: models.Model):
        return getattr(obj, "updated_by", None), getattr(obj, "updated_at", None)

    def stale_message(self, obj: models.Model, opened: str) -> str:
        fresh = type(obj)._default_manager.select_related().get(pk=obj.pk)
        who, when = self.last_editor(fresh)
        latest = versions_for(fresh).first()
        link = ""
        if latest is not None:
            opened_version = (
                versions_for(fresh).filter(revision__date_created__lte=_parse(opened)).first()
                if _parse(opened)
                else None
            )
            link = format_html(
                ' <a href="{}">{}</a>',
                compare_url(fresh, opened_version.pk if opened_version else latest.pk, latest.pk),
                _("See what changed."),
            )
        return format_html(
            "{} {}{}",
            _("Not saved: %(who)s changed this on %(when)s, after you opened it.")
            % {
                "who": display_name(who),
                "when": localize(timezone.localtime(when)) if when else "",
            },
            _("Your text is kept below; copy what you need, then open the page again."),
            link,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.guard_stale_forms:
            return form
        return type(
            form.__name__,
            (StaleFormMixin, form),
            {"stamp_for": staticmethod(self.edit_stamp), "stale_message_for": self.stale_message},
        )

    # URLs.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
        ]
        return extra + super().get_urls()

    # Comparing versions.

    def diff_field_names(self) -> list[str]:
        return [
            f.attname
            for f in self.opts.concrete_fields
            if f.name not in _HIDDEN_IN_DIFF and f.attname not in _HIDDEN_IN_DIFF
        ]

    def _labels(self) -> dict[str, str]:
        labels = {}
        for f in self.opts.concrete_fields:
            labels[f.attname] = str(f.verbose_name).capitalize()
        labels.update(self.diff_labels)
        return labels

    def _displayable(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Foreign keys and choices shown as people know them, in one query per related model."""
        for f in self.opts.concrete_fields:
            if f.is_relation:
                ids = {v.get(f.attname) for v in values} - {None}
                names = {o.pk: str(o) for o in f.related_model._default_manager.filter(pk__in=ids)}
                for v in values:
                    if v.get(f.attname) is not None:
                        v[f.attname] = names.get(v[f.attname], v[f.attname])
            elif f.choices:
                choices = dict(f.flatchoices)
                for v in values:
                    if f.attname in v:
                        v[f.attname] = str(choices.get(v[f.attname], v[f.attname]))
        return values

    def version_side(self, version: Version) -> Side:
        data = version.field_dict
        fields = {name: data.get(name) for name in self.diff_field_names()}
        return Side(
            label=_("Version of %(when)s by %(who)s")
            % {
                "when": localize(timezone.localtime(version.revision.date_created)),
                "who": display_name(version.revision.user),
            },
            fields=fields,
        )

    def current_side(self, obj: models.Model) -> Side:
        fields = {name: getattr(obj, name) for name in self.diff_field_names()}
        return Side(label=_("Working copy"), fields=fields)

    def compare_sides(self, old: Side, new: Side) -> tuple[list[FieldChange], list[ClaimChange]]:
        old_fields, new_fields = self._displayable([dict(old.fields), dict(new.fields)])
        changes = diff_fields(old_fields, new_fields, self._labels())
        claims = []
        if old.claims is not None and new.claims is not None:
            claims = diff_claims(old.claims, new.claims)
        return changes, claims

    def _object_version(self, obj: models.Model, version_id: str | None) -> Version:
        if not version_id or not version_id.isdigit():
            raise Http404(_("Choose two versions to compare."))
        return get_object_or_404(
            Version,
            pk=version_id,
            object_id=str(obj.pk),
            content_type=ContentType.objects.get_for_model(self.model),
        )

    def resolve_side(self, request, obj: models.Model, which: str | None) -> Side:
        """A version id, or "current" for the working copy."""
        if which == "current":
            return self.current_side(obj)
        return self.version_side(self._object_version(obj, which))

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        old = self.resolve_side(request, obj, request.GET.get("from"))
        new = self.resolve_side(request, obj, request.GET.get("to") or "current")
        return self.render_compare(request, obj, old, new)

    def render_compare(self, request, obj, old: Side, new: Side, extra: dict | None = None):
        fields, claims = self.compare_sides(old, new)
        self._name_sources(claims)
        show_all = request.GET.get("all") == "1"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Compare versions of %(obj)s") % {"obj": obj},
            "old": old,
            "new": new,
            "fields": fields if show_all else [f for f in fields if f.changed],
            "hidden_count": 0 if show_all else sum(not f.changed for f in fields),
            "claims": claims if show_all else [c for c in claims if c.changed],
            "unchanged_claims": 0 if show_all else sum(not c.changed for c in claims),
            "has_claims": old.claims is not None,
            "show_all": show_all,
            "query": request.GET.urlencode(),
            **(extra or {}),
        }
        return TemplateResponse(request, "admin/editorial/compare.html", context)

    def _name_sources(self, claims: list[ClaimChange]) -> None:
        """Give each changed citation its source's name, in one query."""
        citations = [
            c for change in claims for c in change.citations_added + change.citations_removed
        ]
        ids = {c.get("source") for c in citations if not c.get("source_title")} - {None}
        if not ids:
            return
        names = {s.pk: str(s) for s in Source.objects.filter(pk__in=ids)}
        for citation in citations:
            if not citation.get("source_title"):
                citation["source_title"] = names.get(citation.get("source"), "")

    # History, revert and recover.

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        versions = _distinct_versions(list(versions_for(obj)[:200])) if obj is not None else []
        context = {"versions": versions, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revert_object(self, request, obj: models.Model, version: Version) -> None:
        """Restore obj alone from version; subclasses add workflow consequences."""
        version.revert()

    def recover_object(self, request, version: Version) -> models.Model:
        version.revert()
        return version.object

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = self._object_version(obj, version_id)
        if request.method == "POST":
            try:
                with transaction.atomic(), self.create_revision(request):
                    self.revert_object(request, obj, version)
                    self._set_comment(
                        _("Reverted to the version of %(when)s")
                        % {"when": localize(timezone.localtime(version.revision.date_created))}
                    )
            except workflow.TransitionError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(request.path)
            messages.success(
                request, _("%(obj)s was reverted; check it and send it for review.") % {"obj": obj}
            )
            return HttpResponseRedirect(admin_url(obj))
        old = self.current_side(obj)
        new = self.version_side(version)
        return self.render_compare(
            request,
            obj,
            old,
            new,
            {
                "title": _("Revert %(obj)s") % {"obj": obj},
                "revert_version": version,
            },
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related("revision"), pk=version_id
        )
        if request.method == "POST":
            try:
                with transaction.atomic(), self.create_revision(request):
                    obj = self.recover_object(request, version)
                    self._set_comment(_("Recovered after deletion"))
            except (
                workflow.TransitionError,
                models.ProtectedError,
                IntegrityError,
                RevertError,
                ObjectDoesNotExist,
            ) as error:
                messages.error(
                    request,
                    _("%(obj)s could not be recovered: %(reason)s")
                    % {"obj": version.object_repr, "reason": error},
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_recoverlist")
                )
            messages.success(request, _("%(obj)s was recovered.") % {"obj": obj})
            return HttpResponseRedirect(admin_url(obj))
        empty = Side(label=_("Deleted"), fields={})
        return self.render_compare(
            request,
            version,
            empty,
            self.version_side(version),
            {
                "title": _("Recover %(obj)s") % {"obj": version.object_repr},
                "recover_version": version,
                "original": None,
                "show_all": True,
            },
        )

    def _set_comment(self, comment: str) -> None:
        import reversion

        reversion.set_comment(comment)

    # Deleting.

    def is_published(self, obj: models.Model) -> bool:
        return False

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        # Permission first: nobody learns of an object (or that it is published) unless they
        # could delete it.
        if obj is not None and not self.has_delete_permission(request, obj):
            raise PermissionDenied
        if obj is not None and self.is_published(obj):
            messages.error(
                request,
                _("%(obj)s has been published and cannot be deleted; withdraw it instead.")
                % {"obj": obj},
            )
            return HttpResponseRedirect(admin_url(obj))
        with self.create_revision(request):
            return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Protected objects (review events, publications) refuse the deletion whoever asks;
            # list them rather than blame a permission nobody holds for records.
            perms_needed = set()
        return deleted, model_count, perms_needed, protected

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk deletion would bypass the published check and the workflow.
        actions.pop("delete_selected", None)
        return actions


def _distinct_versions(newest_first: list[Version]) -> list[Version]:
    """Versions in which this object itself changed: saving an answer stores all its claims."""
    kept: list[Version] = []
    previous = None
    for version in reversed(newest_first):
        if version.serialized_data != previous:
            kept.append(version)
        previous = version.serialized_data
    return kept[::-1]


def _parse(stamp: str):
    from django.utils.dateparse import parse_datetime

    try:
        return parse_datetime(stamp.split("/")[0]) if stamp else None
    except ValueError:
        return None


def report(request, done: int, errors: list[tuple[Any, str]], verb: str) -> None:
    """One success message for the items that went through, one error per refused item."""
    for item, reason in errors:
        messages.error(request, format_html("{}: {}", item, reason))
    if done:
        messages.success(request, _("%(count)d %(verb)s.") % {"count": done, "verb": verb})


def status_badge(obj: models.Model) -> str:
    return format_html(
        '<span class="status-badge status-{}">{}</span>',
        obj.status,
        obj.get_status_display(),
    )


StatusColumn = admin.display(description=gettext_lazy("Status"), ordering="status")(status_badge)
