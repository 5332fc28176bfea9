"""The admin's side of the daily work: the report inbox, the publishers' queue, re-review, and
each person's notification setting; each page posted as it renders."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, NotificationPreference
from claims.workflow import approve_answer, schedule_publication, submit_answer, verify_claim
from courtinfo.models import Answer, ProblemReport, Publication
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory, PublicationFactory
from tests.html_forms import find_form, form_data, open_form

pytestmark = pytest.mark.django_db

TEXT = "Courts keep records for ten years."


@pytest.fixture
def report(db):
    publication = PublicationFactory(
        blocks=[("paragraph", None, [(TEXT, []), ("Anyone may ask.", [])])]
    )
    claim = publication.payload["blocks"][0]["claims"][0]
    return ProblemReport.objects.create(
        answer=publication.answer,
        publication=publication,
        claim=claim["id"],
        claim_text=claim["text"],
        message="They keep them for five years.",
        email="reader@example.net",
    )


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_the_inbox_lists_reports_with_the_claim_highlighted(client, editor, report):
    client.force_login(editor)
    page = client.get(reverse("admin:courtinfo_problemreport_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<mark class="reported-claim">#{report.claim}: {TEXT}</mark>' in html
    assert "?status__exact=new" in html  # the status filter
    assert "reader@example.net" not in html


def test_accepting_a_report_leads_to_editing_its_claim(client, editor, report):
    client.force_login(editor)
    url = _change_url(report)
    form = open_form(client, url, form_id="problemreport_form")
    response = client.post(url, form_data(form, press=("move", "accept")))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.handled_by, report.email) == (
        "accepted",
        editor,
        "reader@example.net",
    )
    page = lxml.html.fromstring(client.get(url).content)
    [link] = page.xpath('//a[contains(@class, "edit-reported-claim")]/@href')
    assert link == reverse("admin:claims_claim_change", args=[report.claim])
    assert client.get(link).status_code == 200


def test_rejecting_a_report_deletes_the_readers_address(client, editor, report):
    client.force_login(editor)
    url = reverse("admin:courtinfo_problemreport_changelist")
    form = find_form(client.get(url).content.decode(), form_id="changelist-form")
    client.post(url, form_data(form, action="reject", _selected_action=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.email) == ("rejected", "")
    assert report.closed_at is not None


def test_a_closed_report_is_not_reopened_by_accepting(client, editor, report):
    report.status = "rejected"
    report.save()
    client.force_login(editor)
    url = reverse("admin:courtinfo_problemreport_changelist")
    form = find_form(client.get(url).content.decode(), form_id="changelist-form")
    response = client.post(
        url, form_data(form, action="accept", _selected_action=[report.pk]), follow=True
    )
    assert "only a new or accepted report can be accepted" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "rejected"


def test_people_outside_the_editors_cannot_open_the_inbox(client, publisher, report):
    client.force_login(publisher)
    assert client.get(reverse("admin:courtinfo_problemreport_changelist")).status_code == 403


# --- the publishers' queue


@pytest.fixture
def approved(editor, reviewer):
    answer = AnswerFactory()
    CitationFactory(claim=ClaimFactory(answer=answer, text=TEXT))
    submit_answer(answer, by=editor)
    verify_claim(answer.claims.get(), by=reviewer, verdict=Claim.Status.SUPPORTED)
    return approve_answer(answer, by=reviewer)


def test_a_publisher_schedules_from_the_queue_and_sees_the_time(client, publisher, approved):
    client.force_login(publisher)
    url = reverse("admin:claims_scheduledanswer_change", args=[approved.pk])
    form = open_form(client, url, form_id="schedule-form")
    when = timezone.localtime() + datetime.timedelta(days=1)
    typed = when.strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, form_data(form, publish_at=typed, press=("schedule", "1")))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert timezone.localtime(approved.publish_at).strftime("%Y-%m-%dT%H:%M") == typed
    assert approved.publish_scheduled_by == publisher
    listing = client.get(reverse("admin:claims_scheduledanswer_changelist")).content.decode()
    assert approved.question.text in listing
    assert "publisher" in listing


def test_the_queue_page_says_why_an_answer_cannot_be_scheduled(client, publisher, approved):
    # Changed behind the workflow's back: the approval no longer covers it.
    Claim.objects.filter(answer=approved).update(text="Changed in the shell.")
    client.force_login(publisher)
    url = reverse("admin:claims_scheduledanswer_change", args=[approved.pk])
    page = client.get(url).content.decode()
    assert "errornote" in page and "unverified" in page
    form = find_form(page, form_id="schedule-form")
    response = client.post(
        url, form_data(form, publish_at="2030-01-01T09:00", schedule="1"), follow=True
    )
    assert "unverified" in response.content.decode()
    approved.refresh_from_db()
    assert approved.publish_at is None


def test_reviewers_do_not_see_the_publishers_queue(client, reviewer, approved):
    client.force_login(reviewer)
    assert client.get(reverse("admin:claims_scheduledanswer_changelist")).status_code == 403


# --- re-review


def test_a_reviewer_confirms_an_overdue_publication_from_the_queue(client, other_reviewer):
    overdue = PublicationFactory(review_due_on=timezone.localdate() - datetime.timedelta(days=9))
    client.force_login(other_reviewer)
    url = reverse("admin:claims_dueforreview_change", args=[overdue.pk])
    form = open_form(client, url, form_id="rereview-form")
    response = client.post(url, form_data(form, note="Statute unchanged.", press=("confirm", "1")))
    assert response.status_code == 302
    answer = Answer.objects.get(pk=overdue.answer_id)
    assert answer.live_publication.version == 2
    assert answer.live_publication.review_due_on > timezone.localdate()
    # Out of the queue now.
    listing = client.get(reverse("admin:claims_dueforreview_changelist")).content.decode()
    assert overdue.question_text not in listing


def test_reopening_from_the_queue_needs_a_reason(client, other_reviewer):
    overdue = PublicationFactory(review_due_on=timezone.localdate() - datetime.timedelta(days=9))
    client.force_login(other_reviewer)
    url = reverse("admin:claims_dueforreview_change", args=[overdue.pk])
    form = open_form(client, url, form_id="rereview-form")
    response = client.post(url, form_data(form, press=("reopen", "1")), follow=True)
    assert "Give a reason" in response.content.decode()
    assert Answer.objects.get(pk=overdue.answer_id).status == Answer.Status.PUBLISHED
    form = open_form(client, url, form_id="rereview-form")
    client.post(url, form_data(form, note="The fee changed.", press=("reopen", "1")))
    answer = Answer.objects.get(pk=overdue.answer_id)
    assert answer.status == Answer.Status.DRAFT
    assert answer.live_publication_id == overdue.pk  # still live until a new version is
    assert Publication.objects.filter(answer=answer).count() == 1


# --- notification settings


def test_each_person_sets_their_own_notifications(client, reviewer, other_reviewer):
    NotificationPreference.objects.create(user=other_reviewer, delivery="off")
    client.force_login(reviewer)
    add = reverse("admin:claims_notificationpreference_add")
    form = open_form(client, add, form_id="notificationpreference_form")
    client.post(add, form_data(form, delivery="daily"))
    mine = NotificationPreference.objects.get(user=reviewer)
    assert mine.delivery == "daily"
    listing = client.get(reverse("admin:claims_notificationpreference_changelist"))
    assert "reviewer2" not in listing.content.decode()
    others = NotificationPreference.objects.get(user=other_reviewer)
    assert client.get(_change_url(others)).status_code == 302  # not theirs: not found
    assert client.get(add).status_code == 403  # one setting per person


def test_the_dashboard_queue_shows_the_scheduled_time(client, publisher, approved):
    client.force_login(publisher)
    dashboard = lxml.html.fromstring(client.get(reverse("admin:index")).content)
    [link] = dashboard.xpath('//*[@id="queue-answers_to_publish"]//a[@class="schedule-link"]')
    assert link.text_content() == "Schedule"
    assert link.get("href") == reverse("admin:claims_scheduledanswer_change", args=[approved.pk])
    at = timezone.make_aware(datetime.datetime(2031, 5, 4, 9, 30))
    schedule_publication(approved, by=publisher, at=at)
    dashboard = lxml.html.fromstring(client.get(reverse("admin:index")).content)
    [link] = dashboard.xpath('//*[@id="queue-answers_to_publish"]//a[@class="schedule-link"]')
    assert link.text_content() == "scheduled for 2031-05-04 09:30"


def test_the_answer_page_links_its_schedule_for_publishers(client, publisher, reviewer, approved):
    url = reverse("admin:courtinfo_answer_change", args=[approved.pk])
    client.force_login(publisher)
    page = lxml.html.fromstring(client.get(url).content)
    [link] = page.xpath('//a[@class="schedule-link"]')
    assert link.get("href") == reverse("admin:claims_scheduledanswer_change", args=[approved.pk])
    client.force_login(reviewer)
    assert not lxml.html.fromstring(client.get(url).content).xpath('//a[@class="schedule-link"]')
