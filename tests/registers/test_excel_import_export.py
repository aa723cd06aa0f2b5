"""Excel import and export in the admin: all or nothing, every bad row listed, own unit only."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registers.core.status import Status
from tests.workflowapp.models import Memo

HEADER = ["标题", "类别", "期限", "填报单位"]


def xlsx(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "memos.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, rows, **fields):
    return client.post(reverse("admin:workflowapp_memo_import"), {"file": xlsx(rows), **fields})


def test_an_import_with_bad_rows_imports_nothing_and_lists_every_bad_row(client, office, unit_a):
    client.force_login(office)
    page = upload(
        client,
        [
            ["好的一行", "通知", "2017-08-01", unit_a.name],
            ["", "通知", "2017-08-01", unit_a.name],  # row 3: title missing
            ["日期不对", "通知", "2017-13-45", unit_a.name],  # row 4: bad date
            ["类别不对", "请示", "", unit_a.name],  # row 5: unknown choice
            ["单位不对", "报告", "", "不存在的单位"],  # row 6: unknown unit
        ],
    )
    text = page.content.decode()
    assert page.status_code == 400
    assert Memo.objects.count() == 0
    assert "2017-13-45" in text and "不是有效的日期" in text
    assert "“请示”不是有效的选项" in text
    assert "找不到单位“不存在的单位”" in text
    # Every bad row is reported with its sheet row number, and the good one is not.
    errors = page.context["result"].errors
    assert [(error.row, error.column, error.code) for error in errors] == [
        (3, "标题", "required"),
        (4, "期限", "invalid_date"),
        (5, "类别", "invalid_choice"),
        (6, "填报单位", "unknown_reference"),
    ]


def test_a_liaisons_import_creates_drafts_of_their_own_unit_only(client, liaison, unit_b):
    client.force_login(liaison)
    page = upload(client, [["城管报表", "报告", "2017/8/1", liaison.unit.name]])
    assert page.status_code == 200, page.context["result"].errors
    memo = Memo.objects.get()
    assert (memo.title, memo.kind, str(memo.due_on)) == ("城管报表", Memo.Kind.REPORT, "2017-08-01")
    assert memo.unit == liaison.unit
    assert memo.status == Status.DRAFT
    assert memo.created_by == liaison
    assert memo.history.get().history_user == liaison

    refused = upload(client, [["交通报表", "报告", "", unit_b.name]])
    assert [error.code for error in refused.context["result"].errors] == ["other_unit"]
    assert Memo.objects.count() == 1


def test_office_import_enters_records_as_approved(client, office, unit_b):
    client.force_login(office)
    assert client.get(reverse("admin:workflowapp_memo_import")).context["form"]["approve"].value()
    upload(client, [["交通报表", "通知", "", unit_b.name]], approve="on")
    memo = Memo.objects.get()
    assert (memo.unit, memo.status, memo.reviewed_by) == (unit_b, Status.APPROVED, office)


def test_a_liaisons_submitted_import_goes_through_the_workflow(client, liaison):
    client.force_login(liaison)
    upload(client, [["城管报表", "报告", "", ""]], submit="on")
    memo = Memo.objects.get()
    assert (memo.status, memo.submitted_by) == (Status.SUBMITTED, liaison)
    # Submitted as it is saved (``workflow.create_all``): the submission is its first
    # history row, with the upload's reason and the action's name.
    history = [
        (h.history_type, h.status, h.history_user, h.history_change_reason)
        for h in memo.history.order_by("pk")
    ]
    assert history == [("+", Status.SUBMITTED, liaison, "Excel 上传：报送审核")]


@pytest.mark.parametrize("role", ["leader", "municipal"])
def test_read_only_roles_cannot_import(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("admin:workflowapp_memo_import"))
    assert response.status_code in (302, 403)


def test_export_has_chinese_headers_labels_and_only_visible_records(
    client, liaison, unit_a, unit_b
):
    Memo.objects.create(title='=HYPERLINK("http://x")', unit=unit_a, kind=Memo.Kind.REPORT)
    Memo.objects.create(title="交通的记录", unit=unit_b)
    client.force_login(liaison)
    response = client.post(
        reverse("admin:workflowapp_memo_export"),
        {
            "format": 0,
            "resource": 0,
            "memoresource_title": True,
            "memoresource_kind": True,
            "memoresource_unit": True,
            "memoresource_status": True,
            "memoresource_due_on": True,
        },
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["标题", "类别", "期限"]
    assert len(rows) == 2  # header + liaison's own record only
    assert "报告" in rows[1]
    title = rows[1][0]
    assert not str(title).startswith("=")  # escaped, never a live formula
