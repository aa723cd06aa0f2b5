"""The workspace pages cost the same number of queries however many records and units there
are: with one unit's few records and with many units' many records of the same kinds."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.core.roles import Role
from registers.core.status import Status
from registers.core.workflow import return_for_revision, submit
from reviews import deadline_board
from tests.factories import make_comment_draft_reply, make_rectification, make_unit, make_user
from tests.workflowapp.models import Memo

pytestmark = pytest.mark.django_db

D = datetime.date
AT_NINE = datetime.datetime(2017, 6, 12, 9, tzinfo=datetime.UTC)

HOME = reverse("workspace:home")
QUEUE = reverse("workspace:review_queue")
BOARD = reverse("reviews:deadline_board")
MINE = reverse("workspace:my_deadlines")


def queries_of(client, url: str) -> int:
    client.get(url)  # what a process reads once (content types) is not counted
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_records(unit, office, *, count: int, handler=None) -> None:
    """``count`` records of each of three kinds in ``unit``, in every status a page lists,
    and ``count`` open deadlines (one in ``handler``'s charge)."""
    liaison = make_user(Role.LIAISON, unit=unit)
    for n in range(count):
        Memo.objects.create(title=f"草稿{n}", unit=unit, created_by=liaison)
        submit(Memo.objects.create(title=f"报送{n}", unit=unit, created_by=liaison), by=liaison)
        returned = submit(Memo.objects.create(title=f"退回{n}", unit=unit), by=liaison)
        return_for_revision(returned, by=office, comment="请补充")
        submit(
            make_comment_draft_reply(unit, status=Status.DRAFT, replied_on=None, reply=""),
            by=liaison,
        )
        make_rectification(
            unit,
            found_on=D(2017, 5, 1),
            due_on=D(2017, 6, 14 + n % 3),
            handler=handler if n == 0 else None,
            status=Status.APPROVED,
        )


@pytest.fixture
def many_units(office):
    """The records of many units besides the one measured first."""

    def add(count: int = 5, units: int = 12) -> None:
        for _n in range(units):
            add_records(make_unit(), office, count=count)

    return add


@time_machine.travel(AT_NINE, tick=False)
def test_the_liaison_home_costs_the_same_queries_however_many_records(
    client, office, liaison, unit_a, many_units
):
    add_records(unit_a, office, count=1)
    client.force_login(liaison)
    few = queries_of(client, HOME)
    add_records(unit_a, office, count=8)
    many_units()
    assert queries_of(client, HOME) == few
    # Session and user; each list's keys across every kind (one query each), then one query
    # per kind listed (two here), never one per kind installed; the calendar, the deadline
    # board's sources, the unit, its reports, the notifications; the session saved.
    assert few <= 13 + len(deadline_board.SOURCES) + 2


@time_machine.travel(AT_NINE, tick=False)
def test_the_review_queue_costs_the_same_queries_however_many_records(
    client, office, unit_a, many_units
):
    add_records(unit_a, office, count=1)
    client.force_login(office)
    few = queries_of(client, QUEUE)
    many_units()
    assert queries_of(client, QUEUE) == few
    assert queries_of(client, f"{QUEUE}?page=2") == few
    # Session and user, the page's keys and the queue's length in one query, one query per
    # kind on the page (two here), their files, the navigation's counts.
    assert few <= 8 + 2


@time_machine.travel(AT_NINE, tick=False)
@pytest.mark.parametrize("url", [HOME, BOARD, MINE])
def test_the_office_pages_cost_the_same_queries_however_many_units(
    client, office, unit_a, many_units, url
):
    add_records(unit_a, office, count=1, handler=office)
    client.force_login(office)
    few = queries_of(client, url)
    add_records(unit_a, office, count=3, handler=office)
    many_units()
    assert queries_of(client, url) == few


@time_machine.travel(AT_NINE, tick=False)
def test_a_liaisons_deadlines_cost_the_same_queries_however_many_units(
    client, office, liaison, unit_a, many_units
):
    add_records(unit_a, office, count=1, handler=liaison)
    client.force_login(liaison)
    counts = {url: queries_of(client, url) for url in (BOARD, MINE)}
    add_records(unit_a, office, count=3, handler=liaison)
    many_units()
    assert {url: queries_of(client, url) for url in (BOARD, MINE)} == counts
