"""End to end in a real Chromium: a liaison's record goes through review into the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registers.core.roles import Role
from reviews.models import CommentDraftReply
from tests.factories import make_unit, make_user

from .conftest import DEMO_PASSWORD, screenshot

pytestmark = pytest.mark.browser

TITLE = "关于《湖北省城市综合管理条例（征求意见稿）》的意见"
FIGURE = '[data-figure="legality.comment_drafts_answered"] .stat__value'


def submit_record(page) -> None:
    page.get_by_role("button", name="报送审核").click()
    expect(page.locator(".workflow-status")).to_contain_text("已报送")


def run_worker_batch() -> None:
    """What the worker would do now: every queued job (``manage.py run_worker --batch``)."""
    from registers.management.commands.run_worker import worker

    worker(batch=True, interval=0).run()


def test_liaison_record_is_returned_fixed_approved_and_counted_in_the_2017_report(
    demo_data, pages, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The office sees the 2017 figure as the demo data has it.
    office = pages.login("office")
    office.goto(pages.url("/?year=2017"))
    expect(office.locator(FIGURE)).to_contain_text("6")

    # A liaison enters a 2017 comment-draft reply, without the reply yet, and submits it.
    liaison = pages.login("liaison")
    screenshot(liaison, "home-liaison-before")
    liaison.get_by_role("link", name="审查与案件", exact=True).click()
    liaison.locator("li", has_text="征求意见稿回复").get_by_role("link", name="新增").click()
    liaison.get_by_label("征求意见稿名称").fill(TITLE)
    liaison.get_by_label("类别").select_option(label="地方性法规")
    liaison.get_by_label("征求意见单位").fill("湖北省人民政府法制办公室")
    liaison.get_by_label("收到日期").fill("2017-12-01")
    liaison.get_by_role("button", name="保存并继续编辑").click()
    submit_record(liaison)
    record = CommentDraftReply.objects.get(title=TITLE)

    # The office finds it in the queue and returns it with a comment.
    office.goto(pages.url("/review/"))
    expect(office.locator(".queue-unit", has_text="咸安区城市管理执法局")).to_contain_text(TITLE)
    screenshot(office, "review-queue")
    office.get_by_role("link", name=TITLE).click()
    expect(office.get_by_text("首次报送").first).to_be_visible()
    screenshot(office, "review-detail-first-submission")
    office.get_by_role("button", name="退回修改").click()
    expect(office.locator(".errorlist")).to_contain_text("必须填写审核意见")
    office.get_by_label("审核意见").fill("请补填回复日期和回复意见。")
    office.get_by_role("button", name="退回修改").click()
    expect(office.locator(".message--success")).to_contain_text("已退回修改")

    # The liaison sees the comment on the home page and the notification behind the bell.
    liaison.goto(pages.url("/"))
    expect(liaison.locator("#returned-heading + ul")).to_contain_text("请补填回复日期和回复意见。")
    expect(liaison.locator(".bell__count")).to_have_text("1")
    screenshot(liaison, "home-liaison-returned")
    liaison.locator(".bell").click()
    expect(liaison.locator(".notification--unread")).to_contain_text(TITLE)
    expect(liaison.locator(".notification--unread")).to_contain_text("被退回修改")
    screenshot(liaison, "notifications")
    liaison.get_by_role("button", name="全部标为已读").click()
    expect(liaison.locator(".bell__count")).to_have_count(0)

    # …fixes the record and submits it again.
    liaison.goto(pages.url("/"))
    liaison.get_by_role("link", name="修改后重新报送").click()
    expect(liaison.locator(".workflow-comment")).to_contain_text("请补填回复日期")
    liaison.locator("#id_replied_on").fill("2017-12-10")
    liaison.locator("#id_reply").fill("建议明确城市管理执法部门与相关部门的职责分工。")
    liaison.get_by_role("button", name="保存并继续编辑").click()
    submit_record(liaison)

    # The office sees what changed since the return, and approves it from the queue.
    office.goto(pages.url(f"/review/reviews.commentdraftreply/{record.pk}/"))
    changes = office.locator("#changes-heading + p + div table")
    expect(changes).to_contain_text("回复日期")
    expect(changes).to_contain_text("2017-12-10")
    screenshot(office, "review-detail-changes")
    office.goto(pages.url("/review/"))
    office.get_by_label(f"选择“{TITLE}”").check()
    office.get_by_role("button", name="审核通过所选记录").click()
    expect(office.locator(".message--success")).to_contain_text("1 条记录已审核通过")
    record.refresh_from_db()
    assert record.is_approved

    # The liaison is told; the dashboard figure and the 2017 report now count the reply.
    liaison.goto(pages.url("/notifications/"))
    expect(liaison.locator(".notification--unread")).to_contain_text("已审核通过")
    office.goto(pages.url("/?year=2017"))
    expect(office.locator(FIGURE)).to_contain_text("7")
    screenshot(office, "home-office")
    office.goto(pages.url("/reports/2017/"))
    expect(office.locator(".report-page")).to_contain_text("回复地方性法规、规章征求意见稿7件")
    screenshot(office, "report-detail")
    # The district's Word file is made by the background worker; its page follows the job.
    office.locator(".report-actions").get_by_role("link", name="Word").click()
    expect(office.locator("#job-status")).to_have_text("排队中")
    expect(office.locator("#job-waiting")).to_contain_text("后台任务进程未运行，任务排队等待中")
    run_worker_batch()
    office.reload()
    expect(office.locator("#job-status")).to_have_text("已完成")
    screenshot(office, "job-report-file")
    with office.expect_download() as download_info:
        office.locator("#job-result").get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as docx:
        assert docx.read(2) == b"PK"
    office.goto(pages.url("/reports/"))
    screenshot(office, "reports-index")
    office.goto(pages.url("/reports/2017/edit/"))
    expect(office.get_by_label("报告标题")).to_be_visible()
    screenshot(office, "report-edit")
    office.goto(pages.url("/deadlines/"))
    screenshot(office, "deadlines")
    office.goto(pages.url("/registers/"))
    screenshot(office, "registers-index")

    # Another unit's liaison never sees the record: not listed, not in the queue, 404 by URL.
    other = pages.login("liaison2")
    expect(other.locator("main")).not_to_contain_text(TITLE)
    other.goto(pages.url("/admin/reviews/commentdraftreply/"))
    expect(other.locator("#result_list, .paginator").first).to_be_visible()
    expect(other.locator("main, #content").first).not_to_contain_text(TITLE)
    response = other.goto(pages.url(f"/admin/reviews/commentdraftreply/{record.pk}/change/"))
    assert response.status == 404
    response = other.goto(pages.url("/review/"))
    assert response.status == 403
    response = other.goto(pages.url(f"/review/reviews.commentdraftreply/{record.pk}/"))
    assert response.status in (403, 404)
    other.goto(pages.url("/notifications/"))
    expect(other.locator("main")).not_to_contain_text(TITLE)

    # The leader reads the same dashboard, without the review queue.
    leader = pages.login("leader")
    expect(leader.locator(".site-nav")).not_to_contain_text("审核")
    expect(leader.locator(FIGURE)).to_be_visible()
    screenshot(leader, "home-leader")

    # On a phone the menu folds behind a button that opens it.
    phone = pages.login("office", width=375, height=740)
    nav = phone.locator("#site-nav")
    expect(nav).to_be_hidden()
    phone.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="期限提醒")).to_be_visible()
    screenshot(phone, "home-office-phone-menu")
    phone.get_by_role("button", name="菜单").click()
    screenshot(phone, "home-office-phone")


def test_public_inspection_results_and_login_page_work_without_login(demo_data, pages):
    page = pages.new()
    response = page.goto(pages.url("/public/inspections/"))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("抽查检查结果公示")
    expect(page.locator("table.data tbody tr").first).to_be_visible()
    screenshot(page, "public-inspections")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    screenshot(page, "public-inspections-skip-link-focused")

    page.goto(pages.url("/"))
    assert re.search(r"/login/\?next=/$", page.url)
    expect(page.get_by_label("用户名")).to_be_focused()
    screenshot(page, "login")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".message--error")).to_contain_text("用户名或密码不正确")


def test_pages_of_an_empty_database_show_their_empty_states(transactional_db, pages):
    unit = make_unit(name="咸安区城市管理执法局", short_name="区城管执法局")
    for user in (
        make_user(Role.OFFICE, username="office", last_name="王", first_name="法制"),
        make_user(Role.LIAISON, unit=unit, username="liaison", last_name="张", first_name="联络"),
    ):
        user.set_password(DEMO_PASSWORD)
        user.save()
    office = pages.login("office")
    office.goto(pages.url("/"))
    expect(office.locator(".chart-empty").first).to_contain_text("暂无数据")
    screenshot(office, "empty-home-office")
    office.goto(pages.url("/review/"))
    expect(office.locator(".empty")).to_contain_text("没有等待审核的记录")
    screenshot(office, "empty-review-queue")
    page = pages.login("liaison")
    expect(page.locator("#returned-heading + .empty")).to_contain_text("没有被退回的记录")
    screenshot(page, "empty-home-liaison")
