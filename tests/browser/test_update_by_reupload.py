"""In a real Chromium: a liaison exports their unit's documents, corrects one in the file,
uploads it again, reads the preview (what changes, field by field) and applies it."""

from __future__ import annotations

import openpyxl
import pytest
from playwright.sync_api import expect

from registers.core.status import Status
from registers.models import Document
from tests.factories import make_document

from .conftest import screenshot, signed_in_liaison

pytestmark = pytest.mark.browser


@pytest.fixture
def documents(transactional_db):
    unit = signed_in_liaison("咸安区市场监督管理局", "区市场监管局").unit
    return [
        make_document(unit, title="咸安区食品摊贩管理暂行办法", number="咸安市监规〔2017〕1号",
                      status=Status.DRAFT),
        make_document(unit, title="咸安区广告牌匾设置规定", number="咸安市监规〔2017〕2号",
                      status=Status.APPROVED),
    ]  # fmt: skip


def test_liaison_exports_corrects_previews_and_applies(documents, pages, tmp_path):
    page = pages.login("liaison")
    page.goto(pages.url("/data/"))
    export = page.get_by_role("region", name="按编号更新已有记录")
    screenshot(page, "data-exchange-update-section")
    with page.expect_download() as download:
        export.get_by_role("link", name="规范性文件登记").click()
    path = tmp_path / "records.xlsx"
    download.value.save_as(path)

    book = openpyxl.load_workbook(path)
    sheet = book["数据"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("文号")].value == "咸安市监规〔2017〕1号":
            row[header.index("标题")].value = "咸安区食品摊贩管理暂行办法（修订）"
    book.save(path)

    export.get_by_label("台账").select_option(label="规范性文件登记")
    export.get_by_label("改好的导出文件（.xlsx，也可 .xls、.ods）").set_input_files(str(path))
    export.get_by_role("button", name="上传并预览").click()

    changes = page.locator("table.update-changes")
    expect(changes).to_contain_text("咸安市监规〔2017〕1号")
    expect(changes).to_contain_text("咸安区食品摊贩管理暂行办法（修订）")
    expect(page.locator("#unchanged")).to_contain_text("1 条记录与文件一致")
    screenshot(page, "update-by-reupload-preview")
    assert Document.objects.get(pk=documents[0].pk).title == "咸安区食品摊贩管理暂行办法"

    page.get_by_role("button", name="应用").click()
    expect(page.locator(".message--success")).to_contain_text(
        "已更新 1 条、新建 0 条“规范性文件登记”记录。当前状态：草稿（尚未报送） 1 条。"
    )
    page.goto(pages.url(f"/admin/registers/document/{documents[0].pk}/change/"))
    expect(page.get_by_label("标题")).to_have_value("咸安区食品摊贩管理暂行办法（修订）")
    record = Document.objects.get(pk=documents[0].pk)
    assert record.status == Status.DRAFT
    assert record.history.first().history_change_reason == "Excel 上传更新"
