"""Answer and question admin: workflow buttons, actions, queues, preview, compare, stale forms."""

import lxml.html
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from claims import workflow
from claims.models import Claim
from courtinfo.models import Answer, Question
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    QuestionFactory,
    SourceFactory,
)
from tests.html_forms import error_text, find_form, form_data, open_change_form, submit

pytestmark = pytest.mark.django_db


def run_action(client, action: str, answers: list):
    """Tick answers in the rendered answers list and run an action, as a person does."""
    return submit(
        client,
        reverse("admin:courtinfo_answer_changelist"),
        form_id="changelist-form",
        action=action,
        _selected_action=[a.pk for a in answers],
    )


def queues_of(response) -> dict:
    """The dashboard's queues by key, whichever desk shows them."""
    return {q.key: q for desk in response.context["desks"] for q in desk.queues}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def answer_with_claims(count: int = 2, **kwargs) -> Answer:
    answer = AnswerFactory(**kwargs)
    for position in range(count):
        CitationFactory(claim=ClaimFactory(answer=answer, position=position))
    return answer


def in_review(editor, count: int = 2) -> Answer:
    answer = answer_with_claims(count)
    workflow.submit_answer(answer, by=editor)
    return answer


def approved(editor, reviewer, count: int = 2) -> Answer:
    answer = in_review(editor, count)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    workflow.approve_answer(answer, by=reviewer)
    return answer


def published(editor, reviewer, publisher, count: int = 2) -> Answer:
    answer = approved(editor, reviewer, count)
    workflow.publish_answer(answer, by=publisher, summary="First version")
    answer.refresh_from_db()
    return answer


def change_url(answer: Answer) -> str:
    return reverse("admin:courtinfo_answer_change", args=[answer.pk])


def transition(client, answer: Answer, action: str, note: str = ""):
    url = reverse("admin:courtinfo_answer_transition", args=[answer.pk])
    return client.post(url, {"action": action, "note": note})


# Pages per role.


@pytest.mark.parametrize("role", ["editor", "reviewer", "publisher", "superuser"])
def test_every_role_sees_answer_list_and_page(client, request, role):
    answer = answer_with_claims()
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:courtinfo_answer_changelist")).status_code == 200
    response = client.get(change_url(answer))
    assert response.status_code == 200
    assert answer.claims.first().text in response.content.decode()


@pytest.mark.parametrize("name", ["question", "jurisdiction", "topic", "publication", "answer"])
def test_changelists_render_for_superuser(client, superuser, name):
    answer = answer_with_claims()
    client.force_login(superuser)
    response = client.get(reverse(f"admin:courtinfo_{name}_changelist"))
    assert response.status_code == 200
    if name in ("question", "answer"):
        assert answer.question.text in response.content.decode()


def test_draft_page_offers_submit_to_editor(client, editor):
    answer = answer_with_claims()
    client.force_login(editor)
    page = client.get(change_url(answer)).content.decode()
    assert 'value="submit"' in page
    assert 'value="approve"' not in page


def test_submitter_is_not_offered_approve(client, editor, reviewer):
    answer = in_review(editor)
    editor.groups.add(*reviewer.groups.all())
    client.force_login(editor)
    page = client.get(change_url(answer)).content.decode()
    assert "You submitted this answer" in page
    assert 'value="request_changes"' in page


def test_reviewer_is_offered_approve_and_send_back(client, editor, reviewer):
    answer = in_review(editor)
    client.force_login(reviewer)
    page = client.get(change_url(answer)).content.decode()
    assert 'value="approve"' in page
    assert 'value="request_changes"' in page


# Transitions through the buttons.


def test_editor_submits_with_the_button(client, editor):
    answer = answer_with_claims()
    client.force_login(editor)
    response = transition(client, answer, "submit")
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW
    assert answer.submitted_by == editor


def test_approve_with_unverified_claims_is_refused_with_reason(client, editor, reviewer):
    answer = in_review(editor)
    client.force_login(reviewer)
    response = transition(client, answer, "approve")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW
    (message,) = messages_of(response)
    assert "claim" in message.lower()


def test_send_back_needs_a_note(client, editor, reviewer):
    answer = in_review(editor)
    client.force_login(reviewer)
    transition(client, answer, "request_changes", note="")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW
    transition(client, answer, "request_changes", note="Cite the statute.")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.DRAFT


def test_outsider_cannot_submit(client, outsider):
    answer = answer_with_claims()
    outsider.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="view_answer")
    )
    client.force_login(outsider)
    response = transition(client, answer, "submit")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.DRAFT
    assert "role" in messages_of(response)[0]


def test_transition_needs_post(client, editor):
    answer = answer_with_claims()
    client.force_login(editor)
    url = reverse("admin:courtinfo_answer_transition", args=[answer.pk])
    assert client.get(url).status_code == 405


