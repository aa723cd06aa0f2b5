"""Password rules, the change an account owes at its first login when someone else set its
password, the demo's weak password (DEBUG only) and the optional maximum age."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from registers.core.roles import Role
from registers.models import User
from tests.accounts.logins import STRONG_PASSWORD, post_login, set_password
from tests.factories import make_unit, make_user
from xianan_lawgov.audit.models import Event, SecurityEvent

NEW_PASSWORD = "Hubei-Xianning-2026"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1-short", "password_too_short"),
        ("alllowercaseletters", "password_too_few_character_classes"),
        ("1234567890123", "password_too_few_character_classes"),
        ("wang.fazhi2026", "password_too_similar"),
        ("1Q2w3E4r5T", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, code, db):
    user = make_user(Role.OFFICE, username="wang.fazhi")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert code in {error.code for error in refused.value.error_list}


def test_a_long_password_of_three_kinds_of_characters_is_accepted(db):
    validate_password(STRONG_PASSWORD, make_user(Role.OFFICE, username="wang.fazhi"))


def test_an_account_the_system_administrator_created_changes_its_password_first(client, sysadmin):
    client.force_login(sysadmin)
    unit = make_unit()
    created = client.post(
        "/admin/registers/user/add/",
        {
            "username": "newcomer",
            "role": Role.LIAISON,
            "unit": unit.pk,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    # The security administrator gives the role (test_separation_of_duties).
    User.objects.filter(username="newcomer").update(role=Role.LIAISON, unit=unit)
    client.logout()

    post_login(client, "newcomer")
    assert client.get("/")["Location"].startswith("/account/password/")
    assert client.get("/registers/")["Location"].startswith("/account/password/")
    page = client.get("/account/password/")
    assert "首次登录须修改" in page.content.decode()
    changed = client.post(
        "/account/password/",
        {
            "old_password": STRONG_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    post_login(client, "newcomer", NEW_PASSWORD)
    assert client.get("/").status_code == 200  # nothing owed any more
    events = SecurityEvent.objects.filter(username__in=["sysadmin_t", "newcomer"])
    assert {(e.event, e.subject) for e in events if e.event.startswith("password")} == {
        (Event.PASSWORD_RESET, "newcomer"),
        (Event.PASSWORD_CHANGE, "newcomer"),
    }


def test_a_password_reset_by_the_system_administrator_must_be_changed(client, sysadmin):
    clerk = make_user(Role.OFFICE, username="clerk")
    client.force_login(sysadmin)
    reset = client.post(
        f"/admin/registers/user/{clerk.pk}/password/",
        {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD, "usable_password": "true"},
    )
    assert reset.status_code == 302
    client.logout()
    post_login(client, "clerk")
    assert client.get("/")["Location"].startswith("/account/password/")


def test_a_new_password_must_meet_the_rules(client, db):
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk)
    client.force_login(clerk)
    refused = client.post(
        "/account/password/",
        {"old_password": STRONG_PASSWORD, "new_password1": "demo1234", "new_password2": "demo1234"},
    )
    assert refused.status_code == 400
    assert "密码太短，至少需要 10 个字符" in refused.content.decode()


def test_the_demo_password_works_only_while_debug_is_on(client, settings, db):
    clerk = make_user(Role.OFFICE, username="clerk")
    set_password(clerk, "demo")
    settings.DEBUG = True
    post_login(client, "clerk", "demo")
    assert client.get("/").status_code == 200
    client.logout()
    settings.DEBUG = False
    post_login(client, "clerk", "demo")
    assert client.get("/")["Location"].startswith("/account/password/")
    assert "不符合当前的密码规则" in client.get("/account/password/").content.decode()


def test_passwords_expire_only_when_a_maximum_age_is_set(client, settings, db):
    clerk = make_user(Role.OFFICE, username="clerk")
    with time_machine.travel(datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), tick=False):
        set_password(clerk)
    with time_machine.travel(datetime.datetime(2026, 6, 5, tzinfo=datetime.UTC), tick=False):
        post_login(client, "clerk")
        assert client.get("/").status_code == 200  # no maximum by default
        client.logout()
        settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "PASSWORD_MAX_AGE_DAYS": 90}
        post_login(client, "clerk")
        assert client.get("/")["Location"].startswith("/account/password/")
