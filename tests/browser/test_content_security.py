"""The Content-Security-Policy blocks nothing the site needs, on public pages and in the admin."""

import pytest

from tests.factories import (
    AnswerFactory,
    ClaimFactory,
    PublicationFactory,
    QuestionFactory,
    UserFactory,
    jurisdiction,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _watch_for_violations(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_public_pages_break_no_rule_of_the_policy(page, live_server):
    question = QuestionFactory(jurisdiction=jurisdiction("MO"), compare_key="may-courts-share")
    publication = PublicationFactory(answer=AnswerFactory(question=question))
    violations = _watch_for_violations(page)

    for path in [
        "/",
        "/missouri/",
        publication.get_absolute_url(),
        f"{publication.get_absolute_url()}history/",
        "/search/?q=court",
        "/compare/may-courts-share/",
        "/sources/",
    ]:
        response = page.goto(live_server.url + path)
        assert "default-src 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")

    assert violations == []


def test_admin_pages_break_no_rule_of_the_policy(page, live_server):
    UserFactory(username="boss", is_superuser=True)
    answer = AnswerFactory()
    claim = ClaimFactory(answer=answer)
    violations = _watch_for_violations(page)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    for path in [
        "/admin/",
        "/admin/courtinfo/answer/",
        f"/admin/courtinfo/answer/{answer.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/courtinfo/question/import/",
        "/admin/claims/source/add/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")

    assert violations == []
