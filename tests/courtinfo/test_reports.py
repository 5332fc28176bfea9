"""Reader reports: the form on every public answer, each protection refusing without storing."""

import pytest
from django.core.cache import cache

from claims.workflow import withdraw_answer
from courtinfo import reports
from courtinfo.models import ProblemReport
from tests.factories import PublicationFactory, SourceFactory, UserFactory
from tests.html_forms import find_form, form_data, open_form

pytestmark = pytest.mark.django_db

FIRST = "Courts keep records for ten years."
SECOND = "Anyone may ask to see them."


@pytest.fixture(autouse=True)
def _empty_cache():
    # The flood counter lives in the cache; each test starts with a clean allowance.
    cache.clear()
    yield
    cache.clear()


class Clock:
    """The clock the form's timestamp is checked against, moved by hand."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(reports, "_clock", clock)
    return clock


@pytest.fixture
def publication(db):
    source = SourceFactory()
    return PublicationFactory(blocks=[("paragraph", None, [(FIRST, [source]), (SECOND, [source])])])


def _report_url(publication) -> str:
    return publication.get_absolute_url() + "report/"


def _claim_ids(publication) -> dict[str, int]:
    return {
        claim["text"]: claim["id"]
        for block in publication.payload["blocks"]
        for claim in block["claims"]
    }


def _open(client, publication):
    return open_form(client, _report_url(publication), form_id="report-form")


def test_the_question_page_links_the_report_form(client, publication):
    page = client.get(publication.get_absolute_url()).content.decode()
    assert 'href="' + _report_url(publication) + '"' in page
    assert "Report a problem with this answer" in page


def test_the_form_lists_the_published_claims_and_the_whole_answer(client, publication):
    page = client.get(_report_url(publication))
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    form = find_form(page.content.decode(), form_id="report-form")
    values = {radio.get("value") for radio in form.inputs["claim"]}
    assert values == {"", *(str(pk) for pk in _claim_ids(publication).values())}


def test_a_report_on_one_claim_is_stored_and_confirmed(client, publication, clock):
    form = _open(client, publication)
    clock.now += 10
    claim = _claim_ids(publication)[SECOND]
    response = client.post(
        _report_url(publication),
        form_data(
            form, claim=claim, message="Only parties may see them.", email="reader@example.net"
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/report/?sent=1")
    report = ProblemReport.objects.get()
    assert (report.claim, report.claim_text) == (claim, SECOND)
    assert report.publication == publication
    assert report.answer_id == publication.answer_id
    assert report.status == ProblemReport.Status.NEW
    assert report.email == "reader@example.net"
    confirmation = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in confirmation
    # The address is never shown on a public page.
    assert "reader@example.net" not in client.get(publication.get_absolute_url()).content.decode()


def test_a_report_on_the_whole_answer_names_no_claim(client, publication, clock):
    form = _open(client, publication)
    clock.now += 5
    response = client.post(
        _report_url(publication), form_data(form, message="The whole answer is outdated.")
    )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.claim, report.claim_text, report.email) == (None, "", "")


def _refused(client, publication, data, *, status=400) -> str:
    response = client.post(_report_url(publication), data)
    assert response.status_code == status
    assert not ProblemReport.objects.exists()
    return response.content.decode()


def test_a_filled_honeypot_is_refused(client, publication, clock):
    form = _open(client, publication)
    clock.now += 10
    page = _refused(
        client,
        publication,
        form_data(form, message="Buy now", website="https://spam.example"),
    )
    assert "meant to stay empty" in page


def test_a_submit_within_three_seconds_is_refused(client, publication, clock):
    form = _open(client, publication)
    clock.now += 2.5
    page = _refused(client, publication, form_data(form, message="Too quick to be typed."))
    assert "too quickly" in page
    # The page comes back with what was typed and a new timestamp: a later try goes through.
    again = find_form(page, form_id="report-form")
    assert again.fields["message"] == "Too quick to be typed."
    clock.now += 5
    assert client.post(_report_url(publication), form_data(again)).status_code == 302


def test_a_stale_form_is_refused(client, publication, clock):
    form = _open(client, publication)
    clock.now += 7 * 3600
    page = _refused(client, publication, form_data(form, message="Left open overnight."))
    assert "open too long" in page and "Left open overnight." in page


def test_a_forged_or_missing_timestamp_is_refused(client, publication, clock):
    form = _open(client, publication)
    clock.now += 10
    page = _refused(client, publication, form_data(form, message="Forged.", token="1700000000"))
    assert "could not be checked" in page
    data = form_data(form, message="No token.")
    del data["token"]
    _refused(client, publication, data)


def test_a_form_served_for_another_answer_is_refused(client, publication, clock):
    other = PublicationFactory()
    form = _open(client, other)
    clock.now += 10
    page = _refused(client, publication, form_data(form, message="Posted to the wrong answer."))
    assert "another answer" in page


def test_a_flood_from_one_address_is_refused(client, publication, clock, settings):
    settings.COURTINFO_REPORT_LIMIT = 2
    for n in range(2):
        form = _open(client, publication)
        clock.now += 10
        data = form_data(form, message=f"Report {n}.")
        assert client.post(_report_url(publication), data).status_code == 302
    form = _open(client, publication)
    clock.now += 10
    response = client.post(_report_url(publication), form_data(form, message="Report 3."))
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert ProblemReport.objects.count() == 2
    # Another address has its own allowance.
    response = client.post(
        _report_url(publication), form_data(form, message="Elsewhere."), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "typed,error",
    [
        ({"message": "x" * (reports.MESSAGE_MAX_LENGTH + 1)}, "at most 2000 characters"),
        ({"message": "Fine.", "email": "a" * 250 + "@example.org"}, "at most 254 characters"),
        ({"message": "   "}, "Say what is wrong"),
        ({"message": "Fine.", "email": "not an address"}, "valid email"),
        ({"message": "Fine.", "claim": "999999"}, "not part of this answer"),
        ({"message": "Fine.", "claim": "one"}, "not part of this answer"),
    ],
)
def test_bad_or_oversized_input_is_refused_with_its_reason(
    client, publication, clock, typed, error
):
    form = _open(client, publication)
    clock.now += 10
    page = _refused(client, publication, form_data(form, **typed))
    assert error in page


def test_no_report_form_without_a_live_publication(client, publication):
    other = PublicationFactory(live=False)
    assert client.get(_report_url(other)).status_code == 404
    assert client.get("/missouri/no-such-question/report/").status_code == 404


def test_closing_a_report_deletes_the_readers_address(publication):
    report = ProblemReport.objects.create(
        answer=publication.answer,
        publication=publication,
        message="Wrong.",
        email="reader@example.net",
    )
    report.status = ProblemReport.Status.ACCEPTED
    report.save(update_fields=["status"])
    report.refresh_from_db()
    assert report.email == "reader@example.net"
    report.status = ProblemReport.Status.REJECTED
    report.save(update_fields=["status"])
    report.refresh_from_db()
    assert report.email == ""


def test_a_withdrawn_answer_takes_no_reports(client, publication, clock):
    form = _open(client, publication)
    withdraw_answer(publication.answer, by=UserFactory(groups=["Publishers"]), reason="Outdated.")
    clock.now += 10
    response = client.post(_report_url(publication), form_data(form, message="Still wrong."))
    assert response.status_code == 410
    assert not ProblemReport.objects.exists()
