"""A page's filter out of range is ignored with a message, never a server error."""

import pytest

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["99999999", "0", "-3"])
def test_the_public_inspection_page_ignores_a_year_out_of_range_and_says_so(client, year):
    response = client.get("/public/inspections/", {"year": year})
    assert response.status_code == 200
    assert f"年度“{year}”无效" in response.content.decode()


def test_the_public_inspection_page_ignores_a_unit_number_no_unit_can_have(client):
    response = client.get("/public/inspections/", {"unit": "9" * 30})
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_document_list_ignores_an_as_of_date_out_of_range(office, day):
    response = client_for(office).get("/admin/registers/document/", {"as_of": day})
    assert response.status_code in (200, 302)
