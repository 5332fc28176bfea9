"""EMAIL_URL: one variable for the mail server, read into Django's EMAIL_* settings."""

import pytest

from courtinfo.settings import _email_settings


def test_smtp_with_starttls_and_an_encoded_password():
    assert _email_settings("smtp+tls://news%40example.org:p%2Fss@mail.example.org:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "news@example.org",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_default_ports_and_plain_smtp():
    assert _email_settings("smtp+ssl://mail.example.org")["EMAIL_PORT"] == 465
    plain = _email_settings("smtp://localhost")
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"], plain["EMAIL_USE_SSL"]) == (
        25,
        False,
        False,
    )


def test_console():
    assert _email_settings("console:") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_an_unknown_scheme_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown scheme 'imap'"):
        _email_settings("imap://mail.example.org")
