"""The 数据报送 page: templates and an upload form for liaisons and the office only."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from registers.core.status import Status
from registers.models import InspectionItem
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from tests.factories import make_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = "/data/"


def post(client, data: bytes, **fields):
    return client.post(
        PAGE,
        {
            "register": "inspection-items",
            "file": SimpleUploadedFile("items.xlsx", data, content_type=XLSX),
            **fields,
        },
    )


def test_the_page_lists_templates_and_an_upload_form(client, liaison):
    client.force_login(liaison)
    response = client.get(PAGE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "数据报送" in text
    assert reverse("registers:exchange_template", args=["inspection-items"]) in text
    assert "直接报送" in text
    assert "直接审核通过" not in text  # the office's option only
    assert 'name="unit"' not in text


def test_the_office_chooses_the_unit_and_may_approve(client, office):
    client.force_login(office)
    text = client.get(PAGE).content.decode()
    assert 'name="unit"' in text and "直接审核通过" in text


def test_a_register_approved_by_its_own_procedure_is_not_uploaded_approved(client, office):
    client.force_login(office)
    response = post(
        client, make_xlsx([item_row()], ITEM_HEADER), register="cleanup-campaigns", approve="on"
    )
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["approve"]] == ["not_entered_approved"]
    assert "不能直接审核通过" in response.content.decode()


def test_a_good_upload_shows_how_many_drafts_were_created(client, liaison, unit_a):
    client.force_login(liaison)
    response = post(client, make_xlsx([item_row(unit=unit_a.name)], ITEM_HEADER))
    text = response.content.decode()
    assert response.status_code == 200
    assert "已导入 1 条“随机抽查事项清单”记录（草稿）" in text
    item = InspectionItem.objects.get()
    assert (item.unit, item.status) == (unit_a, Status.DRAFT)


def test_ticking_direct_submission_submits_the_records(client, liaison):
    client.force_login(liaison)
    post(client, make_xlsx([item_row()], ITEM_HEADER), submit="on")
    assert InspectionItem.objects.get().status == Status.SUBMITTED


def test_a_bad_upload_lists_every_mistake_and_imports_nothing(client, liaison):
    client.force_login(liaison)
    rows = [item_row("SJ-1", 清单年度="今年"), item_row("SJ-2"), item_row("SJ-3", 事项类别="专项")]
    response = post(client, make_xlsx(rows, ITEM_HEADER))
    text = response.content.decode()
    assert response.status_code == 400
    assert "没有导入任何记录" in text
    assert "发现 2 处错误" in text
    assert "“今年”不是有效的整数。" in text and "“专项”不是有效的选项" in text
    assert "清单年度（B）" in text and "事项类别（E）" in text
    assert not InspectionItem.objects.exists()


def test_a_file_that_is_not_a_workbook_is_explained(client, liaison):
    client.force_login(liaison)
    response = post(client, b"name,kind\n")
    assert response.status_code == 400
    assert "文件不是 Excel 或 WPS 表格工作簿（.xlsx、.xls、.ods）" in response.content.decode()


@pytest.mark.parametrize("role", ["leader", "municipal"])
def test_read_only_roles_have_no_page(client, users, role):
    client.force_login(users[role])
    assert client.get(PAGE).status_code == 403
    assert post(client, make_xlsx([item_row()], ITEM_HEADER)).status_code == 403
    assert not InspectionItem.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert resolve_url(settings.LOGIN_URL) in response["Location"]


def test_the_navigation_links_the_page_for_those_who_submit_data(client, liaison, leader):
    client.force_login(liaison)
    assert 'href="/data/"' in client.get(reverse("reviews:deadline_board")).content.decode()
    client.force_login(leader)
    assert 'href="/data/"' not in client.get(reverse("reviews:deadline_board")).content.decode()


@pytest.mark.parametrize("file", [None, b""], ids=["no file", "empty file"])
def test_an_upload_without_a_file_or_with_an_empty_one_is_refused_on_the_page(
    client, liaison, file
):
    client.force_login(liaison)
    fields = {"register": "inspection-items"}
    if file is not None:
        fields["file"] = SimpleUploadedFile("items.xlsx", file, content_type=XLSX)
    response = client.post(PAGE, fields)
    assert response.status_code == 400
    text = response.content.decode()
    assert ("提交的是空文件。" if file is not None else "该字段是必填项。") in text
    assert not InspectionItem.objects.exists()
