"""The answer page's claims editor, used as a person uses it: forms parsed from the page."""

import lxml.html
import pytest
from django.urls import reverse

from claims import workflow
from claims.models import Claim
from courtinfo.models import Answer
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory
from tests.html_forms import find_form, form_data

pytestmark = pytest.mark.django_db

LAYOUT = [{"kind": "paragraph", "number": None}, {"kind": "numbered", "number": 1}]


def laid_out() -> Answer:
    answer = AnswerFactory(blocks=LAYOUT)
    ClaimFactory(answer=answer, block=0, position=0, text="Courts keep a record.")
    ClaimFactory(
        answer=answer,
        block=0,
        position=1,
        text="Missouri law does not have specific statutes mandating cooperation with ICE.",
    )
    ClaimFactory(answer=answer, block=1, position=2, text="Clerks answer within three days.")
    return answer


def answer_url(answer: Answer) -> str:
    return reverse("admin:courtinfo_answer_change", args=[answer.pk])


def page_of(client, answer: Answer) -> lxml.html.HtmlElement:
    response = client.get(answer_url(answer))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def claim_form(page, claim: Claim):
    [form] = page.xpath(
        f'//form[contains(@class, "claim-edit-form")][.//input[@name="claim"][@value="{claim.pk}"]]'
    )
    return form


def press(client, form, op: str, **typed):
    """Post a form of the editor with the button `op` pressed; the page it returns to."""
    response = client.post(form.get("action"), form_data(form, press=("op", op), **typed))
    assert response.status_code == 302, response.status_code
    return response


def refusal_at(client, response, anchor: str) -> str:
    """What the page the response returns to says, beside the element it returns to."""
    assert response["Location"].endswith(f"#{anchor}"), response["Location"]
    page = lxml.html.fromstring(client.get(response["Location"]).content)
    return " ".join(e.text_content() for e in page.xpath(f'//*[@id="{anchor}"]//*[@role="alert"]'))


def texts(answer: Answer) -> list[tuple[int, str]]:
    return [(c.block, c.text) for c in answer.claims.order_by("block", "position", "pk")]


def test_the_answer_reads_as_blocks_with_their_claims_not_json(client, editor):
    answer = laid_out()
    client.force_login(editor)
    page = page_of(client, answer)
    blocks = page.xpath('//section[contains(@class, "answer-block")]')
    assert [b.xpath(".//h3")[0].text_content() for b in blocks] == [
        "Block 1: Paragraph",
        "Block 2: Numbered point 1",
    ]
    assert [len(b.xpath('.//li[contains(@class, "claim-card")]')) for b in blocks] == [2, 1]
    # No layout as JSON, no numbers to type for positions and blocks.
    assert not page.xpath('//textarea[@name="blocks"]')
    assert not page.xpath('//input[contains(@name, "position")][not(@type="hidden")]')


def test_each_claim_shows_its_risk_with_the_reasons(client, editor):
    answer = laid_out()
    client.force_login(editor)
    page = page_of(client, answer)
    risky = answer.claims.get(position=1)
    [card] = page.xpath(f'//li[@id="claim-{risky.pk}"]')
    assert "High risk" in card.xpath('.//*[contains(@class, "risk-badge")]')[0].text_content()
    assert "absence" in card.xpath('.//ul[@class="risk-reasons"]')[0].text_content()


