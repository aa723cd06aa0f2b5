"""In a real Chromium: the office sets up two-factor login and logs in with it; wrong
passwords lock an account; the security administrator lifts the lock; the auditor reads the
lock in the audit log. No page breaks its Content Security Policy."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from xianan_lawgov.accounts.models import Lockout

from .conftest import DEMO_PASSWORD, screenshot

pytestmark = pytest.mark.browser


def code_from(secret_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret on the set-up page (a step ahead is
    accepted too: the app's clock may run a little fast).

    Read as a person reads it, not in the last seconds of its 30: a code made in one step
    and checked in the next is accepted as a step behind, and the server then takes the
    app's clock to run a step slow, so that the next login's code a step ahead would be two
    steps ahead of what it expects and refused."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    key = base64.b32decode(secret_text.replace(" ", ""))
    return str(totp(key, t0=-30 * steps_ahead)).zfill(6)


def watch_policy(page, violations: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def test_two_factor_lockout_unlock_and_the_audit_log(demo_data, pages, settings):
    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "TWO_FACTOR_ROLES": ["office"]}
    violations: list[str] = []

    # The office must set up two-factor login first.
    office = pages.new()
    watch_policy(office, violations)
    office.goto(pages.url("/login/"))
    office.get_by_label("用户名").fill("office")
    office.get_by_label("密码").fill(DEMO_PASSWORD)
    office.get_by_role("button", name="登录").click()
    expect(office.get_by_role("heading", name="设置双因素认证")).to_be_visible()
    expect(office.locator("svg.qr-code")).to_be_visible()
    screenshot(office, "two-factor-setup")
    office.get_by_text("无法扫码？手动输入密钥").click()
    secret = office.locator("code.secret").inner_text()
    office.get_by_label("验证码").fill(code_from(secret))
    office.get_by_role("button", name="完成设置").click()
    expect(office.get_by_role("heading", name="恢复码")).to_be_visible()
    expect(office.locator(".recovery-codes li")).to_have_count(10)
    screenshot(office, "two-factor-recovery-codes")
    office.get_by_role("link", name="我已保存，继续").click()
    expect(office.locator(".site-nav")).to_contain_text("工作台")

    # …and from now on logs in with a code.
    office.get_by_role("button", name="退出").click()
    office.get_by_label("用户名").fill("office")
    office.get_by_label("密码").fill(DEMO_PASSWORD)
    office.get_by_role("button", name="登录").click()
    expect(office.get_by_role("heading", name="双因素验证")).to_be_visible()
    screenshot(office, "two-factor-login")
    office.get_by_label("验证码").fill(code_from(secret, steps_ahead=1))
    office.get_by_role("button", name="验证并登录").click()
    office.wait_for_url(pages.url("/"))
    office.get_by_role("link", name="王法制").click()
    expect(office.get_by_role("heading", name="登录会话")).to_be_visible()
    expect(office.get_by_text("当前会话")).to_be_visible()
    screenshot(office, "account-sessions")

    # Five wrong passwords lock the liaison out; the right one is refused.
    liaison = pages.new()
    watch_policy(liaison, violations)
    liaison.goto(pages.url("/login/"))
    for _ in range(5):
        liaison.get_by_label("用户名").fill("liaison")
        liaison.get_by_label("密码").fill("not-the-password")
        liaison.get_by_role("button", name="登录").click()
    expect(liaison.get_by_role("heading", name="登录已锁定")).to_be_visible()
    liaison.goto(pages.url("/login/"))
    liaison.get_by_label("用户名").fill("liaison")
    liaison.get_by_label("密码").fill(DEMO_PASSWORD)
    liaison.get_by_role("button", name="登录").click()
    expect(liaison.get_by_role("heading", name="登录已锁定")).to_be_visible()
    screenshot(liaison, "login-locked")

    # The security administrator lifts the lock.
    security = pages.login("secadmin", landing="/admin/")  # the administrators' home
    watch_policy(security, violations)
    security.get_by_role("link", name="登录锁定").click()
    row = security.locator("#result_list tr", has_text="liaison")
    expect(row).to_contain_text("锁定中")
    screenshot(security, "admin-lockouts")
    row.locator("input.action-select").check()
    security.locator("select[name=action]").select_option(label="解除所选锁定")
    security.get_by_role("button", name="执行").click()
    expect(security.locator(".messagelist")).to_contain_text("已解除 1 个锁定")
    assert not Lockout.objects.active().exists()
    pages.login("liaison")  # in again

    # The auditor reads the lock (and its lifting) in the audit log, and nothing else.
    auditor = pages.login("auditor", landing="/admin/")
    watch_policy(auditor, violations)
    expect(auditor.locator("#content-main")).not_to_contain_text("行政复议")
    auditor.get_by_role("link", name="安全审计日志").click()
    log = auditor.locator("#result_list")
    expect(log).to_contain_text("账号锁定")
    expect(log).to_contain_text("解除锁定")
    lock_row = auditor.locator("#result_list tr", has_text="账号锁定")
    expect(lock_row).to_contain_text("liaison")
    expect(lock_row).to_contain_text("127.0.0.1")
    screenshot(auditor, "admin-audit-log")
    with auditor.expect_download() as download:
        auditor.get_by_role("link", name=re.compile("导出 CSV")).click()
    assert download.value.suggested_filename.startswith("security-events-")

    # The API documentation, behind login, runs under the policy too.
    office.goto(pages.url("/api/docs/"))
    expect(office.locator(".swagger-ui")).to_contain_text("咸安区法治政府建设合规台账 API")
    assert violations == []


def test_the_page_warns_before_an_idle_session_ends(demo_data, pages, settings):
    settings.SESSION_COOKIE_AGE = 63  # the warning (60 s before the end) shows at once
    page = pages.login("leader")
    warning = page.locator(".session-warning")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text("秒后将自动退出登录")
    screenshot(page, "session-idle-warning")
    page.get_by_role("button", name="继续使用").click()
    expect(warning).to_be_hidden()
