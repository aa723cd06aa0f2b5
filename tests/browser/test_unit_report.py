"""In a real Chromium: a liaison writes their unit's annual report from the unit template and
submits it to the office."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registers.core.status import Status
from xianan_lawgov.reports.models import UnitReport

from .conftest import screenshot, signed_in_liaison

pytestmark = pytest.mark.browser


@pytest.fixture
def transport_liaison(transactional_db):
    return signed_in_liaison("咸安区交通运输局", "交通局")


def test_liaison_writes_and_submits_the_units_report(transport_liaison, pages):
    year = timezone.localdate().year - 1  # the year just ended, on the home page
    page = pages.login("liaison")
    card = page.locator("#unit-reports li").filter(has_text=f"{year} 年度")
    expect(card).to_contain_text("尚未开始")
    card.get_by_role("link", name="撰写和报送").click()

    page.get_by_role("link", name="编辑正文").click()
    measures = page.locator("fieldset", has_text="主要举措和成效").locator("textarea")
    expect(measures).to_contain_text("{{ power.items }}")
    measures.fill(
        "（一）推进交通运输综合执法改革。{{ unit.name }}纳入权责清单的行政权力事项"
        "共{{ power.items }}项。"
    )
    screenshot(page, "unit-report-editor")
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.locator(".report-page")).to_contain_text(
        "推进交通运输综合执法改革。咸安区交通运输局纳入权责清单的行政权力事项共0项。"
    )
    expect(page.locator(".report-page")).not_to_contain_text("区政府法制办")
    page.get_by_role("button", name="报送审核").click()
    expect(page.locator(".unit-review")).to_contain_text("已报送（等待法制办审核）")
    expect(page.get_by_role("link", name="编辑正文")).to_have_count(0)
    screenshot(page, "unit-report-submitted")
    record = UnitReport.objects.get(unit=transport_liaison.unit, year=year)
    assert record.status == Status.SUBMITTED
    assert record.submitted_by == transport_liaison
