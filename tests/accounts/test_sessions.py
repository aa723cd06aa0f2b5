"""Sessions end after 30 idle minutes (the page warns a minute before) and when the browser
closes; each person sees and ends their own other sessions."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registers.core.roles import Role
from tests.accounts.logins import post_login, set_password
from tests.factories import make_user
from xianan_lawgov.audit.models import Event, SecurityEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_thirty_idle_minutes_end_the_session_and_activity_keeps_it(client, db):
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk)
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "clerk")
        for _ in range(3):  # an hour and a half of work, a request every 29 minutes
            clock.shift(datetime.timedelta(minutes=29))
            assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        assert client.get("/")["Location"].startswith("/login/")


def test_the_session_cookie_ends_with_the_browser(client, db):
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk)
    response = post_login(client, "clerk")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_pages_carry_the_idle_warning(client, office):
    client.force_login(office)
    page = client.get("/").content.decode()
    meta = re.search(r'<meta name="lawgov-session"[^>]*>', page).group(0)
    assert 'data-idle="1800"' in meta and 'data-warning="60"' in meta
    assert "/static/js/session-timeout.js" in page
    admin = client.get("/admin/").content.decode()
    assert 'name="lawgov-session"' in admin
    assert client.post("/account/session/keepalive/").status_code == 204


def test_a_person_sees_and_ends_their_own_other_sessions(db):
    clerk = make_user(Role.OFFICE, username="clerk")
    other_person = make_user(Role.OFFICE, username="other")
    set_password(clerk)
    set_password(other_person)
    laptop, phone, stranger = Client(), Client(HTTP_USER_AGENT="Phone browser"), Client()
    post_login(laptop, "clerk")
    post_login(phone, "clerk")
    post_login(stranger, "other")

    page = laptop.get("/account/").content.decode()
    assert "当前会话" in page and "Phone browser" in page
    ids = re.findall(r'name="session" value="(\d+)"', page)
    assert len(ids) == 1  # the phone's; the stranger's session is not listed
    stranger_page = stranger.get("/account/").content.decode()
    stranger_id = re.findall(r'name="session" value="(\d+)"', stranger_page)
    assert stranger_id == []

    laptop.post("/account/sessions/end/", {"session": ids})
    assert phone.get("/")["Location"].startswith("/login/")
    assert laptop.get("/").status_code == 200
    assert stranger.get("/").status_code == 200
    assert SecurityEvent.objects.filter(event=Event.SESSION_END, username="clerk").exists()


def test_ending_all_other_sessions_keeps_the_current_one(db):
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk)
    browsers = [Client() for _ in range(3)]
    for browser in browsers:
        post_login(browser, "clerk")
    browsers[0].post("/account/sessions/end/", {"all_others": "1"})
    assert [b.get("/").status_code for b in browsers] == [200, 302, 302]


def session_writes(client, path: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def idle_left(client) -> int:
    page = client.get("/").content.decode()
    return int(re.search(r'data-idle="(\d+)"', page).group(1))


@pytest.fixture
def clock(client, db):
    """The clerk signed in at ``START`` and one page read; the clock to move on."""
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk)
    with time_machine.travel(START, tick=False) as traveller:
        post_login(client, "clerk")
        client.get("/")
        yield traveller


def test_a_request_pushes_the_sessions_end_on_at_most_once_a_minute(client, clock):
    clock.shift(datetime.timedelta(seconds=20))
    assert session_writes(client) == 0
    assert idle_left(client) == 1800 - 20  # the warning counts from the last push
    clock.shift(datetime.timedelta(seconds=41))
    assert session_writes(client) == 1
    assert idle_left(client) == 1800


def test_the_session_ends_no_later_than_the_idle_time_after_the_last_request(client, clock):
    clock.shift(datetime.timedelta(seconds=50))
    client.get("/")  # not written: the end stays 30 minutes after the last push
    clock.shift(datetime.timedelta(minutes=29, seconds=11))
    assert client.get("/")["Location"].startswith("/login/")


def test_keep_alive_pushes_the_end_on_at_once(client, clock):
    clock.shift(datetime.timedelta(seconds=30))
    assert client.post("/account/session/keepalive/").status_code == 204
    clock.shift(datetime.timedelta(minutes=29, seconds=45))
    assert client.get("/").status_code == 200
