"""Readers report a problem with a published answer: the form, its protections, the view.

No account is needed, so every submit is checked before anything is stored: a honeypot field
that people never see, a signed timestamp (too fast is a script, too old is a stale page), a
limit per address through the cache, and length limits. Each refusal says what to do and
stores nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from courtinfo import selectors
from courtinfo.models import ProblemReport, Publication
from courtinfo.views import _gone_or_404

MESSAGE_MAX_LENGTH = 2000
_SALT = "courtinfo.reports.form"
# The honeypot's name: a field a form filler finds tempting and a person never sees.
HONEYPOT = "website"

# The clock the timestamp is checked against; a module attribute so tests can move it.
_clock = time.time


class Refused(Exception):
    """A submit turned away before anything was stored; the message tells the reader why."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PublishedClaim:
    id: int
    text: str


def published_claims(publication: Publication) -> list[PublishedClaim]:
    """The claims the reader could see, in reading order, as the publication shows them."""
    return [
        PublishedClaim(id=claim["id"], text=claim["text"])
        for block in publication.payload.get("blocks") or []
        for claim in block.get("claims") or []
    ]


def form_token(publication: Publication, *, now: float | None = None) -> str:
    """When the form was served, for which answer, signed so a script cannot forge it."""
    served = _clock() if now is None else now
    return signing.dumps({"a": publication.answer_id, "t": round(served, 3)}, salt=_SALT)


class ReportForm(forms.Form):
    claim = forms.TypedChoiceField(
        label=gettext_lazy("Which part is wrong?"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "That claim is not part of this answer any more; choose one of those listed."
            )
        },
    )
    message = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Say what is wrong and, if you can, where the correct information is found."
        ),
        error_messages={"required": gettext_lazy("Say what is wrong with the answer.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "Only to tell you when the answer is corrected. It is never shown and is deleted "
            "once your report is closed."
        ),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, publication: Publication, **kwargs):
        super().__init__(*args, **kwargs)
        self.publication = publication
        self.claims = published_claims(publication)
        self.fields["claim"].choices = [("", _("The whole answer"))] + [
            (str(c.id), c.text) for c in self.claims
        ]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Say what is wrong with the answer."))
        return message

    def claim_text(self) -> str:
        chosen = self.cleaned_data.get("claim")
        return next((c.text for c in self.claims if c.id == chosen), "")


def _client_address(request: HttpRequest) -> str:
    # The address the connection came from; a proxy in front is expected to set it right
    # (gunicorn's forwarded_allow_ips), never a header the client controls.
    return request.META.get("REMOTE_ADDR") or "unknown"


def check_flood(request: HttpRequest) -> None:
    """Count this submit against the address's allowance; refuse once it is used up."""
    key = f"courtinfo:report-flood:{_client_address(request)}"
    window = settings.COURTINFO_REPORT_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > settings.COURTINFO_REPORT_LIMIT:
        raise Refused(
            _(
                "Too many reports were sent from your connection in a short time. Please wait an "
                "hour and try again."
            ),
            status=429,
        )


def check_honeypot(request: HttpRequest) -> None:
    if request.POST.get(HONEYPOT, ""):
        raise Refused(
            _(
                "The report was not sent: a field meant to stay empty was filled in. Reload the "
                "page and send the form without filling in hidden fields."
            )
        )


def check_token(request: HttpRequest, publication: Publication) -> None:
    """The form was served for this answer, at least a few seconds and at most hours ago."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=_SALT)
        served, answer_id = float(data["t"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refused(
            _("The form could not be checked. Reload the page and send your report again.")
        ) from None
    if answer_id != publication.answer_id:
        raise Refused(_("This form belongs to another answer. Reload the page and try again."))
    age = _clock() - served
    if age < settings.COURTINFO_REPORT_MIN_SECONDS:
        raise Refused(
            _(
                "The report was sent too quickly after the page opened. Wait a few seconds, then "
                "send it again."
            )
        )
    if age > settings.COURTINFO_REPORT_MAX_AGE_SECONDS:
        raise Refused(
            _(
                "The page was open too long to be checked. Your text is kept below: read it "
                "over, then send it again."
            )
        )


@method_decorator(never_cache, name="dispatch")
class ReportView(View):
    """GET: the form. POST: check, store one ProblemReport, and show the confirmation."""

    template_name = "public/report.html"

    def dispatch(self, request, *args, **kwargs):
        self.publication = selectors.live_publication(
            jurisdiction_slug=kwargs["jurisdiction"], question_slug=kwargs["question"]
        )
        if self.publication is None:
            return _gone_or_404(request, kwargs["jurisdiction"], kwargs["question"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("sent"):
            return render(request, "public/report_sent.html", self._context())
        form = ReportForm(
            publication=self.publication, initial={"token": form_token(self.publication)}
        )
        return self._render(form)

    def post(self, request, *args, **kwargs):
        form = ReportForm(request.POST, publication=self.publication)
        try:
            check_flood(request)
            check_honeypot(request)
            check_token(request, self.publication)
        except Refused as refusal:
            return self._render(self._again(form), refusal=str(refusal), status=refusal.status)
        if not form.is_valid():
            return self._render(self._again(form, errors=True), status=400)
        ProblemReport.objects.create(
            answer_id=self.publication.answer_id,
            publication=self.publication,
            claim=form.cleaned_data["claim"],
            claim_text=form.claim_text(),
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
        )
        return HttpResponseRedirect(request.path + "?sent=1")

    def _again(self, form: ReportForm, *, errors: bool = False) -> ReportForm:
        """The form as the reader filled it, with a new timestamp for the next try."""
        data = form.data.copy()
        data["token"] = form_token(self.publication)
        data.pop(HONEYPOT, None)
        if not errors:
            return ReportForm(publication=self.publication, initial=data.dict())
        again = ReportForm(data, publication=self.publication)
        again.is_valid()
        return again

    def _context(self, **extra) -> dict:
        return {"publication": self.publication, "payload": self.publication.payload, **extra}

    def _render(self, form: ReportForm, *, refusal: str = "", status: int = 200) -> HttpResponse:
        context = self._context(form=form, refusal=refusal, honeypot=HONEYPOT)
        return render(self.request, self.template_name, context, status=status)
