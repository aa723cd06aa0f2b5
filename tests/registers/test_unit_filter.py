"""The changelists' unit filter: listed while the units are few, found by name when they are
many, absent for a liaison (whose list is their unit's), and the page's queries do not grow
with the units or the records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.admin import filters
from tests.factories import make_cleanup_item, make_document, make_unit


def changelist(model="registers_document"):
    return reverse(f"admin:{model}_changelist")


def unit_link(unit) -> str:
    return f"unit__id__exact={unit.pk}"


@pytest.fixture
def documents(unit_a, unit_b):
    return make_document(unit_a, title="城管的文件"), make_document(unit_b, title="交通的文件")


def test_the_office_picks_a_unit_and_sees_its_records_only(client, office, unit_a, documents):
    client.force_login(office)
    page = client.get(changelist()).content.decode()
    assert unit_link(unit_a) in page  # few units: every one is listed
    page = client.get(changelist(), {"unit__id__exact": unit_a.pk}).content.decode()
    assert "城管的文件" in page
    assert "交通的文件" not in page


def test_many_units_are_found_by_name_instead_of_listed(
    client, office, unit_a, unit_b, documents, monkeypatch
):
    monkeypatch.setattr(filters, "UNITS_LISTED", 1)
    client.force_login(office)
    page = client.get(changelist()).content.decode()
    assert unit_link(unit_a) not in page and unit_link(unit_b) not in page
    assert 'name="unit_name"' in page  # the box finding them
    page = client.get(changelist(), {"unit_name": "交通"}).content.decode()
    assert unit_link(unit_b) in page
    assert unit_link(unit_a) not in page
    assert "城管的文件" in page  # looking for a unit does not filter the records
    # A chosen unit stays in the filter, marked, with the box's other parameters kept.
    page = client.get(changelist(), {"unit__id__exact": unit_a.pk, "q": "文件"}).content.decode()
    assert unit_link(unit_a) in page
    assert '<input type="hidden" name="q" value="文件">' in page
    assert "交通的文件" not in page


def test_a_liaison_gets_no_unit_filter_and_never_another_units_records(
    client, liaison, unit_b, documents
):
    client.force_login(liaison)
    page = client.get(changelist()).content.decode()
    assert 'name="unit_name"' not in page
    assert unit_link(unit_b) not in page
    # Asking for another unit's records shows their own unit's, never the other's.
    page = client.get(changelist(), {"unit__id__exact": unit_b.pk}).content.decode()
    assert "交通的文件" not in page
    assert "城管的文件" in page


def test_a_unit_that_is_not_a_number_is_refused_as_a_bad_filter(client, office, documents):
    client.force_login(office)
    response = client.get(changelist(), {"unit__id__exact": "x"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_filter_follows_the_records_path_to_their_unit(client, office, unit_a, unit_b):
    make_cleanup_item(document=make_document(unit_a, title="城管的文件"))
    make_cleanup_item(document=make_document(unit_b, title="交通的文件"))
    client.force_login(office)
    url = changelist("reviews_cleanupitem")
    page = client.get(url).content.decode()
    assert f"document__unit={unit_b.pk}" in page
    page = client.get(url, {"document__unit": unit_b.pk}).content.decode()
    assert "交通的文件" in page
    assert "城管的文件" not in page


def test_the_lists_queries_do_not_grow_with_units_or_records(client, office, unit_a, documents):
    client.force_login(office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist()).status_code == 200
        return len(captured)

    queries()  # the session's end pushed on (at most once a minute)
    few = queries()
    for _ in range(filters.UNITS_LISTED + 5):
        make_document(make_unit())
    assert queries() == few
