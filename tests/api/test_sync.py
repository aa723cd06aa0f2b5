"""Incremental sync: a system that pulls every night ends with exactly the server's data.

The protocol: remember when the last pull started; ask each list for
``updated_since=<that moment>``; upsert what comes back, delete what ``deleted`` lists.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from registers.core.roles import Role
from reviews.models import LitigationCase
from tests.api.conftest import client_for
from tests.factories import make_hearing, make_litigation, make_user

TZ = datetime.timezone(datetime.timedelta(hours=8))


def pull(client, url: str, since: datetime.datetime | None = None) -> tuple[dict, set]:
    """Every record of a list, following cursor pages; and the ids deleted since ``since``."""
    params = {"cursor": "", "page_size": 2}
    if since is not None:
        params["updated_since"] = since.isoformat()
    records, deleted = {}, set()
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        records.update({row["id"]: row for row in body["results"]})
        deleted |= {row["id"] for row in body.get("deleted", [])}
        if not body["next"]:
            return records, deleted
        response = client.get(body["next"])


@pytest.fixture
def city(db):
    return client_for(make_user(Role.API_CLIENT, username="city"))


@pytest.mark.parametrize("url", ["/api/v1/litigation-cases/", "/api/v1/litigation-hearings/"])
def test_a_second_pull_with_updated_since_reproduces_the_server(city, unit_a, unit_b, url):
    with time_machine.travel(datetime.datetime(2018, 1, 10, 20, 0, tzinfo=TZ), tick=True):
        cases = [make_litigation(unit) for unit in (unit_a, unit_b, unit_a, unit_b, unit_a)]
        hearings = [make_hearing(case) for case in cases]

    last_pull = datetime.datetime(2018, 1, 11, 2, 0, tzinfo=TZ)
    with time_machine.travel(last_pull, tick=True):
        mirror, _deleted = pull(city, url)
    assert len(mirror) == 5

    with time_machine.travel(datetime.datetime(2018, 1, 11, 15, 0, tzinfo=TZ), tick=True):
        new_case = make_litigation(unit_b)
        make_hearing(new_case)
        changed = cases[0]
        changed.defence_submitted_on = datetime.date(2017, 3, 10)
        changed.save()
        hearings[1].head_title = "副局长"  # a child changed: its case counts as changed
        hearings[1].save()
        deleted_case = cases[2].pk
        cases[2].delete()  # and its hearing with it
        hearings[3].delete()

    with time_machine.travel(datetime.datetime(2018, 1, 12, 2, 0, tzinfo=TZ), tick=True):
        changes, deleted = pull(city, url, since=last_pull)
        server, _ = pull(city, url)

    for pk in deleted:
        mirror.pop(pk, None)
    mirror.update(changes)
    assert mirror == server
    assert deleted  # the deletions travelled as tombstones
    if url.endswith("litigation-cases/"):
        assert {changed.pk, cases[1].pk, cases[3].pk, new_case.pk} <= set(changes)
        assert cases[4].pk not in changes  # untouched records are not sent again
        assert deleted == {deleted_case}
        tombstones = city.get(url, {"updated_since": last_pull.isoformat()}).json()["deleted"]
        assert tombstones[0]["deleted_at"].endswith("+08:00")  # local time, like every time


def test_changes_are_sent_again_when_pulled_from_an_earlier_moment(city, unit_a):
    with time_machine.travel(datetime.datetime(2018, 3, 1, 9, 0, tzinfo=TZ), tick=True):
        case = make_litigation(unit_a)
    early, _ = pull(city, "/api/v1/litigation-cases/", datetime.datetime(2018, 2, 1, tzinfo=TZ))
    late, _ = pull(city, "/api/v1/litigation-cases/", datetime.datetime(2018, 4, 1, tzinfo=TZ))
    assert case.pk in early and case.pk not in late


def test_a_liaison_gets_tombstones_of_child_rows_whose_parent_was_deleted_too(
    users, unit_a, unit_b
):
    mine = make_hearing(make_litigation(unit_a))
    theirs = make_hearing(make_litigation(unit_b))
    since = timezone.now() - datetime.timedelta(minutes=1)
    LitigationCase.objects.filter(pk__in=[mine.case_id, theirs.case_id]).delete()

    for user, own, other in ((users["liaison"], mine, theirs), (users["liaison2"], theirs, mine)):
        body = client_for(user).get(
            "/api/v1/litigation-hearings/", {"updated_since": since.isoformat()}
        )
        deleted = {row["id"] for row in body.json()["deleted"]}
        assert own.pk in deleted and other.pk not in deleted


def test_a_bad_timestamp_is_refused_with_a_code(city):
    response = city.get("/api/v1/units/", {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert response.json()["errors"]["updated_since"][0]["code"] == "invalid_timestamp"


def test_a_municipal_client_pages_by_cursor_without_asking(city, unit_a):
    for _ in range(3):
        make_litigation(unit_a)
    body = city.get("/api/v1/litigation-cases/", {"page_size": 2}).json()
    assert "cursor=" in body["next"] and "count" not in body
