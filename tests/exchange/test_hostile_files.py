"""Files refused with a clear message: not xlsx, too large, zip bombs, macros, formulas,
unknown or missing columns, empty sheets; and a file saved by LibreOffice that works."""

import datetime
import io
import os
import re
import shutil
import struct
import subprocess
import zipfile

import openpyxl
import pytest

from registers.core.exchange import reading, templates, uploads
from registers.models import InspectionItem
from tests.exchange.test_uploads import ITEM_HEADER, ITEMS, item_row
from tests.factories import make_ods, make_xls, make_xlsx


def codes(result):
    return [error.code for error in result.errors]


def upload(data, user):
    return uploads.upload(ITEMS, data, user=user)


@pytest.fixture
def small_limits(settings):
    settings.LAWGOV = {
        **settings.LAWGOV,
        "UPLOAD_MAX_BYTES": 64 * 1024,
        "UPLOAD_MAX_UNCOMPRESSED_BYTES": 1024 * 1024,
    }


def test_a_text_file_renamed_to_xlsx_is_refused_by_its_content(liaison):
    result = upload("标题,类别\n备忘,通知\n".encode(), liaison)
    assert codes(result) == ["not_xlsx"]
    assert ".xlsx" in result.errors[0].reason


def test_a_zip_that_is_not_a_workbook_is_refused(liaison):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert codes(upload(data.getvalue(), liaison)) == ["not_xlsx"]


def test_an_empty_file_is_refused(liaison):
    assert codes(upload(b"", liaison)) == ["empty_file"]


def test_a_damaged_workbook_is_refused(liaison):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really a workbook")
    assert codes(upload(data.getvalue(), liaison)) == ["unreadable"]


def test_a_file_over_the_size_limit_is_refused(liaison, small_limits):
    # Random text does not compress, so the file is as large as its content.
    rows = [item_row(f"SJ-{n}", 检查内容=os.urandom(150).hex()) for n in range(600)]
    data = make_xlsx(rows, ITEM_HEADER)
    assert len(data) > 64 * 1024
    result = upload(data, liaison)
    assert codes(result) == ["file_too_large"]
    assert "MB" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(liaison, small_limits):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (4 * 1024 * 1024))
    assert len(data.getvalue()) < 64 * 1024  # small on the wire …
    result = upload(data.getvalue(), liaison)
    assert codes(result) == ["file_too_large"]  # … but not once unpacked
    assert "解压" in result.errors[0].reason


def _with_part(data: bytes, name: str, change) -> bytes:
    """``data`` with its part ``name`` rewritten by ``change`` (bytes to bytes)."""
    source, result = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with source, zipfile.ZipFile(result, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, change(content) if entry.filename == name else content)
    return result.getvalue()


