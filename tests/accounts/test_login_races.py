"""The lock after five failed logins holds when the attempts arrive at the same moment: each
in its own thread with its own database connection, released together. Attempts on one name
run one after another (``lockout.one_attempt_at_a_time``), as do attempts from one address, so no
more than five passwords are ever tried. On PostgreSQL, where several processes share the
database."""

from django.test import Client

from registers.core.roles import Role
from tests.accounts.logins import post_login, set_password
from tests.factories import make_user
from tests.races import at_once, races
from xianan_lawgov.accounts.models import Lockout
from xianan_lawgov.audit.models import Event, Outcome, SecurityEvent

pytestmark = races(elsewhere="one attempt after another is in test_login_lockout.py")


def test_twenty_wrong_passwords_at_once_have_five_tried_and_one_lock():
    set_password(make_user(Role.OFFICE, username="clerk"))

    def attempt():
        return post_login(Client(), "clerk", "wrong-password").status_code

    statuses = at_once(*[attempt] * 20)
    tried = SecurityEvent.objects.filter(
        event=Event.LOGIN, outcome=Outcome.FAILURE, username="clerk", detail="用户名或密码错误"
    )
    assert tried.count() == 5
    assert sorted(statuses) == [200] * 4 + [429] * 16  # the fifth failure locks, and says so
    assert Lockout.objects.filter(username="clerk").count() == 1


def test_twenty_names_tried_at_once_from_one_address_have_five_tried_and_lock_the_address():
    """Password spraying: one password tried on many names at the same moment. Each name
    fails once, so only the address's lock can stop it."""
    for number in range(20):
        set_password(make_user(Role.OFFICE, username=f"clerk{number}"))

    def attempt(number):
        return lambda: post_login(Client(), f"clerk{number}", "Spring2026!").status_code

    statuses = at_once(*[attempt(number) for number in range(20)])
    tried = SecurityEvent.objects.filter(
        event=Event.LOGIN, outcome=Outcome.FAILURE, detail="用户名或密码错误"
    )
    assert tried.count() == 5
    assert sorted(statuses) == [200] * 4 + [429] * 16
    assert Lockout.objects.get().address == "127.0.0.1"
