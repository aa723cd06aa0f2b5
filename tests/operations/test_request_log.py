"""One log line per request (method, path, status, duration, user), as JSON when asked."""

import datetime
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registers.models import User
from tests.factories import make_token
from tests.test_settings import run_manage
from xianan_lawgov.request_log import JsonFormatter

LOGGER = "xianan_lawgov.requests"


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return lambda: [record for record in caplog.records if record.name == LOGGER]


def test_each_request_writes_one_line_with_its_user_status_and_duration(
    client, office, request_lines
):
    client.force_login(office)
    client.get("/api/v1/units/")
    [line] = request_lines()
    assert line.method == "GET"
    assert line.path == "/api/v1/units/"
    assert line.status == 200
    assert line.user_id == office.pk
    assert line.duration_ms > 0
    assert line.getMessage().startswith("GET /api/v1/units/ 200 ")
    assert f"user={office.pk} " in line.getMessage()


@pytest.mark.django_db
def test_an_anonymous_refusal_is_logged_without_a_user(client, request_lines):
    client.get("/api/v1/units/")
    [line] = request_lines()
    assert (line.status, line.user_id) == (401, None)
    assert "user=- " in line.getMessage()


def test_a_token_clients_requests_carry_its_user(municipal, request_lines):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(municipal)}")
    client.get("/api/v1/units/")
    [line] = request_lines()
    assert line.user_id == municipal.pk


def test_the_proxys_request_id_is_logged_and_returned(client, request_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="4f1c2a9be07d4c6f8a3b5d2e1f0a9c8b")
    assert response["X-Request-ID"] == "4f1c2a9be07d4c6f8a3b5d2e1f0a9c8b"
    assert request_lines()[0].request_id == "4f1c2a9be07d4c6f8a3b5d2e1f0a9c8b"


def test_a_malformed_request_id_is_replaced_not_logged(client, request_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nline injected")
    assert response["X-Request-ID"] != "evil\nline injected"
    assert len(response["X-Request-ID"]) == 32
    assert request_lines()[0].request_id == response["X-Request-ID"]


def test_a_signed_in_users_health_check_does_not_look_up_the_user(client, office, request_lines):
    client.force_login(office)
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
    user_table = User._meta.db_table
    assert not [query for query in queries if user_table in query["sql"]]
    assert request_lines()[0].user_id is None


def test_the_json_formatter_writes_the_request_fields_as_one_object():
    record = logging.LogRecord(LOGGER, logging.INFO, __file__, 1, "GET / 200", (), None)
    record.__dict__.update(status=200, user_id=None, path="/报告/")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == LOGGER
    assert entry["message"] == "GET / 200"
    assert (entry["status"], entry["user_id"], entry["path"]) == (200, None, "/报告/")
    assert datetime.datetime.fromisoformat(entry["time"]).utcoffset() is not None


LOG_A_REQUEST = (
    "import logging; logging.getLogger('xianan_lawgov.requests')"
    ".info('GET / 200', extra={'status': 200, 'user_id': 7})"
)


def test_log_format_json_makes_every_line_json():
    result = run_manage(
        "shell", "--no-imports", "-c", LOG_A_REQUEST, SECRET_KEY="k" * 60, LOG_FORMAT="json"
    )
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert (entry["message"], entry["status"], entry["user_id"]) == ("GET / 200", 200, 7)


def test_the_text_format_is_the_default():
    result = run_manage("shell", "--no-imports", "-c", LOG_A_REQUEST, SECRET_KEY="k" * 60)
    assert result.stderr.strip() == "INFO xianan_lawgov.requests GET / 200"


def test_an_unknown_log_format_is_refused():
    result = run_manage("check", SECRET_KEY="k" * 60, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in result.stderr


def test_request_lines_can_be_switched_off():
    result = run_manage(
        "shell", "--no-imports", "-c", LOG_A_REQUEST, SECRET_KEY="k" * 60, LOG_REQUESTS="0"
    )
    assert result.stderr == ""
