"""The public power-list page in a real Chromium: found without logging in, searched,
filtered, downloaded as CSV, and readable at 1366 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from registers.models import PowerCategory
from tests.factories import make_power_item, make_unit

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def power_items(transactional_db):
    market = make_unit(name="咸安区市场监督管理局", short_name="市场监管局")
    transport = make_unit(name="咸安区交通运输局", short_name="交通运输局")
    make_power_item(
        market,
        name="食品经营许可",
        category=PowerCategory.LICENSING,
        legal_basis="《中华人民共和国食品安全法》第三十五条第一款：国家对食品生产经营实行许可制度。",
        handling_office="行政审批科",
    )
    make_power_item(
        market,
        name="对未取得食品经营许可从事食品经营活动的处罚",
        legal_basis="《中华人民共和国食品安全法》第一百二十二条",
    )
    make_power_item(
        transport,
        name="道路货物运输经营许可",
        category=PowerCategory.LICENSING,
        legal_basis="《中华人民共和国道路运输条例》第二十四条",
    )
    for n in range(8):
        make_power_item(transport, name=f"对道路运输违法行为{n}的处罚")
    return market, transport


def test_anyone_searches_the_power_list_and_downloads_it(power_items, pages):
    market, _transport = power_items
    page = pages.new(width=1366)
    page.goto(pages.url("/public/power/"))
    expect(page.get_by_role("heading", name="权责清单公开")).to_be_visible()
    expect(page.get_by_role("link", name="登录")).to_be_visible()  # nobody is logged in
    expect(page.locator("table.public-table tbody tr")).to_have_count(11)
    screenshot(page, "public-power-list-1366")

    # The table fits the window: no column cut off at 1366 px.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366

    page.get_by_label("权力类别").select_option(label="行政许可")
    page.get_by_label("实施主体").select_option(label=market.name)
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table.public-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("食品经营许可")
    expect(rows.first).to_contain_text("《中华人民共和国食品安全法》第三十五条")

    page.get_by_role("link", name="清除条件").click()
    page.get_by_label("事项名称、编码或设定依据").fill("道路运输条例")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("道路货物运输经营许可")
    screenshot(page, "public-power-list-search-1366")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "道路货物运输经营许可" in text and "行政许可" in text
    assert "食品经营许可" not in text


def test_anyone_downloads_a_documents_text_from_the_catalogue(
    transactional_db, pages, settings, tmp_path
):
    from registers.core import attachments
    from registers.core.models import AttachmentKind
    from tests.factories import make_document, make_user, pdf_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    unit = make_unit(name="咸安区人民政府办公室", short_name="区政府办")
    office = make_user()
    with_text = make_document(unit, title="咸安区行政规范性文件管理办法")
    attachments.attach(
        with_text,
        upload("咸安区行政规范性文件管理办法.pdf", pdf_bytes("管理办法")),
        kind=AttachmentKind.DOCUMENT_TEXT,
        by=office,
    )
    make_document(unit, title="咸安区城区道路停车管理办法")
    page = pages.new(width=1366)
    page.goto(pages.url("/public/documents/"))
    expect(page.get_by_role("link", name="下载", exact=True)).to_have_count(1)
    screenshot(page, "public-documents-1366")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    with page.expect_download() as download:
        page.get_by_role("link", name="下载", exact=True).click()
    assert download.value.suggested_filename == "咸安区行政规范性文件管理办法.pdf"
