"""In a real Chromium at 1366 px: a liaison opens 我的期限 from the menu, sees the deadlines
of what they are in charge of (overdue and provisional marked), opens one, and makes the
address of their calendar feed."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from registers.core.roles import Role
from registers.core.status import Status
from reviews.models import AcceptanceDecision
from tests.factories import (
    make_document,
    make_filing,
    make_litigation,
    make_reconsideration,
    make_rectification,
    make_unit,
    make_user,
)

from .conftest import DEMO_PASSWORD, screenshot

pytestmark = pytest.mark.browser

D = datetime.date


def test_a_liaison_follows_their_own_deadlines_and_subscribes(transactional_db, open_2027, pages):
    unit = make_unit(name="区城管执法局（测试）", code="TA")
    other = make_unit(name="区交通运输局（测试）", code="TB")
    me = make_user(Role.LIAISON, unit=unit, username="liaison_b", last_name="李", first_name="承办")
    me.set_password(DEMO_PASSWORD)
    me.save()
    make_rectification(
        unit,
        problem="执法记录仪未全程使用",
        found_on=D(2026, 10, 9),
        due_on=D(2026, 11, 30),
        handler=me,
        status=Status.APPROVED,
    )
    make_rectification(
        unit,
        problem="罚没款未按时上缴",
        found_on=D(2026, 11, 2),
        due_on=D(2026, 12, 8),
        handler=me,
        status=Status.APPROVED,
    )
    make_reconsideration(
        unit,
        number="咸安复〔2026〕31号",
        received_on=D(2026, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2026, 12, 4),
        handler=me,
    )
    make_litigation(unit, number="（2026）鄂1202行初45号", served_on=D(2026, 11, 27), handler=me)
    make_filing(
        make_document(unit, title="咸安区城市管理执法细则", issued_on=D(2026, 11, 25)), handler=me
    )
    make_rectification(other, problem="其他单位的问题", due_on=D(2026, 12, 9))
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)):
        page = pages.login("liaison_b")
        page.get_by_role("link", name="我的期限").click()
        expect(page.get_by_role("heading", name="我的期限", exact=True)).to_be_visible()
        rows = page.locator("table.deadline-board tbody tr")
        expect(rows.first).to_have_attribute("data-urgency", "overdue")
        expect(rows.first).to_contain_text("执法记录仪未全程使用")
        expect(page.get_by_test_id("provisional").first).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("其他单位的问题")
        screenshot(page, "my-deadlines")
        page.get_by_role("button", name="生成订阅地址").click()
        address = page.get_by_test_id("feed-url")
        expect(address).to_have_value(re.compile(r"/calendar/[A-Za-z0-9_-]{40}\.ics$"))
        screenshot(page, "my-deadlines-feed")
        feed = page.request.get(address.input_value())
        assert feed.status == 200 and "执法记录仪未全程使用" in feed.text()
        page.get_by_role("link", name="执法记录仪未全程使用").click()
        expect(page).to_have_url(re.compile(r"/admin/reviews/rectificationproblem/\d+/change/$"))
