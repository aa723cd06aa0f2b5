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


def upload(client, rows):
    return client.post(
        reverse("admin:workflowapp_memo_import"),
        {"import_file": xlsx(rows), "format": 0, "resource": 0},
    )


def confirm(client, page):
    form = page.context["confirm_form"]
    return client.post(
        reverse("admin:workflowapp_memo_process_import"),
        {name: form.initial[name] for name in form.fields if name in form.initial},
    )


def test_an_import_with_bad_rows_imports_nothing_and_lists_every_bad_row(client, office, unit_a):
    client.force_login(office)
    page = upload(
        client,
        [
            ["好的一行", "通知", "2017-08-01", unit_a.name],
            ["", "通知", "2017-08-01", unit_a.name],  # row 2: title missing
            ["日期不对", "通知", "2017-13-45", unit_a.name],  # row 3: bad date
            ["类别不对", "请示", "", unit_a.name],  # row 4: unknown choice
            ["单位不对", "报告", "", "不存在的单位"],  # row 5: unknown unit
        ],
    )
    text = page.content.decode()
    assert Memo.objects.count() == 0
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert "2017-13-45" in text and "不是有效的日期" in text
    assert "“请示”不是有效的选项" in text
    assert "找不到单位“不存在的单位”" in text
    # Every bad row is reported, and the good one is not.
    invalid_rows = page.context["result"].invalid_rows
    assert sorted(row.number for row in invalid_rows) == [2, 3, 4, 5]


def test_a_liaisons_import_creates_drafts_of_their_own_unit_only(client, liaison, unit_b):
    client.force_login(liaison)
    page = upload(client, [["城管报表", "报告", "2017/8/1", unit_b.name]])
    assert page.context["confirm_form"] is not None
    confirm(client, page)
    memo = Memo.objects.get()
    assert (memo.title, memo.kind, str(memo.due_on)) == ("城管报表", Memo.Kind.REPORT, "2017-08-01")
    assert memo.unit == liaison.unit
    assert memo.status == Status.DRAFT
    assert memo.created_by == liaison
    assert memo.history.get().history_user == liaison


def test_office_import_enters_records_as_approved(client, office, unit_b):
    client.force_login(office)
    confirm(client, upload(client, [["交通报表", "通知", "", unit_b.name]]))
    memo = Memo.objects.get()
    assert (memo.unit, memo.status, memo.reviewed_by) == (unit_b, Status.APPROVED, office)


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
