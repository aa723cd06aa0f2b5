"""三员分立: the system administrator keeps accounts, units and the calendar; the security
administrator roles, locks, tokens and two-factor; the auditor reads the audit log (see
test_audit_log). None of them sees a record; no account should hold all three duties."""

import pytest
from django.test import override_settings

from registers.core.roles import Role
from registers.models import User
from tests.accounts.logins import set_password
from tests.factories import make_reconsideration, make_unit, make_user
from xianan_lawgov.accounts.checks import no_account_holds_every_duty


def test_the_system_administrator_keeps_accounts_units_and_the_calendar(client, sysadmin):
    client.force_login(sysadmin)
    index = client.get("/admin/").content.decode()
    for module in ("用户", "单位", "节假日调整"):
        assert module in index, module
    for hidden in ("行政复议", "接口令牌", "登录锁定", "安全审计日志"):
        assert hidden not in index, hidden
    assert client.get("/admin/registers/unit/add/").status_code == 200
    form = client.get("/admin/registers/user/add/").content.decode()
    assert 'name="unit"' in form and 'name="role"' not in form  # roles are not given here


def test_an_account_the_system_administrator_creates_has_no_role_until_the_security_one_gives_it(
    client, sysadmin, secadmin, unit_a
):
    """Otherwise the system administrator could make himself an office account and read
    every record (三员分立: the one who creates accounts does not empower them)."""
    make_reconsideration(unit_a)
    client.force_login(sysadmin)
    created = client.post(
        "/admin/registers/user/add/",
        {
            "username": "shadow",
            "role": Role.OFFICE,  # not on the form: ignored
            "password1": "Zx9!kq2#Lm7p-Xianan",
            "password2": "Zx9!kq2#Lm7p-Xianan",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    shadow = User.objects.get(username="shadow")
    assert shadow.role == "" and not shadow.is_staff
    set_password(shadow)  # as its owner would, at the first login
    client.force_login(shadow)
    refused = client.get("/registers/")
    assert refused.status_code == 403 and "还没有分配角色" in refused.content.decode()
    assert client.get("/api/v1/reconsideration-cases/").status_code == 403
    assert client.get("/admin/reviews/reconsiderationcase/").status_code == 302  # to login

    client.force_login(secadmin)
    client.post(
        f"/admin/registers/user/{shadow.pk}/change/", {"username": "shadow", "role": "office"}
    )
    client.force_login(User.objects.get(username="shadow"))
    assert client.get("/api/v1/reconsideration-cases/").json()["count"] == 1


def test_the_system_administrator_cannot_give_roles_or_touch_administrators(client, sysadmin):
    clerk = make_user(Role.LIAISON, unit=make_unit(), username="clerk")
    auditor = make_user(Role.AUDITOR, username="the_auditor")
    client.force_login(sysadmin)
    client.post(
        f"/admin/registers/user/{clerk.pk}/change/",
        {"username": "clerk", "role": Role.OFFICE, "unit": clerk.unit_id, "is_active": "on"},
    )
    clerk.refresh_from_db()
    assert clerk.role == Role.LIAISON
    assert client.get(f"/admin/registers/user/{auditor.pk}/password/").status_code == 403


def test_the_security_administrator_gives_roles_and_sees_no_record(client, secadmin, unit_a):
    make_reconsideration(unit_a)
    clerk = make_user(Role.OFFICE, username="clerk")
    client.force_login(secadmin)
    index = client.get("/admin/").content.decode()
    for module in ("用户", "接口令牌", "登录锁定", "双因素认证要求", "双因素认证设备"):
        assert module in index, module
    for hidden in ("行政复议", "安全审计日志"):
        assert hidden not in index, hidden
    client.post(
        f"/admin/registers/user/{clerk.pk}/change/", {"username": "clerk", "role": "auditor"}
    )
    clerk.refresh_from_db()
    assert clerk.role == Role.AUDITOR
    assert client.get("/admin/reviews/reconsiderationcase/").status_code == 403


def test_the_office_keeps_its_records_and_no_longer_keeps_accounts(client, office, unit_a):
    make_reconsideration(unit_a)
    client.force_login(office)
    assert client.get("/admin/reviews/reconsiderationcase/").status_code == 200
    assert client.get("/review/").status_code == 200
    assert client.get("/admin/registers/user/").status_code == 403


@pytest.mark.parametrize("debug", [False, True])
def test_the_deployment_check_warns_about_an_account_holding_every_duty(debug, db):
    make_user(Role.OFFICE, username="root", is_superuser=True)
    with override_settings(DEBUG=debug):
        warnings = no_account_holds_every_duty()
    assert [w.id for w in warnings] == ([] if debug else ["accounts.W001"])
    if not debug:
        assert "root" in warnings[0].msg


def test_the_system_administrators_delete_page_counts_what_goes_with_an_account_unnamed(
    client, sysadmin, unit_a
):
    """Django's delete page names every object deleted with the account: its notifications
    name records and carry review comments, which the system administrator does not read."""
    from xianan_lawgov.workspace.models import Notification, NotificationKind
    from xianan_lawgov.workspace.notifications import notify

    liaison = make_user(Role.LIAISON, unit=unit_a, username="leaving")
    notify([liaison], NotificationKind.RETURNED, "复议案件“咸安复〔2017〕9号（周某某）”被退回修改")
    assert Notification.objects.filter(user=liaison).exists()
    client.force_login(sysadmin)
    page = client.get(f"/admin/registers/user/{liaison.pk}/delete/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "leaving" in html
    assert "周某某" not in html and "咸安复" not in html
    assert "通知" in html  # counted by kind
    deleted = client.post(f"/admin/registers/user/{liaison.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not User.objects.filter(pk=liaison.pk).exists()
