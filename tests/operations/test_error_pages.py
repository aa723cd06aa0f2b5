"""Errors people can read: the server's 403, 404, 500 and 503 answers in Chinese, pages in
the site's layout and JSON with a code for the API; an unreachable database is a 503 that
ends by itself when the database is back."""

import contextlib
import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import make_user
from xianan_lawgov import health
from xianan_lawgov.outage import server_error

OUTAGE = "数据库暂时不可用，请稍后重试"


@contextlib.contextmanager
def database_down(*clients):
    """Every query fails as one to an unreachable server does, until the block ends. The
    test client would raise the error it saw; a server answers, and so shall ``clients``."""
    for client in clients:
        client.raise_request_exception = False

    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed')

    with (
        mock.patch.object(connection, "cursor", unreachable),
        mock.patch.object(connection, "chunked_cursor", unreachable),
    ):
        yield


@pytest.fixture
def office_pages(office) -> Client:
    client = Client()
    client.force_login(office)
    return client


def test_a_page_answers_503_in_chinese_while_the_database_is_unreachable(office_pages):
    with database_down(office_pages):
        response = office_pages.get("/registers/")
    assert response.status_code == 503
    page = response.content.decode()
    assert OUTAGE in page
    assert "/static/css/site.css" in page  # the site's look, from its own files
    assert "10.0.0.5" not in page and "Traceback" not in page
    assert int(response["Retry-After"]) > 0


def test_the_api_answers_503_with_a_code_while_the_database_is_unreachable(municipal):
    api = client_for(municipal)
    with database_down(api):
        response = api.get("/api/v1/litigation-cases/")
    assert response.status_code == 503
    assert response.json() == {"detail": f"{OUTAGE}。", "code": "database_unavailable"}
    assert int(response["Retry-After"]) > 0


def test_the_site_recovers_by_itself_when_the_database_is_back(office_pages):
    with database_down(office_pages):
        assert office_pages.get("/registers/").status_code == 503
    response = office_pages.get("/registers/")
    assert response.status_code == 200
    assert OUTAGE not in response.content.decode()


def test_the_health_probe_still_answers_while_the_database_is_unreachable(client):
    with database_down(client):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503


def test_a_server_error_shows_the_chinese_500_page_without_the_database(office_pages, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(health, "readiness", broken)
    office_pages.raise_request_exception = False
    response = office_pages.get("/readyz")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and "/static/css/site.css" in page
    assert "a bug" not in page

    # The page needs no database: it shows when the database is what failed.
    with database_down():
        assert "服务器出错" in server_error(response.wsgi_request).content.decode()


def test_a_server_error_in_the_api_is_json_with_a_code(db, rf):
    response = server_error(rf.get("/api/v1/units/"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


def test_a_mistyped_address_shows_the_chinese_404_page(office_pages):
    response = office_pages.get("/registers/no-such-page/")
    assert response.status_code == 404
    assert "页面或记录不存在" in response.content.decode()


def test_a_mistyped_api_address_answers_json_with_a_code(municipal):
    response = client_for(municipal).get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@override_settings(DEBUG=True)
def test_with_debug_on_a_mistyped_address_still_shows_the_sites_404_page(office_pages):
    response = office_pages.get("/registers/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面或记录不存在" in page
    assert "Using the URLconf" not in page  # not Django's technical page
    # A record that does not exist (a view's own 404) shows the same page.
    assert "页面或记录不存在" in office_pages.get("/review/litigation/999999/").content.decode()
    # Static files are served as before, and a missing slash is still added.
    assert office_pages.get("/static/css/site.css").status_code == 200
    assert office_pages.get("/registers").status_code == 301


def test_a_refused_page_shows_the_chinese_403_page(liaison):
    client = Client()
    client.force_login(liaison)
    response = client.get("/review/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_refused_api_address_outside_the_views_answers_json(liaison, rf):
    from django.core.exceptions import PermissionDenied

    from xianan_lawgov.outage import permission_denied

    response = permission_denied(rf.get("/api/v1/tokens/"), PermissionDenied("只有安全管理员可以"))
    assert response.status_code == 403
    assert json.loads(response.content) == {
        "detail": "只有安全管理员可以",
        "code": "permission_denied",
    }


def test_an_api_client_gets_503_not_its_token_refused(db):
    """A token cannot be checked while the database is down: that is not a bad token."""
    api = client_for(make_user(Role.API_CLIENT))
    with database_down(api):
        response = api.get("/api/v1/units/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_a_request_django_refuses_before_any_view_gets_a_chinese_400(office_pages, office):
    """Too many fields (or a multipart header over its limit) is refused by Django itself,
    whose own page is in English."""
    fields = {f"f{n}": "x" for n in range(10)}
    office_pages.raise_request_exception = False
    response = office_pages.post("/holidays/", fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求无法处理" in page and "没有保存任何内容" in page
    assert "Bad Request" not in page
    api = client_for(office)
    api.raise_request_exception = False
    refused = api.post("/api/v1/documents/", fields)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "请求内容不完整或超出限制，没有保存任何内容。"


@pytest.mark.parametrize(
    "url", ["/review/approve/", "/holidays/withdraw/", "/data/update/apply/", "/logout/"]
)
def test_opening_a_forms_address_says_so_in_chinese(office_pages, url):
    response = office_pages.get(url)
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "不能直接打开这个地址" in response.content.decode()
    # A server sends no more of the body than the length says.
    assert int(response.get("Content-Length", len(response.content))) == len(response.content)


def test_the_api_still_answers_405_in_json(office):
    response = client_for(office).get("/api/v1/legality-reviews/1/submit/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
