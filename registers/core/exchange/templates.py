"""Excel templates: a register's columns on a sheet for the user to fill in.

A template has the register's columns under their Chinese names on the sheet 数据, a
dropdown for every choice, unit and other reference column (lists on the hidden sheet
选项), and the sheet 说明 explaining each column with one example row. The example lives
on 说明, never on 数据, so nothing a user forgets to delete is imported.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _

from registers.core.exchange import reading
from registers.core.exchange.columns import (
    AMBIGUOUS,
    ChineseBooleanWidget,
    ChoiceLabelWidget,
    Column,
    LenientDateWidget,
    LenientDecimalWidget,
    LenientIntegerWidget,
    NamedForeignKeyWidget,
    ScopedResource,
    columns_of,
)
from registers.core.exchange.uploads import title_of
from registers.core.text import printable

#: Sheet names of a template.
DATA_SHEET = reading.DATA_SHEET_TITLE
INSTRUCTIONS_SHEET = "说明"
LISTS_SHEET = "选项"

#: Reference lists longer than this get no dropdown (it would refuse unlisted values).
MAX_DROPDOWN_OPTIONS = 5000


def options_of(resource: ScopedResource, column: Column) -> list[str] | None:
    """The values a dropdown offers for the column, or None for free input."""
    widget = column.widget
    if isinstance(widget, ChoiceLabelWidget):
        return widget.labels
    if isinstance(widget, ChineseBooleanWidget):
        return [_("是"), _("否")]
    if isinstance(widget, NamedForeignKeyWidget):
        if column.attribute == "unit" and resource.fixed_unit is not None:
            return [widget.render(resource.fixed_unit)]
        keys = [key for key, obj in widget.choices().items() if obj is not AMBIGUOUS]
        if not keys or len(keys) > MAX_DROPDOWN_OPTIONS:
            return None
        return keys
    return None


def describe(resource: ScopedResource, column: Column) -> str:
    """What a column takes, in a sentence for the 说明 sheet."""
    widget = column.widget
    model_field = column.model_field
    parts = []
    if column.attribute == "unit" and resource.fixed_unit is not None:
        parts.append(
            _("上传后一律记为“%(unit)s”的记录：本列可不填，填写时只能填“%(unit)s”。")
            % {"unit": widget.render(resource.fixed_unit)}
        )
    elif isinstance(widget, ChoiceLabelWidget):
        parts.append(_("从下拉列表选择：%(options)s。") % {"options": "、".join(widget.labels)})
    elif isinstance(widget, ChineseBooleanWidget):
        parts.append(_("填“是”或“否”。"))
    elif isinstance(widget, NamedForeignKeyWidget):
        target = widget.model._meta
        key = str(target.get_field(widget.field).verbose_name)
        parts.append(
            _("填写已登记的%(model)s的%(key)s（可从下拉列表选择）。")
            % {"model": target.verbose_name, "key": key}
        )
    elif isinstance(widget, LenientDateWidget):
        parts.append(_("日期，如 2017-08-01（也可写 2017/8/1 或 2017年8月1日）。"))
    elif isinstance(widget, LenientDecimalWidget):
        places = getattr(model_field, "decimal_places", None)
        parts.append(
            _("数字，最多 %(places)d 位小数。") % {"places": places}
            if places is not None
            else _("数字。")
        )
    elif isinstance(widget, LenientIntegerWidget):
        parts.append(_("整数。"))
    elif model_field is not None and getattr(model_field, "max_length", None):
        parts.append(_("文字，不超过 %(n)d 个字。") % {"n": model_field.max_length})
    else:
        parts.append(_("文字。"))
    help_text = str(getattr(model_field, "help_text", "") or "").strip()
    if help_text:
        parts.append(help_text)
    if model_field is not None and model_field.has_default() and not column.required:
        default = model_field.default
        if not callable(default) and default not in ("", None):
            shown = column.field.widget.render(default)
            parts.append(_("不填则为“%(value)s”。") % {"value": shown})
    return printable("".join(parts))  # it may name units or options, as stored


def example_row(resource: ScopedResource, columns: list[Column]) -> list[Any]:
    values = []
    for column in columns:
        if column.attribute in resource.example:
            value = resource.example[column.attribute]
        elif column.is_relation:
            options = column.options or []
            if column.attribute == "unit" and resource.fixed_unit is not None:
                value = column.widget.render(resource.fixed_unit)
            else:
                value = options[0] if options and column.required else None
        elif column.options and column.required:
            value = column.options[0]
        else:
            value = None
        if isinstance(column.widget, ChoiceLabelWidget) and value is not None:
            value = column.widget.render(column.widget.clean(value))
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        values.append(value)
    return values


# --- Templates ------------------------------------------------------------------------------


def build_template(resource_class: type[ScopedResource], user, records=None) -> bytes:
    """The xlsx template of a register for ``user`` (their unit, the records they may name);
    with ``records``, those records on its data sheet, one a row, as a file that uploads
    back to the same values."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    resource = resource_class(user=user)
    columns = columns_of(resource)
    for column in columns:
        column.options = options_of(resource, column)

    book = openpyxl.Workbook()
    data = book.active
    data.title = DATA_SHEET
    instructions = book.create_sheet(INSTRUCTIONS_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    required_font = Font(bold=True, color="9C0006")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    last_row = 1_048_576
    for index, column in enumerate(columns):
        letter = reading.column_letter(index)
        cell = data.cell(row=1, column=index + 1, value=column.name)
        cell.fill = header_fill
        cell.font = required_font if column.required else Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        data.column_dimensions[letter].width = max(12, min(40, len(column.name) * 2 + 4))
        target = f"{letter}2:{letter}{last_row}"
        if isinstance(column.widget, LenientDateWidget):
            data.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.options:
            lists.cell(row=1, column=index + 1, value=column.name)
            for position, option in enumerate(column.options, start=2):
                lists.cell(row=position, column=index + 1, value=printable(option)).data_type = "s"
            source = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(column.options) + 1}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.showErrorMessage = True
            validation.error = _("请从下拉列表中选择。")
            validation.errorTitle = column.name
        elif isinstance(column.widget, LenientDateWidget):
            validation = DataValidation(
                type="date", operator="greaterThan", formula1="1", allow_blank=True
            )
            validation.errorStyle = "warning"
            validation.error = _("请填写日期，如 2017-08-01。")
            validation.errorTitle = column.name
        else:
            validation = DataValidation(allow_blank=True)
            validation.showErrorMessage = False
        validation.showInputMessage = True
        validation.promptTitle = column.name[:32]
        validation.prompt = describe(resource, column)[:255]
        validation.add(target)
        data.add_data_validation(validation)
    for record in records if records is not None else ():
        reading.append_row(data, [cell_value(column, record) for column in columns])
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 30

    _write_instructions(instructions, resource, columns)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_value(column: Column, record) -> Any:
    """A record's value in a column: dates and numbers as such, the rest as the column
    writes it (a choice's label, a unit's name, 是/否)."""
    value = column.field.get_value(record)
    if value is None:
        return None
    if isinstance(column.widget, LenientDateWidget | LenientDecimalWidget | LenientIntegerWidget):
        return value
    return column.field.export(record)


