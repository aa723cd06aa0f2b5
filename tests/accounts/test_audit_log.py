"""The security audit log: every security event is written with time, account, address,
event and outcome; nobody changes or deletes an entry; the auditor reads and exports it,
and sees nothing else."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from registers.core.roles import Role
from registers.models import User
from tests.accounts.logins import current_code, post_login, set_password
from tests.api.conftest import client_for
from tests.factories import make_reconsideration, make_token, make_unit, make_user
from xianan_lawgov.accounts.models import Lockout
from xianan_lawgov.audit.models import Event, Outcome, SecurityEvent

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def events():
    return list(SecurityEvent.objects.order_by("pk"))


def test_every_security_event_is_written(
    settings, sysadmin, secadmin, office, unit_a, django_capture_on_commit_callbacks
):
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "TWO_FACTOR_ROLES": ["leader"]}
    for user in (sysadmin, secadmin, office):
        set_password(user)
    people, staff, security = Client(), Client(), Client()
    with time_machine.travel(START) as clock:
        # Accounts: created by the system administrator, role changed by the security one.
        post_login(staff, "sysadmin_t")
        staff.post(
            "/admin/registers/user/add/",
            {
                "username": "chief",
                "password1": "Xianan-2017-Lawgov",
                "password2": "Xianan-2017-Lawgov",
            },
        )
        chief = User.objects.get(username="chief")
        for active in ("", "on"):  # deactivated, then active again
            staff.post(
                f"/admin/registers/user/{chief.pk}/change/",
                {"username": "chief", "unit": unit_a.pk, "is_active": active, "last_name": "周"},
            )
        post_login(security, "secadmin_t")
        security.post(
            f"/admin/registers/user/{chief.pk}/change/", {"username": "chief", "role": Role.LEADER}
        )
        # The new account logs in, must enrol (leaders, here) and change its password.
        post_login(people, "chief")
        people.get("/account/two-factor/setup/")
        device = chief.totpdevice_set.get()
        people.post("/account/two-factor/setup/", {"code": current_code(device)})
        people.post("/account/two-factor/recovery-codes/")
        people.post(
            "/account/password/",
            {
                "old_password": "Xianan-2017-Lawgov",
                "new_password1": "Hubei-Xianning-2026",
                "new_password2": "Hubei-Xianning-2026",
            },
        )
        laptop = Client()
        post_login(laptop, "chief", "Hubei-Xianning-2026")
        clock.shift(datetime.timedelta(seconds=31))
        laptop.post("/account/two-factor/", {"code": current_code(device)})
        people.post("/account/sessions/end/", {"all_others": "1"})
        # Locked by wrong passwords, unlocked by the security administrator.
        for _ in range(5):
            post_login(Client(), "office_t", "wrong")
        lock = Lockout.objects.get()
        security.post(
            "/admin/accounts/lockout/", {"action": "lift_locks", "_selected_action": [lock.pk]}
        )
        # Tokens: created, used, revoked; a bulk export; the two-factor policy; a report.
        system = make_user(Role.API_CLIENT, username="city")
        key = make_token(system)
        make_reconsideration(unit_a)
        exported = client_for(None)
        exported.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        b"".join(exported.get("/api/v1/reconsideration-cases/export.csv").streaming_content)
        security.post(
            "/admin/accounts/rolepolicy/",
            _policy_form(security, leader="optional"),
        )
        security.post(
            "/admin/accounts/authenticatordevice/",
            {"action": "reset", "_selected_action": [device.pk]},
        )
        token = system.api_tokens.get()
        security.delete(f"/api/v1/tokens/{token.pk}/")
        post_login(people, "office_t")
        people.post("/my-deadlines/")  # a personal calendar address made
        with django_capture_on_commit_callbacks(execute=True):
            people.post("/reports/2017/publish/")
        people.post("/logout/")

    written = events()
    assert {e.event for e in written} == set(Event), set(Event) - {e.event for e in written}
    # What the test itself set up (accounts, a token) was done by no one, from nowhere; the
    # report's publication is heard after the test's request (on commit, run by the test).
    setup = (Event.USER_CREATE, Event.TOKEN_CREATE, Event.REPORT_PUBLISH)
    by_people = [e for e in written if e.event not in setup]
    for entry in by_people:
        assert entry.occurred_at and entry.event and entry.outcome
        assert entry.address == "127.0.0.1", entry
    role = next(e for e in written if e.event == Event.ROLE_CHANGE)
    assert (role.username, role.subject, role.detail) == (
        "secadmin_t",
        "chief",
        "未分配角色 → 领导",
    )
    unit = next(e for e in written if e.event == Event.UNIT_CHANGE)
    assert unit.username == "sysadmin_t" and unit.detail.endswith(unit_a.name)
    export = next(e for e in written if e.event == Event.EXPORT)
    assert (export.username, export.rows) == ("city", 1)
    assert "reconsideration-cases/export.csv" in export.detail
    failures = [e for e in written if e.event == Event.LOGIN and e.outcome == Outcome.FAILURE]
    assert len(failures) == 5 and {e.username for e in failures} == {"office_t"}


def _policy_form(client, **choices):
    """The two-factor policy list as the page posts it (one row per role)."""
    import re

    page = client.get("/admin/accounts/rolepolicy/").content.decode()
    rows = re.findall(r'name="form-(\d+)-id" value="(\d+)"', page)
    roles = re.findall(r'<td class="field-role">([^<]+)</td>', page)
    labels = {"leader": "领导"}
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "保存",
    }
    for (index, pk), label in zip(rows, roles, strict=True):
        data[f"form-{index}-id"] = pk
        chosen = next((v for k, v in choices.items() if labels[k] == label), "default")
        data[f"form-{index}-two_factor"] = chosen
    return data


def test_nobody_changes_or_deletes_an_entry(auditor, client, db):
    entry = SecurityEvent.objects.create(event=Event.LOGIN, outcome=Outcome.SUCCESS)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(detail="x")
    client.force_login(auditor)
    base = f"/admin/audit/securityevent/{entry.pk}"
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}/change/", {"detail": "x"}).status_code == 403
    assert client.get("/admin/audit/securityevent/add/").status_code == 403


def test_entries_are_kept_at_least_180_days(db):
    with time_machine.travel(START, tick=False):
        SecurityEvent.objects.create(event=Event.LOGIN, outcome=Outcome.SUCCESS)
    with time_machine.travel(START + datetime.timedelta(days=179), tick=False):
        SecurityEvent.objects.create(event=Event.LOGOUT, outcome=Outcome.SUCCESS)
        with pytest.raises(ValueError):
            SecurityEvent.objects.purge_before(START + datetime.timedelta(days=1))
    with time_machine.travel(START + datetime.timedelta(days=181), tick=False):
        from django.core.management import call_command

        archive = io.StringIO()
        call_command("purge_security_events", stdout=archive)
    assert list(SecurityEvent.objects.values_list("event", flat=True)) == [Event.LOGOUT]


def test_the_auditor_reads_and_exports_the_log(client, auditor, db):
    SecurityEvent.objects.create(
        event=Event.LOCKOUT, outcome=Outcome.FAILURE, username="clerk", subject="clerk"
    )
    SecurityEvent.objects.create(event=Event.LOGIN, outcome=Outcome.SUCCESS, username="other")
    client.force_login(auditor)
    page = client.get("/admin/audit/securityevent/", {"event__exact": "lockout"})
    assert page.status_code == 200 and "账号锁定" in page.content.decode()
    exported = client.get("/admin/audit/securityevent/export.csv", {"event__exact": "lockout"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["时间", "用户名", "地址", "事件", "结果"]
    assert [row[1:5] for row in rows[1:]] == [["clerk", "", "账号锁定", "失败"]]
    own = SecurityEvent.objects.get(event=Event.EXPORT)
    assert (own.username, own.rows) == ("auditor_t", 1)


def test_the_auditor_sees_the_log_and_nothing_else(client, auditor, unit_a):
    make_reconsideration(unit_a)
    client.force_login(auditor)
    assert client.get("/")["Location"] == "/admin/"
    index = client.get("/admin/").content.decode()
    assert "安全审计日志" in index
    for other in ("行政复议", "单位", "用户", "接口令牌", "登录锁定"):
        assert other not in index, other
    for path in (
        "/admin/reviews/reconsiderationcase/",
        "/admin/registers/unit/",
        "/admin/registers/user/",
        "/admin/accounts/apitoken/",
        "/reports/2017/",
        "/deadlines/",
        "/data/",
    ):
        assert client.get(path).status_code in (403, 302), path
    api = client_for(auditor)
    assert api.get("/api/v1/reconsideration-cases/").status_code == 403
    assert api.get("/api/v1/units/").status_code == 403
    assert api.get("/api/v1/reports/2017/figures/").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICE, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_nobody_but_the_auditor_reads_the_log(client, role, db):
    client.force_login(make_user(role, unit=make_unit()))
    assert client.get("/admin/audit/securityevent/").status_code == 403


def test_a_download_is_logged_under_the_name_it_is_saved_as(
    client, office, unit_a, settings, tmp_path
):
    """Not the header's percent-encoding of a Chinese name, nor its ASCII fallback."""
    from registers.core import attachments
    from tests import factories

    settings.MEDIA_ROOT = tmp_path
    case = make_reconsideration(unit_a)
    name = "行政复议决定书（咸安复〔2017〕1号）.pdf"
    attachment = attachments.attach(
        case, factories.upload(name, factories.pdf_bytes()), kind="judgment", by=office
    )
    client.force_login(office)
    response = client.get(reverse("registers:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # a streamed download is logged once sent
    logged = SecurityEvent.objects.get(event=Event.EXPORT)
    assert (logged.username, logged.subject) == ("office_t", name)
