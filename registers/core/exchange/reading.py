"""Reading and writing spreadsheet cells safely.

Writing: text that looks like a formula never becomes one. Reading: an uploaded file is
checked before anyone parses it (size, real workbook content: xlsx, xls or ods; no macros,
no zip bomb), then its
data sheet is read row by row, telling formulas apart from text that merely starts with "="
so the first can be refused and the second stored as typed.

Two readers give the same rows. A file whose sheets hold no formula and no error value (what
a filled template is) is read by calamine, a compiled reader about eight times faster than
openpyxl; any other file is read by openpyxl's streaming mode, which sees each cell's type and
so can say exactly which cells are formulas or errors.

Library internals relied on: openpyxl's read-only cells' ``data_type`` ("f" a formula, "e" an
error value) and ``ReadOnlyWorksheet.reset_dimensions``; python-calamine's sheet ``start``,
``end`` and ``iter_rows`` and the Python types of its cells (str, float, int, bool, date,
datetime, time, timedelta), and that it lays a sheet out in full from its first to its
last cell holding a value (every sheet of an xls or ods file when it opens the file),
reserves room for the shared strings a file declares and for the cells an xls sheet's
DIMENSIONS record declares, and reads an xls sheet from the offset its BOUNDSHEET record
gives (``scan_workbook`` bounds all of it before calamine runs); how xlsx XML writes a
formula or an error value, a cell and its reference (``_FORMULA_MARKS``, ``_ERROR_VALUE``,
``_CELL``, ``_CELL_REFERENCE``); how ods XML repeats rows and cells and marks a cell
holding a value (``_scan_ods``); and how an xls workbook stream writes a cell, a sheet's
place and its declared extent (``_BIFF_*``, read through olefile's ``openstream``).
``tests/exchange/test_reading.py`` holds the two readers against each other, on every
register's filled template among others.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from registers.core.text import printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The data sheet of a template; other files are read from their first sheet.
DATA_SHEET_TITLE = "数据"


def escape_formula(value: Any) -> Any:
    """A cell of an .xlsx or CSV file: text without what a file cannot hold
    (``registers.core.text.printable``), a quote prefixed to text a spreadsheet would run as
    a formula (=, +, -, @)."""
    value = printable(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo ``escape_formula``, so an exported file imports back to the same text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def append_row(sheet, values: list[Any]) -> None:
    """Append to an openpyxl sheet, storing formula-looking text as plain text."""
    sheet.append([escape_formula(value) for value in values])


# --- Checking and reading uploads -------------------------------------------------------------


class SpreadsheetError(ValueError):
    """A file refused as a whole, with a Chinese message and a machine code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


#: What an accepted workbook is, told by its content (``check_workbook``).
XLSX, XLS, ODS = "xlsx", "xls", "ods"

#: The first bytes of an OLE2 compound file: an Excel 97-2003 workbook (.xls) among others.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _ole_entry(name: str) -> bytes:
    """How an OLE2 file's directory names an entry (UTF-16LE)."""
    return name.encode("utf-16-le")


