"""Writing cells safely: text that looks like a formula never becomes one."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """For CSV: prefix a quote to text a spreadsheet would run as a formula (=, +, -, @)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def append_row(sheet, values: list[Any]) -> None:
    """Append to an openpyxl sheet, storing formula-looking text as plain text."""
    sheet.append([escape_formula(value) for value in values])