def test_publisher_publishes_with_the_button(client, editor, reviewer, publisher):
    answer = approved(editor, reviewer)
    client.force_login(publisher)
    page = client.get(change_url(answer)).content.decode()
    assert 'value="publish"' in page
    transition(client, answer, "publish", note="First publication")
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED
    assert answer.live_publication.summary == "First publication"


# Changelist actions.


def test_submit_action_reports_refused_items_and_passes_others(client, editor):
    good = answer_with_claims()
    empty = AnswerFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:courtinfo_answer_changelist"),
        {"action": "submit", "_selected_action": [good.pk, empty.pk]},
    )
    assert response.status_code == 302
    good.refresh_from_db()
    empty.refresh_from_db()
    assert good.status == Answer.Status.IN_REVIEW
    assert empty.status == Answer.Status.DRAFT
    texts = messages_of(response)
    assert any(str(empty) in t and "no claims" in t for t in texts)
    assert any("1 answers submitted" in t for t in texts)


def test_approve_action_refuses_own_submission(client, editor, reviewer):
    answer = in_review(editor)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    editor.groups.add(*reviewer.groups.all())
    client.force_login(editor)
    response = run_action(client, "approve", [answer])
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW
    assert messages_of(response)


def test_approve_action_approves_what_the_list_showed(client, editor, reviewer):
    answer = in_review(editor)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    client.force_login(reviewer)
    run_action(client, "approve", [answer])
    answer.refresh_from_db()
    assert answer.status == Answer.Status.APPROVED


def test_approve_action_refuses_an_answer_changed_after_the_list_was_loaded(
    client, editor, reviewer
):
    answer = in_review(editor)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    client.force_login(reviewer)
    page = client.get(reverse("admin:courtinfo_answer_changelist")).content.decode()
    question = answer.question
    question.text = "A question reworded meanwhile?"
    question.save()
    form = find_form(page, form_id="changelist-form")
    data = form_data(form, action="approve", _selected_action=[answer.pk])
    response = client.post(reverse("admin:courtinfo_answer_changelist"), data)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW
    assert any("changed after you opened the page" in m for m in messages_of(response))


def test_approve_action_without_the_list_fields_is_refused(client, editor, reviewer):
    answer = in_review(editor)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    client.force_login(reviewer)
    client.post(
        reverse("admin:courtinfo_answer_changelist"),
        {"action": "approve", "_selected_action": [answer.pk]},
    )
    answer.refresh_from_db()
    assert answer.status == Answer.Status.IN_REVIEW


def test_publish_action_publishes_approved(client, editor, reviewer, publisher):
    answer = approved(editor, reviewer)
    client.force_login(publisher)
    run_action(client, "publish", [answer])
    answer.refresh_from_db()
    assert answer.status == Answer.Status.PUBLISHED


def test_actions_are_offered_by_permission(client, publisher):
    answer_with_claims()
    client.force_login(publisher)
    page = client.get(reverse("admin:courtinfo_answer_changelist")).content.decode()
    assert 'value="publish"' in page
    assert 'value="submit"' not in page


# Dashboard.


def test_dashboard_shows_reviewer_queues_without_own_work(client, editor, reviewer):
    answer = in_review(editor, count=3)
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="queue-claims_to_check"' in page
    assert 'id="queue-answers_to_review"' in page
    assert answer.question.text in page
    assert 'id="queue-drafts"' not in page


def test_dashboard_offers_compare_with_live_only_for_answers_with_something_live(
    client, editor, reviewer
):
    never_published = in_review(editor)
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert never_published.question.text in page
    assert "Compare with live" not in page


def test_dashboard_offers_compare_with_live_for_a_correction_of_a_live_answer(
    client, editor, reviewer, publisher
):
    answer = published(editor, reviewer, publisher)
    workflow.edit_claim(answer.claims.first(), by=editor, text="A corrected claim.")
    workflow.submit_answer(answer, by=editor)
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert f"/admin/courtinfo/answer/{answer.pk}/history/compare/?from=live" in page


def test_dashboard_hides_answers_i_submitted_from_my_approval_queue(client, editor, reviewer):
    in_review(editor)
    editor.groups.add(*reviewer.groups.all())
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    queues = queues_of(response)
    assert queues["answers_to_review"].count == 0


def test_dashboard_lists_drafts_sent_back_to_me(client, editor, reviewer):
    answer = in_review(editor)
    workflow.request_changes(answer, by=reviewer, note="Fix claim 2.")
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    queues = queues_of(response)
    assert [a.pk for a in queues["drafts"].items] == [answer.pk]