def check_workbook(data: bytes, *, max_bytes: int, max_uncompressed_bytes: int) -> str:
    """Refuse what is not a plain workbook of a sensible size, by its content; say which
    kind it is: ``XLSX``, ``XLS`` (Excel 97-2003) or ``ODS`` (OpenDocument).

    The name of a file says nothing: an xlsx file is a zip archive holding
    ``xl/workbook.xml``, an ods file one whose ``mimetype`` says so, an xls file an OLE2
    compound file holding a ``Workbook`` (or, older, ``Book``) stream. A zip's declared
    unpacked size is checked too, so a small archive that would unpack to gigabytes (a zip
    bomb) is refused before anything is unpacked. Macros are refused in every kind.
    """
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("文件大小 %(size)s MB，超过上限 %(limit)s MB。请分成几个文件上传。")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes)},
            "file_too_large",
        )
    if not data:
        raise SpreadsheetError(_("文件是空的。"), "empty_file")
    not_workbook = SpreadsheetError(
        _(
            "文件不是 Excel 或 WPS 表格工作簿（.xlsx、.xls、.ods）。"
            "请用下载的模板填写，并保存为 .xlsx 格式。"
        ),
        "not_xlsx",
    )
    macros = SpreadsheetError(
        _("文件中含有宏，不能上传。请另存为不含宏的 .xlsx 工作簿。"), "macros_not_allowed"
    )
    if data.startswith(_OLE_MAGIC):
        if _ole_entry("EncryptedPackage") in data:
            raise SpreadsheetError(
                _("文件设置了打开密码，不能读取。请取消密码后另存再上传。"), "encrypted"
            )
        if _ole_entry("Workbook") not in data and _ole_entry("Book") not in data:
            raise not_workbook
        if _ole_entry("_VBA_PROJECT_CUR") in data:
            raise macros
        return XLS
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_workbook from None
    with archive:
        try:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" in names:
                kind = XLSX
                has_macros = "xl/vbaProject.bin" in names
            elif "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                kind = ODS
                has_macros = any(name.startswith(("Basic/", "Scripts/")) for name in names)
            else:
                raise not_workbook
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            raise not_workbook from None
        if has_macros:
            raise macros
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > max_uncompressed_bytes:
            raise SpreadsheetError(
                _("文件解压后有 %(size)s MB，超过上限 %(limit)s MB。请分成几个文件上传。")
                % {"size": _megabytes(unpacked), "limit": _megabytes(max_uncompressed_bytes)},
                "file_too_large",
            )
    return kind


def open_workbook(data: bytes | IO[bytes]):
    """Open a checked file in openpyxl's streaming (read-only) mode, formulas as written."""
    import openpyxl

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _unreadable() from error


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(
        _("无法读取该工作簿，文件可能已损坏。请重新保存为 .xlsx 后再上传。"), "unreadable"
    )


def _data_sheet_name(names: list[str]) -> str:
    """The sheet to read: the template's data sheet if present, else the first one."""
    if DATA_SHEET_TITLE in names:
        return DATA_SHEET_TITLE
    if not names:
        raise SpreadsheetError(_("工作簿中没有工作表。"), "empty_sheet")
    return names[0]


def data_sheet(workbook):
    """The openpyxl sheet to read (see ``_data_sheet_name``)."""
    return workbook[_data_sheet_name(workbook.sheetnames)]


@dataclass
class SheetRow:
    """One row as read: its number in the sheet (from 1), its values, and its odd cells."""

    number: int
    values: list[Any]
    #: Column indexes (from 0) of cells holding a formula, with the formula text.
    formulas: dict[int, str] = field(default_factory=dict)
    #: Column indexes of cells holding an error value (#N/A, #DIV/0! …), with the value.
    error_values: dict[int, str] = field(default_factory=dict)

    @property
    def is_blank(self) -> bool:
        return not self.formulas and all(
            value is None or (isinstance(value, str) and not value.strip()) for value in self.values
        )


def estimated_rows(sheet) -> int:
    """The row count the file declares (for progress only; 0 when it declares none)."""
    try:
        return int(sheet.max_row or 0)
    except (TypeError, ValueError):
        return 0


def iter_sheet_rows(sheet) -> Iterator[SheetRow]:
    """Every row of an openpyxl read-only sheet, numbered as the sheet numbers them.

    The declared dimensions are ignored, so a file that declares too few rows is still read
    to the end.
    """
    sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = []
        formulas = {}
        error_values = {}
        for index, cell in enumerate(cells):
            value = cell.value
            kind = cell.data_type
            if kind == "f":
                formulas[index] = str(value)
                value = None
            elif kind == "e":
                error_values[index] = str(value)
                value = None
            values.append(value)
        yield SheetRow(number, values, formulas, error_values)


@dataclass
class DataSheet:
    """The sheet an upload reads: its title, the row count it declares, and its rows."""

    title: str
    estimated_rows: int
    rows: Iterator[SheetRow]


