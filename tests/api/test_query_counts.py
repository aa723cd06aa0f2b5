"""A list costs the same number of queries for 5 rows as for 100 (no query per row)."""

import pytest

from registers.core.roles import Role
from tests.api.conftest import RECORD_RESOURCES, SAMPLES, client_for
from tests.factories import make_hearing, make_user

ROWS = 12
#: The most queries a page of any register's list may take (authentication, count, rows,
#: the prefetched children and files, the calendar…), however many records it shows.
MAX_LIST_QUERIES = 12


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_list_queries_do_not_grow_with_page_size(
    prefix, office, unit_a, django_assert_max_num_queries
):
    for _ in range(ROWS):
        record = SAMPLES[prefix](unit_a, office)
        if prefix == "litigation-cases":
            make_hearing(record)  # nested rows are prefetched, not fetched per case
    client = client_for(office)
    url = f"/api/v1/{prefix}/"
    client.get(url, {"page_size": 1})  # once-per-process lookups (content types) made

    with django_assert_max_num_queries(MAX_LIST_QUERIES) as small:
        assert client.get(url, {"page_size": 5}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) >= ROWS
    assert len(large.captured_queries) == len(small.captured_queries)


def test_cursor_pages_for_the_municipal_system_cost_the_same(
    unit_a, office, django_assert_max_num_queries
):
    for _ in range(ROWS):
        SAMPLES["reconsideration-cases"](unit_a, office)
    client = client_for(make_user(Role.API_CLIENT, username="city"))
    with django_assert_max_num_queries(40) as small:
        client.get("/api/v1/reconsideration-cases/", {"page_size": 5})
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/reconsideration-cases/", {"page_size": 100})
    assert "count" not in response.json()  # cursor pages
    assert len(response.json()["results"]) == ROWS
