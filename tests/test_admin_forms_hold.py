"""Every form of every admin page, posted with out-of-range and malformed values: never a 500.

Each form is parsed from the page as a browser would see it; one field at a time gets a hostile
value while the others keep what the page rendered. A refusal may be a form error, a message or
a note beside a claim; what no post may do is raise (the test client re-raises any exception a
view lets through, which would be a server error for a person).
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from claims import workflow
from claims.models import Claim
from tests.factories import CitationFactory, ClaimFactory, PublicationFactory, SourceFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

HOSTILE = ["", "-1", "99999999999999999999999", "1e400", "seven", '{"kind": 1}', "x" * 5000]
# Forms that leave the admin or reach outside the machine are not this test's business.
SKIPPED_ACTIONS = ("/logout/", "/archive/", "/password_change/")


@pytest.fixture
def pages(superuser, editor, reviewer):
    """The admin pages a person fills in: every add page, and the change page of an object of
    each model; the answer page holds the claims editor and the workflow's buttons."""
    publication = PublicationFactory()
    answer = publication.answer
    answer.blocks = [{"kind": "paragraph", "number": None}, {"kind": "bullet", "number": None}]
    answer.save()
    ClaimFactory(answer=answer, block=1, position=5, text="A second claim.")
    draft_claim = ClaimFactory(text="Courts keep a record.")
    CitationFactory(claim=draft_claim)
    workflow.submit_answer(draft_claim.answer, by=editor)
    objects = {
        "courtinfo.answer": [answer, draft_claim.answer],
        "courtinfo.question": [answer.question],
        "courtinfo.topic": [answer.question.topic],
        "courtinfo.jurisdiction": [answer.question.jurisdiction],
        "claims.claim": [draft_claim],
        "claims.source": [SourceFactory(url="")],
        "claims.citation": [draft_claim.citations.first()],
        "auth.user": [editor],
    }
    urls = [reverse("admin:index"), reverse("admin:courtinfo_question_import")]
    for model in admin.site._registry:
        opts = model._meta
        try:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        except NoReverseMatch:
            pass
        for obj in objects.get(opts.label_lower, []):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    return urls


def _forms(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        return []
    page = lxml.html.fromstring(response.content.decode(), base_url=f"http://testserver{url}")
    return [
        form
        for form in page.forms
        if (form.method or "").upper() == "POST"
        and not any(skip in (form.get("action") or "") for skip in SKIPPED_ACTIONS)
    ]


def _fields(form) -> list[str]:
    names = {name for name, _ in form.form_values()}
    names |= {e.get("name") for e in form.xpath(".//button[@name]|.//select[@name]")}
    # One field of each kind: "seen-7" stands for every row's "seen-N", "claims-0-text" for each.
    kinds = {}
    for name in sorted(n for n in names if n and n != "csrfmiddlewaretoken"):
        kinds.setdefault(re.sub(r"\d+", "N", name), name)
    return list(kinds.values())


def test_no_admin_form_answers_500_to_hostile_values(client, superuser, pages):
    client.force_login(superuser)
    posts = 0
    for url in pages:
        for index in range(len(_forms(client, url))):
            # Fetched again for each field: an earlier post may have changed the page.
            for name in _fields(_forms(client, url)[index]):
                forms = _forms(client, url)
                if index >= len(forms):
                    break
                form = forms[index]
                target = form.get("action") or url
                for value in HOSTILE:
                    try:
                        response = client.post(target, form_data(form, **{name: value}))
                    except Exception as error:  # what a person would get as a server error
                        pytest.fail(f"{target} {name}={value[:40]!r}: {error!r}")
                    assert response.status_code < 500, (url, name, value)
                    posts += 1
    assert posts > 500, posts


def test_the_claims_editor_answers_hostile_posts_without_a_500(client, editor):
    claim = ClaimFactory(text="Courts keep a record.")
    url = reverse("admin:courtinfo_answer_claims", args=[claim.answer_id])
    client.force_login(editor)
    ops = ["edit", "split", "merge", "up", "down", "move", "place", "delete", "kind", "add"]
    for op in [*ops, "add_block", "", "drop table"]:
        for field in ("claim", "version", "block", "position", "kind", "text"):
            for value in HOSTILE:
                data = {"op": op, "claim": claim.pk, "version": claim.version, "text": "A."}
                data[field] = value
                response = client.post(url, data)
                assert response.status_code == 302, (op, field, value)
                claim = Claim.objects.filter(pk=claim.pk).first() or ClaimFactory(
                    answer=claim.answer
                )
