"""In a real Chromium: a liaison attaches the decision to a case, submits it, and the office
finds the file in the review queue and on the review page."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from registers.core.models import Attachment
from registers.models import User
from tests import factories as f

from .conftest import screenshot

pytestmark = pytest.mark.browser

GROUP = "#registers-attachment-content_type-object_id-group"
ROW = "registers-attachment-content_type-object_id-0"


def test_a_file_attached_to_a_case_is_seen_in_the_review_queue(
    demo_data, pages, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "咸安复〔2017〕3号 复议决定书.pdf"
    evidence.write_bytes(f.pdf_bytes())
    liaison_user = User.objects.get(username="liaison")
    case = f.make_reconsideration(liaison_user.unit, number="咸安复〔2017〕附件测试1号")

    liaison = pages.login("liaison")
    liaison.goto(pages.url(f"/admin/reviews/reconsiderationcase/{case.pk}/change/"))
    liaison.locator(f"{GROUP} .add-row a").click()
    liaison.locator(f"#id_{ROW}-kind").select_option(label="复议决定书")
    liaison.locator(f"#id_{ROW}-note").fill("正本扫描件")
    liaison.locator(f"#id_{ROW}-file").set_input_files(str(evidence))
    liaison.get_by_role("button", name="保存并继续编辑").click()
    expect(liaison.locator(GROUP)).to_contain_text(evidence.name)
    screenshot(liaison, "attachment-admin-inline")
    liaison.get_by_role("button", name="报送审核").click()
    expect(liaison.locator(".workflow-status")).to_contain_text("已报送")

    office = pages.login("office")
    office.goto(pages.url("/review/"))
    row = office.locator("tr", has_text=case.number)
    expect(row).to_contain_text(evidence.name)
    screenshot(office, "attachment-review-queue")
    row.get_by_role("link", name=case.number).click()
    files = office.locator("#files")
    expect(files).to_contain_text(evidence.name)
    expect(files).to_contain_text("复议决定书")
    screenshot(office, "attachment-review-detail")

    with office.expect_download() as download:
        files.get_by_role("link", name=evidence.name).click()
    assert download.value.suggested_filename == evidence.name
    assert Attachment.objects.get().sha256 == hashlib.sha256(evidence.read_bytes()).hexdigest()