def read_data_sheet(data: bytes, kind: str = XLSX, *, max_cells: int | None = None) -> DataSheet:
    """The data sheet of a checked file (``check_workbook`` says its ``kind``), by the
    fastest reader that can read it faithfully: calamine, unless some cell of an xlsx file
    holds a formula or an error value, or has no reference (``scan_workbook``). An xls or
    ods file is read by calamine alone (openpyxl reads neither), so one holding a formula is
    refused as a whole: calamine would give the values last saved with the formulas, where
    the page promises no formulas. A sheet whose cells span more than ``max_cells``
    (``LAWGOV["UPLOAD_MAX_SHEET_CELLS"]``) is refused before either reader sees it."""
    limit = max_cells or settings.LAWGOV["UPLOAD_MAX_SHEET_CELLS"]
    scan = scan_workbook(data, kind, max_cells=limit)
    if kind != XLSX and scan.formula_or_error:
        raise SpreadsheetError(_("文件中含有公式，请复制后“粘贴为数值”，另存后再上传。"), "formula")
    scan.check_extent(limit)
    if kind == XLSX and (scan.formula_or_error or scan.unreferenced_cells):
        sheet = data_sheet(open_workbook(data))
        return DataSheet(sheet.title, estimated_rows(sheet), iter_sheet_rows(sheet))
    return _read_with_calamine(data)


_NAME_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
#: How a formula or an error value is written in a sheet's XML, with or without a namespace
#: prefix, with any white space: ``<f>``, ``<f t="shared" …/>``, ``<x:f>``, ``<c … t="e">``.
#: Each pattern begins with literal bytes, which the regular expression engine finds fast;
#: the error value's is tried only where a quoted "e" stands.
_FORMULA_MARKS = (re.compile(rb"<f[>\s/]"), re.compile(rb":f[>\s/]"))
_ERROR_VALUE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
#: Cells the quick count (``<c ``, ``<c>``, ``<c/>``) would miss: a prefixed name, or other
#: white space after the name.
_ODD_CELLS = (re.compile(rb":c[\s>/]"), re.compile(rb"<c[\n\t\r]"))
#: A cell, and a cell with its reference anywhere among its attributes (the quick count
#: takes the reference first, as every spreadsheet program writes it: ``<c r="B2"``).
_CELL = re.compile(_NAME_PREFIX + rb"c[\s>/]")
_CELL_REFERENCE = re.compile(
    _NAME_PREFIX + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']"
)
#: Quick bounds: a sheet whose references name no column past AX and no row past 99,999
#: spans at most ``_QUICK_BOUND_CELLS`` cells, which needs no exact count; a reference past
#: either (``_FAR_REFERENCE``) has the part's references read one by one.
_QUICK_BOUND_CELLS = 50 * 99_999
_FAR_REFERENCE = re.compile(rb'c r="(?:[A-Z]{3}|[B-Z][A-Z]|A[Y-Z]|[A-Z]{1,2}[0-9]{6})')
#: The start of a shared-strings part, and the counts it declares (a reader may reserve room
#: for them), whatever the part is named.
_SHARED_STRINGS = re.compile(_NAME_PREFIX + rb"sst\s[^>]*>")
_DECLARED_COUNT = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*[\"']([0-9]+)[\"']")
_SCAN_CHUNK = 1 << 20