def _write_instructions(sheet, resource: ScopedResource, columns: list[Column]) -> None:
    from openpyxl.styles import Alignment, Font

    title = title_of(type(resource))
    bold = Font(bold=True)
    sheet.append([_("%(title)s 填报模板") % {"title": title}])
    sheet["A1"].font = Font(bold=True, size=14)
    notes = [
        _("1. 在“数据”工作表中每行填写一条记录，不要修改、增加或删除表头（第 1 行）。"),
        _("2. 表头为红色的列必须填写；日期写成 2017-08-01；选项从下拉列表选择。"),
        _("3. 不要使用公式；从其他表格复制时请“粘贴为数值”。"),
        _("4. 上传时检查每一行，有任何错误都不会导入，页面会列出每个错误所在的行、列和原因。"),
        _("5. 导入的记录为本单位的草稿（或勾选“直接报送”后为已报送），法制办审核后生效。"),
        _("6. 本页最下方是一行填写示例，只作参考，不会被导入。"),
    ]
    for note in notes:
        sheet.append([note])
    sheet.append([])
    sheet.append([_("列名"), _("是否必填"), _("填写说明"), _("示例")])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    example = example_row(resource, columns)
    for column, value in zip(columns, example, strict=True):
        sheet.append(
            [
                column.name,
                _("必填") if column.required else _("选填"),
                describe(resource, column),
                _display(value),
            ]
        )
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True)
    sheet.append([])
    sheet.append([_("填写示例（仅供参考，不会被导入）：")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([column.name for column in columns])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.append([_display(value) for value in example])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 30


def _display(value: Any) -> Any:
    """An example value as a cell: dates as text so they read the same everywhere."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return reading.escape_formula(value)
