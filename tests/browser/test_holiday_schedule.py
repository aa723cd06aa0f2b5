"""In a real Chromium: in December, with next year's schedule awaited, the office follows
the banner, pastes the State Council's notice, checks the days and confirms."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from registers.core.roles import Role
from reviews.models import AcceptanceDecision
from tests.factories import make_reconsideration, make_unit, make_user
from tests.workspace.test_holiday_schedule import NOTICE_2027

from .conftest import DEMO_PASSWORD, screenshot

pytestmark = pytest.mark.browser


def test_office_confirms_next_years_schedule_from_the_banner(transactional_db, open_2027, pages):
    unit = make_unit(name="区城管执法局（测试）", code="TA")
    make_reconsideration(
        unit,
        number="咸安复〔2026〕31号",
        received_on=datetime.date(2026, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=datetime.date(2026, 12, 7),
    )
    user = make_user(Role.OFFICE, username="office_b")
    user.set_password(DEMO_PASSWORD)
    user.save()
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)):
        office = pages.login("office_b")
        banner = office.get_by_test_id("holiday-banner")
        expect(banner).to_contain_text("2027年节假日安排尚未确认")
        banner.get_by_role("link").click()
        office.get_by_label("国务院办公厅通知原文（可选）").fill(NOTICE_2027)
        office.get_by_role("button", name="解析通知").click()
        expect(
            office.get_by_role("heading", name="请核对：2027年放假和调休上班日期")
        ).to_be_visible()
        expect(office.get_by_test_id("would-move")).to_contain_text("2027-02-12")
        screenshot(office, "holiday-schedule-preview")
        office.get_by_role("button", name="确认并重新计算期限").click()
        expect(office.get_by_role("heading", name="2027年节假日安排已确认")).to_be_visible()
        expect(office.get_by_test_id("moved")).to_contain_text("2027-02-11")
        screenshot(office, "holiday-schedule-confirmed")
        office.goto(pages.url("/"))
        expect(office.get_by_test_id("holiday-banner")).to_have_count(0)

        # Confirmed by mistake: withdrawn with a reason, the year is provisional again.
        office.goto(pages.url("/holidays/"))
        office.get_by_text("撤销确认", exact=True).click()
        office.get_by_label("撤销原因").fill("误录了春节放假日期")
        screenshot(office, "holiday-schedule-withdraw-form")
        office.get_by_role("button", name="核对撤销后变动的期限").click()
        expect(
            office.get_by_role("heading", name="撤销2027年节假日安排的确认：请核对")
        ).to_be_visible()
        expect(office.get_by_test_id("would-move")).to_contain_text("2027-02-11")
        expect(office.get_by_label("撤销原因")).to_have_value("误录了春节放假日期")
        screenshot(office, "holiday-schedule-withdraw-preview")
        office.get_by_role("button", name="撤销2027年安排的确认并重新计算期限").click()
        expect(office.get_by_role("heading", name="2027年节假日安排的确认已撤销")).to_be_visible()
        expect(office.get_by_test_id("moved")).to_contain_text("2027-02-11")
        expect(office.get_by_test_id("holiday-banner")).to_be_visible()
        screenshot(office, "holiday-schedule-withdrawn")
