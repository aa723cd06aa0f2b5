"""Two office users in two browsers edit the same record from the same original: the second
save is refused with who changed what, its input kept; a reload shows the first change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import LitigationCase

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_second_office_user_saving_the_same_case_is_refused_and_keeps_their_input(demo_data, pages):
    case = LitigationCase.objects.order_by("pk").first()
    change = pages.url(f"/admin/reviews/litigationcase/{case.pk}/change/")
    first, second = pages.login("office"), pages.login("office2")
    first.goto(change)
    second.goto(change)

    # The demo's cases are approved: each change is a correction, with its reason.
    first.locator("#id_plaintiff").fill("王某（第一位修改）")
    first.locator("#id_correction_reason").fill("原告姓名有误")
    first.get_by_role("button", name="保存", exact=True).click()
    # (Beside the save's message stands next year's holiday banner in December.)
    expect(first.locator(".messagelist .success")).to_contain_text("已保存，当前状态：已审核")

    second.locator("#id_plaintiff").fill("李某（第二位修改）")
    second.locator("#id_cause").fill("行政许可（第二位修改）")
    second.locator("#id_correction_reason").fill("案由有误")
    second.get_by_role("button", name="保存", exact=True).click()
    refusal = second.locator(".errorlist.nonfield")
    expect(refusal).to_contain_text("被 王法制 修改（字段：原告）")
    expect(refusal).to_contain_text("您的修改未保存；请核对后重新提交。")
    expect(second.locator("#id_plaintiff")).to_have_value("李某（第二位修改）")
    expect(second.locator("#id_cause")).to_have_value("行政许可（第二位修改）")
    screenshot(second, "concurrent-edit-refused")
    assert LitigationCase.objects.get(pk=case.pk).plaintiff == "王某（第一位修改）"

    second.goto(change)
    expect(second.locator("#id_plaintiff")).to_have_value("王某（第一位修改）")
    screenshot(second, "concurrent-edit-reloaded")