def test_editing_a_claims_text_goes_through_the_workflow(client, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    form = claim_form(page_of(client, answer), first)
    response = press(client, form, "edit", text="Courts keep a full record.")
    assert response["Location"].endswith(f"#claim-{first.pk}")
    first.refresh_from_db()
    assert (first.text, first.author) == ("Courts keep a full record.", editor)


def test_moving_with_the_buttons_crosses_into_the_next_block(client, editor):
    answer = laid_out()
    second = answer.claims.get(position=1)
    client.force_login(editor)
    press(client, claim_form(page_of(client, answer), second), "down")
    assert texts(answer)[1:] == [(1, second.text), (1, "Clerks answer within three days.")]
    press(client, claim_form(page_of(client, answer), second), "up")
    assert texts(answer)[1] == (0, second.text)


def test_splitting_and_merging_from_the_page(client, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    press(
        client,
        claim_form(page_of(client, answer), first),
        "split",
        text="Courts keep a record.\nThe record is public.",
    )
    assert [t for _, t in texts(answer)][:2] == ["Courts keep a record.", "The record is public."]
    press(client, claim_form(page_of(client, answer), first), "merge")
    assert texts(answer)[0] == (0, "Courts keep a record. The record is public.")


def test_changing_a_blocks_layout_from_the_page(client, editor):
    answer = laid_out()
    client.force_login(editor)
    [form] = page_of(client, answer).xpath('//section[@id="block-1"]//form')[:1]
    press(client, form, "kind", kind="bullet")
    answer.refresh_from_db()
    assert answer.blocks[1] == {"kind": "bullet", "number": None}


def test_a_claim_added_to_a_block_that_does_not_exist_is_refused_on_the_page(client, editor):
    answer = laid_out()
    client.force_login(editor)
    [form] = page_of(client, answer).xpath(
        '//section[@id="block-0"]//form[contains(@class, "add-claim-form")]'
    )
    response = press(client, form, "add", text="A new claim.", block=99)
    assert "blocks" in refusal_at(client, response, "claims-editor")
    assert answer.claims.count() == 3


def test_a_claim_moved_to_a_block_that_does_not_exist_is_refused_beside_it(client, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    response = press(client, claim_form(page_of(client, answer), first), "move", block=99)
    assert "blocks" in refusal_at(client, response, f"claim-{first.pk}")
    assert texts(answer)[0] == (0, first.text)


@pytest.mark.parametrize("version", ["", "seven", "-1", "99999999999999999999"])
def test_malformed_numbers_are_refused_beside_the_claim(client, editor, version):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    form = claim_form(page_of(client, answer), first)
    response = press(client, form, "edit", text="Changed.", version=version)
    assert "changed this" in refusal_at(client, response, f"claim-{first.pk}")
    first.refresh_from_db()
    assert first.text == "Courts keep a record."


def test_a_claim_changed_after_the_page_was_opened_is_not_overwritten(client, editor, other_editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    form = claim_form(page_of(client, answer), first)
    workflow.edit_claim(first, by=other_editor, text="Their words.")
    response = press(client, form, "edit", text="My words.")
    said = refusal_at(client, response, f"claim-{first.pk}")
    assert "editor2" in said and "Their words." in said
    first.refresh_from_db()
    assert first.text == "Their words."
    page = page_of(client, answer)  # the refusal was shown once (by refusal_at), then forgotten
    assert claim_form(page, first).xpath(".//textarea")[0].text == "Their words."


def test_a_refused_edit_gives_the_typed_text_back_in_the_box(client, editor, other_editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    form = claim_form(page_of(client, answer), first)
    workflow.edit_claim(first, by=other_editor, text="Their words.")
    response = press(client, form, "edit", text="My words.")
    page = lxml.html.fromstring(client.get(response["Location"]).content)
    assert claim_form(page, first).xpath(".//textarea")[0].text == "My words."


def test_a_refused_verdict_is_shown_beside_the_claim_it_concerns(client, editor, reviewer):
    answer = laid_out()
    workflow.submit_answer(answer, by=editor)
    uncited = answer.claims.get(position=2)
    client.force_login(reviewer)
    page = page_of(client, answer)
    [card] = page.xpath(f'//li[@id="claim-{uncited.pk}"]')
    # The page says why "Supported" is not offered, next to the buttons it does offer.
    withheld = card.xpath('.//*[contains(@class, "verdict-withheld")]')[0].text_content()
    assert "citation" in withheld
    # A post of it anyway (an older page, a crafted request) is refused where it was pressed.
    [form] = card.xpath('.//form[contains(@class, "verify-form")]')
    response = client.post(form.get("action"), form_data(form, verdict="supported"))
    assert f"Claim #{uncited.pk}" in refusal_at(client, response, f"claim-{uncited.pk}")


def test_a_reviewer_who_corrected_the_text_is_told_why_there_are_no_verdicts(
    client, editor, reviewer
):
    answer = laid_out()
    first = answer.claims.get(position=0)
    CitationFactory(claim=first)
    workflow.submit_answer(answer, by=editor)
    workflow.edit_claim(first, by=reviewer, text="Courts keep a sound record.")
    client.force_login(reviewer)
    [card] = page_of(client, answer).xpath(f'//li[@id="claim-{first.pk}"]')
    assert not card.xpath('.//form[contains(@class, "verify-form")]')
    assert "wrote" in card.xpath('.//*[contains(@class, "verdict-refusal")]')[0].text_content()


def test_a_publisher_reads_the_answer_without_editing_forms(client, publisher):
    answer = laid_out()
    client.force_login(publisher)
    page = page_of(client, answer)
    assert page.xpath('//li[contains(@class, "claim-card")]')
    assert not page.xpath('//form[contains(@class, "claim-edit-form")]')


def test_a_publisher_posting_an_edit_is_refused(client, publisher, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    form = claim_form(page_of(client, answer), first)
    client.force_login(publisher)
    response = press(client, form, "edit", text="Mine now.")
    assert "role" in refusal_at(client, response, f"claim-{first.pk}")


def test_saving_a_claim_opened_from_its_answer_returns_to_it(client, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    [link] = page_of(client, answer).xpath(
        f'//li[@id="claim-{first.pk}"]//a[contains(@class, "claim-page-link")]'
    )
    page = client.get(link.get("href")).content.decode()
    form = find_form(page, form_id="claim_form")
    response = client.post(link.get("href"), form_data(form, text="Courts keep a record, always."))
    assert response["Location"] == f"{answer_url(answer)}#claim-{first.pk}"


def test_the_claim_page_shows_its_place_read_only(client, editor):
    answer = laid_out()
    first = answer.claims.get(position=0)
    client.force_login(editor)
    page = lxml.html.fromstring(
        client.get(reverse("admin:claims_claim_change", args=[first.pk])).content
    )
    assert not page.xpath('//input[@name="block" or @name="position"]')
    assert (
        "Block 1, place 1" in page.xpath('//div[contains(@class, "field-place")]')[0].text_content()
    )


def test_the_question_page_keeps_slug_position_and_compare_key_read_only(client, editor):
    answer = laid_out()
    client.force_login(editor)
    page = lxml.html.fromstring(
        client.get(reverse("admin:courtinfo_question_change", args=[answer.question_id])).content
    )
    for name in ("slug", "position", "compare_key"):
        assert not page.xpath(f'//*[@name="{name}"]'), name


def test_a_claim_whose_block_is_missing_from_the_layout_is_still_shown(client, editor):
    answer = laid_out()
    stray = ClaimFactory(answer=answer, block=4, position=9, text="Left outside the layout.")
    client.force_login(editor)
    page = page_of(client, answer)
    assert page.xpath(f'//section[@id="block-4"]//li[@id="claim-{stray.pk}"]')
    press(client, claim_form(page, stray), "move", block=0)
    stray.refresh_from_db()
    assert stray.block == 0
