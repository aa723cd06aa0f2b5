"""Two-factor login (an authenticator app's code, or a recovery code): mandatory for the
roles the office chooses, by default the office and the administrators when DEBUG is off."""

import datetime
import re

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from registers.core.roles import Role
from tests.accounts.logins import current_code, post_login, set_password
from tests.factories import make_token, make_user
from tests.test_settings import run_manage
from xianan_lawgov.accounts.models import Lockout, RolePolicy, TwoFactorRequirement
from xianan_lawgov.audit.models import Event, Outcome, SecurityEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=30)


@pytest.fixture
def required(settings):
    settings.LAWGOV_SECURITY = {
        **settings.LAWGOV_SECURITY,
        "TWO_FACTOR_ROLES": ["office", "system_admin", "security_admin", "auditor"],
    }


@pytest.fixture
def clerk(db):
    user = make_user(Role.OFFICE, username="clerk")
    set_password(user)
    return user


def enrol(client) -> list[str]:
    """Set up the authenticator on the set-up page; returns the recovery codes shown."""
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="clerk", confirmed=False)
    done = client.post("/account/two-factor/setup/", {"code": current_code(device)})
    assert done.status_code == 200
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", done.content.decode())


def test_two_factor_is_mandatory_for_the_office_and_administrators_when_debug_is_off():
    env = {"SECRET_KEY": "k" * 60}
    script = "from django.conf import settings; print(settings.LAWGOV_SECURITY['TWO_FACTOR_ROLES'])"
    off = run_manage("shell", "--no-imports", "-c", script, **env).stdout
    on = run_manage("shell", "--no-imports", "-c", script, DEBUG="1", **env).stdout
    assert off.strip() == "['office', 'system_admin', 'security_admin', 'auditor']"
    assert on.strip() == "[]"


def test_office_must_set_up_two_factor_before_anything_else(client, clerk, required):
    with time_machine.travel(START, tick=False):
        assert post_login(client, "clerk")["Location"] == "/"
        assert client.get("/")["Location"].startswith("/account/two-factor/setup/")
        assert client.get("/admin/")["Location"].startswith("/account/two-factor/setup/")
        api = client.get("/api/v1/units/")
        assert (api.status_code, api.json()["code"]) == (403, "two_factor_required")
        codes = enrol(client)
        assert len(codes) == 10
        assert client.get("/").status_code == 200
    assert SecurityEvent.objects.filter(event=Event.TWO_FACTOR_ENROL, username="clerk").exists()


def test_next_login_asks_for_the_code_and_refuses_a_wrong_one(client, clerk, required):
    with time_machine.travel(START) as clock:
        post_login(client, "clerk")
        enrol(client)
        client.logout()
        clock.shift(STEP)

        post_login(client, "clerk")
        assert client.get("/")["Location"].startswith("/account/two-factor/")
        wrong = client.post("/account/two-factor/", {"code": "000000"})
        assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
        assert client.get("/").status_code == 302
        clock.shift(datetime.timedelta(seconds=2))  # a wrong code delays the next try
        device = TOTPDevice.objects.get(user=clerk)
        right = client.post("/account/two-factor/", {"code": current_code(device)})
        assert right.status_code == 302
        assert client.get("/").status_code == 200
    events = SecurityEvent.objects.filter(event=Event.TWO_FACTOR)
    assert list(events.values_list("outcome", flat=True)) == [Outcome.SUCCESS, Outcome.FAILURE]


def test_a_recovery_code_logs_in_once(client, clerk, required):
    with time_machine.travel(START, tick=False):
        post_login(client, "clerk")
        code = enrol(client)[0]
        client.logout()
        for expected in (302, 400):
            post_login(client, "clerk")
            used = client.post("/account/two-factor/", {"code": code.upper()})
            assert used.status_code == expected
            client.logout()
    assert code.replace("-", "") not in str(
        list(clerk.staticdevice_set.get().token_set.values_list("token", flat=True))
    )  # stored hashed


def test_five_wrong_codes_lock_the_account(client, clerk, required):
    with time_machine.travel(START) as clock:
        post_login(client, "clerk")
        enrol(client)
        client.logout()
        clock.shift(STEP)
        post_login(client, "clerk")
        for _ in range(4):
            assert client.post("/account/two-factor/", {"code": "123456"}).status_code == 400
        locked = client.post("/account/two-factor/", {"code": "123456"})
        assert locked.status_code == 429
        assert Lockout.objects.active().filter(username="clerk").exists()
        assert post_login(client, "clerk").status_code == 429


def test_the_security_administrator_decides_per_role(client, clerk, settings):
    leader = make_user(Role.LEADER, username="boss")
    set_password(leader)
    RolePolicy.objects.create(role=Role.LEADER, two_factor=TwoFactorRequirement.REQUIRED)
    post_login(client, "boss")
    assert client.get("/")["Location"].startswith("/account/two-factor/setup/")
    client.logout()
    post_login(client, "clerk")
    assert client.get("/").status_code == 200  # the office: not required in these settings


def test_an_optional_role_may_turn_two_factor_off_a_required_one_may_not(client, clerk, required):
    with time_machine.travel(START, tick=False):
        post_login(client, "clerk")
        enrol(client)
        refused = client.post("/account/two-factor/remove/", follow=True)
        assert "必须使用双因素认证" in refused.content.decode()
        RolePolicy.objects.create(role=Role.OFFICE, two_factor=TwoFactorRequirement.OPTIONAL)
        client.post("/account/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert SecurityEvent.objects.filter(event=Event.TWO_FACTOR_REMOVE).exists()


def test_the_security_administrator_resets_a_lost_phone(client, clerk, secadmin, required):
    # (Here the security administrator logs in with a password only.)
    RolePolicy.objects.create(role=Role.SECURITY_ADMIN, two_factor=TwoFactorRequirement.OPTIONAL)
    with time_machine.travel(START, tick=False):
        post_login(client, "clerk")
        enrol(client)
        device = TOTPDevice.objects.get(user=clerk)
        admin = client.__class__()
        admin.force_login(secadmin)
        admin.post(
            "/admin/accounts/authenticatordevice/",
            {"action": "reset", "_selected_action": [device.pk]},
        )
        assert not TOTPDevice.objects.filter(user=clerk).exists()
        assert client.get("/")["Location"].startswith("/login/")  # their session was ended
        post_login(client, "clerk")
        assert client.get("/")["Location"].startswith("/account/two-factor/setup/")


def test_api_tokens_need_no_second_factor(client, required, db):
    municipal = make_user(Role.API_CLIENT, username="city")
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {make_token(municipal)}")
    assert response.status_code == 200
