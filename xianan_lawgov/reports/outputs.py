"""The report's outputs, all made from one ``ReportDocument``: a web page, JSON, Excel and
Word. ``render`` is the one way the pages, the API and the command turn a document into a
file."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from registers.core import permissions, stamps
from registers.core.exchange.reading import append_row
from registers.core.personal import masked_str

from . import figures as engine
from .access import ReportNotFound, report_document
from .docx_output import to_docx
from .figures import Scope
from .services import ReportDocument

#: What ``render`` makes; html is the stand-alone page to publish the report on the web.
FORMATS = ("html", "docx", "xlsx", "json")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(round(value, 4))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def figure_json(figure: engine.Figure) -> dict:
    """One figure as the JSON output and the figures API give it; a rate with its counts."""
    return {
        "key": figure.key,
        "label": figure.label,
        "group": figure.group,
        "group_label": figure.group_label,
        "value": _json_value(figure.value),
        "display": figure.display,
        "measure": figure.measure,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "previous": _json_value(figure.previous),
        "change": _json_value(figure.change),
        "note": figure.note,
    }


def to_json(document: ReportDocument) -> dict:
    published = document.published
    return {
        "title": document.title,
        "year": document.year,
        "unit": document.unit.code if document.unit is not None else None,
        "version": published.version if published else None,
        "published_at": localtime(published.published_at).isoformat() if published else None,
        "figures": [figure_json(figure) for figure in document.figures.values()],
        "warnings": document.warnings,
        "paragraphs": [
            {"kind": paragraph.kind, "text": paragraph.text} for paragraph in document.paragraphs
        ],
    }


HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
SHEET_NAME_LIMIT = 31


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(ch for ch in text if ch not in "[]:*?/\\")[:SHEET_NAME_LIMIT]
    base, n = name, 2
    while name in used:
        suffix = f"({n})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _new_sheet(book, title: str, used: set[str], header: list[str], widths: list[int]):
    """A sheet of ``book`` (written row by row, never held whole) opening with ``header``."""
    sheet = book.create_sheet(_sheet_name(title, used))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(round(value, 2))
    return value


def record_rows(full_key: str, scope: engine.Scope, limit: int | None = None):
    """(record, unit, status) rows behind one figure, for listings (the first ``limit``)."""
    queryset = engine.records_behind(full_key, scope.year, scope.unit)
    # A record's name may be its parent's (a clean-up item is named by its document): the
    # records it points to come in the same query, so a sheet costs one query however long.
    related = [
        field.name
        for field in queryset.model._meta.fields
        if field.many_to_one and field.related_model is not get_user_model()
    ]
    queryset = queryset.select_related(*related)
    if limit is not None:
        queryset = queryset[:limit]
    labels = _status_labels(queryset.model)
    for record in queryset:
        unit = getattr(record, "unit", None)
        status = labels.get(record.status, record.status) if labels else ""
        yield record, unit, status


def _status_labels(model) -> dict[str, str]:
    """The model's review statuses as read (what ``get_status_display`` says), looked up
    once per sheet instead of once per row."""
    if not any(field.name == "status" for field in model._meta.fields):
        return {}
    return {value: str(label) for value, label in model._meta.get_field("status").flatchoices}


def record_counts(full_key: str, scope: engine.Scope) -> list[tuple[str, str, int]]:
    """(unit, status, number of records) behind one figure, in one grouped query: the
    owning unit as the scoping rule finds it (``scope_field``)."""
    queryset = engine.records_behind(full_key, scope.year, scope.unit).order_by()
    model = queryset.model
    unit_path = permissions.scope_field_of(model)
    statuses = _status_labels(model)
    columns = [f"{unit_path}__name" if unit_path else None, "status" if statuses else None]
    columns = [name for name in columns if name]
    if not columns:
        return [("", "", queryset.count())]
    rows = []
    for row in queryset.values_list(*columns).annotate(count=Count("pk")):
        unit = (row[0] or "") if unit_path else ""
        status = statuses.get(row[-2], row[-2]) if statuses else ""
        rows.append((unit, status, row[-1]))
    return sorted(rows)


def _record_sheet(
    book, used: set[str], figure: engine.Figure, scope: engine.Scope, *, personal: bool
) -> None:
    """The records behind ``figure``, one a row, named with their personal data masked
    unless ``personal`` (``permissions.may_see_personal_data``); above
    ``REPORT_RECORD_SHEET_ROWS`` of them (a whole district's large registers: tens of
    thousands of rows nobody reads in a workbook), their number by unit and status
    instead, with a note on where the records themselves are (each register's export)."""
    limit = settings.LAWGOV["REPORT_RECORD_SHEET_ROWS"]
    title = _("明细-%s") % figure.label
    counts = record_counts(figure.key, scope)
    total = sum(count for _unit, _status, count in counts)
    if total <= limit:
        sheet = _new_sheet(
            book, title, used, [_("指标"), _("记录"), _("单位"), _("审核状态")], [30, 60, 24, 12]
        )
        for record, unit, status in record_rows(figure.key, scope):
            name = str(record) if personal else masked_str(record)
            append_row(sheet, [figure.label, name, str(unit or ""), status])
        return
    sheet = _new_sheet(
        book, title, used, [_("指标"), _("单位"), _("审核状态"), _("记录数")], [30, 36, 12, 10]
    )
    for unit, status, count in counts:
        append_row(sheet, [figure.label, unit, status, count])
    append_row(sheet, [figure.label, _("合计"), "", total])
    append_row(
        sheet,
        [
            _(
                "共 %(total)d 条记录，超过 %(limit)d 条，按单位和审核状态汇总；"
                "逐条记录请在各台账的列表中导出。"
            )
            % {"total": total, "limit": limit}
        ],
    )


def to_xlsx(document: ReportDocument, *, with_records: bool = True, personal: bool = True) -> bytes:
    # Write-only: rows go to the file as they come, so the record sheets of a large
    # district cost time in proportion to their rows and little memory.
    book = Workbook(write_only=True)
    used: set[str] = set()
    summary = book.create_sheet(_sheet_name(_("说明"), used))
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 80
    append_row(summary, [_("报告"), document.title])
    append_row(summary, [_("年度"), document.year])
    append_row(summary, [_("范围"), document.unit.name if document.unit else _("全区")])
    if document.published:
        append_row(summary, [_("版本"), document.published.version])
        append_row(
            summary,
            [_("发布时间"), localtime(document.published.published_at).strftime("%Y-%m-%d %H:%M")],
        )
    for warning in document.warnings:
        append_row(summary, [_("一致性提示"), warning])

    for _key, label, figures in document.figure_groups():
        sheet = _new_sheet(
            book,
            label,
            used,
            [
                _("指标"),
                _("本年"),
                _("上年"),
                _("增减"),
                _("计量单位"),
                _("键"),
                _("说明"),
                _("分子"),
                _("分母"),
            ],
            [36, 12, 12, 10, 10, 36, 40, 8, 8],
        )
        for figure in figures:
            change = figure.change
            append_row(
                sheet,
                [
                    figure.label,
                    _cell_value(figure.value) if figure.value is not None else "—",
                    _cell_value(figure.previous) if figure.previous is not None else "—",
                    _cell_value(change) if change is not None else "",
                    figure.measure,
                    figure.key,
                    figure.note,
                    figure.numerator if figure.numerator is not None else "",
                    figure.denominator if figure.denominator is not None else "",
                ],
            )

    if with_records:
        for figure in document.figures.values():
            if not figure.has_records:
                continue
            _record_sheet(book, used, figure, document.scope, personal=personal)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- One file from one document ------------------------------------------------------------


@dataclass(frozen=True)
class ReportFile:
    content: bytes | str  # str for the text formats (html, json)
    content_type: str
    filename: str

    @property
    def is_binary(self) -> bool:
        return isinstance(self.content, bytes)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ReportNotFound(
            _("不支持的格式“%(format)s”：可选 %(formats)s。")
            % {"format": fmt, "formats": "、".join(FORMATS)},
            code="unknown_format",
        )


def to_html(document: ReportDocument) -> str:
    unit_query = f"?unit={document.unit.code}" if document.unit is not None else ""
    return render_to_string(
        "reports/standalone.html", {"document": document, "unit_query": unit_query}
    )


def render(document: ReportDocument, fmt: str, *, personal: bool = True) -> ReportFile:
    """``document`` as a file in ``fmt`` (one of ``FORMATS``), named after its title (and
    its version, once published); without ``personal``, the records it lists are named
    with their personal data masked."""
    check_format(fmt)
    if fmt == "html":
        content: bytes | str = to_html(document)
    elif fmt == "json":
        content = json.dumps(to_json(document), ensure_ascii=False, indent=2)
    elif fmt == "xlsx":
        # A frozen version lists no records: they may have changed since it was published.
        content = to_xlsx(document, with_records=document.published is None, personal=personal)
    else:
        content = to_docx(document)
    name = document.title
    if document.published is not None:
        name = f"{name}-v{document.published.version}"
    return ReportFile(content, CONTENT_TYPES[fmt], f"{name}.{fmt}")


def report_file(
    scope: Scope, fmt: str, version: int | None = None, *, personal: bool = True
) -> ReportFile:
    """What the pages, the API and the command serve: the live report of ``scope``, or its
    published ``version``, in ``fmt``; ``personal`` as ``render`` takes it (an API client
    without the grant of personal data gets it False)."""
    check_format(fmt)  # before the figures are computed
    # The same scope and version on the same data make the same file (byte for byte): it
    # is kept for the next download until the data changes (registers/core/stamps.py).
    return stamps.kept(
        "report_file",
        (scope.year, scope.unit.pk if scope.unit is not None else None, fmt, version, personal),
        lambda: render(report_document(scope, version), fmt, personal=personal),
        in_memory=False,
    )
