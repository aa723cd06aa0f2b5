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
datetime, time, timedelta); how xlsx XML writes a formula or an error value
(``_FORMULA_OR_ERROR_MARKS``); and how an xls workbook stream writes a formula cell
(``_BIFF_FORMULA_RECORDS``, read through olefile's ``openstream``).
``tests/exchange/test_reading.py`` holds the two readers against each other, on every
register's filled template among others.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

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


def read_data_sheet(data: bytes, kind: str = XLSX) -> DataSheet:
    """The data sheet of a checked file (``check_workbook`` says its ``kind``), by the
    fastest reader that can read it faithfully: calamine, unless some cell of an xlsx file
    holds a formula or an error value. An xls or ods file is read by calamine alone
    (openpyxl reads neither), so one holding a formula is refused as a whole: calamine would
    give the values last saved with the formulas, where the page promises no formulas."""
    if (kind == ODS and _ods_has_formulas(data)) or (kind == XLS and _xls_has_formulas(data)):
        raise SpreadsheetError(_("文件中含有公式，请复制后“粘贴为数值”，另存后再上传。"), "formula")
    if kind == XLSX and has_formula_or_error_cells(data):
        sheet = data_sheet(open_workbook(data))
        return DataSheet(sheet.title, estimated_rows(sheet), iter_sheet_rows(sheet))
    return _read_with_calamine(data)


#: How a formula or an error value is written in a sheet's XML, with or without a namespace
#: prefix: ``<f>``, ``<f t="shared" …/>``, ``<x:f>``, ``<c … t="e">``.
_FORMULA_OR_ERROR_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b't="e"', b"t='e'")
_SCAN_CHUNK = 1 << 20


def has_formula_or_error_cells(data: bytes) -> bool:
    """Whether any XML part of a checked xlsx file may hold a formula or an error value.

    The parts are scanned unpacked, a chunk at a time (memory stays flat). A false alarm
    (text that only looks like the mark) costs speed, never correctness: the file is then
    read cell by cell.
    """
    overlap = max(len(mark) for mark in _FORMULA_OR_ERROR_MARKS) - 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                if not entry.filename.endswith(".xml"):
                    continue
                with archive.open(entry) as part:
                    tail = b""
                    while chunk := part.read(_SCAN_CHUNK):
                        window = tail + chunk
                        if any(mark in window for mark in _FORMULA_OR_ERROR_MARKS):
                            return True
                        tail = window[-overlap:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return True  # damaged: let openpyxl say so
    return False


def _ods_has_formulas(data: bytes) -> bool:
    """Whether an ods file's cells hold a formula (``table:formula``), scanned a chunk at
    a time."""
    mark = b"table:formula="
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as part:
            tail = b""
            while chunk := part.read(_SCAN_CHUNK):
                window = tail + chunk
                if mark in window:
                    return True
                tail = window[-len(mark) :]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _unreadable() from None
    return False


#: The BIFF record types of a cell holding a formula: FORMULA in BIFF2, 5 and 8 (Excel 5 to
#: 2003), and in BIFF3 and BIFF4. Formulas elsewhere (names, data validation lists,
#: conditional formats) are other records and hold no cell's value.
_BIFF_FORMULA_RECORDS = frozenset({0x0006, 0x0206, 0x0406})


def _xls_has_formulas(data: bytes) -> bool:
    """Whether a checked xls file's cells hold a formula: its workbook stream (read from the
    OLE2 file by olefile) is a run of records, each a type and a length (two little-endian
    16-bit numbers) before its content, scanned for a formula cell's type. A damaged file
    is left to calamine to say so."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read()
    except (OSError, ValueError, EOFError, RuntimeError, IndexError, struct.error):
        return False
    position, end = 0, len(stream) - 4
    while position <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind in _BIFF_FORMULA_RECORDS:
            return True
        position += 4 + length
    return False


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
    except Exception as error:  # calamine raises its own kinds on a damaged file
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
    """Spreadsheet column letter of a column index from 0 (0 → A, 26 → AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
