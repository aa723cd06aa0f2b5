"""A record that leaves what a client sees (moved to another unit, or under a parent that
was) is in that client's ``deleted`` list on its next incremental pull, so its copy ends
exactly like the server."""

import datetime

import pytest
import time_machine

from reviews.models import LitigationCase
from tests.api.conftest import client_for
from tests.api.test_sync import pull
from tests.factories import make_hearing, make_litigation

TZ = datetime.timezone(datetime.timedelta(hours=8))
ENTERED = datetime.datetime(2018, 1, 10, 20, 0, tzinfo=TZ)
LAST_PULL = datetime.datetime(2018, 1, 11, 2, 0, tzinfo=TZ)
MOVED = datetime.datetime(2018, 1, 11, 15, 0, tzinfo=TZ)
NEXT_PULL = datetime.datetime(2018, 1, 12, 2, 0, tzinfo=TZ)
CASES = "/api/v1/litigation-cases/"
HEARINGS = "/api/v1/litigation-hearings/"


def move(case: LitigationCase, unit) -> None:
    case.unit = unit
    case.save()


@pytest.fixture
def cases(unit_a, unit_b):
    with time_machine.travel(ENTERED, tick=True):
        cases = [make_litigation(unit) for unit in (unit_a, unit_a, unit_b)]
        for case in cases:
            make_hearing(case)
    return cases


@pytest.mark.parametrize("url", [CASES, HEARINGS])
def test_a_record_moved_to_another_unit_leaves_the_old_units_copy(users, cases, unit_b, url):
    liaisons = (users["liaison"], users["liaison2"])
    with time_machine.travel(LAST_PULL, tick=True):
        mirror_a, mirror_b = (pull(client_for(user), url)[0] for user in liaisons)
    moved = cases[0]
    with time_machine.travel(MOVED, tick=True):
        move(moved, unit_b)

    with time_machine.travel(NEXT_PULL, tick=True):
        for user, mirror in zip(liaisons, (mirror_a, mirror_b), strict=True):
            client = client_for(user)  # signed in anew: a session ends after 30 idle minutes
            changes, deleted = pull(client, url, since=LAST_PULL)
            for pk in deleted:
                mirror.pop(pk, None)
            mirror.update(changes)
            server, _ = pull(client, url)
            assert mirror == server

    moved_ids = {moved.pk} if url == CASES else set(moved.hearings.values_list("pk", flat=True))
    assert moved_ids <= set(mirror_b) and not moved_ids & set(mirror_a)


def test_the_old_unit_is_told_when_the_record_left(users, cases, unit_b):
    with time_machine.travel(MOVED, tick=False):
        move(cases[0], unit_b)
    body = client_for(users["liaison"]).get(CASES, {"updated_since": LAST_PULL.isoformat()})
    assert body.json()["deleted"] == [
        {"id": cases[0].pk, "deleted_at": MOVED.isoformat()},
    ]
    assert cases[0].pk not in {row["id"] for row in body.json()["results"]}


def test_a_record_that_left_before_the_last_pull_is_not_sent_again(users, cases, unit_b):
    with time_machine.travel(MOVED - datetime.timedelta(days=1), tick=True):
        move(cases[0], unit_b)
    with time_machine.travel(NEXT_PULL, tick=True):
        _changes, deleted = pull(client_for(users["liaison"]), CASES, since=LAST_PULL)
    assert deleted == set()


def test_a_record_moved_away_and_back_is_kept(users, cases, unit_a, unit_b):
    with time_machine.travel(MOVED, tick=True):
        move(cases[0], unit_b)
        move(cases[0], unit_a)
    with time_machine.travel(NEXT_PULL, tick=True):
        changes, deleted = pull(client_for(users["liaison"]), CASES, since=LAST_PULL)
    assert cases[0].pk in changes and cases[0].pk not in deleted


def test_the_new_unit_does_not_get_a_tombstone_of_what_it_received(users, cases, unit_b):
    with time_machine.travel(MOVED, tick=True):
        move(cases[0], unit_b)
    with time_machine.travel(NEXT_PULL, tick=True):
        changes, deleted = pull(client_for(users["liaison2"]), CASES, since=LAST_PULL)
    assert cases[0].pk in changes and deleted == set()


def test_a_client_that_sees_every_unit_gets_no_tombstone_for_a_move(users, cases, unit_b):
    with time_machine.travel(MOVED, tick=True):
        move(cases[0], unit_b)
    with time_machine.travel(NEXT_PULL, tick=True):
        changes, deleted = pull(client_for(users["municipal"]), CASES, since=LAST_PULL)
    assert cases[0].pk in changes and deleted == set()


def test_a_deleted_record_that_had_moved_is_listed_once(users, cases, unit_a, unit_b):
    gone = cases[0].pk
    with time_machine.travel(MOVED, tick=True):
        move(cases[0], unit_b)
        move(cases[0], unit_a)
        cases[0].delete()
    with time_machine.travel(NEXT_PULL, tick=True):
        body = client_for(users["liaison"]).get(CASES, {"updated_since": LAST_PULL.isoformat()})
    assert [row["id"] for row in body.json()["deleted"]] == [gone]