def test_one_far_cell_in_a_small_file_is_refused_before_any_reader_lays_out_the_sheet(
    liaison,
):
    """A reader lays a sheet out from A1 to its last cell: one cell at CV60000 is 6 million
    cells (the limit is 5 million); one at XFD1048576 would ask for half a terabyte."""
    data = _with_part(
        make_xlsx([item_row()], ITEM_HEADER),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="60000"><c r="CV60000" t="n"><v>1</v></c></row></sheetData>'
        ),
    )
    assert len(data) < 20 * 1024
    result = upload(data, liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "第 60000 行、第 100 列（CV）" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def _ods_with_rows(rows_xml: bytes) -> bytes:
    """An inspection-item ods file with ``rows_xml`` after its one data row."""
    return _with_part(
        make_ods([item_row()], ITEM_HEADER),
        "content.xml",
        lambda xml: xml.replace(b"</table:table>", rows_xml + b"</table:table>"),
    )


def test_an_ods_row_repeated_past_the_limit_is_refused_before_any_reader_lays_it_out(liaison):
    """An ods row or cell may stand for many: 6,000 rows of 1,000 cells holding a number is
    6 million cells written in a few hundred bytes (a billion would take the server's
    memory)."""
    data = _ods_with_rows(
        b'<table:table-row table:number-rows-repeated="6000">'
        b'<table:table-cell table:number-columns-repeated="1000" office:value-type="float"'
        b' office:value="1"/></table:table-row>'
    )
    assert len(data) < 20 * 1024
    result = upload(data, liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "第 6002 行、第 1000 列（ALL）" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_an_ods_sheet_s_empty_rows_repeated_to_its_edge_are_no_extent(liaison):
    """LibreOffice ends a sheet with its empty rows and cells written once and repeated to
    the sheet's edge: they hold no value, so the file is read."""
    data = _ods_with_rows(
        b'<table:table-row table:number-rows-repeated="1048573">'
        b'<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    result = upload(data, liaison)
    assert result.ok, result.errors
    assert InspectionItem.objects.count() == 1


def test_one_far_cell_in_an_xls_file_is_refused_before_any_reader_lays_out_the_sheet(liaison):
    far_row = [None] * 99 + [1]  # column CV
    data = make_xls([item_row(), *[[]] * 59997, far_row], ITEM_HEADER)
    assert len(data) < 20 * 1024
    result = upload(data, liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "第 60000 行、第 100 列（CV）" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def _xls_records(stream: bytes):
    """The records of an xls workbook stream: (offset, type, content)."""
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield position, kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _xls_stream(*sheets: dict[tuple[int, int], object]) -> bytes:
    """The workbook stream of an xls file: the inspection-item header and one data row on
    the sheet 数据, then a sheet ``S1``, ``S2``… for each of ``sheets`` (cells by (row,
    column) from 0)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    data, dates = book.add_sheet("数据"), xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for number, row in enumerate([ITEM_HEADER, item_row()]):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                data.write(number, column, value, dates)
            elif value is not None:
                data.write(number, column, value)
    for index, cells in enumerate(sheets, start=1):
        sheet = book.add_sheet(f"S{index}")
        for (row, column), value in cells.items():
            sheet.write(row, column, value)
    return book.get_biff_data()


def _xls_file(stream: bytes) -> bytes:
    """An xls (OLE2) file holding the workbook ``stream``."""
    from xlwt.CompoundDoc import XlsDoc

    buffer = io.BytesIO()
    XlsDoc().save(buffer, stream)
    return buffer.getvalue()


#: The BIFF records these files edit: a sheet's place, a sheet's declared extent.
BOUNDSHEET, DIMENSIONS = 0x0085, 0x0200


def _with_record_start(stream: bytes, kind: int, index: int, layout: str, *values) -> bytes:
    """``stream`` with the start of the ``index``-th record of ``kind`` rewritten as
    ``values`` packed by ``layout``."""
    found = [offset for offset, found_kind, _ in _xls_records(stream) if found_kind == kind]
    changed = bytearray(stream)
    struct.pack_into(layout, changed, found[index] + 4, *values)
    return bytes(changed)


def _with_dimensions(stream: bytes, sheet: int, rows: tuple, columns: tuple) -> bytes:
    """``stream`` with the DIMENSIONS record of its ``sheet``-th sheet (0 the data sheet)
    declaring ``rows`` and ``columns`` (first, one past the last)."""
    return _with_record_start(stream, DIMENSIONS, sheet, "<IIHH", *rows, *columns)


def test_an_xls_dimensions_record_declaring_billions_of_cells_is_refused(liaison):
    """calamine reserves room for the cells a sheet's DIMENSIONS record declares before it
    reads one: a 6 KB file declaring 4 billion rows of 65,535 columns stopped the server's
    process (the allocation failed and aborted it)."""
    data = _xls_file(_with_dimensions(_xls_stream(), 0, (0, 4_000_000_000), (0, 65535)))
    assert len(data) < 20 * 1024
    result = upload(data, liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "第 4000000000 行、第 65535 列（CRXO）" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_an_xls_dimensions_record_ending_before_it_begins_is_refused_as_damaged(liaison):
    """calamine counts a DIMENSIONS record's rows in unsigned 32-bit numbers: a first row
    after the last wraps round to billions."""
    data = _xls_file(_with_dimensions(_xls_stream({(0, 0): 1}), 1, (10, 5), (0, 3)))
    result = upload(data, liaison)
    assert codes(result) == ["unreadable"]
    assert not InspectionItem.objects.exists()


def test_an_xls_dimensions_record_within_the_limit_is_read(liaison):
    data = _xls_file(_with_dimensions(_xls_stream(), 0, (0, 10_000), (0, 256)))
    result = upload(data, liaison)
    assert result.ok, result.errors
    assert InspectionItem.objects.count() == 1


@pytest.fixture
def sheet_limit(settings):
    settings.LAWGOV = {**settings.LAWGOV, "UPLOAD_MAX_SHEET_CELLS": 100_000}


def _ods_with_sheets(count: int) -> bytes:
    """An inspection-item ods file and ``count`` more tables, each of 300 rows of 200
    cells: 60,000 cells written in a few hundred bytes."""
    table = (
        b'<table:table table:name="S"><table:table-row table:number-rows-repeated="300">'
        b'<table:table-cell table:number-columns-repeated="200" office:value-type="float"'
        b' office:value="1"/></table:table-row></table:table>'
    )
    return _with_part(
        make_ods([item_row()], ITEM_HEADER),
        "content.xml",
        lambda xml: xml.replace(b"</table:table>", b"</table:table>" + table * count, 1),
    )


def _xls_with_sheets(count: int) -> bytes:
    """An inspection-item xls file and ``count`` more sheets, each to its cell at row 300,
    column 200: 60,000 cells."""
    return _xls_file(_xls_stream(*[{(299, 199): 1}] * count))


@pytest.mark.usefixtures("sheet_limit")
@pytest.mark.parametrize("make", [_ods_with_sheets, _xls_with_sheets], ids=["ods", "xls"])
def test_xls_and_ods_sheets_count_together_against_the_limit(liaison, make):
    """calamine lays out every sheet of an xls or ods file when it opens it (of an xlsx
    file only the one read): with a limit of 100,000 cells one more sheet of 60,000 is
    read, two are refused (a thousand would take the server's memory)."""
    result = upload(make(1), liaison)
    assert result.ok, result.errors

    result = upload(make(2), liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "合计 120" in result.errors[0].reason
    assert "请删去数据表以外的工作表" in result.errors[0].reason
    assert InspectionItem.objects.count() == 1


def _xls_with_hidden_sheet(cell: tuple[int, int]) -> bytes:
    """An xls file whose second sheet, as its BOUNDSHEET record places it, stands inside
    another record's content at the end of the stream: read in order, the stream shows no
    such sheet, while calamine reads it from the offset, up to its one number at
    ``cell``."""
    stream = _xls_stream({(0, 0): 1})
    hidden = b"".join(
        struct.pack("<HH", kind, len(content)) + content
        for kind, content in [
            (0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)),  # BOF
            (0x0203, struct.pack("<HHHd", *cell, 0x0F, 1.0)),  # NUMBER
            (0x000A, b""),  # EOF
        ]
    )
    wrapper = struct.pack("<HH", 0x1234, len(hidden)) + hidden  # a record of no known kind
    return _xls_file(_with_record_start(stream + wrapper, BOUNDSHEET, 1, "<I", len(stream) + 4))


def test_an_xls_sheet_is_measured_where_its_boundsheet_record_places_it():
    """calamine reads each sheet from the offset its BOUNDSHEET record gives, so the check
    does too, and agrees with calamine's extent for a sheet no reading in order finds."""
    import python_calamine

    data = _xls_with_hidden_sheet((500, 30))
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.get_sheet_by_name("S1").end == (500, 30)

    scan = reading.scan_workbook(data, reading.XLS)

    assert (scan.last_row, scan.last_column) == (501, 31)


def test_a_far_cell_in_an_xls_sheet_found_only_by_its_offset_is_refused(liaison):
    result = upload(_xls_with_hidden_sheet((59_999, 99)), liaison)
    assert codes(result) == ["sheet_too_large"]
    assert "第 60000 行、第 100 列（CV）" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_an_xls_sheet_offset_past_the_stream_is_refused_as_damaged(liaison):
    """calamine would stop with a panic no caller can catch as an error."""
    changed = _with_record_start(_xls_stream({(0, 0): 1}), BOUNDSHEET, 1, "<I", 1 << 30)
    assert codes(upload(_xls_file(changed), liaison)) == ["unreadable"]


def test_a_file_on_which_the_compiled_reader_panics_is_refused_as_damaged(liaison):
    """A BOUNDSHEET record four bytes long (the sheet's place, not its kind and name) made
    calamine panic; pyo3 raises that as a BaseException, which went past every handler
    (a server's worker ended on it)."""
    stream = _xls_stream({(0, 0): 1})
    records = [(kind, content) for _, kind, content in _xls_records(stream)]
    first, second = [i for i, (kind, _) in enumerate(records) if kind == BOUNDSHEET]
    cut = len(records[second][1]) - 4
    records[second] = (BOUNDSHEET, records[second][1][:4])
    for index in (first, second):  # the sheets now stand ``cut`` bytes earlier
        offset = struct.unpack_from("<I", records[index][1])[0]
        records[index] = (BOUNDSHEET, struct.pack("<I", offset - cut) + records[index][1][4:])
    changed = b"".join(
        struct.pack("<HH", kind, len(content)) + content for kind, content in records
    )

    result = upload(_xls_file(changed), liaison)

    assert codes(result) == ["unreadable"]
    assert not InspectionItem.objects.exists()


def test_an_xls_file_olefile_cannot_read_is_refused_as_damaged(liaison):
    data = bytearray(make_xls([item_row()], ITEM_HEADER))
    data[48:52] = b"\xfe\xff\xff\xff"  # the directory's first sector: none
    assert codes(upload(bytes(data), liaison)) == ["unreadable"]


def test_a_shared_strings_table_declaring_millions_of_strings_is_refused(liaison):
    data = io.BytesIO(make_xlsx([item_row()], ITEM_HEADER))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="6000000" uniqueCount="6000000"><si><t>x</t></si></sst>',
        )
    assert codes(upload(data.getvalue(), liaison)) == ["sheet_too_large"]


@pytest.mark.parametrize(
    "mark",
    [
        b'<c r="B2"><f\n>1+1</f><v>2</v></c>',  # white space after the name
        b'<c r="B2" t = "e"><v>#DIV/0!</v></c>',  # and around "="
    ],
)
def test_formulas_and_error_values_however_spaced_are_refused(liaison, mark):
    """The value last saved with a formula or an error is never taken for data."""
    data = _with_part(
        make_xlsx([item_row()], ITEM_HEADER),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<c r="B2".*?</c>', mark, xml, count=1),
    )
    refused = upload(data, liaison).errors
    assert [(error.code, error.row, error.column_letter) for error in refused][:1] in (
        [("formula", 2, "B")],
        [("cell_error", 2, "B")],
    )


def test_a_workbook_with_macros_is_refused(liaison):
    data = io.BytesIO(make_xlsx([item_row()], ITEM_HEADER))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    assert codes(upload(data.getvalue(), liaison)) == ["macros_not_allowed"]


def test_formula_cells_are_refused_each_with_its_place(liaison):
    rows = [
        item_row("SJ-1", 抽查事项='=HYPERLINK("http://evil.example","点击")'),
        item_row("SJ-2", **{"抽查比例（%）": "=1+1"}),
    ]
    result = upload(make_xlsx(rows, ITEM_HEADER), liaison)
    assert {(e.row, e.column, e.column_letter, e.code) for e in result.errors} == {
        (2, "抽查事项", "D", "formula"),
        (3, "抽查比例（%）", "J", "formula"),
    }
    assert "粘贴为数值" in result.errors[0].reason
    assert not InspectionItem.objects.exists()


def test_unknown_columns_are_named(liaison):
    header = [*ITEM_HEADER, "备注说明", "经办人"]
    result = upload(make_xlsx([item_row() + ["x", "y"]], header), liaison)
    assert codes(result) == ["unknown_column"]
    assert "“备注说明”" in result.errors[0].reason and "“经办人”" in result.errors[0].reason
    assert result.errors[0].row == 1


def test_data_in_a_column_without_a_name_is_refused(liaison):
    result = upload(make_xlsx([item_row() + ["多出来的内容"]], ITEM_HEADER), liaison)
    assert [(e.row, e.column_letter, e.code) for e in result.errors] == [(2, "N", "unknown_column")]


def test_missing_required_columns_are_named(liaison):
    header = [name for name in ITEM_HEADER if name not in ("事项编码", "检查依据")]
    rows = [[value for name, value in zip(ITEM_HEADER, item_row(), strict=True) if name in header]]
    result = upload(make_xlsx(rows, header), liaison)
    assert codes(result) == ["missing_column"]
    assert "“事项编码”" in result.errors[0].reason and "“检查依据”" in result.errors[0].reason


def test_a_repeated_column_is_refused(liaison):
    header = [*ITEM_HEADER, "事项编码"]
    result = upload(make_xlsx([item_row() + ["SJ-X"]], header), liaison)
    assert codes(result) == ["duplicate_column"]


def test_an_empty_sheet_is_refused(liaison):
    assert codes(upload(make_xlsx([]), liaison)) == ["empty_sheet"]


def test_a_sheet_with_only_the_header_is_refused(liaison):
    result = upload(make_xlsx([], ITEM_HEADER), liaison)
    assert codes(result) == ["empty_sheet"]
    assert "第 2 行" in result.errors[0].reason


def test_error_values_are_reported(liaison):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ITEM_HEADER)
    sheet.append(item_row())
    sheet["J2"].value = "#DIV/0!"
    sheet["J2"].data_type = "e"
    data = io.BytesIO()
    book.save(data)
    result = upload(data.getvalue(), liaison)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "抽查比例（%）", "cell_error")
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice_uploads(liaison, tmp_path):
    template = openpyxl.load_workbook(io.BytesIO(templates.build_template(ITEMS, liaison)))
    header = [cell.value for cell in template["数据"][1]]
    values = dict(zip(ITEM_HEADER, item_row("LO-1"), strict=True))
    template["数据"].append([values.get(name) for name in header])
    source = tmp_path / "filled.xlsx"
    template.save(source)
    out = tmp_path / "out"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    if not (out / "filled.xlsx").exists():
        pytest.skip("this LibreOffice cannot open spreadsheets (Calc is not installed)")
    saved = (out / "filled.xlsx").read_bytes()
    assert saved != source.read_bytes()

    result = upload(saved, liaison)

    assert result.ok, result.errors
    item = InspectionItem.objects.get()
    assert (item.code, item.unit) == ("LO-1", liaison.unit)
