"""A page's filter out of range is ignored with a message, never a server error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["99999999", "0", "-3"])
def test_the_public_inspection_page_ignores_a_year_out_of_range_and_says_so(client, year):
    response = client.get("/public/inspections/", {"year": year})
    assert response.status_code == 200
    assert f"年度“{year}”无效" in response.content.decode()


def test_the_public_inspection_page_ignores_a_unit_number_no_unit_can_have(client):
    response = client.get("/public/inspections/", {"unit": "9" * 30})
    assert response.status_code == 200
