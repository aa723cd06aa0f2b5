"""Reading and writing spreadsheet cells safely.

Writing: text that looks like a formula never becomes one. Reading: an uploaded file is
checked before anyone parses it (size, real xlsx content, no macros, no zip bomb), then read
in openpyxl's streaming mode, row by row, telling formulas apart from text that merely
starts with "=" so the first can be refused and the second stored as typed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The data sheet of a template; other files are read from their first sheet.
DATA_SHEET_TITLE = "数据"


def escape_formula(value: Any) -> Any:
    """For CSV: prefix a quote to text a spreadsheet would run as a formula (=, +, -, @)."""
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


def check_xlsx(data: bytes, *, max_bytes: int, max_uncompressed_bytes: int) -> None:
    """Refuse what is not a plain xlsx workbook of a sensible size, by its content.

    The name of a file says nothing: an xlsx file is a zip archive holding
    ``xl/workbook.xml``. Its declared unpacked size is checked too, so a small archive that
    would unpack to gigabytes (a zip bomb) is refused before anything is unpacked.
    """
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("文件大小 %(size)s MB，超过上限 %(limit)s MB。请分成几个文件上传。")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes)},
            "file_too_large",
        )
    if not data:
        raise SpreadsheetError(_("文件是空的。"), "empty_file")
    not_xlsx = SpreadsheetError(
        _("文件不是 Excel 工作簿（.xlsx）。请用下载的模板填写，并保存为 .xlsx 格式。"),
        "not_xlsx",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_xlsx from None
    with archive:
        try:
            entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise not_xlsx from None
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise not_xlsx
        if "xl/vbaProject.bin" in names:
            raise SpreadsheetError(
                _("文件中含有宏，不能上传。请另存为不含宏的 .xlsx 工作簿。"), "macros_not_allowed"
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > max_uncompressed_bytes:
            raise SpreadsheetError(
                _("文件解压后有 %(size)s MB，超过上限 %(limit)s MB。请分成几个文件上传。")
                % {"size": _megabytes(unpacked), "limit": _megabytes(max_uncompressed_bytes)},
                "file_too_large",
            )


def open_workbook(data: bytes | IO[bytes]):
    """Open a checked file in openpyxl's streaming (read-only) mode, formulas as written."""
    import openpyxl

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(
            _("无法读取该工作簿，文件可能已损坏。请重新保存为 .xlsx 后再上传。"), "unreadable"
        ) from error


def data_sheet(workbook):
    """The sheet to read: the template's data sheet if present, else the first one."""
    if DATA_SHEET_TITLE in workbook.sheetnames:
        return workbook[DATA_SHEET_TITLE]
    sheets = workbook.worksheets
    if not sheets:
        raise SpreadsheetError(_("工作簿中没有工作表。"), "empty_sheet")
    return sheets[0]


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
    """Every row of a read-only sheet, numbered as the sheet numbers them.

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


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a column index from 0 (0 → A, 26 → AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
