"""Nothing answered to a signed-in user stays in a cache: ``Cache-Control: private,
no-store`` on pages, the admin, the API and exports; static files, public pages and the
health probes keep their own caching."""

import pytest
from django.test import Client

from tests.api.conftest import client_for
from tests.factories import make_litigation

PRIVATE = "private, no-store"


@pytest.fixture
def signed_in(office) -> Client:
    client = Client()
    client.force_login(office)
    return client


@pytest.mark.parametrize("path", ["/", "/registers/", "/review/", "/account/", "/admin/"])
def test_a_signed_in_users_pages_are_private_and_not_stored(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_api_answers_to_a_token_are_private_and_not_stored(municipal, unit_a):
    case = make_litigation(unit_a)
    api = client_for(municipal)
    for path in ("/api/v1/litigation-cases/", f"/api/v1/litigation-cases/{case.pk}/"):
        response = api.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE


def test_api_answers_to_a_browser_session_are_private_and_not_stored(signed_in):
    response = signed_in.get("/api/v1/units/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_exports_are_private_and_not_stored(municipal, unit_a):
    make_litigation(unit_a)
    response = client_for(municipal).get("/api/v1/litigation-cases/export.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_signed_in_users_error_pages_are_private_too(signed_in):
    response = signed_in.get("/registers/no-such-page/")
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE


def test_the_public_login_page_is_not_marked_private(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert response.get("Cache-Control") != PRIVATE  # its own header (never_cache), as it was


def test_static_files_keep_their_caching(signed_in):
    response = signed_in.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_health_probes_keep_no_cache(signed_in, path):
    # Their own never_cache header, untouched: they never look at who asks.
    cache_control = signed_in.get(path)["Cache-Control"]
    assert "no-cache" in cache_control.split(", ")
    assert cache_control != PRIVATE
