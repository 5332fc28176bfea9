"""The editorial admin's shared machinery: history compare, object-only revert, stale-form guard."""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from claims import desks, recover, workflow
from claims.audit import HIGH, LOW, MEDIUM, RISKS, Audit
from claims.models import Source
from claims.risk import ranked_by_risk
from courtinfo.diff import ClaimChange, FieldChange, diff_claims, diff_fields

OPENED_VERSION = "opened_version"

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
        return _("an import or a script")
    return user.get_full_name() or user.get_username()


def when_shown(value) -> str:
    """A date or a moment in the one format the admin uses everywhere (no ISO, no seconds)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return date_format(value, "DATE_FORMAT")


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


class OpenedVersionField(forms.CharField):
    """The row version a change form was opened at: posted back, never a change of its own."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, label=gettext_lazy("Version opened"), **kwargs)

    def has_changed(self, initial, data) -> bool:
        # Kept out of form.changed_data, and so out of the history's "Changed …" message.
        return False


class StaleFormMixin(forms.ModelForm):
    """Saves only over the version of the row the person opened, checked under the row locks.

    A form posted without that version, or with anything but a number in it, is refused too:
    a page that lost the field must not save blind.
    """

    opened_version = OpenedVersionField()

    model_admin = None  # set by EditorialAdmin.get_form: locks the rows, words the refusal

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial[OPENED_VERSION] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = _version_number(cleaned.get(OPENED_VERSION))
        if opened is None:
            raise ValidationError(
                _(
                    "Not saved: this page was sent without the version it was opened at, so "
                    "saving it could undo someone else's change. Your text is kept below; copy "
                    "what you need, then open the page again."
                ),
                code="no_version",
            )
        # The admin saves in one transaction: the rows stay locked until the save commits.
        fresh = self.model_admin.lock_edited(self.instance)
        if fresh is None:
            raise ValidationError(
                _("Not saved: someone deleted this after you opened it."), code="deleted"
            )
        if fresh.version != opened:
            raise ValidationError(self.model_admin.stale_message(fresh, opened), code="stale")
        # A save that goes straight to the row writes only over the version checked here.
        self.instance.expect_version(opened)
        return cleaned


def _version_number(posted: str | None) -> int | None:
    posted = (posted or "").strip()
    if not (posted.isascii() and posted.isdigit() and len(posted) <= 18):
        return None
    return int(posted)


def lock_row(model: type[models.Model], pk: Any) -> models.Model | None:
    """The row as it is now, locked until the transaction ends; None when it is gone.

    NO KEY UPDATE is the lock an UPDATE takes: it waits for other editors and for the workflow,
    and lets rows that point at this one be inserted meanwhile. Nothing is joined, not even by a
    default ordering: a row read after waiting for its lock is the newest, but PostgreSQL would
    join it to the other tables' rows as they were before the wait.
    """
    return model._base_manager.select_for_update(no_key=True).filter(pk=pk).order_by().first()


# The largest key a database column holds; a number past it names no object.
_LARGEST_KEY = 2**63 - 1


def _beyond_any_key(value) -> bool:
    text = str(value).strip().removeprefix("-")
    return text.isascii() and text.isdigit() and int(text) > _LARGEST_KEY


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice posted as a number too large for the database is an unknown choice, not a crash."""

    def to_python(self, value):
        if _beyond_any_key(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def bound_data(self, data, initial):
        # The form shown again must not look the value up either (autocomplete widgets do).
        return "" if _no_key_of(self, data) else super().bound_data(data, initial)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            if _beyond_any_key(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        if isinstance(data, list | tuple):
            return [pk for pk in data if not _no_key_of(self, pk)]
        return data


def _no_key_of(field: forms.ModelChoiceField, value) -> bool:
    """Whether a posted value cannot be a key of the field's rows (it looks up nothing)."""
    if value in field.empty_values:
        return False
    opts = field.queryset.model._meta
    key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    try:
        key.to_python(value)
    except ValidationError:
        return True
    return isinstance(key, models.IntegerField) and _beyond_any_key(value)


