"""Reading an uploaded sheet: the fast reader gives exactly the rows openpyxl gives, and files
with formulas or error values are read cell by cell, so each one can be named."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from registers.core.exchange import reading, templates, uploads
from tests.factories import make_exchange_references, make_ods, make_xlsx


def rows_by_openpyxl(data: bytes) -> list:
    sheet = reading.data_sheet(reading.open_workbook(data))
    return [(row.number, row.values) for row in reading.iter_sheet_rows(sheet)]


def rows_as_read(data: bytes) -> list:
    return [(row.number, row.values) for row in reading.read_data_sheet(data).rows]


def meaningful(rows: list) -> list:
    """Rows with their trailing empty cells dropped, blank rows left out."""
    kept = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            kept.append((number, values))
    return kept


def workbook(cells: dict, title="数据") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for reference, value in cells.items():
        sheet[reference] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    data = workbook(
        {
            "C3": "名称",
            "D3": "日期",
            "E3": "数量",
            "C4": "  有空格的文字 ",
            "D4": datetime.date(2017, 5, 2),
            "E4": 5,
            "C5": "=看起来像公式的文字",
            "D5": datetime.datetime(2017, 5, 1, 10, 30),
            "E5": 1.5,
            "C6": True,
            "D6": datetime.time(10, 30),
            "E6": -3,
            "C9": 123456789012,
            "D9": 1e20,
            "F9": "右边多出的一格",
        }
    )
    data = _as_text(data, "C5")  # typed text starting with "=", not a formula
    assert not reading.scan_workbook(data).formula_or_error

    rows = rows_as_read(data)

    assert meaningful(rows) == meaningful(rows_by_openpyxl(data))
    assert rows[2][0] == 3
    assert rows[2][1][:5] == [None, None, "名称", "日期", "数量"]
    assert rows[3][1][3] == datetime.datetime(2017, 5, 2)
    assert type(rows[3][1][4]) is int
    assert rows[4][1][2] == "=看起来像公式的文字"


def _as_text(data: bytes, reference: str) -> bytes:
    """openpyxl saves a string starting with "=" as a formula; make that cell text again."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    cell = book.active[reference]
    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("slug", [rc.slug for rc in uploads.resource_classes()])
def test_every_registers_filled_template_reads_as_openpyxl_reads_it(slug, liaison, unit_a):
    make_exchange_references(unit_a)
    resource_class = uploads.resource_for(slug)
    book = openpyxl.load_workbook(io.BytesIO(templates.build_template(resource_class, liaison)))
    example = list(book["说明"].iter_rows(values_only=True))[-1]
    for _copy in range(3):
        book["数据"].append(example)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    sheet = reading.read_data_sheet(data)

    assert sheet.title == "数据"
    assert sheet.estimated_rows == 4
    assert meaningful([(row.number, row.values) for row in sheet.rows]) == meaningful(
        rows_by_openpyxl(data)
    )


def test_formulas_and_error_values_send_the_file_to_the_cell_by_cell_reader():
    formula = workbook({"A1": "名称", "A2": "=1+1"})
    error = workbook({"A1": "名称", "A2": "#N/A"})  # openpyxl stores this as an error value

    assert reading.scan_workbook(formula).formula_or_error
    assert reading.scan_workbook(error).formula_or_error
    assert reading.scan_workbook(make_xlsx([["=SUM(A1:A2)"]], ["x"])).formula_or_error
    assert next(r for r in reading.read_data_sheet(formula).rows if r.number == 2).formulas
    error_row = next(r for r in reading.read_data_sheet(error).rows if r.number == 2)
    assert error_row.error_values == {0: "#N/A"}


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A2"><f>1+1</f><v>2</v></c>',
        b'<c r="A2"><f t="shared" ref="A2:A3" si="0">1+1</f><v>2</v></c>',
        b'<c r="A2"><f t="shared" si="0"/><v>2</v></c>',
        b'<x:c r="A2"><x:f>1+1</x:f><x:v>2</x:v></x:c>',
        b'<c r="A2" t="e"><v>#DIV/0!</v></c>',
    ],
)
def test_formulas_are_found_however_the_xml_writes_them(cell):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData><row r='2'>" + cell + b"</row></sheetData></worksheet>",
        )
    assert reading.scan_workbook(data.getvalue()).formula_or_error


