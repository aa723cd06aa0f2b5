"""The 数据报送 page's update by re-upload: export, preview, apply, for the user's own unit."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registers.core.status import Status
from registers.models import Document
from tests.exchange.test_updates import TITLE, saved, set_cell
from tests.factories import make_document

PAGE = "/data/"


@pytest.fixture
def draft(unit_a):
    return make_document(
        unit_a, title="咸安区示例管理办法", number="咸安政规〔2017〕1号", status=Status.DRAFT
    )


def export(client, slug="documents"):
    return client.get(reverse("registers:exchange_export", args=[slug]))


def preview(client, data: bytes, name="records.xlsx"):
    return client.post(
        reverse("registers:exchange_update"),
        {"update-register": "documents", "update-file": SimpleUploadedFile(name, data)},
    )


def apply(client, response, **fields):
    return client.post(
        reverse("registers:exchange_update_apply"), {"token": response.context["token"], **fields}
    )


def corrected(client, title="咸安区示例管理办法（修订）") -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(export(client).content))
    set_cell(book, "咸安政规〔2017〕1号", TITLE, title)
    return saved(book)


def test_the_page_offers_the_export_of_numbered_registers_only(client, liaison):
    client.force_login(liaison)
    text = client.get(PAGE).content.decode()
    assert "导出本单位记录" in text
    assert reverse("registers:exchange_export", args=["documents"]) in text
    assert reverse("registers:exchange_export", args=["enforcement-bodies"]) not in text
    assert export(client, "enforcement-bodies").status_code == 403


@pytest.mark.parametrize("role", ["leader", "municipal"])
def test_readers_may_not_export_or_update(client, request, role, draft):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert export(client).status_code in (302, 403)
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"


def test_a_liaison_previews_and_applies_a_corrected_file(client, liaison, draft):
    client.force_login(liaison)
    response = preview(client, corrected(client))
    text = response.content.decode()
    assert response.status_code == 200
    assert "修改的记录" in text and "咸安区示例管理办法（修订）" in text
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"

    response = apply(client, response)

    assert response.status_code == 302
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法（修订）"
    text = client.get(PAGE).content.decode()
    assert "已更新 1 条、新建 0 条" in text and "草稿（尚未报送） 1 条" in text


def test_a_preview_applied_by_someone_else_is_refused(client, liaison2, liaison, draft):
    client.force_login(liaison)
    response = preview(client, corrected(client))
    client.force_login(liaison2)
    assert apply(client, response).status_code == 403
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"


def test_a_record_changed_after_the_preview_is_not_overwritten(client, liaison, draft):
    client.force_login(liaison)
    response = preview(client, corrected(client))
    record = Document.objects.get(pk=draft.pk)
    record.note = "同事刚补充的备注"
    record.save()

    response = apply(client, response)

    text = response.content.decode()
    assert response.status_code == 409
    assert "预览之后，文件涉及的记录有了变化" in text
    assert "同事刚补充的备注" in text  # the fresh preview shows the note the file would clear
    record.refresh_from_db()
    assert (record.title, record.note) == ("咸安区示例管理办法", "同事刚补充的备注")
    assert apply(client, response).status_code == 302  # the fresh preview applies
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法（修订）"


def test_a_file_that_is_not_a_workbook_is_refused_with_its_reason(client, liaison, draft):
    client.force_login(liaison)
    response = preview(client, b"%PDF-1.4 not a workbook", name="records.xlsx")
    assert response.status_code == 400
    assert "文件不是 Excel 或 WPS 表格工作簿（.xlsx、.xls、.ods）" in response.content.decode()


def test_files_of_previews_too_old_to_apply_are_deleted(client, liaison, draft, settings, tmp_path):
    import os
    import time

    from registers import exchange_views

    settings.MEDIA_ROOT = tmp_path
    client.force_login(liaison)
    first = preview(client, corrected(client))
    old = tmp_path / signing_file(first)
    assert old.exists()
    long_ago = time.time() - exchange_views.PREVIEW_MAX_AGE - 60
    os.utime(old, (long_ago, long_ago))

    preview(client, corrected(client, title="另一次修改"))

    assert not old.exists()
    assert apply(client, first).status_code == 302  # redirected with the reason
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"


def signing_file(response) -> str:
    from django.core import signing

    from registers import exchange_views

    return signing.loads(response.context["token"], salt=exchange_views._PREVIEW_SALT)["file"]


def numbers_in(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["数据"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("文号")
    return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_office_exports_one_units_records_to_correct(client, office, draft, unit_b):
    other = make_document(unit_b, number="咸安交规〔2017〕1号", status=Status.DRAFT)
    client.force_login(office)
    assert "或者只导出一个单位的记录" in client.get(PAGE).content.decode()

    everything = numbers_in(export(client))
    assert {draft.number, other.number} <= everything
    chosen = client.get(
        reverse("registers:exchange_export_chosen"),
        {"export-register": "documents", "export-unit": unit_b.code},
    )
    assert numbers_in(chosen) == {other.number}
    assert unit_b.code in chosen["Content-Disposition"]
    by_address = client.get(
        reverse("registers:exchange_export", args=["documents"]), {"unit": draft.unit.code}
    )
    assert numbers_in(by_address) == {draft.number}


def test_an_export_of_an_unknown_or_anothers_unit_is_refused_with_a_message(
    client, office, liaison, draft, unit_b
):
    client.force_login(office)
    response = client.get(
        reverse("registers:exchange_export_chosen"),
        {"export-register": "documents", "export-unit": "NOPE"},
        follow=True,
    )
    assert "选择一个有效的选项" in response.content.decode()

    client.force_login(liaison)
    assert "或者只导出一个单位的记录" not in client.get(PAGE).content.decode()
    own = client.get(
        reverse("registers:exchange_export", args=["documents"]), {"unit": liaison.unit.code}
    )
    assert numbers_in(own) == {draft.number}
    response = client.get(
        reverse("registers:exchange_export", args=["documents"]), {"unit": unit_b.code}, follow=True
    )
    assert "只能导出本单位的记录。" in response.content.decode()
