"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks are accepted wherever .xlsx is,
told apart by their content, not their names; anything else is refused with its reason."""

import io
import zipfile

import openpyxl
import pytest
from django.conf import settings

from registers.core.exchange import reading, updates, uploads
from registers.core.status import Status
from registers.models import Document, InspectionItem
from tests.exchange.test_updates import DOCUMENTS
from tests.exchange.test_uploads import ITEM_HEADER, ITEMS, item_row
from tests.factories import make_document, make_ods, make_xls, make_xlsx

MAKERS = {"xls": make_xls, "ods": make_ods}


def kind_of(data: bytes) -> str:
    limits = settings.LAWGOV
    return reading.check_workbook(
        data,
        max_bytes=limits["UPLOAD_MAX_BYTES"],
        max_uncompressed_bytes=limits["UPLOAD_MAX_UNCOMPRESSED_BYTES"],
    )


def test_each_kind_is_told_by_its_content():
    rows = [item_row()]
    assert kind_of(make_xlsx(rows, ITEM_HEADER)) == reading.XLSX
    assert kind_of(make_xls(rows, ITEM_HEADER)) == reading.XLS
    assert kind_of(make_ods(rows, ITEM_HEADER)) == reading.ODS


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_an_upload_of_an_xls_or_ods_file_creates_the_same_records(kind, liaison, unit_a):
    data = MAKERS[kind]([item_row("SJ-1"), item_row("SJ-2", unit=unit_a.name)], ITEM_HEADER)

    result = uploads.upload(ITEMS, data, user=liaison)

    assert result.ok, result.errors
    items = InspectionItem.objects.order_by("code")
    assert [(item.code, item.unit, item.status) for item in items] == [
        ("SJ-1", unit_a, Status.DRAFT),
        ("SJ-2", unit_a, Status.DRAFT),
    ]
    assert str(items[0].published_on) == "2017-03-01" and items[0].ratio == 5


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_mistakes_in_an_xls_or_ods_file_are_placed_by_row_and_column(kind, liaison):
    data = MAKERS[kind]([item_row("SJ-1", 事项类别="不存在")], ITEM_HEADER)
    result = uploads.upload(ITEMS, data, user=liaison)
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "事项类别", "invalid_choice")]
    assert not InspectionItem.objects.exists()


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_an_xls_or_ods_file_with_a_formula_is_refused(kind, liaison):
    data = MAKERS[kind]([item_row()], ITEM_HEADER, formula_in_cell=10)
    result = uploads.upload(ITEMS, data, user=liaison)
    assert [error.code for error in result.errors] == ["formula"]
    assert "粘贴为数值" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_an_ods_formula_is_found_under_whatever_prefix_the_file_gives_the_table_names(liaison):
    data = make_ods([item_row()], ITEM_HEADER, formula_in_cell=10)
    source, renamed = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with source, zipfile.ZipFile(renamed, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "content.xml":
                # A second prefix for the table names, on the formula alone.
                table = b'"urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
                content = content.replace(
                    b"xmlns:table=" + table, b"xmlns:table=" + table + b" xmlns:t=" + table
                ).replace(b"table:formula=", b"t:formula=")
                assert b"t:formula=" in content
            target.writestr(entry, content)
    result = uploads.upload(ITEMS, renamed.getvalue(), user=liaison)
    assert [error.code for error in result.errors] == ["formula"]


def test_text_that_looks_like_a_formula_in_an_xls_file_is_text(liaison, unit_a):
    """A cell typed as text ("=…" stored as a string) is no formula: the record keeps it."""
    row = item_row("SJ-1", unit=unit_a.name, 检查内容="=企业年报")
    result = uploads.upload(ITEMS, make_xls([row], ITEM_HEADER), user=liaison)
    assert result.ok, result.errors
    assert InspectionItem.objects.get().content == "=企业年报"


def test_a_damaged_xls_file_is_refused_as_unreadable(liaison):
    data = make_xls([item_row()], ITEM_HEADER)
    damaged = data[:512] + b"\xff" * 1536 + data[2048:]  # the workbook stream's start
    [error] = uploads.upload(ITEMS, damaged, user=liaison).errors
    assert error.code == "unreadable"
    assert not InspectionItem.objects.exists()


def test_an_xls_file_with_macros_is_refused(liaison):
    data = make_xls([item_row()], ITEM_HEADER) + "_VBA_PROJECT_CUR".encode("utf-16-le")
    assert [e.code for e in uploads.upload(ITEMS, data, user=liaison).errors] == [
        "macros_not_allowed"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"),  # a .doc
        b"PK\x05\x06" + b"\x00" * 18,  # an empty zip
        "编号,标题\n1,文件".encode(),  # CSV
    ],
)
def test_anything_else_is_refused_whatever_its_name(data, liaison):
    [error] = uploads.upload(ITEMS, data, user=liaison).errors
    assert error.code == "not_xlsx"
    assert "（.xlsx、.xls、.ods）" in error.reason


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_an_export_saved_as_xls_or_ods_updates_the_records(kind, liaison, unit_a):
    record = make_document(
        unit_a, title="原来的标题", number="咸安政规〔2017〕1号", status=Status.DRAFT
    )
    sheet = openpyxl.load_workbook(io.BytesIO(updates.export(DOCUMENTS, liaison)))["数据"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, values = rows[0], rows[1]
    values[header.index("标题")] = "另存后改的标题"
    data = MAKERS[kind]([[v.date() if hasattr(v, "date") else v for v in values]], header)

    plan = updates.preview(DOCUMENTS, data, user=liaison)
    assert plan.ok, plan.errors
    assert updates.apply(DOCUMENTS, data, user=liaison, fingerprint=plan.fingerprint).applied
    assert Document.objects.get(pk=record.pk).title == "另存后改的标题"