@dataclass
class WorkbookScan:
    """What a checked file says of its cells before any reader builds it (``scan_workbook``)."""

    #: A cell holding a formula (in an xlsx file, also one holding an error value).
    formula_or_error: bool = False
    #: An xlsx cell without its reference: its place follows from the cells before it.
    unreferenced_cells: bool = False
    #: The last row and column holding a value, counted from 1 (in an xlsx file the last the
    #: cells name, where a sheet was read exactly; else 0: all within the quick bounds).
    last_row: int = 0
    last_column: int = 0
    declared_strings: int = 0
    #: In an xls or ods file, the cells of its sheets other than the largest: calamine lays
    #: out every sheet of these when it opens the file (of an xlsx file, only the one read).
    other_sheets_cells: int = 0
    #: The largest rows and columns an xls sheet's DIMENSIONS record declares: calamine
    #: reserves room for as many cells before it reads one.
    declared: tuple[int, int] = (0, 0)

    def add_sheet(self, rows: int, columns: int) -> None:
        """Count a sheet of an xls or ods file laid out to ``rows`` by ``columns``; the
        largest stays in ``last_row`` and ``last_column``, the others add up."""
        if rows * columns > self.last_row * self.last_column:
            self.other_sheets_cells += self.last_row * self.last_column
            self.last_row, self.last_column = rows, columns
        else:
            self.other_sheets_cells += rows * columns

    def check_extent(self, max_cells: int) -> None:
        """Refuse a sheet spanning more than ``max_cells`` cells or declaring as many (an xls
        sheet's DIMENSIONS record), an xls or ods workbook whose sheets together span more,
        or one declaring more shared strings: calamine lays a sheet out as a full grid from
        A1 to its last cell, so one cell at XFD1048576 in a 10 KB file would ask for half a
        terabyte."""
        if self.declared_strings > max_cells:
            raise SpreadsheetError(
                _(
                    "文件声明了 %(count)s 个文字单元格，超过 %(limit)s 个单元格的上限，"
                    "文件可能已损坏。请在 Excel 或 WPS 中打开后另存，再上传。"
                )
                % {"count": self.declared_strings, "limit": max_cells},
                "sheet_too_large",
            )
        for rows, columns in ((self.last_row, self.last_column), self.declared):
            if rows * columns > max_cells:
                raise _too_large(rows, columns, max_cells)
        total = self.last_row * self.last_column + self.other_sheets_cells
        if total > max_cells:
            raise SpreadsheetError(
                _(
                    "工作簿各工作表的数据区域合计 %(count)s 个单元格，超过 %(limit)s 个单元格的"
                    "上限（.xls 和 .ods 文件打开时每个工作表都要读入）。请删去数据表以外的工作表，"
                    "另存后再上传。"
                )
                % {"count": total, "limit": max_cells},
                "sheet_too_large",
            )


def _too_large(rows: int, columns: int, max_cells: int) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "工作表的数据区域过大：到第 %(rows)s 行、第 %(columns)s 列（%(column)s），"
            "超过 %(limit)s 个单元格的上限。请删去数据以外的行和列（包括只设置了格式的"
            "单元格），另存后再上传；数据确实很多时请分成几个文件。"
        )
        % {
            "rows": rows,
            "columns": columns,
            "column": column_letter(max(columns - 1, 0)),
            "limit": max_cells,
        },
        "sheet_too_large",
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def scan_workbook(data: bytes, kind: str = XLSX, *, max_cells: int | None = None) -> WorkbookScan:
    """Scan a checked file (``check_workbook`` says its ``kind``) a piece at a time, memory
    staying flat: whether a cell holds a formula, and how far its cells reach."""
    if kind == ODS:
        return _scan_ods(data)
    if kind == XLS:
        return _scan_xls(data)
    return _scan_xlsx(data, max_cells=max_cells)


def _scan_xlsx(data: bytes, *, max_cells: int | None = None) -> WorkbookScan:
    """Scan the XML parts of an xlsx file, unpacked a piece at a time: whether any may hold
    a formula or an error value, whether a worksheet has a cell without its reference, the
    strings a shared-strings part declares, and, where a sheet may span more than
    ``max_cells`` (``LAWGOV["UPLOAD_MAX_SHEET_CELLS"]``), the last row and column its cells
    name (else only bounds under it). A false alarm (text that only looks like a mark) costs
    speed, never correctness: the file is then read cell by cell."""
    if max_cells is None:
        max_cells = settings.LAWGOV["UPLOAD_MAX_SHEET_CELLS"]
    scan = WorkbookScan()
    quick = max_cells >= _QUICK_BOUND_CELLS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                if not entry.filename.endswith(".xml"):
                    continue
                with archive.open(entry) as part:
                    within_bounds = _scan_part(part, entry.filename, scan, quick=quick)
                if not within_bounds:  # read the sheet again, every reference
                    with archive.open(entry) as part:
                        _scan_part(part, entry.filename, scan, quick=False)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        scan.formula_or_error = True  # damaged: let openpyxl say so
    return scan


