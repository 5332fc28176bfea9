"""The dashboard's three desks: what each queue holds, in which order, and that its count is the
number of rows its link lists."""

import lxml.html
import pytest
from django.urls import reverse

from claims import desks, workflow
from claims.importer.load import import_document
from claims.importer.parse import parse_document
from claims.models import Claim
from courtinfo.models import Answer
from tests.claims.test_admin_content import answer_with_claims, approved, published
from tests.factories import (
    AnswerFactory,
    ClaimFactory,
    UserFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db

DOCUMENT = (
    "1. What does the records rule say in Missouri?\n"
    "Courts keep a record of every hearing. It is essential to consider the record.\n"
    "- Missouri law does not have specific statutes mandating cooperation with ICE.\n"
    "2. What does the filing rule say in Missouri?\n"
    "Judges sign every order.\n"
)


def dashboard(client) -> lxml.html.HtmlElement:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def shown_queues(page) -> dict[str, tuple[int, str]]:
    """Each queue on the dashboard: its count and the address of the list its count links."""
    queues = {}
    for module in page.xpath('//div[contains(@class, "work-queue")]'):
        [count] = module.xpath('.//a[contains(@class, "queue-count")]')
        queues[module.get("id").removeprefix("queue-")] = (int(count.text), count.get("href"))
    return queues


def listed(client, url: str) -> int:
    """How many rows the admin list at `url` says it holds."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"].result_count


def test_an_editor_sees_the_drafts_imported_from_the_command_line(client, editor):
    # The command line imports as the importer account (or as another person, with --by).
    import_document(
        parse_document(DOCUMENT.encode(), name="rules.txt"), jurisdiction=jurisdiction("MO")
    )
    client.force_login(editor)
    count, url = shown_queues(dashboard(client))["drafts"]
    assert count == 2
    assert listed(client, url) == 2


def test_every_editor_sees_drafts_nobody_has_started_whoever_imported_them(
    client, editor, other_editor
):
    import_document(
        parse_document(DOCUMENT.encode(), name="rules.txt"),
        jurisdiction=jurisdiction("MO"),
        user=editor,
    )
    started = Answer.objects.get(question__position=1)
    workflow.edit_claim(started.claims.first(), by=editor, text="Courts keep every record.")
    client.force_login(other_editor)
    count, _ = shown_queues(dashboard(client))["drafts"]
    assert count == 1  # the one the editor started is theirs now
    client.force_login(editor)
    count, _ = shown_queues(dashboard(client))["drafts"]
    assert count == 2


def test_a_sent_back_answer_comes_first_with_the_reviewers_reason(client, editor, reviewer):
    answer_with_claims(question__position=1)
    sent_back = answer_with_claims(question__position=2)
    workflow.submit_answer(sent_back, by=editor)
    workflow.request_changes(sent_back, by=reviewer, note="Cite RSMo 544.470 for claim 2.")
    client.force_login(editor)
    page = dashboard(client)
    [first, *_] = page.xpath('//div[@id="queue-drafts"]//li[@class="queue-item"]')
    assert sent_back.question.text in first.text_content()
    assert "Cite RSMo 544.470 for claim 2." in first.text_content()


def test_the_answer_page_shows_why_it_was_sent_back_on_top(client, editor, reviewer):
    answer = answer_with_claims()
    workflow.submit_answer(answer, by=editor)
    workflow.request_changes(answer, by=reviewer, note="Cut the last sentence.")
    client.force_login(editor)
    page = lxml.html.fromstring(
        client.get(reverse("admin:courtinfo_answer_change", args=[answer.pk])).content
    )
    [note] = page.xpath('//div[contains(@class, "sent-back")]')
    assert "Cut the last sentence." in note.text_content()
    # Above the claims editor, where the editor starts reading.
    [editor_panel] = page.xpath('//div[@id="claims-editor"]')
    assert note.sourceline < editor_panel.sourceline


def test_a_resubmitted_answer_no_longer_says_it_was_sent_back(client, editor, reviewer):
    answer = answer_with_claims()
    workflow.submit_answer(answer, by=editor)
    workflow.request_changes(answer, by=reviewer, note="Cut the last sentence.")
    workflow.submit_answer(answer, by=editor)
    workflow.request_changes(answer, by=reviewer, note="Now cite the statute.")
    assert desks.drafts(Answer.objects.all(), editor).get().last_move_note == (
        "Now cite the statute."
    )


def test_the_reviewers_claims_are_ordered_riskiest_first(client, editor, reviewer):
    answer = AnswerFactory()
    safe = ClaimFactory(answer=answer, position=0, text="It is essential to consider the rules.")
    risky = ClaimFactory(
        answer=answer,
        position=1,
        text="Missouri law does not have specific statutes mandating cooperation with ICE.",
    )
    workflow.submit_answer(answer, by=editor)
    client.force_login(reviewer)
    page = dashboard(client)
    items = page.xpath('//div[@id="queue-claims_to_check"]//li[@class="queue-item"]')
    assert [risky.text in items[0].text_content(), safe.text in items[1].text_content()] == [
        True,
        True,
    ]
    assert "High risk" in items[0].text_content()
    # The list behind the count keeps that order.
    _, url = shown_queues(page)["claims_to_check"]
    rows = list(client.get(url).context["cl"].result_list)
    assert [c.pk for c in rows] == [risky.pk, safe.pk]


def test_queue_counts_equal_what_their_links_list_for_every_role(
    client, editor, reviewer, publisher, superuser
):
    # More than a dashboard shows, and some of them the reviewer's own work.
    for _ in range(12):
        workflow.submit_answer(answer_with_claims(), by=editor)
    own = answer_with_claims()
    ClaimFactory(answer=own, author=reviewer, position=5)
    workflow.submit_answer(own, by=editor)
    for user in (editor, reviewer, publisher, superuser):
        client.force_login(user)
        queues = shown_queues(dashboard(client))
        assert queues, user
        for key, (count, url) in queues.items():
            assert listed(client, url) == count, (user.username, key)


def test_the_reviewer_sees_a_progress_bar_per_answer(client, editor, reviewer, other_reviewer):
    answer = answer_with_claims(3)
    workflow.submit_answer(answer, by=editor)
    first, second, _ = answer.claims.order_by("position")
    workflow.verify_claim(first, by=other_reviewer, verdict=Claim.Status.SUPPORTED)
    workflow.verify_claim(second, by=other_reviewer, verdict=Claim.Status.NOT_A_CLAIM)
    client.force_login(reviewer)
    [item] = dashboard(client).xpath(
        '//div[@id="queue-answers_to_review"]//li[@class="queue-item"]'
    )
    [bar] = item.xpath(".//progress")
    assert (bar.get("value"), bar.get("max")) == ("2", "3")
    assert "2 of 3 claims checked" in item.text_content()


def test_the_publisher_compares_with_live_only_where_something_is_live(
    client, editor, reviewer, publisher
):
    approved(editor, reviewer)
    client.force_login(publisher)
    [item] = dashboard(client).xpath(
        '//div[@id="queue-answers_to_publish"]//li[@class="queue-item"]'
    )
    assert not item.xpath('.//a[contains(@class, "compare-live")]')
    assert item.xpath('.//a[contains(@class, "preview-link")]')


def test_the_publisher_finds_withdrawn_answers_with_the_way_back(
    client, editor, reviewer, publisher
):
    answer = published(editor, reviewer, publisher)
    workflow.withdraw_answer(answer, by=publisher, reason="The statute was repealed.")
    client.force_login(publisher)
    [item] = dashboard(client).xpath('//div[@id="queue-withdrawn"]//li[@class="queue-item"]')
    assert "The statute was repealed." in item.text_content()
    [back] = item.xpath(".//a[contains(., 'Bring it back')]")
    page = lxml.html.fromstring(client.get(back.get("href")).content)
    assert (
        "Back to draft" in page.xpath('//div[contains(@class, "withdrawn-note")]')[0].text_content()
    )
    client.force_login(editor)
    page = lxml.html.fromstring(client.get(back.get("href")).content)
    assert page.xpath('//button[contains(@class, "transition-reopen")]')


def test_import_is_reachable_from_the_dashboard_and_the_answers_list(client, editor):
    client.force_login(editor)
    importer = reverse("admin:courtinfo_question_import")
    assert dashboard(client).xpath(f'//section[@id="desk-editor"]//a[@href="{importer}"]')
    answers = lxml.html.fromstring(client.get(reverse("admin:courtinfo_answer_changelist")).content)
    assert answers.xpath(f'//a[@href="{importer}"]')


def test_a_person_without_a_role_sees_no_desk(client):
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert not dashboard(client).xpath('//section[contains(@class, "desk")]')


def test_a_queue_that_is_not_yours_lists_nothing(client, publisher, editor):
    workflow.submit_answer(answer_with_claims(), by=editor)
    client.force_login(publisher)
    url = reverse("admin:claims_claim_changelist") + "?queue=claims_to_check"
    assert listed(client, url) == 0


def _translated(publication, translator, *, submit=False):
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Pregunta?")
    for claim in publication.answer.claims.all():
        workflow.translate_claim(translation, claim, by=translator, text="Traducido.")
    if submit:
        workflow.submit_translation(translation, by=translator)
    return translation


def test_the_translators_desk_lists_what_to_translate_redo_and_approve(
    client, translator, other_translator
):
    from tests.factories import PublicationFactory, SourceFactory

    PublicationFactory()  # published, never translated
    behind = PublicationFactory()
    _translated(behind, translator)
    PublicationFactory(
        answer=behind.answer,
        version=2,
        blocks=[("paragraph", None, [("The English moved on.", [SourceFactory()])])],
    )
    _translated(PublicationFactory(), other_translator, submit=True)
    client.force_login(translator)
    queues = shown_queues(dashboard(client))
    assert {key: count for key, (count, _url) in queues.items()} == {
        "translations_to_start": 1,
        "translations_outdated": 1,
        "translations_to_approve": 1,
    }
    for count, url in queues.values():
        assert listed(client, url) == count
    # Nobody approves what they translated: the other translator's queue leaves it out.
    client.force_login(other_translator)
    assert shown_queues(dashboard(client))["translations_to_approve"][0] == 0
