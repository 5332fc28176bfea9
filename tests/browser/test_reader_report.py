"""A reader reports a wrong claim; the newsroom corrects it and the reader is told, all clicked."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.db import DEFAULT_DB_ALIAS

from claims.models import Claim
from claims.workflow import approve_answer, publish_answer, submit_answer, verify_claim
from courtinfo.models import Answer, ProblemReport
from tests.browser.admin_steps import expect_message, log_in
from tests.browser.test_public_reading import AXE, PHONE, _serious_violations
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, UserFactory

WRONG = "Courts keep records for ten years."
RIGHT = "Courts keep records for five years."
OTHER = "Anyone may ask to see them."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# The role groups come back from the first data migration after each flush; the permissions on
# reader reports are granted by a later one.
_REPORT_PERMISSIONS = importlib.import_module("courtinfo.migrations.0009_operations")


@pytest.fixture
def axe_path() -> Path:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; `make install` runs npm ci to install axe-core.")
        pytest.skip(f"{AXE} is missing (run `npm ci`); accessibility check skipped.")
    return AXE


def _published_answer() -> Answer:
    writer = UserFactory(username="writer", groups=["Editors"], password=None)
    checker = UserFactory(username="checker", groups=["Reviewers"], password=None)
    releaser = UserFactory(username="releaser", groups=["Publishers"], password=None)
    answer = AnswerFactory()
    for position, text in enumerate([WRONG, OTHER]):
        CitationFactory(claim=ClaimFactory(answer=answer, text=text, position=position))
    submit_answer(answer, by=writer)
    for claim in answer.claims.all():
        verify_claim(claim, by=checker, verdict=Claim.Status.SUPPORTED)
    approve_answer(answer, by=checker)
    publish_answer(answer, by=releaser)
    return Answer.objects.get(pk=answer.pk)


def test_a_reader_report_is_corrected_and_the_reader_told(page, live_server):
    _REPORT_PERMISSIONS.grant_report_permissions(apps, DEFAULT_DB_ALIAS)
    UserFactory(username="ed", groups=["Editors"], first_name="Eda", last_name="Editor")
    UserFactory(username="rev", groups=["Reviewers"], first_name="Rae", last_name="Reviewer")
    UserFactory(username="pub", groups=["Publishers"], first_name="Pat", last_name="Publisher")
    answer = _published_answer()
    wrong = answer.claims.get(text=WRONG)

    # The reader opens the answer, follows the report link, picks the claim and writes.
    page.goto(f"{live_server.url}{answer.question.get_absolute_url()}")
    page.click("text=Report a problem with this answer")
    page.check(f"input[name=claim][value='{wrong.pk}']")
    page.fill("textarea[name=message]", "The law says five years since 2024.")
    page.fill("input[name=email]", "reader@example.net")
    # A person takes longer than the form's minimum to read and write.
    page.wait_for_timeout(3200)
    page.click("button:has-text('Send the report')")
    page.wait_for_selector(".report-sent")
    report = ProblemReport.objects.get()
    assert (report.claim, report.status) == (wrong.pk, ProblemReport.Status.NEW)
    assert "reader@example.net" not in page.content()

    # The editor, told by e-mail, accepts the report and follows it to the claim.
    assert any("ed@example.org" in m.to for m in mail.outbox)
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/courtinfo/problemreport/")
    assert WRONG in page.inner_text("mark.reported-claim")
    page.click("#result_list tbody th.field-created_at a")
    page.click("button[name=move][value=accept]")
    expect_message(page, "accepted")
    page.click("a.edit-reported-claim")
    page.fill("textarea[name=text]", RIGHT)
    page.click("input[name=_continue]")
    expect_message(page, "changed successfully")
    page.goto(f"{live_server.url}/admin/courtinfo/answer/{answer.pk}/change/")
    page.click("button.transition-submit")
    expect_message(page, "in review")

    # The reviewer verifies the corrected claim and approves.
    log_in(page, live_server, "rev")
    page.goto(f"{live_server.url}/admin/courtinfo/answer/{answer.pk}/change/")
    page.click(f"#claim-{wrong.pk} button[value=supported]")
    expect_message(page, "supported")
    page.click("button.transition-approve")
    expect_message(page, "approved")

    # The publisher publishes the correction.
    log_in(page, live_server, "pub")
    page.goto(f"{live_server.url}/admin/courtinfo/answer/{answer.pk}/change/")
    page.fill(".transition-form input[name=note]", "Corrected the retention period.")
    page.click("button.transition-publish")
    expect_message(page, "published")

    # The report is resolved, the reader told, their address gone; the public reads the fix.
    report.refresh_from_db()
    assert (report.status, report.email) == (ProblemReport.Status.RESOLVED, "")
    [told] = [m for m in mail.outbox if m.to == ["reader@example.net"]]
    assert answer.question.get_absolute_url() in told.body
    # A new visitor: the reader's browser may keep its copy for the page's max-age.
    visitor = page.context.browser.new_context()
    try:
        public = visitor.new_page()
        public.goto(f"{live_server.url}{answer.question.get_absolute_url()}")
        body = public.inner_text("main")
    finally:
        visitor.close()
    assert RIGHT in body and WRONG not in body


def test_the_report_form_reads_on_a_phone_and_passes_axe(browser, live_server, axe_path):
    answer = _published_answer()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{answer.question.get_absolute_url()}report/")
        assert page.get_by_label("The whole answer").is_checked()
        assert page.get_by_label(WRONG).is_visible()
        # The honeypot is there for scripts: hidden from sight, assistive technology and Tab.
        honeypot = page.locator("input[name=website]")
        box = honeypot.locator("xpath=ancestor::div[1]").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1
        assert honeypot.get_attribute("tabindex") == "-1"
        assert honeypot.evaluate("el => el.closest('[aria-hidden=true]') !== null")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert _serious_violations(page, axe_path) == []
    finally:
        context.close()