def _pieces(part) -> Iterator[bytes]:
    """An XML part's bytes a chunk at a time (memory stays flat), each piece cut after a
    tag's closing ``>`` and what follows put before the next chunk, so no tag is split
    between two pieces nor seen twice (a run of megabytes without ``>`` is cut anyway)."""
    rest = b""
    while chunk := part.read(_SCAN_CHUNK):
        window = rest + chunk
        cut = window.rfind(b">") + 1
        if cut == 0:
            if len(window) < 4 * _SCAN_CHUNK:
                rest = window
                continue
            cut = len(window)
        yield window[:cut]
        rest = window[cut:]
    if rest:
        yield rest


def _scan_part(part, name: str, scan: WorkbookScan, *, quick: bool) -> bool:
    """Scan one part into ``scan``; with ``quick``, stop at the first cell past the quick
    bounds (or not plainly referenced) and return False: the sheet is to be read again,
    exactly."""
    worksheet = name.startswith("xl/worksheets/")
    for number, piece in enumerate(_pieces(part)):
        start = _SHARED_STRINGS.search(piece, 0, 4096) if number == 0 else None
        if start is not None:
            for count in _DECLARED_COUNT.findall(start.group()):
                scan.declared_strings = max(scan.declared_strings, int(count))
        if not scan.formula_or_error and (
            any(mark.search(piece) for mark in _FORMULA_MARKS)
            or ((b'"e"' in piece or b"'e'" in piece) and _ERROR_VALUE.search(piece))
        ):
            scan.formula_or_error = True
        if not worksheet:
            continue
        cells = piece.count(b"<c ") + piece.count(b"<c>") + piece.count(b"<c/>")
        if any(odd.search(piece) for odd in _ODD_CELLS):
            cells = len(_CELL.findall(piece))
        if quick:
            if piece.count(b'<c r="') != cells or _FAR_REFERENCE.search(piece):
                return False
            continue
        # Every reference, wherever it stands among the cell's attributes.
        references = _CELL_REFERENCE.findall(piece)
        if references:
            letters, rows = zip(*references, strict=True)
            scan.last_column = max(scan.last_column, *map(_column_number, set(letters)))
            scan.last_row = max(scan.last_row, *map(int, set(rows)))
        scan.unreferenced_cells |= len(references) < cells
    return True


#: A prefix bound to OpenDocument's table namespace (``table`` by custom, any name by right).
_ODS_TABLE_PREFIX = re.compile(
    rb"xmlns:([A-Za-z_][\w.-]*)\s*=\s*[\"']urn:oasis:names:tc:opendocument:xmlns:table:1\.0[\"']"
)
#: The attributes of an ods table element that place its cells; any prefix is taken for its
#: namespace's (a stray one only makes the count larger).
_ODS_ROWS_REPEATED = re.compile(rb"\s[\w.-]+:number-rows-repeated\s*=\s*[\"']([0-9]+)[\"']")
_ODS_COLUMNS_REPEATED = re.compile(rb"\s[\w.-]+:number-columns-repeated\s*=\s*[\"']([0-9]+)[\"']")


def _ods_patterns(prefixes: set[bytes]) -> tuple[re.Pattern, re.Pattern]:
    """The table elements that place cells, and a cell's formula, under ``prefixes``."""
    names = b"|".join(re.escape(prefix) for prefix in sorted(prefixes))
    elements = re.compile(
        rb"<(?:" + names + rb"):(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
    )
    return elements, re.compile(rb"\s(?:" + names + rb"):formula\s*=")


