"""A query parameter out of range answers 400 with a code and a Chinese message, never 500."""

import datetime

import pytest

from tests import factories as f
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(municipal):
    return client_for(municipal)


@pytest.mark.parametrize("year", ["99999999999", "-5", "0", "10000"])
def test_a_year_out_of_range_is_refused_with_a_code(city, year):
    for url in ("/api/v1/documents/", "/api/v1/contracts/", "/api/v1/power-adjustments/"):
        response = city.get(url, {"year": year})
        assert response.status_code == 400, url
        assert response.json()["code"] == "year_out_of_range"
        assert "year" in response.json()["detail"] and "年度" in response.json()["detail"]


def test_a_year_in_range_still_filters(city, unit_a):
    f.make_document(unit_a, issued_on=datetime.date(2017, 3, 1))
    assert city.get("/api/v1/documents/", {"year": "2017"}).status_code == 200


@pytest.mark.parametrize(
    ("since", "code"),
    [
        ("2017-01-01T00:00:00+20:23", "timestamp_offset_out_of_range"),
        ("2017-01-01T00:00:00-16:00", "timestamp_offset_out_of_range"),
        ("9999-12-31T23:59:59-10:00", "timestamp_out_of_range"),
        ("0001-01-01T00:00:00+01:00", "timestamp_out_of_range"),
        ("2017-13-45", "invalid_timestamp"),
    ],
)
def test_an_absurd_updated_since_is_refused_on_lists_and_exports(city, since, code):
    for url in ("/api/v1/units/", "/api/v1/documents/export.csv"):
        response = city.get(url, {"updated_since": since})
        assert response.status_code == 400, url
        assert response.json()["code"] == code
        assert "updated_since" in response.json()["detail"]


@pytest.mark.parametrize("page", ["-1", "0", "abc", "999999999999999999999"])
def test_a_page_that_does_not_exist_is_refused_with_a_code(city, page):
    response = city.get("/api/v1/units/", {"page": page})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_page"
    assert response.json()["errors"]["page"][0]["code"] == "invalid_page"
    assert "页码" in response.json()["detail"]


def test_a_broken_cursor_is_refused_with_a_code(city):
    response = city.get("/api/v1/units/", {"cursor": "zzzz"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "url", ["/admin/registers/unit/export/", "/admin/registers/licencereformbatch/export/"]
)
def test_an_unknown_filter_on_an_admin_export_returns_to_the_list_with_a_message(office, url):
    client = client_for(office)
    response = client.get(url, {"bogus": "1"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(url.removesuffix("export/"))
    messages = [str(m) for m in response.context["messages"]]
    assert any("筛选条件无效" in m for m in messages)


def test_an_api_address_that_names_nothing_answers_json_404(city):
    response = city.get("/api/v1/reports/2017/versions/-5/report.json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_page_address_that_names_nothing_keeps_the_404_page(office):
    response = client_for(office).get("/reports/2017/v-5/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
