import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from registers.core.roles import Role
from registers.models import Unit, User


def snapshot():
    """Every row the demo writes, with its history count, to compare two runs."""
    return (
        sorted(Unit.objects.values_list("code", "name", "kind", "is_enforcement_body")),
        sorted(User.objects.values_list("username", "role", "unit__code", "password")),
        Unit.history.count(),
        User.objects.count(),
    )


@override_settings(DEBUG=True)
def test_load_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first


@override_settings(DEBUG=True)
def test_demo_accounts_and_units(db, client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Unit.objects.townships().count() == 13
    assert Unit.objects.get(name="咸安区城市管理执法局").users.get().username == "liaison"
    liaison2 = User.objects.get(username="liaison2")
    assert liaison2.role == Role.LIAISON
    assert liaison2.unit != User.objects.get(username="liaison").unit
    assert client.login(username="office", password="demo")
    # The printed token works (only its hash is stored: each run prints a new one).
    key = re.search(r"municipal .*令牌：(\S+)", out.getvalue()).group(1)
    api = Client()
    assert api.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_load_demo_refuses_when_debug_is_off(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.filter(username="office").exists()
