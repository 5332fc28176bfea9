"""The whole editorial story, clicked through the admin by three people, ends on the public page."""

from pathlib import Path

import pytest
from reversion.models import Revision

from claims.models import Claim
from courtinfo.models import Answer
from tests.browser.admin_steps import expect_message, log_in
from tests.factories import SourceFactory, UserFactory

DOCUMENT = Path(__file__).parent.parent / "fixtures" / "missouri_short.txt"
EDITED = "It bans sanctuary policies in every political subdivision of Missouri."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_editorial_story_from_import_to_public_page(page, live_server):
    ed = UserFactory(username="ed", groups=["Editors"], first_name="Eda", last_name="Editor")
    UserFactory(username="rev", groups=["Reviewers"], first_name="Rae", last_name="Reviewer")
    UserFactory(username="pub", groups=["Publishers"], first_name="Pat", last_name="Publisher")
    source = SourceFactory(title="Missouri Revised Statutes", citation="Mo. Rev. Stat. § 67.307")

    # The editor uploads the document on the questions' import page.
    log_in(page, live_server, "ed")
    page.click("#content-main a[href$='/admin/courtinfo/question/']")
    page.click("text=Import a document")
    page.set_input_files("#id_files", str(DOCUMENT))
    page.click("input[name=_import]")
    expect_message(page, r"2 questions \(2 new")
    assert set(Revision.objects.values_list("user", flat=True)) == {ed.pk}
    answer = Answer.objects.get(question__position=1)
    pointer, statement = answer.claims.order_by("block", "position")

    # The editor corrects a claim on the answer page and submits the answer.
    page.goto(f"{live_server.url}/admin/")
    page.click("#content-main a[href$='/admin/courtinfo/answer/']")
    page.click(f"#result_list >> text={answer.question.text}")
    page.fill(f"#claim-text-{statement.pk}", EDITED)
    page.click(f"#claim-{statement.pk} button.op-edit")
    expect_message(page, "saved")
    page.click("button.transition-submit")
    expect_message(page, "in review")

    # The reviewer finds the claims in their queue, cites a source and verifies.
    log_in(page, live_server, "rev")
    assert "Claims to check" in page.inner_text("#queue-claims_to_check")
    page.click(f"#queue-answers_to_review >> text={answer.question.text}")
    page.click(f"#claim-{statement.pk} >> text=Add one")
    page.click(".field-source .select2-selection")
    page.fill(".select2-search__field", "67.307")
    page.click(".select2-results__option >> text=Missouri Revised Statutes")
    page.fill("input[name='citations-0-pinpoint']", "§ 67.307.2")
    page.fill("textarea[name='citations-0-quote']", "No municipality shall enact a policy.")
    page.click("input[name=_continue]")
    expect_message(page, "changed successfully")
    page.goto(f"{live_server.url}/admin/courtinfo/answer/{answer.pk}/change/")
    page.click(f"#claim-{statement.pk} button[value=supported]")
    expect_message(page, "supported")
    page.click(f"#claim-{pointer.pk} button[value=not_a_claim]")
    expect_message(page, "not a claim")
    page.click("button.transition-approve")
    expect_message(page, "approved")

    # The publisher publishes it from the queue of approved answers.
    log_in(page, live_server, "pub")
    page.click(f"#queue-answers_to_publish >> text={answer.question.text}")
    page.fill(".transition-form input[name=note]", "First publication")
    page.click("button.transition-publish")
    expect_message(page, "published")

    # The public page shows the corrected, cited answer.
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert Claim.objects.get(pk=statement.pk).citations.get().source == source
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{answer.question.get_absolute_url()}")
    body = page.inner_text("main")
    assert EDITED in body
    assert "Missouri Revised Statutes" in body
