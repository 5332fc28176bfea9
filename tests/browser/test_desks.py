"""The three desks walked in a real browser, the way the trouble in issue 10 was found: an editor,
a reviewer and a publisher each start from the dashboard and do their day's work."""

import re
from pathlib import Path

import pytest

from claims import workflow
from claims.models import Claim
from courtinfo.models import Answer
from tests.browser.test_editorial_story import expect_message, log_in
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
)

DOCUMENT = Path(__file__).parent.parent / "fixtures" / "missouri_short.txt"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def people():
    UserFactory(username="ed", groups=["Editors"], first_name="Eda", last_name="Editor")
    UserFactory(username="rev", groups=["Reviewers"], first_name="Rae", last_name="Reviewer")
    UserFactory(username="pub", groups=["Publishers"], first_name="Pat", last_name="Publisher")


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_editor_works_from_the_dashboard_without_a_dead_end(page, live_server):
    people()
    log_in(page, live_server, "ed")
    # Import from the dashboard; the result leads to the answers, where the claims are.
    page.click("#desk-editor a.import-link")
    page.set_input_files("#id_files", str(DOCUMENT))
    page.click("input[name=_import]")
    page.click("a.import-answers")
    answer = Answer.objects.get(question__position=1)
    page.click(f"#result_list >> text={answer.question.text}")
    first, second = answer.claims.order_by("block", "position")

    # Split a claim where a line break is typed, then merge the parts back.
    page.fill(f"#claim-text-{second.pk}", "It bans sanctuary policies.\nIn every subdivision.")
    page.click(f"#claim-{second.pk} button.op-split")
    expect_message(page, "split in 2")
    assert answer.claims.count() == 3
    page.click(f"#claim-{second.pk} button.op-merge")
    expect_message(page, "merged")

    # Move with the keyboard: focus the button, press Enter.
    page.focus(f"#claim-{second.pk} button.op-up")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert list(answer.claims.order_by("block", "position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]

    # Drag it back below the other claim: its handle onto the end of the block.
    handle = page.locator(f"#claim-{second.pk} .drag-handle")
    with page.expect_navigation():
        handle.drag_to(page.locator("#block-0 .add-claim-form"))
    assert list(answer.claims.order_by("block", "position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]

    # Change the block's layout, add a block, and submit.
    page.select_option("#block-0 select[name=kind]", "bullet")
    page.click("#block-0 button[value=kind]")
    expect_message(page, "layout was changed")
    page.fill("#add-block textarea[name=text]", "Clerks answer within three days.")
    page.click("#add-block button[value=add_block]")
    expect_message(page, "added")
    answer.refresh_from_db()
    assert [b["kind"] for b in answer.blocks] == ["bullet", "paragraph"]
    page.click("button.transition-submit")
    expect_message(page, "in review")

    # A claim added with a block that does not exist is a message on the page, never a 500.
    page.evaluate(
        "document.querySelector('#block-0 .add-claim-form input[name=block]').value = '99'"
    )
    page.fill("#block-0 .add-claim-form textarea[name=text]", "One more thing.")
    page.click("#block-0 .add-claim-form button[value=add]")
    assert "blocks" in page.inner_text("#claims-editor .refusal")
    # What was typed is not lost.
    assert page.input_value("#add-block textarea[name=text]") == "One more thing."


def test_the_reviewer_checks_the_riskiest_claims_and_sees_every_refusal_where_it_happens(
    page, live_server
):
    people()
    answer = AnswerFactory(blocks=[{"kind": "paragraph", "number": None}])
    words = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
    ]
    for position, word in enumerate(words):
        ClaimFactory(
            answer=answer, position=position, text=f"It is essential to consider the {word} step."
        )
    risky = ClaimFactory(
        answer=answer,
        position=20,
        text="Missouri law does not have specific statutes mandating cooperation with ICE.",
    )
    workflow.submit_answer(answer, by=UserFactory(username="ed"))
    source = SourceFactory(title="Missouri Revised Statutes", citation="Mo. Rev. Stat. § 67.307")

    log_in(page, live_server, "rev")
    # Riskiest first, and the count is what the list behind it holds.
    first_item = page.locator("#queue-claims_to_check li.queue-item").first
    assert "High risk" in first_item.inner_text()
    assert risky.text in first_item.inner_text()
    count = page.inner_text("#queue-claims_to_check .queue-count")
    page.click("#queue-claims_to_check .queue-count")
    assert re.search(rf"\b{count} claims?\b", page.inner_text(".paginator"))
    page.go_back()

    # The answer opens at the claim, whose reasons are beside it.
    first_item.locator("a").last.click()
    assert in_view(page, f"#claim-{risky.pk}")
    page.click(f"#claim-{risky.pk} details.risk summary")
    assert "absence" in page.inner_text(f"#claim-{risky.pk} .risk-reasons")

    # "Disputed" without a note: refused, and the reason shows where the button was pressed.
    page.click(f"#claim-{risky.pk} button[value=disputed]")
    assert "note" in page.inner_text(f"#claim-{risky.pk} .refusal")
    assert in_view(page, f"#claim-{risky.pk} .refusal")

    # A citation added from the claim's page brings the reviewer back to the claim.
    page.click(f"#claim-{risky.pk} >> text=Add one")
    page.click(".field-source .select2-selection")
    page.fill(".select2-search__field", "67.307")
    page.click(".select2-results__option >> text=Missouri Revised Statutes")
    page.fill("textarea[name='citations-0-quote']", "No municipality shall enact a policy.")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(f"/admin/courtinfo/answer/{answer.pk}/change/#claim-{risky.pk}$"))
    page.click(f"#claim-{risky.pk} button[value=disputed]")  # still no note
    page.fill(f"#claim-{risky.pk} input[name=note]", "RSMo 67.307 and 544.472 exist.")
    page.click(f"#claim-{risky.pk} button[value=disputed]")
    expect_message(page, "disputed")
    assert Claim.objects.get(pk=risky.pk).status == Claim.Status.DISPUTED
    assert source.citations.count() == 1

    # Progress next to Approve.
    assert f"0 of {answer.claims.count()} claims checked" in page.inner_text("#workflow")


def test_the_publisher_publishes_sees_the_live_page_and_finds_the_way_back(page, live_server):
    people()
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer))
    editor, reviewer = UserFactory(username="ed"), UserFactory(username="rev")
    workflow.submit_answer(answer, by=editor)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED)
    workflow.approve_answer(answer, by=reviewer)

    log_in(page, live_server, "pub")
    item = page.locator("#queue-answers_to_publish li.queue-item").first
    # Never published: a preview, not a comparison with nothing.
    assert item.locator(".compare-live").count() == 0
    item.locator(".preview-link").click()
    assert page.locator("main").count() == 1
    page.go_back()
    item.locator("a").first.click()
    page.fill(".transition-form input[name=note]", "First publication")
    page.click("button.transition-publish")
    expect_message(page, "published")
    page.click("ul.messagelist >> text=See the public page")
    assert answer.question.text in page.inner_text("main")

    page.goto(f"{live_server.url}/admin/courtinfo/answer/{answer.pk}/change/")
    page.fill(".transition-form input[name=note]", "The statute was repealed.")
    page.click("button.transition-withdraw")
    expect_message(page, "withdrawn")
    page.goto(f"{live_server.url}/admin/")
    withdrawn = page.locator("#queue-withdrawn li.queue-item").first
    assert "The statute was repealed." in withdrawn.inner_text()
    withdrawn.locator("text=Bring it back").click()
    assert "Back to draft" in page.inner_text(".withdrawn-note")


