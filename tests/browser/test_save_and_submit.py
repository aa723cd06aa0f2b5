"""In a real Chromium: a liaison fixes a returned record. 保存 keeps it returned and says so;
保存并报送 sends it to the office."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from registers.core.roles import Role
from registers.core.status import Status
from registers.core.workflow import return_for_revision, submit
from registers.models import EnforcementBody
from tests.factories import make_body, make_unit, make_user

from .conftest import DEMO_PASSWORD, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def returned_body(transactional_db):
    unit = make_unit(name="咸安区城市管理执法局", short_name="区城管执法局")
    office = make_user(Role.OFFICE, username="office", last_name="王", first_name="法制")
    liaison = make_user(
        Role.LIAISON, unit=unit, username="liaison", last_name="张", first_name="联络"
    )
    for user in (office, liaison):
        user.set_password(DEMO_PASSWORD)
        user.save()
    body = make_body(unit, name="咸安区城市管理执法大队", status=Status.DRAFT)
    submit(body, by=liaison)
    return_for_revision(body, by=office, comment="请写明执法依据的具体条款。")
    return body


def test_liaison_saves_a_returned_record_then_saves_and_submits_it(returned_body, pages):
    page = pages.login("liaison")
    page.goto(pages.url(f"/admin/registers/enforcementbody/{returned_body.pk}/change/"))
    expect(page.locator(".workflow-status")).to_contain_text("已退回")
    expect(page.locator(".workflow-comment")).to_contain_text("请写明执法依据的具体条款。")

    page.get_by_label("执法依据").fill("《湖北省城市管理执法条例》第八条")
    page.get_by_role("button", name="保存", exact=True).click()
    success = page.locator(".messagelist .success")
    expect(success).to_contain_text("已保存，当前状态：已退回（尚未报送）")
    expect(success).to_contain_text("保存并报送")
    screenshot(page, "liaison-saved-returned-record")
    returned_body.refresh_from_db()
    assert returned_body.status == Status.RETURNED

    page.get_by_role("link", name="咸安区城市管理执法大队").click()
    page.get_by_label("执法依据").fill("《湖北省城市管理执法条例》第八条第二款")
    page.get_by_role("button", name="保存并报送").click()
    expect(success).to_contain_text("当前状态：已报送（等待法制办审核）")
    screenshot(page, "liaison-saved-and-submitted")
    body = EnforcementBody.objects.get(pk=returned_body.pk)
    assert body.status == Status.SUBMITTED
    assert body.legal_basis == "《湖北省城市管理执法条例》第八条第二款"