BOUNDED_CHOICES = {
    models.ForeignKey: {"form_class": BoundedModelChoiceField},
    models.OneToOneField: {"form_class": BoundedModelChoiceField},
    models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField},
}


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
    recover_list_template = "admin/editorial/recover_list.html"
    recover_list_per_page = recover.PAGE_SIZE
    formfield_overrides = BOUNDED_CHOICES
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

    def action_checkbox(self, obj):
        # Django renders this through the forms' template engine, about a millisecond a row of a
        # hundred-row list; the same element, written directly (a test compares the two).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    @contextmanager
    def create_revision(self, request):
        # Reading a page saves nothing: no revision, and no transaction around the page (a GET
        # of reversion's revert preview runs in the transaction reversion rolls back).
        if request.method in ("GET", "HEAD"):
            yield
            return
        with super().create_revision(request):
            yield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The last net under every change form: a refusal the form did not foresee is a message
        # on the page (the save was rolled back whole), never a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.TransitionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        # The list's actions are workflow calls, each leaving its own revision with what it
        # changed and its comment; reversion's one revision around the whole list would merge
        # them into one, holding every answer an action saved whole.
        context = {"has_change_permission": self.has_change_permission(request)}
        return admin.ModelAdmin.changelist_view(self, request, {**context, **(extra_context or {})})

    # Stale-form guard: a change form saves only over the row version it opened.

    def lock_edited(self, obj: models.Model) -> models.Model | None:
        """Lock the rows that saving obj writes; obj's row as it is now, or None when deleted."""
        return lock_row(type(obj), obj.pk)

    def last_editor(self, obj: models.Model):
        return getattr(obj, "updated_by", None), getattr(obj, "updated_at", None)

    def stale_message(self, fresh: models.Model, opened: int) -> str:
        """Who saved since the version `opened`, when, and a link comparing the two versions."""
        who, when = self.last_editor(fresh)
        return format_html(
            "{} {}{}",
            _("Not saved: %(who)s changed this on %(when)s, after you opened it.")
            % {
                "who": display_name(who) if who is not None else _("a colleague"),
                "when": when_shown(when),
            },
            _("Your text is kept below; copy what you need, then open the page again."),
            self._changes_since_link(fresh, opened),
        )

    def _changes_since_link(self, fresh: models.Model, opened: int) -> str:
        # Each reversion version stores the row version it recorded: the person opened the
        # newest one at or below `opened`.
        versions = [(v, _recorded_row_version(v)) for v in versions_for(fresh)[:50]]
        seen = next((v for v, row in versions if row is not None and row <= opened), None)
        if seen is None:
            # What they opened was never recorded (made by a script, or before the history).
            return format_html(
                ' <a href="{}" class="stale-history">{}</a>',
                admin_url(fresh, "history"),
                _("See the history."),
            )
        latest, latest_row = versions[0]
        return format_html(
            ' <a href="{}" class="stale-compare">{}</a>',
            compare_url(fresh, seen.pk, latest.pk if latest_row == fresh.version else "current"),
            _("See what changed."),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.guard_stale_forms and obj is not None and "form" not in kwargs:
            # The version field is declared on the form class, so fieldsets may name it.
            kwargs["form"] = type(
                self.form.__name__, (StaleFormMixin, self.form), {"model_admin": self}
            )
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.guard_stale_forms or obj is None:
            return fieldsets
        if OPENED_VERSION in flatten_fieldsets(fieldsets):
            return fieldsets
        # The admin renders only the fields its fieldsets name: the version goes in the first.
        (name, options), *rest = fieldsets
        first = (name, {**options, "fields": [*options["fields"], OPENED_VERSION]})
        return [first, *rest]

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
            elif isinstance(f, models.DateField):
                for v in values:
                    if v.get(f.attname) is not None:
                        v[f.attname] = when_shown(v[f.attname])
        return values

    def version_side(self, version: Version) -> Side:
        data = version.field_dict
        fields = {name: data.get(name) for name in self.diff_field_names()}
        return Side(
            label=_("Version of %(when)s by %(who)s")
            % {
                "when": when_shown(version.revision.date_created),
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
        entries = self.history_entries(obj) if obj is not None else []
        context = {
            "versions": entries,
            # The newest version is where a comparison starts unless the person picks another.
            "default_from": next((e.pk for e in entries if isinstance(e, Version)), None),
            **(extra_context or {}),
        }
        # Django's own view, not reversion's: that one reads every version of the object for
        # a list this template does not show.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def history_entries(self, obj: models.Model) -> list:
        """What the history lists, newest first: the object's versions where it changed."""
        return _distinct_versions(list(versions_for(obj)[:200]))

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
                        % {"when": when_shown(version.revision.date_created)}
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

    def recoverlist_view(self, request, extra_context=None):
        # reversion's list reads every version of the model (Version.objects.get_deleted): this
        # one reads a page of the deletions the database recorded, by index (claims.recover).
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            raise PermissionDenied
        before = recover.posted_id(request.GET.get(recover.OLDER_VAR))
        page = recover.deleted_page(self.model, before, self.recover_list_per_page)
        opts = self.opts
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(opts.verbose_name),
            "title": _("Recover deleted %(name)s") % {"name": opts.verbose_name_plural},
            "deleted": page.versions,
            "older_url": f"?{recover.OLDER_VAR}={page.older}" if page.older else None,
            "newest_url": request.path if before is not None else None,
            **(extra_context or {}),
        }
        return TemplateResponse(
            request,
            self.recover_list_template or self._reversion_get_template_list("recover_list.html"),
            context,
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        # Only the newest version of an object that does not exist: never saved over a row.
        version = recover.recoverable_version(self.model, version_id)
        if version is None:
            raise Http404
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


def _recorded_row_version(version: Version) -> int | None:
    try:
        return version.field_dict.get("version")
    except RevertError:
        return None


def report(request, done: int, errors: list[tuple[Any, str]], verb: str) -> None:
    """One success message for the items that went through, one error per refused item."""
    for item, reason in errors:
        messages.error(request, format_html("{}: {}", item, reason))
    if done:
        messages.success(request, _("%(count)d %(verb)s.") % {"count": done, "verb": verb})


# A publication's columns that hold what it published: large, and read only by pages that show it.
PUBLICATION_TEXT = ("payload", "body_text", "search_document")


def row_count(model: type[models.Model], parent: str):
    """How many `model` rows point to each listed row through `parent`: counted per row shown.

    A Count() annotation groups the whole table before the list takes its page; this subquery
    runs for the rows shown only.
    """
    rows = (
        model.objects.filter(**{parent: models.OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    return Coalesce(models.Subquery(rows), 0)


@cache
def _status_labels(model: type[models.Model]) -> dict:
    # get_status_display() rebuilds a dictionary of every choice on each call, a cost per row.
    return dict(model._meta.get_field("status").flatchoices)


def status_badge(obj: models.Model) -> str:
    return format_html(
        '<span class="status-badge status-{}">{}</span>',
        obj.status,
        _status_labels(type(obj)).get(obj.status, obj.status),
    )


StatusColumn = admin.display(description=gettext_lazy("Status"), ordering="status")(status_badge)


class QueueFilter(admin.SimpleListFilter):
    """A desk's work queue: the same rows, in the same order, as the dashboard counts."""

    title = gettext_lazy("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(q.key, q.title) for q in desks.queues_for(request.user, model_admin.model)]

    def has_output(self):
        # Asked for a queue that is not theirs: the filter still runs, and lists nothing.
        return bool(self.lookup_choices) or self.value() is not None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        rows = desks.queue_rows(self.value(), request.user, queryset)
        if rows is None or rows.model is not queryset.model:
            return queryset.none()
        # The changelist orders after filtering: the admin's get_ordering reads this.
        request.queue_ordering = rows.query.order_by
        return rows


class RiskFilter(admin.SimpleListFilter):
    """Claims by the audit's risk; choosing one also orders the list riskiest first."""

    title = gettext_lazy("risk")
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        return [(risk, RISK_LABELS[risk]) for risk in RISKS]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in RISKS:
            return queryset.none()
        if "risk_rank" not in queryset.query.annotations:
            queryset = ranked_by_risk(queryset)
        return queryset.filter(risk_rank=RISKS.index(self.value()))


class ShownColumnsMixin:
    """A changelist whose rows read only the columns the list shows (`list_only`, as `only()`).

    Applied to the page of rows the list renders, not in get_queryset: change pages, filters and
    actions read whole rows as before. A column left out would be read a row at a time, which
    the lists' query-count tests would catch.
    """

    list_only: tuple[str, ...] = ()

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self.list_only:
            # Django has no hook for the shown rows alone; the page is not read yet here.
            changelist.result_list = changelist.result_list.only(*self.list_only)
        return changelist


class QueueOrderingMixin:
    """The order of the chosen work queue, unless the person sorts by a column."""

    def get_ordering(self, request):
        return getattr(request, "queue_ordering", None) or super().get_ordering(request)


RISK_LABELS = {
    HIGH: gettext_lazy("High risk"),
    MEDIUM: gettext_lazy("Medium risk"),
    LOW: gettext_lazy("Low risk"),
}


def risk_badge(audit: Audit) -> str:
    """The risk, with the audit's reasons one click (or keypress) away."""
    if not audit.reasons:
        return format_html(
            '<span class="risk-badge risk-{}">{}</span>', audit.risk, RISK_LABELS[audit.risk]
        )
    return format_html(
        '<details class="risk"><summary><span class="risk-badge risk-{}">{}</span></summary>'
        '<ul class="risk-reasons">{}</ul></details>',
        audit.risk,
        RISK_LABELS[audit.risk],
        format_html_join("", "<li>{}</li>", ((reason,) for reason in audit.reasons)),
    )