ADMIN_PAGES = [
    "/admin/",
    "/admin/courtinfo/answer/",
    "/admin/courtinfo/question/",
    "/admin/courtinfo/publication/",
    "/admin/claims/claim/",
    "/admin/claims/claim/?queue=claims_to_check",
    "/admin/claims/source/",
    "/admin/claims/citation/",
    "/admin/claims/review/",
    "/admin/courtinfo/question/import/",
    "/admin/claims/claim/add/",
    "/admin/claims/source/add/",
]


def test_no_admin_page_scrolls_sideways_at_1280_px(page, live_server):
    UserFactory(username="root", is_superuser=True)
    long_text = "A claim with a long citation: Mo. Rev. Stat. §§ 67.307, 544.470, 650.475. " * 6
    answer = AnswerFactory()
    claim = ClaimFactory(answer=answer, text=long_text)
    citation = CitationFactory(claim=claim, quote="Quoted words " * 40)
    workflow.submit_answer(answer, by=UserFactory(username="ed", groups=["Editors"]))
    workflow.request_changes(answer, by=UserFactory(username="rev", groups=["Reviewers"]), note="x")
    pages = [
        *ADMIN_PAGES,
        f"/admin/courtinfo/answer/{answer.pk}/change/",
        f"/admin/courtinfo/answer/{answer.pk}/history/",
        f"/admin/courtinfo/question/{answer.question_id}/change/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/source/{citation.source_id}/change/",
    ]
    log_in(page, live_server, "root")
    assert page.viewport_size["width"] == 1280
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            """() => {
                const root = document.documentElement;
                const wide = [root.scrollWidth - root.clientWidth];
                for (const el of document.querySelectorAll('#content *')) {
                    const style = getComputedStyle(el);
                    if (['auto', 'scroll'].includes(style.overflowX)) {
                        wide.push(el.scrollWidth - el.clientWidth);
                    }
                }
                return Math.max(...wide);
            }"""
        )
        assert overflow <= 1, (path, overflow)
