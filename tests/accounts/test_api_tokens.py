"""API tokens: named, several per account, stored hashed and shown once, expiring after a
year by default, revocable; bad tokens are throttled per address and requests per token."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from registers.core.roles import Role
from tests.api.conftest import client_for
from tests.factories import make_token, make_user
from xianan_lawgov.accounts.models import ApiToken, hash_key
from xianan_lawgov.audit.models import Event, SecurityEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def system(db):
    return make_user(Role.API_CLIENT, username="city_system")


def status_with(key: str, path: str = "/api/v1/units/", **extra) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(path, **extra)


def test_a_token_is_shown_once_and_stored_only_as_its_hash(secadmin, system):
    admin = client_for(secadmin)
    created = admin.post(
        "/api/v1/tokens/", {"user": system.pk, "name": "市数据共享平台"}, format="json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and key not in str(ApiToken.objects.values().get())
    assert token.prefix == key[:8] and token.name == "市数据共享平台"
    listed = admin.get("/api/v1/tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["市数据共享平台"]
    assert "key" not in listed[0] and "key" not in admin.get(f"/api/v1/tokens/{token.pk}/").json()
    assert status_with(key).status_code == 200


def test_an_account_holds_several_tokens_and_a_revoked_one_stops_at_once(secadmin, system):
    first, second = make_token(system, name="夜间同步"), make_token(system, name="报表")
    assert status_with(first).status_code == status_with(second).status_code == 200
    token = ApiToken.objects.get(name="夜间同步")
    assert client_for(secadmin).delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    refused = status_with(first)
    assert (refused.status_code, refused.json()["code"]) == (401, "invalid_token")
    assert status_with(second).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == secadmin


def test_a_token_expires_after_a_year_by_default(system):
    with time_machine.travel(START, tick=False) as clock:
        key = make_token(system)
        token = ApiToken.objects.get()
        assert token.expires_at == START + datetime.timedelta(days=365)
        clock.shift(datetime.timedelta(days=364))
        assert status_with(key).status_code == 200
        clock.shift(datetime.timedelta(days=2))
        expired = status_with(key)
    assert (expired.status_code, expired.json()["code"]) == (401, "token_expired")


def test_last_use_is_kept_and_the_first_use_each_day_is_audited(system):
    with time_machine.travel(START, tick=False) as clock:
        key = make_token(system)
        for _ in range(3):
            status_with(key)
        clock.shift(datetime.timedelta(hours=2))
        status_with(key)
        assert ApiToken.objects.get().last_used_at == START + datetime.timedelta(hours=2)
        clock.shift(datetime.timedelta(days=1))
        status_with(key)
    uses = SecurityEvent.objects.filter(event=Event.TOKEN_USE)
    assert uses.count() == 2 and uses.first().username == "city_system"


def test_bad_tokens_from_one_address_are_throttled(system, settings):
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "BAD_TOKENS_PER_ADDRESS": "10/minute"}
    good = make_token(system)
    answers = [status_with(f"random-guess-{n}").status_code for n in range(12)]
    assert answers == [401] * 10 + [429] * 2
    assert status_with(good).status_code == 429  # not from this address, for now
    assert status_with(good, REMOTE_ADDR="10.1.1.1").status_code == 200


def test_requests_per_token_are_throttled(system, settings):
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "API_RATE_PER_TOKEN": "5/minute"}
    busy, quiet = make_token(system), make_token(system)
    answers = [status_with(busy).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert status_with(quiet).status_code == 200


def test_a_throttled_token_is_told_when_to_come_back_and_served_then(system, settings):
    """The period slides: requests leave it one minute after they were made."""
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "API_RATE_PER_TOKEN": "5/minute"}
    key = make_token(system)
    with time_machine.travel(START, tick=False) as traveller:
        assert [status_with(key).status_code for _ in range(3)] == [200] * 3
        traveller.shift(30)
        assert [status_with(key).status_code for _ in range(2)] == [200] * 2
        traveller.shift(15)
        refused = status_with(key)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 15  # the first three leave at one minute
        traveller.shift(16)
        assert [status_with(key).status_code for _ in range(3)] == [200] * 3
        assert status_with(key).status_code == 429  # the two of second 30 are still in it


def test_a_busy_token_s_count_stays_small(system):
    """However many requests a token makes, what is kept for its rate is at most a count
    per sixtieth of the period (not the time of every request, read and written back on
    each one)."""
    key = make_token(system)
    token = ApiToken.objects.get(key_hash=hash_key(key))
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(150):  # one every 40 s for 100 minutes (the rate: per hour)
            assert status_with(key).status_code == 200
            traveller.shift(40)
        kept = cache.get(f"throttle_counts_token_{token.pk}")
    assert len(kept) == 60 and sum(kept.values()) == 90  # the last hour's


def test_the_token_admin_is_the_security_administrators_and_shows_the_key_once(
    client, office, secadmin, system
):
    for user, expected in ((office, 403), (secadmin, 200)):
        client.force_login(user)
        assert client.get("/admin/accounts/apitoken/").status_code == expected, user
    added = client.post(
        "/admin/accounts/apitoken/add/",
        {
            "user": system.pk,
            "name": "市政府",
            "expires_at_0": "2027-03-01",
            "expires_at_1": "00:00:00",
            "grants_personal_data": "on",
        },
    )
    assert added.status_code == 200
    key = re.search(r'<code class="issued-token">([^<]+)</code>', added.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.grants_personal_data and token.created_by == secadmin
    assert key not in client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert status_with(key).status_code == 200
    assert SecurityEvent.objects.filter(event=Event.TOKEN_CREATE, username="secadmin_t").exists()


def test_create_api_token_prints_a_working_key(system):
    out = io.StringIO()
    call_command(
        "create_api_token", "city_system", "--name", "夜间同步", "--days", "30", stdout=out
    )
    key = out.getvalue().strip()
    assert status_with(key).status_code == 200
    assert ApiToken.objects.get().name == "夜间同步"


# --- Only a system's account holds a token (三员分立) ----------------------------------------


def test_the_security_administrator_cannot_issue_a_token_for_a_person(secadmin, office, system):
    """Whoever issues a token holds it: a token for the office's account would let the
    security administrator read and approve records as the office, without its second
    factor."""
    admin = client_for(secadmin)
    refused = admin.post("/api/v1/tokens/", {"user": office.pk, "name": "x"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["user"][0]["code"] == "not_api_client"
    assert not ApiToken.objects.exists()
    assert not SecurityEvent.objects.filter(event=Event.TOKEN_CREATE).exists()


def test_the_token_admin_offers_only_api_clients_accounts(client, secadmin, office, system):
    client.force_login(secadmin)
    form = client.get("/admin/accounts/apitoken/add/").content.decode()
    assert f'value="{system.pk}"' in form and f'value="{office.pk}"' not in form
    refused = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": office.pk, "name": "x", "expires_at_0": "2027-03-01", "expires_at_1": "00:00"},
    )
    assert refused.status_code == 200 and not ApiToken.objects.exists()
    assert refused.context["adminform"].form.errors["user"]


def test_create_api_token_refuses_a_person_s_account(office):
    with pytest.raises(CommandError, match="接口客户端"):
        call_command("create_api_token", office.username, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_token_stops_when_its_account_is_no_longer_an_api_client(system):
    key = make_token(system)
    assert status_with(key).status_code == 200
    system.role = Role.OFFICE
    system.save()
    refused = status_with(key)
    assert refused.status_code == 401 and refused.json()["code"] == "not_api_client"