def _repeated(pattern: re.Pattern, attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(int(found.group(1)), 1) if found else 1


def _scan_ods(data: bytes) -> WorkbookScan:
    """Scan an ods file's ``content.xml`` a piece at a time: whether a cell holds a formula
    (the table namespace's ``formula`` attribute, under whatever prefix the file binds to
    it), and the last row and column a cell with a value reaches. A row or a cell may stand
    for many (``number-rows-repeated``, ``number-columns-repeated``), so a file of a few
    hundred bytes can name a billion cells; calamine lays out a sheet to its last cell that
    declares a ``value-type`` (empty and text-only cells it passes over), and it lays out
    every table of the file when it opens it."""
    scan, prefixes = WorkbookScan(), {b"table"}
    elements, formula = _ods_patterns(prefixes)
    row = column = last_row = last_column = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
            for piece in _pieces(part):
                bound = set(_ODS_TABLE_PREFIX.findall(piece))
                if not bound <= prefixes:
                    prefixes |= bound
                    elements, formula = _ods_patterns(prefixes)
                if not scan.formula_or_error and b":formula" in piece:
                    scan.formula_or_error = bool(formula.search(piece))
                for name, attributes in elements.findall(piece):
                    if name == b"table-cell" or name == b"covered-table-cell":
                        if b"repeated" in attributes:
                            column += _repeated(_ODS_COLUMNS_REPEATED, attributes)
                        else:
                            column += 1
                        if b"value-type" in attributes:
                            if row > last_row:
                                last_row = row
                            if column > last_column:
                                last_column = column
                    elif name == b"table-row":
                        row += _repeated(_ODS_ROWS_REPEATED, attributes)
                        column = 0
                    else:  # a table
                        scan.add_sheet(last_row, last_column)
                        row = column = last_row = last_column = 0
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _unreadable() from None
    scan.add_sheet(last_row, last_column)
    return scan


#: The BIFF record types of a cell holding a formula: FORMULA in BIFF2, 5 and 8 (Excel 5 to
#: 2003), and in BIFF3 and BIFF4. Formulas elsewhere (names, data validation lists,
#: conditional formats) are other records and hold no cell's value.
_BIFF_FORMULA_RECORDS = frozenset({0x0006, 0x0206, 0x0406})
#: The BIFF record types of a cell holding a value, each beginning with the cell's row and
#: column (two little-endian 16-bit numbers): NUMBER, LABEL, BOOLERR, RK, LABELSST and
#: RSTRING, and BIFF2's INTEGER, NUMBER, LABEL and BOOLERR. Blank cells (BLANK, MULBLANK)
#: hold none; MULRK, values in a run of cells, ends with the run's last column.
_BIFF_VALUE_RECORDS = frozenset(
    {0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x0002, 0x0003, 0x0004, 0x0005}
)
_BIFF_MULRK = 0x00BD
_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET, _BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200


def _scan_xls(data: bytes) -> WorkbookScan:
    """Scan an xls file's workbook stream (read from the OLE2 file by olefile), a run of
    records, each a type and a length (two little-endian 16-bit numbers) before its
    content, as calamine reads it: the workbook's records up to their EOF, where each
    BOUNDSHEET gives a sheet's offset in the stream, then each sheet's records from there
    up to its own EOF. Whether a cell holds a formula, and how far each sheet reaches:
    calamine lays out every sheet when it opens the file, each to its last cell holding a
    value, and first reserves room for the cells a DIMENSIONS record declares. A file
    olefile cannot read, or whose records contradict themselves, is refused as damaged."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read()
    except (OSError, ValueError, EOFError, RuntimeError, IndexError, struct.error):
        raise _unreadable() from None
    scan = WorkbookScan()
    offsets = []
    for kind, content, length in _biff_records(stream, 0):
        if kind == _BIFF_BOUNDSHEET and length >= 4:
            offsets.append(struct.unpack_from("<I", stream, content)[0])
        elif kind == _BIFF_EOF:
            break
    # Every BOUNDSHEET is laid out, even where several name one offset.
    extents: dict[int, tuple[int, int]] = {}
    for offset in offsets or [0]:
        if offset > len(stream):
            raise _unreadable()
        if offset not in extents:
            extents[offset] = _scan_xls_sheet(stream, offset, scan)
        scan.add_sheet(*extents[offset])
    return scan


def _biff_records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """The records of ``stream`` from ``position``: each one's type, the offset of its
    content and its length, up to the last whole record."""
    end, size, unpack = len(stream) - 4, len(stream), struct.unpack_from
    while position <= end:
        kind, length = unpack("<HH", stream, position)
        content = position + 4
        position = content + length
        if position > size:
            return
        yield kind, content, length


def _scan_xls_sheet(stream: bytes, offset: int, scan: WorkbookScan) -> tuple[int, int]:
    """The rows and columns calamine lays the sheet at ``offset`` out to: its last cell
    holding a value (the extent its DIMENSIONS records declare goes to ``scan.declared``).
    Records of a chart or other substream nested in the sheet (between their own BOF and
    EOF) count as the sheet's: calamine versions differ on whether they read them."""
    last_row = last_column = depth = 0
    unpack = struct.unpack_from
    for kind, content, length in _biff_records(stream, offset):
        if kind in _BIFF_VALUE_RECORDS:
            if length >= 4:
                row, column = unpack("<HH", stream, content)
                if row >= last_row:
                    last_row = row + 1
                if column >= last_column:
                    last_column = column + 1
        elif kind in _BIFF_FORMULA_RECORDS:
            scan.formula_or_error = True
        elif kind == _BIFF_MULRK and length >= 6:
            row = unpack("<H", stream, content)[0]
            column = unpack("<H", stream, content + length - 2)[0]
            last_row, last_column = max(last_row, row + 1), max(last_column, column + 1)
        elif kind == _BIFF_DIMENSIONS and length in (10, 14):
            rows, columns = _declared_extent(stream, content, length)
            if rows * columns > scan.declared[0] * scan.declared[1]:
                scan.declared = rows, columns
        elif kind == _BIFF_BOF:
            depth += 1
        elif kind == _BIFF_EOF:
            depth -= 1
            if depth <= 0:
                break
    return last_row, last_column


def _declared_extent(stream: bytes, content: int, length: int) -> tuple[int, int]:
    """The rows and columns a DIMENSIONS record declares: its first row and one past its
    last (16-bit numbers before BIFF8, 32-bit in it), then its first column and one past
    its last. calamine reserves room for as many cells before reading one, counting in
    unsigned 32-bit numbers, so a first row or column after the last one wraps round to
    billions: such a record is refused (no spreadsheet program writes one). Columns are
    counted from A, as calamine counts them when the first is out of range."""
    if length == 14:
        first_row, end_row, first_column, end_column = struct.unpack_from("<IIHH", stream, content)
    else:
        first_row, end_row, first_column, end_column = struct.unpack_from("<HHHH", stream, content)
    if first_row > end_row or first_column > end_column:
        raise _unreadable()
    return max(end_row - first_row, 1), max(end_column, 1)


#: Integers up to this size are exact as floats, as every spreadsheet stores numbers.
_EXACT_INTEGER = 2**53


def _read_with_calamine(data: bytes) -> DataSheet:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_name(_data_sheet_name(workbook.sheet_names))
        # calamine's rows start at the sheet's first row but at its first used column.
        _first_row, first_column = sheet.start or (0, 0)
        declared = sheet.end[0] + 1 if sheet.end else 0
        raw_rows = sheet.iter_rows()
    except SpreadsheetError:
        raise
    except BaseException as error:
        # calamine raises its own kinds on a damaged file, and where a damaged file makes it
        # panic, pyo3's PanicException: a BaseException, which nothing above would catch.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise _unreadable() from error
    return DataSheet(sheet.name, declared, _calamine_rows(raw_rows, first_column))


def _calamine_rows(raw_rows, first_column: int) -> Iterator[SheetRow]:
    """calamine's rows as openpyxl gives them: empty cells None, whole numbers int, dates
    as datetimes, and the columns left of the first used one put back."""
    padding = [None] * first_column
    date, combine, midnight = datetime.date, datetime.datetime.combine, datetime.time()
    for number, cells in enumerate(raw_rows, start=1):
        values = padding.copy()
        for value in cells:
            kind = type(value)
            if kind is str:
                values.append(value or None)
            elif kind is float:
                values.append(
                    int(value) if value.is_integer() and -_EXACT_INTEGER < value < _EXACT_INTEGER
                    else value
                )  # fmt: skip
            elif kind is date:
                values.append(combine(value, midnight))
            else:  # int, bool, datetime, time, timedelta
                values.append(value)
        yield SheetRow(number, values)


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a column index from 0 (0 → A, 26 → AA), past ZZZ too
    (an xls record may name column 65,535, where openpyxl's letters end at 18,277)."""
    letters, number = "", index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
