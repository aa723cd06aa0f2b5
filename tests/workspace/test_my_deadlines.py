"""A person's own deadlines: reminders to the person in charge (承办人) first, the page
我的期限, and the personal calendar feed behind a secret address."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from registers.core.roles import Role
from registers.core.status import Status
from tests.factories import make_rectification, make_user
from xianan_lawgov.audit.models import Event, SecurityEvent
from xianan_lawgov.workspace.models import Notification
from xianan_lawgov.workspace.notifications import send_deadline_notifications

pytestmark = pytest.mark.django_db

D = datetime.date
#: A Monday: 14 June is 2 working days ahead (close), 19 June 5, 9 June is overdue.
TODAY = D(2017, 6, 12)
AT_NINE = datetime.datetime(2017, 6, 12, 9, tzinfo=datetime.UTC)


@pytest.fixture
def handler(unit_a):
    return make_user(Role.LIAISON, unit=unit_a, username="handler_t", last_name="承办")


def problem(unit, due_on: datetime.date, handler=None, **overrides):
    return make_rectification(
        unit,
        problem=overrides.pop("problem", f"{due_on:%m-%d} 到期的问题"),
        found_on=D(2017, 5, 1),
        due_on=due_on,
        handler=handler,
        status=Status.APPROVED,
        **overrides,
    )


def told(today=TODAY) -> set[tuple[str, str]]:
    send_deadline_notifications(today)
    return set(Notification.objects.values_list("user__username", "title"))


def told_of(problem_text: str) -> set[str]:
    return {
        username
        for username, title in Notification.objects.values_list("user__username", "title")
        if problem_text in title
    }


# --- Reminders --------------------------------------------------------------------------------


def test_the_person_in_charge_hears_first_and_the_unit_once_it_is_close(
    handler, liaison, liaison2, office
):
    problem(handler.unit, D(2017, 6, 19), handler, problem="五天后到期")
    problem(handler.unit, D(2017, 6, 14), handler, problem="两天后到期")
    send_deadline_notifications(TODAY)
    assert told_of("五天后到期") == {handler.username}
    assert told_of("两天后到期") == {handler.username, liaison.username}
    assert not Notification.objects.filter(user__in=[liaison2, office]).exists()


def test_without_a_person_in_charge_the_units_people_hear_from_the_start(handler, liaison):
    problem(handler.unit, D(2017, 6, 19), problem="无人承办")
    problem(handler.unit, D(2017, 6, 20), handler, problem="六天后到期")
    send_deadline_notifications(TODAY)
    assert told_of("无人承办") == {handler.username, liaison.username}
    assert told_of("六天后到期") == set()  # beyond the person in charge's 5 working days


def test_overdue_reaches_the_office_once_and_the_unit_every_day(handler, liaison, office):
    problem(handler.unit, D(2017, 6, 9), handler, problem="已逾期")
    send_deadline_notifications(TODAY)
    assert told_of("已逾期") == {handler.username, liaison.username, office.username}
    send_deadline_notifications(TODAY)
    send_deadline_notifications(D(2017, 6, 13))
    counts = {
        user.username: Notification.objects.filter(user=user).count()
        for user in (handler, liaison, office)
    }
    assert counts == {handler.username: 2, liaison.username: 2, office.username: 1}


def test_a_person_in_charge_who_left_the_unit_hears_nothing_and_the_unit_takes_over(
    handler, liaison, unit_b
):
    problem(handler.unit, D(2017, 6, 19), handler, problem="换了单位")
    handler.unit = unit_b
    handler.save()
    send_deadline_notifications(TODAY)
    assert told_of("换了单位") == {liaison.username}


# --- 我的期限 ---------------------------------------------------------------------------------


def rows_of(page: str) -> list[str]:
    return re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', page)


@time_machine.travel(AT_NINE, tick=False)
def test_my_deadlines_lists_what_i_am_in_charge_of_soonest_first(
    client, handler, liaison, office, unit_b
):
    problem(handler.unit, D(2017, 9, 30), handler, problem="九月底")
    problem(handler.unit, D(2017, 6, 9), handler, problem="已逾期")
    problem(handler.unit, D(2017, 6, 14), liaison, problem="同事承办")
    problem(handler.unit, D(2017, 6, 15), problem="无人承办")
    problem(handler.unit, D(2017, 5, 1), handler, problem="已整改", rectified_on=D(2017, 4, 30))
    client.force_login(handler)
    page = client.get("/my-deadlines/").content.decode()
    assert rows_of(page) == ["已逾期", "九月底"]
    assert 'data-urgency="overdue"' in page and "逾期 3 天" in page
    assert "/admin/reviews/rectificationproblem/" in page


@time_machine.travel(AT_NINE, tick=False)
def test_my_deadlines_follow_what_i_may_still_see(client, handler, unit_b):
    problem(handler.unit, D(2017, 6, 14), handler, problem="原单位的问题")
    handler.unit = unit_b
    handler.save()
    client.force_login(handler)
    page = client.get("/my-deadlines/").content.decode()
    assert "原单位的问题" not in page
    assert "没有由您承办" in page


def test_every_person_has_my_deadlines_in_the_menu(client, leader):
    client.force_login(leader)
    page = client.get("/my-deadlines/").content.decode()
    assert 'href="/my-deadlines/"' in page and "我的期限" in page


def test_my_deadlines_needs_a_login(client):
    response = client.get("/my-deadlines/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The calendar feed ------------------------------------------------------------------------


def new_feed_address(client) -> str:
    page = client.post("/my-deadlines/").content.decode()
    [url] = re.findall(r'value="(http://testserver/calendar/[^"]+\.ics)"', page)
    return url.removeprefix("http://testserver")


def read_feed(path: str) -> Calendar:
    response = Client().get(path)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    return Calendar.from_ical(response.content)


@time_machine.travel(AT_NINE, tick=False)
def test_the_feed_holds_my_deadlines_as_all_day_events(client, handler, liaison):
    mine = problem(handler.unit, D(2017, 6, 14), handler, problem="我的问题")
    problem(handler.unit, D(2017, 6, 15), liaison, problem="同事的问题")
    client.force_login(handler)
    path = new_feed_address(client)
    calendar = read_feed(path)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == D(2017, 6, 14)
    assert event.decoded("dtend") == D(2017, 6, 15)
    assert "我的问题" in str(event["summary"]) and "专项治理：整改期限" in str(event["summary"])
    assert "要求于2017-06-14前整改完成" in str(event["description"])
    assert str(event["url"]).endswith(f"/admin/reviews/rectificationproblem/{mine.pk}/change/")
    # The same deadline keeps its identity, so a calendar app updates it in place.
    [again] = read_feed(path).walk("VEVENT")
    assert again["uid"] == event["uid"]
    assert "同事的问题" not in Client().get(path).content.decode()


@time_machine.travel(AT_NINE, tick=False)
def test_a_reset_ends_the_old_address_and_is_audited(client, handler):
    problem(handler.unit, D(2017, 6, 14), handler)
    client.force_login(handler)
    first = new_feed_address(client)
    second = new_feed_address(client)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    entries = SecurityEvent.objects.filter(event=Event.CALENDAR_FEED).order_by("pk")
    assert [(e.username, e.detail) for e in entries] == [
        (handler.username, "首次生成"),
        (handler.username, "重置，原地址作废"),
    ]
    page = client.get("/my-deadlines/").content.decode()
    assert "重新生成订阅地址" in page and "/calendar/" not in page  # shown only once


@time_machine.travel(AT_NINE, tick=False)
def test_the_feed_needs_its_secret_and_an_active_account(client, handler, unit_b):
    problem(handler.unit, D(2017, 6, 14), handler, problem="原单位的问题")
    client.force_login(handler)
    path = new_feed_address(client)
    assert Client().get("/calendar/guessed-key.ics").status_code == 404
    assert Client().get(path.replace(".ics", "x.ics")).status_code == 404
    # Moved to another unit: the feed still answers, without the old unit's records.
    handler.unit = unit_b
    handler.save()
    assert read_feed(path).walk("VEVENT") == []
    handler.is_active = False
    handler.save()
    assert Client().get(path).status_code == 404


@time_machine.travel(AT_NINE, tick=False)
def test_the_page_and_the_feed_cost_the_same_queries_however_many_records(client, handler):
    client.force_login(handler)
    path = new_feed_address(client)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get("/my-deadlines/").status_code == 200
        with CaptureQueriesContext(connection) as feed:
            assert Client().get(path).status_code == 200
        return len(page), len(feed)

    problem(handler.unit, D(2017, 6, 14), handler)
    few = queries()
    for day in (15, 16, 19, 20):
        problem(handler.unit, D(2017, 6, day), handler)
    assert queries() == few


@time_machine.travel(AT_NINE, tick=False)
def test_my_deadlines_read_only_the_records_in_my_charge(
    client, handler, liaison, office, monkeypatch
):
    """The sources are narrowed to the person's records in the database: the deadlines of
    the records others are in charge of are never computed for the person's own list."""
    from reviews import deadline_board

    computed = []

    def counted(source):
        def wrapped(user, today, calendar):
            for entry in source(user, today, calendar):
                computed.append(entry.title)
                yield entry

        return wrapped

    monkeypatch.setattr(deadline_board, "SOURCES", [counted(s) for s in deadline_board.SOURCES])
    problem(handler.unit, D(2017, 6, 14), handler, problem="我承办的")
    for day in (15, 16, 19):
        problem(handler.unit, D(2017, 6, day), liaison, problem=f"同事承办{day}")
        problem(handler.unit, D(2017, 6, day), problem=f"无人承办{day}")
    for person in (handler, office):
        client.force_login(person)
        computed.clear()
        page = client.get("/my-deadlines/").content.decode()
        mine = ["我承办的"] if person == handler else []
        assert rows_of(page) == mine
        assert [title for title in computed if "承办" in title] == mine
