"""The request log: one JSON line per request, with an id the response echoes."""

import json
import logging
import re
import sys

import pytest

from courtinfo.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [record for record in caplog.records if record.name == "courtinfo.requests"]


def test_each_request_is_logged_with_method_path_status_duration_and_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="courtinfo.requests"):
        response = client.get("/robots.txt")

    (record,) = _request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/robots.txt", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]


def test_a_request_without_an_id_gets_a_generated_one(client):
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/robots.txt")["X-Request-ID"])


def test_the_id_the_caller_sent_is_kept_and_echoed(client, caplog):
    with caplog.at_level(logging.INFO, logger="courtinfo.requests"):
        response = client.get("/robots.txt", HTTP_X_REQUEST_ID="edge-4f1c.7")

    assert response["X-Request-ID"] == "edge-4f1c.7"
    assert _request_records(caplog)[0].request_id == "edge-4f1c.7"


def test_an_id_that_could_forge_log_structure_is_replaced(client):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID='x"}\n{"status": 200')

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_log_line_is_one_json_object_with_the_request_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="courtinfo.requests"):
        client.get("/no-such-page-at-all/", HTTP_X_REQUEST_ID="abc")

    line = JsonFormatter().format(_request_records(caplog)[0])

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["logger"] == "courtinfo.requests"
    assert entry["level"] == "info"
    assert {key: entry[key] for key in ("method", "path", "status", "request_id")} == {
        "method": "GET",
        "path": "/no-such-page-at-all/",
        "status": 404,
        "request_id": "abc",
    }
    assert "duration_ms" in entry and "time" in entry


def test_the_configured_handler_writes_json_lines_to_standard_output(capsys):
    logging.getLogger("courtinfo.requests").info("hello", extra={"path": "/x"})

    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (entry["message"], entry["path"]) == ("hello", "/x")


def test_a_traceback_stays_inside_the_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), None)
        record.exc_info = sys.exc_info()

    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]