def test_dashboard_lists_overdue_publications_oldest_first(
    client, settings, editor, reviewer, publisher
):
    # Publications are never changed: publish them with review dates already past.
    settings.COURTINFO_REVIEW_INTERVAL_DAYS = -3
    first = published(editor, reviewer, publisher)
    settings.COURTINFO_REVIEW_INTERVAL_DAYS = -9
    second = published(editor, reviewer, publisher)
    client.force_login(publisher)
    queues = queues_of(client.get(reverse("admin:index")))
    assert queues["answers_to_publish"].count == 0
    client.force_login(reviewer)
    queues = queues_of(client.get(reverse("admin:index")))
    assert [a.pk for a in queues["review_overdue"].items] == [second.pk, first.pk]


# Preview.


def test_preview_renders_working_copy_with_banner(client, editor):
    answer = answer_with_claims()
    client.force_login(editor)
    response = client.get(reverse("admin:courtinfo_answer_preview", args=[answer.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert answer.claims.first().text in page
    assert "preview-banner" in page
    assert "not been published" in page


def test_preview_is_staff_only(client, django_user_model):
    answer = answer_with_claims()
    member = django_user_model.objects.create_user("member", password="x" * 12)
    client.force_login(member)
    response = client.get(reverse("admin:courtinfo_answer_preview", args=[answer.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Compare.


def test_compare_with_live_shows_changed_claim(client, editor, reviewer, publisher):
    answer = published(editor, reviewer, publisher)
    claim = answer.claims.order_by("position").first()
    workflow.edit_claim(claim, by=editor, text="A freshly rewritten claim.")
    client.force_login(reviewer)
    page = client.get(change_url(answer)).content.decode()
    assert "?from=live&amp;to=current" in page
    url = reverse("admin:courtinfo_answer_compare", args=[answer.pk]) + "?from=live&to=current"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<ins>A freshly rewritten</ins>" in html or "<ins>" in html
    changes = response.context["claims"]
    assert [c.id for c in changes] == [claim.pk]


def test_compare_versions_field_by_field(client, editor):
    question = QuestionFactory(text="May courts share records?")
    client.force_login(editor)
    url, form = open_change_form(client, question)
    assert (
        client.post(url, form_data(form, text="May state courts share records?")).status_code == 302
    )
    (version,) = Version.objects.get_for_object(question)
    compare = reverse("admin:courtinfo_question_compare", args=[question.pk])
    response = client.get(f"{compare}?from={version.pk}&to={version.pk}")
    assert response.context["fields"] == []
    assert response.context["hidden_count"] > 0


# Stale forms.


def test_fresh_question_form_saves(client, editor):
    question = QuestionFactory(text="Original question?")
    client.force_login(editor)
    url, form = open_change_form(client, question)
    assert client.post(url, form_data(form, text="Changed question?")).status_code == 302
    question.refresh_from_db()
    assert question.text == "Changed question?"
    assert question.updated_by == editor


def test_answer_form_is_stale_after_a_claim_was_verified(client, editor, reviewer):
    answer = answer_with_claims()
    claim = answer.claims.order_by("position").first()
    client.force_login(editor)
    url, form = open_change_form(client, answer)
    workflow.verify_claim(claim, by=reviewer, verdict="supported")
    response = client.post(url, form_data(form, **{"claims-0-text": "My edit."}))
    assert response.status_code == 200
    assert "reviewer" in error_text(response.content.decode())
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUPPORTED


def test_deleting_a_published_answer_is_refused(client, editor, reviewer, publisher, superuser):
    answer = published(editor, reviewer, publisher)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:courtinfo_answer_delete", args=[answer.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert "published" in messages_of(response)[0]


def test_admin_refuses_deleting_an_answer_with_review_events_and_names_them(
    client, editor, reviewer, superuser
):
    answer = in_review(editor)
    workflow.request_changes(answer, by=reviewer, note="Cite the statute.")
    url = reverse("admin:courtinfo_answer_delete", args=[answer.pk])
    client.force_login(superuser)

    page = client.get(url).content.decode()
    response = client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert "Changes requested by reviewer" in page
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert answer.reviews.count() == 2
    assert "protected related objects" in response.content.decode()


def test_deleting_a_draft_question_works(client, superuser):
    question = QuestionFactory()
    client.force_login(superuser)
    client.post(reverse("admin:courtinfo_question_delete", args=[question.pk]), {"post": "yes"})
    assert not Question.objects.filter(pk=question.pk).exists()


# Query counts.


def _answer_page_queries(client, django_assert_max_num_queries, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer = answer_with_claims(count)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(answer)).status_code == 200
    return len(queries)


def test_answer_page_queries_do_not_grow_with_claims(
    client, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    SourceFactory()
    client.get(reverse("admin:index"))
    # The first answer page also fills the process's content type cache.
    _answer_page_queries(client, django_assert_max_num_queries, 1)
    small = _answer_page_queries(client, django_assert_max_num_queries, 3)
    large = _answer_page_queries(client, django_assert_max_num_queries, 30)
    assert large == small
    # The session, the user, the answer (with its last move and newest version), the two
    # permission lists, the claims, their citations and the notification setting.
    assert large <= 10


def _changelist_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["answer", "question"])
def test_answer_and_question_lists_queries_do_not_grow_with_rows(client, superuser, name):
    client.force_login(superuser)
    url = reverse(f"admin:courtinfo_{name}_changelist")
    for _ in range(10):
        answer_with_claims(1)
    small = _changelist_queries(client, url)
    Answer.objects.bulk_create([Answer(question=q) for q in QuestionFactory.create_batch(990)])
    large = _changelist_queries(client, url)
    assert large == small


def test_the_answer_list_reads_the_same_queries_for_answers_people_moved(
    client, superuser, editor, reviewer, publisher
):
    # Answers submitted, approved and published by people, in review and live: whatever the
    # rows hold, the list reads no person, claim or publication one row at a time.
    client.force_login(superuser)
    url = reverse("admin:courtinfo_answer_changelist")
    for make in (in_review, lambda e: approved(e, reviewer)):
        make(editor)
    published(editor, reviewer, publisher)
    small = _changelist_queries(client, url)
    for _ in range(4):
        in_review(editor)
        approved(editor, reviewer)
        published(editor, reviewer, publisher)

    assert _changelist_queries(client, url) == small


def test_dashboard_queries_are_bounded(client, editor, reviewer, django_assert_max_num_queries):
    for _ in range(3):
        in_review(editor)
    client.force_login(reviewer)
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:index"))


def test_view_on_site_previews_what_is_not_public_yet(client, editor):
    answer = answer_with_claims()
    client.force_login(editor)
    for url in (
        change_url(answer),
        reverse("admin:courtinfo_question_change", args=[answer.question_id]),
    ):
        page = client.get(url).content.decode()
        preview = reverse("admin:courtinfo_answer_preview", args=[answer.pk])
        assert f'href="{preview}" class="viewsitelink"' in page, url
        assert client.get(preview).status_code == 200


def test_view_on_site_goes_to_the_public_page_once_live(client, editor, reviewer, publisher):
    answer = published(editor, reviewer, publisher)
    client.force_login(editor)
    page = client.get(change_url(answer)).content.decode()
    assert f'href="{answer.get_absolute_url()}" class="viewsitelink"' in page


def test_approve_shows_how_many_claims_are_checked(client, editor, reviewer):
    answer = in_review(editor, count=3)
    workflow.verify_claim(answer.claims.first(), by=reviewer, verdict="supported")
    client.force_login(reviewer)
    page = client.get(change_url(answer)).content.decode()
    assert "1 of 3 claims checked" in page


def test_publishing_from_the_page_links_to_the_live_page(client, editor, reviewer, publisher):
    answer = approved(editor, reviewer)
    client.force_login(publisher)
    response = submit(
        client,
        change_url(answer),
        form_action=reverse("admin:courtinfo_answer_transition", args=[answer.pk]),
        press=None,
    )
    assert any("See the public page" in m for m in messages_of(response)), messages_of(response)
    assert f'href="{answer.get_absolute_url()}"' in " ".join(messages_of(response))


def test_a_withdrawn_answer_offers_the_way_back_to_draft(client, editor, reviewer, publisher):
    answer = published(editor, reviewer, publisher)
    workflow.withdraw_answer(answer, by=publisher, reason="The law changed.")
    client.force_login(editor)
    page = client.get(change_url(answer)).content.decode()
    form = next(
        f
        for f in lxml.html.fromstring(page).forms
        if f.xpath('.//input[@name="action"][@value="reopen"]')
    )
    client.post(form.get("action"), form_data(form, note="Rewriting for the new law."))
    answer.refresh_from_db()
    assert answer.status == Answer.Status.DRAFT


def test_question_address_order_and_compare_key_are_not_edited_by_hand(client, editor):
    answer = answer_with_claims()
    question = answer.question
    client.force_login(editor)
    url = reverse("admin:courtinfo_question_change", args=[question.pk])
    page = client.get(url).content.decode()
    form = find_form(page, form_id="question_form")
    fields = dict(form.form_values())
    assert not {"slug", "position", "compare_key"} & set(fields)
    client.post(url, form_data(form, slug="hijacked", position=99, compare_key="other"))
    fresh = type(question).objects.get(pk=question.pk)
    assert (fresh.slug, fresh.position, fresh.compare_key) == (
        question.slug,
        question.position,
        question.compare_key,
    )


def test_the_lists_checkbox_is_the_element_django_renders(db):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    question = QuestionFactory(text='Can a court share "records" <with> ICE & others?')
    answer = Answer.objects.create(question=question)
    model_admin = admin.site._registry[Answer]
    assert model_admin.action_checkbox(answer) == ModelAdmin.action_checkbox(model_admin, answer)
