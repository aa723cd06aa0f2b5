"""The office reopens an approved record from its admin page: a reason is asked for, an
empty one refused; the record goes back to its unit and the correction is listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from registers.core.status import Status
from reviews.models import LitigationCase

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_office_reopens_an_approved_case_with_a_reason(demo_data, pages):
    case = LitigationCase.objects.filter(status=Status.APPROVED).order_by("pk").first()
    office = pages.login("office")
    office.goto(pages.url(f"/admin/reviews/litigationcase/{case.pk}/change/"))
    office.get_by_role("link", name="重新打开更正").click()
    expect(office.get_by_label("更正原因")).to_be_visible()
    screenshot(office, "reopen-page")

    # Without a reason the browser does not send the form (the server's own refusal is in
    # tests/platform/test_corrections.py).
    office.get_by_role("button", name="确认重新打开").click()
    expect(office.locator("textarea[name=comment]:invalid")).to_have_count(1)
    assert LitigationCase.objects.get(pk=case.pk).status == Status.APPROVED

    office.get_by_label("更正原因").fill("开庭日期录错，请按判决书更正。")
    office.get_by_role("button", name="确认重新打开").click()
    expect(office.locator(".workflow-status")).to_contain_text("已退回")
    expect(office.locator(".corrections")).to_contain_text("开庭日期录错，请按判决书更正。")
    screenshot(office, "reopened-record")
    assert LitigationCase.objects.get(pk=case.pk).status == Status.RETURNED
