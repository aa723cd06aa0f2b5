"""Five failed logins for a user name (or from an address) within 15 minutes lock it for 30
minutes, on the site's and the admin's login alike; the security administrator lifts locks."""

import datetime

import pytest
import time_machine

from registers.core.roles import Role
from tests.accounts.logins import STRONG_PASSWORD, post_login, set_password
from tests.factories import make_user
from xianan_lawgov.accounts.models import Lockout
from xianan_lawgov.audit.models import Event, Outcome, SecurityEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clerk(db):
    user = make_user(Role.OFFICE, username="clerk")
    set_password(user)
    return user


def fail(client, username="clerk", times=1, path="/login/"):
    for _ in range(times):
        response = post_login(client, username, "wrong-password", path=path)
        assert response.status_code in (200, 429)
    return response


def logs_in(client, username="clerk") -> bool:
    response = post_login(client, username)
    client.logout()
    return response.status_code == 302


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, clerk, path):
    with time_machine.travel(START):
        fail(client, times=4, path=path)
        assert logs_in(client)  # four failures and a success: not locked
        fail(client, times=5, path=path)
        response = post_login(client, "clerk", path=path)
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_lasts_thirty_minutes(client, clerk):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, times=5)
        clock.shift(datetime.timedelta(minutes=29))
        assert not logs_in(client)
        clock.shift(datetime.timedelta(minutes=2))
        assert logs_in(client)


def test_failures_further_apart_than_fifteen_minutes_do_not_lock(client, clerk):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, times=4)
        clock.shift(datetime.timedelta(minutes=16))
        fail(client, times=1)
        assert logs_in(client)
        assert not Lockout.objects.exists()


def test_wrong_passwords_for_many_names_from_one_address_lock_the_address(client, clerk):
    with time_machine.travel(START, tick=False):
        for name in ["a1", "a2", "a3", "a4", "a5"]:
            fail(client, username=name)
        assert not logs_in(client)  # a real account, from the locked address
        elsewhere = client.post(
            "/login/",
            {"username": "clerk", "password": STRONG_PASSWORD},
            REMOTE_ADDR="10.9.9.9",
        )
        assert Lockout.objects.active().get().address == "127.0.0.1"
    assert elsewhere.status_code == 302  # the name itself is not locked


def test_one_persons_failures_lock_their_name_not_their_office_address(client, clerk):
    colleague = make_user(Role.OFFICE, username="colleague")
    set_password(colleague)
    with time_machine.travel(START, tick=False):
        fail(client, times=5)
        assert not logs_in(client, "clerk")
        assert logs_in(client, "colleague")


def test_each_failure_and_the_lock_are_recorded(client, clerk):
    with time_machine.travel(START, tick=False):
        fail(client, times=6)
    failures = SecurityEvent.objects.filter(event=Event.LOGIN, outcome=Outcome.FAILURE)
    assert failures.count() == 6
    assert set(failures.values_list("username", flat=True)) == {"clerk"}
    assert failures.first().detail == "账号或地址已被锁定，未核对密码"  # the sixth
    lock = SecurityEvent.objects.get(event=Event.LOCKOUT, subject="clerk")
    assert lock.address == "127.0.0.1" and "5 次" in lock.detail


def test_the_security_administrator_sees_and_lifts_the_lock(client, clerk, secadmin, office):
    with time_machine.travel(START, tick=False):
        fail(client, times=5)
        assert not logs_in(client)
        lock = Lockout.objects.active().get(username="clerk")

        for user, status in ((office, 403), (secadmin, 200)):
            client.force_login(user)
            page = client.get("/admin/accounts/lockout/")
            assert page.status_code == status, user
        assert "clerk" in page.content.decode()
        lifted = client.post(
            "/admin/accounts/lockout/",
            {"action": "lift_locks", "_selected_action": [lock.pk]},
        )
        assert lifted.status_code == 302
        client.logout()
        assert logs_in(client)
    unlock = SecurityEvent.objects.get(event=Event.UNLOCK)
    assert (unlock.username, unlock.subject) == ("secadmin_t", "clerk")


def test_the_limit_is_a_setting(client, clerk, settings):
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "LOGIN_FAILURE_LIMIT": 3}
    with time_machine.travel(START, tick=False):
        fail(client, times=3)
        assert not logs_in(client)


def test_a_signed_in_account_without_the_admin_is_told_so_not_sent_round_in_circles(
    client, municipal, office
):
    """An API account (or any account the admin refuses) that opens an admin page is sent to
    the admin's login; signed in already, it gets a refusal there instead of being sent back
    to the admin page, which would send it to the login again without end."""
    client.force_login(municipal)
    response = client.get("/admin/registers/document/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert "当前账号不能使用管理后台。" in response.content.decode()
    client.force_login(office)
    response = client.get("/admin/login/?next=/admin/registers/document/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/registers/document/"
