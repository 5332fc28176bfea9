"""With the production settings, every page carries the Content-Security-Policy and the rest."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import AnswerFactory, PublicationFactory, QuestionFactory, jurisdiction

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "courtinfo.settings",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x9Qz" * 12,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}
# What the production settings decide about security; the tests run with the rest of the test
# settings (debug is off in tests whatever DJANGO_DEBUG says, but settings read it at import).
SECURITY_SETTINGS = [
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture(scope="module")
def production_security():
    script = (
        "import json, django; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=PRODUCTION,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security):
    assert production_security["SECURE_SSL_REDIRECT"] is True
    for name, value in production_security.items():
        setattr(settings, name, value)


@pytest.fixture
def public_urls(db):
    question = QuestionFactory(jurisdiction=jurisdiction("MO"), compare_key="may-courts-share")
    publication = PublicationFactory(answer=AnswerFactory(question=question))
    page = publication.get_absolute_url()
    return [
        "/",
        "/missouri/",
        page,
        f"{page}history/",
        "/search/?q=court",
        "/compare/may-courts-share/",
        "/sources/",
        "/no-such-jurisdiction/",
        "/admin/login/",
    ]


def _get(client, url):
    return client.get(url, HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, production, public_urls):
    for url in public_urls:
        response = _get(client, url)
        assert response.status_code in (200, 404), url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "X-Request-ID" in response, url


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_code_or_framing(
    client, production, public_urls
):
    for url in public_urls:
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in _get(client, url)["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'none'", url
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["form-action"] == "'self'", url
        assert "unsafe" not in ";".join(policy.values()), url


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_the_health_probe_is_answered_over_plain_http(client, production):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_sign_in_cookies_are_secure(client, production):
    response = _get(client, "/admin/login/")

    assert response.cookies["csrftoken"]["secure"] is True
