"""Admin sign-in is throttled: five wrong passwords for one username from one address lock it."""

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@dataclass
class Form:
    id: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """Every form of a page with the values its named inputs would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(id=attrs.get("id") or "", action=attrs.get("action") or ""))
            self._open = True
        elif tag == "input" and self._open and attrs.get("name") and attrs.get("type") != "submit":
            self.forms[-1].fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


def form_on(response, has_field: str) -> Form:
    assert response.status_code == 200, response.status_code
    parser = _Forms()
    parser.feed(response.content.decode())
    return next(form for form in parser.forms if has_field in form.fields)


def browser(address: str = HOME) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str):
    form = form_on(client.get(LOGIN_URL), "username")
    data = {**form.fields, "username": username, "password": password}
    return client.post(form.action or LOGIN_URL, data)


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def lock_out(client: Client, username: str):
    for _ in range(5):
        response = sign_in(client, username, "not the password")
    return response


@pytest.fixture
def person(db):
    return UserFactory(username="eda", groups=["Editors"])


@pytest.fixture
def clock():
    """Time stands still at START until the test shifts it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_right_password_is_refused_after_five_wrong_ones(person):
    client = browser()
    lock_out(client, "eda")

    response = sign_in(client, "eda", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_lockout_page_says_why_for_how_long_and_who_can_help(person):
    response = lock_out(browser(), "eda")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in as “eda” from this address is paused after 5 wrong passwords." in page
    assert "Try again in 15 minutes" in page
    assert "an administrator can unlock you" in page
    assert f'href="{LOGIN_URL}"' in page


def test_four_wrong_passwords_do_not_lock(person):
    client = browser()
    for _ in range(4):
        assert sign_in(client, "eda", "not the password").status_code == 200

    sign_in(client, "eda", PASSWORD)

    assert signed_in(client)


def test_lockout_does_not_hold_the_same_person_at_another_address(person):
    lock_out(browser(HOME), "eda")
    elsewhere = browser(ELSEWHERE)

    sign_in(elsewhere, "eda", PASSWORD)

    assert signed_in(elsewhere)


def test_lockout_does_not_hold_another_person_at_the_same_address(person):
    UserFactory(username="rae", groups=["Reviewers"])
    lock_out(browser(HOME), "eda")
    colleague = browser(HOME)

    sign_in(colleague, "rae", PASSWORD)

    assert signed_in(colleague)


def test_axes_reset_username_unlocks(person):
    client = browser()
    lock_out(client, "eda")

    call_command("axes_reset_username", "eda", verbosity=0)
    sign_in(client, "eda", PASSWORD)

    assert signed_in(client)


def test_superuser_unlocks_by_deleting_the_access_attempt_in_the_admin(person, superuser):
    client = browser()
    lock_out(client, "eda")
    attempt = AccessAttempt.objects.get(username="eda")
    admin = browser(ELSEWHERE)
    admin.force_login(superuser)
    assert "Locked Out" in admin.get("/admin/axes/accessattempt/").content.decode()

    confirm = admin.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/")
    form = form_on(confirm, "post")
    admin.post(form.action or confirm.wsgi_request.path, form.fields)
    sign_in(client, "eda", PASSWORD)

    assert not AccessAttempt.objects.exists()
    assert signed_in(client)


def test_lockout_ends_when_the_cool_off_has_passed(person, clock):
    client = browser()
    lock_out(client, "eda")

    clock.shift(datetime.timedelta(minutes=16))
    sign_in(client, "eda", PASSWORD)

    assert signed_in(client)


def test_attempt_during_lockout_starts_the_cool_off_again(person, clock):
    client = browser()
    lock_out(client, "eda")
    clock.shift(datetime.timedelta(minutes=10))
    assert sign_in(client, "eda", PASSWORD).status_code == 429

    clock.shift(datetime.timedelta(minutes=6))
    assert sign_in(client, "eda", PASSWORD).status_code == 429
    clock.shift(datetime.timedelta(minutes=16))
    sign_in(client, "eda", PASSWORD)

    assert signed_in(client)
