"""Cursor pages that lose nothing: a pull returns every record exactly once, however many
records share one update time (an upload stamps thousands with the same moment)."""

import datetime
import math

import pytest
import time_machine

from registers.core.roles import Role
from registers.models import Unit, UnitKind
from tests.api.conftest import client_for
from tests.factories import make_target, make_unit, make_user

TZ = datetime.timezone(datetime.timedelta(hours=8))
UPLOADED_AT = datetime.datetime(2018, 1, 10, 20, 0, tzinfo=TZ)
TIED = 20_000  # records stamped with one update time, as by one large upload
PAGE = 1000  # the largest page a client may ask for
URL = "/api/v1/units/"


def pull(client, since=None, *, page_size=PAGE) -> tuple[list[int], int]:
    """Follow ``next`` from the first cursor page; every id received, in order, and how
    many pages it took."""
    params = {"cursor": "", "page_size": page_size}
    if since is not None:
        params["updated_since"] = since.isoformat()
    response, ids, pages = client.get(URL, params), [], 0
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        pages += 1
        # A cursor that stands still would go round forever: stop the test instead.
        assert pages <= len(ids) // page_size + 2, "the pull does not move on"
        if not body["next"]:
            return ids, pages
        response = client.get(body["next"])


@pytest.fixture
def city(db):
    return client_for(make_user(Role.API_CLIENT, username="city"))


@pytest.fixture
def uploaded(db) -> set[int]:
    """``TIED`` units sharing one ``updated_at`` (bulk-created at a frozen moment)."""
    with time_machine.travel(UPLOADED_AT, tick=False):
        Unit.objects.bulk_create(
            [
                Unit(
                    name=f"同步单位{n}", short_name=f"单位{n}", kind=UnitKind.TOWNSHIP, code=f"S{n}"
                )
                for n in range(TIED)
            ],
            batch_size=2000,
        )
    tied = set(Unit.objects.filter(updated_at=UPLOADED_AT).values_list("id", flat=True))
    assert len(tied) == TIED
    return tied


def test_a_pull_returns_every_record_once_when_thousands_share_one_update_time(city, uploaded):
    ids, pages = pull(city)
    assert len(ids) == len(set(ids))
    assert set(ids) == set(Unit.objects.values_list("id", flat=True))
    assert uploaded <= set(ids)
    assert pages == math.ceil(len(ids) / PAGE)


def test_an_incremental_pull_returns_every_tied_record_once_with_the_records_around_them(
    city, uploaded
):
    with time_machine.travel(UPLOADED_AT - datetime.timedelta(hours=1), tick=False):
        before = make_unit()
    with time_machine.travel(UPLOADED_AT + datetime.timedelta(seconds=1), tick=False):
        after = make_unit()

    ids, _pages = pull(city, since=UPLOADED_AT - datetime.timedelta(minutes=5))
    assert len(ids) == len(set(ids))
    assert set(ids) == uploaded | {after.pk}
    assert before.pk not in ids
    assert ids[-1] == after.pk  # ordered by update time, then id


def test_walking_back_by_previous_links_returns_every_record_once(city, uploaded):
    response = city.get(URL, {"cursor": "", "page_size": PAGE})
    while response.json()["next"]:
        response = city.get(response.json()["next"])
    ids = []
    while True:
        body = response.json()
        ids = [row["id"] for row in body["results"]] + ids
        if not body["previous"]:
            break
        response = city.get(body["previous"])
        assert response.status_code == 200
    assert len(ids) == len(set(ids))
    assert ids == sorted(Unit.objects.values_list("id", flat=True))  # one time: by id


def test_a_record_changed_during_a_pull_moves_to_the_end_and_is_not_lost(city, uploaded):
    first = city.get(URL, {"cursor": "", "page_size": PAGE}).json()
    seen = [row["id"] for row in first["results"]]
    changed = Unit.objects.get(pk=seen[0])
    changed.short_name = "改后"
    changed.save()

    response, ids = city.get(first["next"]), list(seen)
    while True:
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = city.get(body["next"])
    assert set(ids) == set(Unit.objects.values_list("id", flat=True))
    assert ids[-1] == changed.pk
    assert len(ids) == len(set(ids)) + 1  # sent again after its change, once


@pytest.mark.parametrize("cursor", ["bm90IGEgY3Vyc29y", "cD0yMDE4LTAxLTEw", "%%%"])
def test_a_cursor_the_server_did_not_make_is_refused_with_a_code(city, cursor):
    response = city.get(URL, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_a_list_without_update_times_pages_by_id_alone(city, unit_a):
    targets = {make_target(unit_a).pk for _ in range(5)}
    params, ids = {"cursor": "", "page_size": 2}, []
    response = city.get("/api/v1/inspection-targets/", params)
    while True:
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = city.get(body["next"])
    assert ids == sorted(targets)
