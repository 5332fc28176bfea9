"""`/healthz`: 200 when the database answers, 503 when it does not, never cached or logged."""

import logging

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_is_never_cached(client):
    assert "no-store" in client.get("/healthz")["Cache-Control"]


def test_healthz_answers_a_probe_that_asks_by_an_address_not_allowed_as_host(client, settings):
    settings.ALLOWED_HOSTS = ["courtinfo.example.org"]

    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_is_not_logged_at_info(client, caplog):
    with caplog.at_level(logging.INFO, logger="courtinfo.requests"):
        client.get("/healthz")
        client.get("/robots.txt")

    assert [record.path for record in caplog.records if record.levelno >= logging.INFO] == [
        "/robots.txt"
    ]
