"""The admin page where editors upload question-and-answer documents to import them as drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from claims.importer.load import (
    ImportRefused,
    JurisdictionUnclear,
    LoadReport,
    clean_topic_name,
    import_document,
)
from claims.importer.parse import MAX_FILE_BYTES, ParseError, parse_document
from courtinfo.models import Jurisdiction, Topic

IMPORT_PERMISSION = "courtinfo.add_question"
# Room in a request body for the form's other fields and the multipart headers of 100 files.
_FORM_ROOM = 64 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes one or more files and cleans to a list of them."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [clean_one(item, initial) for item in data]
        # No file at all: the single-file field says it is required.
        return [clean_one(None if isinstance(data, (list, tuple)) else data, initial)]


class ImportForm(forms.Form):
    # Empty files are refused one by one with the other results, not by the whole form.
    files = MultipleFileField(
        label=gettext_lazy("Documents"),
        allow_empty_file=True,
        help_text=gettext_lazy("One or more text files; each is imported on its own."),
    )
    jurisdiction = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Infer from the questions"),
        label=gettext_lazy("Jurisdiction"),
        help_text=gettext_lazy(
            "Leave empty to take the state, district or territory the questions name."
        ),
    )
    topic = forms.CharField(
        required=False,
        label=gettext_lazy("Topic"),
        widget=forms.TextInput(attrs={"list": "topic-names", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Optional. An existing topic (suggested as you type) or a new one, created on import."
        ),
    )
    dry_run = forms.BooleanField(
        required=False,
        label=gettext_lazy("Check only (dry run)"),
        help_text=gettext_lazy("Check the files and say what would change, writing nothing."),
    )

    def clean_topic(self) -> str | None:
        name = self.cleaned_data["topic"].strip()
        if not name:
            return None
        try:
            return clean_topic_name(name)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@dataclass
class FileResult:
    """What happened to one uploaded file: its report, or why it was refused."""

    name: str
    report: LoadReport | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.report is None


def import_upload(
    upload: UploadedFile,
    *,
    jurisdiction: Jurisdiction | None,
    topic_name: str | None,
    dry_run: bool,
    user,
) -> FileResult:
    """Read, parse and import one uploaded file in its own transaction; refusals write nothing."""
    name = upload.name or _("(unnamed file)")
    try:
        data = upload.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return FileResult(
            name=name,
            error=_("%(name)s: cannot be read (%(error)s)") % {"name": name, "error": error},
        )
    if len(data) > MAX_FILE_BYTES:
        return FileResult(
            name=name,
            error=_("%(name)s: the file is larger than the limit of %(limit)s bytes")
            % {"name": name, "limit": f"{MAX_FILE_BYTES:,}"},
        )
    if not data:
        return FileResult(name=name, error=_("%(name)s: the file is empty") % {"name": name})
    try:
        document = parse_document(data, name=name)
        report = import_document(
            document, jurisdiction=jurisdiction, topic_name=topic_name, dry_run=dry_run, user=user
        )
    except ParseError as error:
        return FileResult(name=name, error=str(error))
    except JurisdictionUnclear as error:
        return FileResult(
            name=name,
            error=f"{error} " + _("Choose the jurisdiction in the form and import it again."),
        )
    except ImportRefused as error:
        return FileResult(name=name, error=str(error))
    return FileResult(name=name, report=report, warnings=report.warnings())


def _add_message(request, result: FileResult) -> None:
    if result.refused:
        messages.error(request, result.error)
        return
    text = result.report.summary()
    if result.report.dry_run:
        text = _("Dry run, nothing written: %(summary)s") % {"summary": text}
    if result.warnings:
        count = len(result.warnings)
        messages.warning(
            request,
            text
            + " — "
            + (_("%(count)s warning") if count == 1 else _("%(count)s warnings"))
            % {"count": count},
        )
    else:
        messages.success(request, text)


class UploadLimit(FileUploadHandler):
    """Stops reading an upload once its files together pass the limit.

    The import page refuses a declared length over the limit before reading anything; this
    catches what that lets through: the room left for the form's other fields, and a body whose
    server passes it on without a declared length.
    """

    def __init__(self, request, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def import_view(model_admin, request) -> TemplateResponse:
    """Show the import form; on POST import each file on its own and show what each did.

    The view is exempt from the CSRF middleware, which would read the whole body first: the
    size of the upload is checked before anything of it is read, and the CSRF check follows.
    """
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    if request.method != "POST":
        return _page(model_admin, request, ImportForm())
    limit = settings.COURTINFO_IMPORT_MAX_UPLOAD_BYTES
    declared = _declared_length(request)
    if declared > limit + _FORM_ROOM:
        return _refusal(model_admin, request, _too_large(declared, limit), status=413)
    upload_limit = UploadLimit(request, limit=limit)
    request.upload_handlers.insert(0, upload_limit)
    try:
        # Read here, under the limit, so that what Django refuses is explained on the page.
        request.FILES  # noqa: B018
    except TooManyFilesSent:
        return _refusal(model_admin, request, _too_many_files(), status=400)
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError) as error:
        message = _("The upload could not be read as a form (%(error)s); nothing was imported.")
        return _refusal(model_admin, request, message % {"error": error}, status=400)
    if upload_limit.exceeded:
        return _refusal(model_admin, request, _too_large(upload_limit.received, limit), status=413)
    return _import_files(request, model_admin)


@csrf_protect
def _import_files(request, model_admin) -> TemplateResponse:
    results: list[FileResult] = []
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        for upload in form.cleaned_data["files"]:
            result = import_upload(
                upload,
                jurisdiction=form.cleaned_data["jurisdiction"],
                topic_name=form.cleaned_data["topic"],
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            _add_message(request, result)
            results.append(result)
    return _page(model_admin, request, form, results)


def _declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def _too_large(size: int, limit: int) -> str:
    return _(
        "The upload is larger than the limit: %(size)s bytes or more were sent, and the files "
        "sent together may be at most %(limit)s bytes (%(megabytes)s). Nothing was imported; "
        "send fewer or smaller files at a time."
    ) % {"size": f"{size:,}", "limit": f"{limit:,}", "megabytes": _megabytes(limit)}


def _too_many_files() -> str:
    return _(
        "More than %(count)s files were sent; one upload takes at most %(count)s. Nothing was "
        "imported; send the files in several uploads."
    ) % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES}


def _refusal(model_admin, request, message: str, *, status: int) -> TemplateResponse:
    return _page(model_admin, request, ImportForm(), refusal=message, status=status)


def _page(
    model_admin,
    request,
    form: ImportForm,
    results: list[FileResult] | None = None,
    *,
    refusal: str = "",
    status: int = 200,
) -> TemplateResponse:
    results = results or []
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import documents"),
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "results": results,
        "refusal": refusal,
        "dry_run": bool(results) and form.cleaned_data.get("dry_run"),
        "topic_names": list(Topic.objects.order_by("name").values_list("name", flat=True)),
        "max_upload": _megabytes(settings.COURTINFO_IMPORT_MAX_UPLOAD_BYTES),
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "max_questions": settings.COURTINFO_IMPORT_MAX_QUESTIONS,
    }
    return TemplateResponse(request, "admin/courtinfo/question/import.html", context, status=status)