def test_a_mark_split_between_two_chunks_is_still_found(monkeypatch):
    monkeypatch.setattr(reading, "_SCAN_CHUNK", 7)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/><f>1+1</f></row>")
    assert reading.scan_workbook(data.getvalue()).formula_or_error


def test_cells_without_their_reference_are_read_where_they_stand(monkeypatch):
    """A cell may leave out its reference (``r``): it then follows the one before. Such a
    file goes to the cell-by-cell reader: its extent cannot be told from the references."""
    monkeypatch.setattr(reading, "_SCAN_CHUNK", 9)  # pieces cut between tags, not in them
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
            b'<c t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>',
        )
    scan = reading.scan_workbook(data.getvalue())
    assert scan.unreferenced_cells and (scan.last_row, scan.last_column) == (1, 1)
    assert not scan.formula_or_error


def _ods_with(rows_xml: bytes) -> bytes:
    """An ods file: a header cell at A1, then ``rows_xml``."""
    source, result = zipfile.ZipFile(io.BytesIO(make_ods([], ["表头"]))), io.BytesIO()
    with source, zipfile.ZipFile(result, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "content.xml":
                content = content.replace(b"</table:table>", rows_xml + b"</table:table>")
            target.writestr(entry, content)
    return result.getvalue()


def _xls_with(cells: dict[tuple[int, int], object]) -> bytes:
    """An xls file: a header cell at A1, then ``cells`` by (row, column) from 0; None writes
    a formatted blank cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("数据")
    sheet.write(0, 0, "表头")
    for (row, column), value in cells.items():
        sheet.write(row, column, value, xlwt.easyxf("font: bold on"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_VALUE = b'office:value-type="float" office:value="1"'
_ROWS, _CELLS = b"table:number-rows-repeated", b"table:number-columns-repeated"

#: Sheets beyond a header cell at A1, as ods rows or xls cells by (row, column) from 0
#: (None a formatted blank cell).
SHEETS = {
    "ods-header-only": b"",
    "ods-repeated-rows": b"<table:table-row " + _ROWS + b'="300"><table:table-cell '
    + _VALUE + b"/></table:table-row>",
    "ods-repeated-cells": b"<table:table-row><table:table-cell " + _CELLS + b'="70" '
    + _VALUE + b"/></table:table-row>",
    "ods-repeated-both": b"<table:table-row " + _ROWS + b'="40"><table:table-cell '
    + _CELLS + b'="9"/><table:table-cell ' + _CELLS + b'="3" ' + _VALUE
    + b"/></table:table-row>",
    "ods-formatted-and-text-only-cells": b"<table:table-row " + _ROWS + b'="500">'
    b'<table:table-cell table:style-name="ce1" ' + _CELLS + b'="80"/>'
    b"<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>",
    "xls-number": {(500, 30): 1.5},
    "xls-run-of-numbers": {(700, 3): 123, (700, 4): 456, (700, 5): 789},
    "xls-bool-and-text": {(9, 9): True, (12, 2): "文字"},
    "xls-formatted-blank": {(5000, 200): None, (2, 2): 1},
}  # fmt: skip


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_the_scan_measures_an_xls_or_ods_sheet_as_calamine_lays_it_out(sheet):
    """The extent check rests on how calamine lays out a sheet: to its last cell holding a
    value, passing over empty, formatted and (in ods) text-only cells."""
    import python_calamine

    kind = reading.ODS if sheet.startswith("ods") else reading.XLS
    data = (_ods_with if kind == reading.ODS else _xls_with)(SHEETS[sheet])
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    last_row, last_column = workbook.get_sheet_by_name("数据").end
    scan = reading.scan_workbook(data, kind)
    assert (scan.last_row, scan.last_column) == (last_row + 1, last_column + 1)


def test_a_column_letter_is_openpyxl_s_as_far_as_openpyxl_goes_and_goes_on_past_it():
    """Refusals name columns by letter; an xls record may name column 65,535."""
    from openpyxl.utils import get_column_letter

    assert [reading.column_letter(i) for i in range(18_278)] == [
        get_column_letter(i + 1) for i in range(18_278)
    ]
    assert reading.column_letter(18_278) == "AAAA"
    assert reading.column_letter(65_534) == "CRXO"
