"""Excel data exchange for liaisons: a template per register, and checked uploads.

A template has the register's columns under their Chinese names on the sheet 数据, a
dropdown for every choice, unit and other reference column (lists on the hidden sheet
选项), and the sheet 说明 explaining each column with one example row. The example lives
on 说明, never on 数据, so nothing a user forgets to delete is imported.

An upload is read in openpyxl's streaming mode and checked row by row with the register's
resource (the same columns, conversions and messages as the admin import) and the model's
own validation. Every mistake is reported with its sheet, row, column, reason and code;
if there is any, nothing is created. Otherwise every row is created in one transaction, as
records of the uploader's unit (the office picks a unit or fills the unit column), drafts
or submitted as the uploader asked, with one history row each.

Lookups are read once (units, documents… into dicts), rows are validated without queries
where the model allows it (constraints are checked in Python, uniqueness with one query per
constraint for the whole file) and the records are written with ``bulk_create``.
"""

from __future__ import annotations

import datetime
import io
import operator
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import permissions
from registers.core.exchange import reading
from registers.core.exchange.writing import create_with_history
from registers.core.status import Status
from registers.models import Unit
from registers.resources.base import (
    AMBIGUOUS,
    CellError,
    ChineseBooleanWidget,
    ChoiceLabelWidget,
    LenientDateWidget,
    LenientDecimalWidget,
    LenientIntegerWidget,
    NamedForeignKeyWidget,
    ScopedResource,
    WorkflowResource,
    is_empty,
    upload_limits,
)

Progress = Callable[[int, int], None]

#: Sheet names of a template.
DATA_SHEET = reading.DATA_SHEET_TITLE
INSTRUCTIONS_SHEET = "说明"
LISTS_SHEET = "选项"

#: Reference lists longer than this get no dropdown (it would refuse unlisted values).
MAX_DROPDOWN_OPTIONS = 5000
#: How often (in rows) an upload reports progress.
PROGRESS_EVERY = 500
#: Django's codes for a missing value; reported as one plain "please fill in" message.
EMPTY_CODES = {"blank", "null", "required"}


# --- Registry -------------------------------------------------------------------------------

_registry: dict[str, type[ScopedResource]] = {}


def register(*resource_classes: type[ScopedResource]) -> None:
    """Offer these registers on the exchange page (each app calls this when ready)."""
    for resource_class in resource_classes:
        if not resource_class.slug:
            raise ValueError(f"{resource_class.__name__} has no slug")
        _registry[resource_class.slug] = resource_class


def resource_classes() -> list[type[ScopedResource]]:
    return list(_registry.values())


def resource_for(slug: str) -> type[ScopedResource] | None:
    return _registry.get(slug)


def title_of(resource_class: type[ScopedResource]) -> str:
    return str(resource_class._meta.model._meta.verbose_name_plural)


def may_exchange(user, resource_class: type[ScopedResource]) -> bool:
    """Liaisons (for their unit) and office staff may download templates and upload."""
    return permissions.may_submit(user) and permissions.can_create(user, resource_class._meta.model)


def upload_statuses(user) -> list[Status]:
    """What uploaded records may become: drafts or submitted; the office may approve."""
    statuses = [Status.DRAFT, Status.SUBMITTED]
    if permissions.is_office(user):
        statuses.append(Status.APPROVED)
    return statuses


# --- Describing columns ---------------------------------------------------------------------


@dataclass
class Column:
    """One column of a register's sheet, as the template and the upload see it."""

    field: Any  # import_export Field
    name: str
    model_field: models.Field | None
    required: bool
    options: list[str] | None = None

    @property
    def widget(self):
        return self.field.widget

    @property
    def attribute(self) -> str:
        return self.field.attribute

    @property
    def is_relation(self) -> bool:
        return isinstance(self.widget, NamedForeignKeyWidget)


def columns_of(resource: ScopedResource, *, office_only: bool | None = None) -> list[Column]:
    columns = []
    for resource_field in resource.input_fields(office_only=office_only):
        columns.append(
            Column(
                field=resource_field,
                name=str(resource_field.column_name),
                model_field=resource.model_field(resource_field),
                required=resource.is_required(resource_field),
            )
        )
    return columns


def options_of(resource: ScopedResource, column: Column) -> list[str] | None:
    """The values a dropdown offers for the column, or None for free input."""
    widget = column.widget
    if isinstance(widget, ChoiceLabelWidget):
        return widget.labels
    if isinstance(widget, ChineseBooleanWidget):
        return [_("是"), _("否")]
    if isinstance(widget, NamedForeignKeyWidget):
        if column.attribute == "unit" and resource.fixed_unit is not None:
            return [resource.fixed_unit.name]
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
            _("上传后一律记为“%(unit)s”的记录，本列可不填。") % {"unit": resource.fixed_unit.name}
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
    return "".join(parts)


def example_row(resource: ScopedResource, columns: list[Column]) -> list[Any]:
    values = []
    for column in columns:
        if column.attribute in resource.example:
            value = resource.example[column.attribute]
        elif column.is_relation:
            options = column.options or []
            if column.attribute == "unit" and resource.fixed_unit is not None:
                value = resource.fixed_unit.name
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


def build_template(resource_class: type[ScopedResource], user) -> bytes:
    """The xlsx template of a register for ``user`` (their unit, the records they may name)."""
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
                lists.cell(row=position, column=index + 1, value=option).data_type = "s"
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
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 30

    _write_instructions(instructions, resource, columns)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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


# --- Uploads --------------------------------------------------------------------------------


@dataclass
class UploadError:
    """One mistake: where it is (sheet, row, column) and why, with a machine code."""

    reason: str
    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    column_letter: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class UploadResult:
    register: str
    errors: list[UploadError] = field(default_factory=list)
    rows: int = 0
    created: list = field(default_factory=list)
    status: Status | None = None
    unit: Unit | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_count(self) -> int:
        return len(self.created)


class _Unsupported(Exception):
    """A constraint too complex to check in Python; the database checks it instead."""


def _kleene(values: Iterable[bool | None], decisive: bool) -> bool | None:
    """SQL's three-valued AND (``decisive`` False) or OR (``decisive`` True): one decisive
    value decides; otherwise any unknown (None) makes the whole unknown."""
    result: bool | None = not decisive
    for value in values:
        if value is decisive:
            return decisive
        if value is None:
            result = None
    return result


_COMPARISONS = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}

Condition = Callable[[Any], "bool | None"]


def _operand(model, value) -> Callable[[Any], Any]:
    """The right-hand side of a lookup, as a function of the instance."""
    if isinstance(value, F):
        return operator.attrgetter(model._meta.get_field(value.name).attname)
    if hasattr(value, "resolve_expression"):
        raise _Unsupported
    return lambda _instance: value


def _lookup(attname: str, kind: str, right: Callable[[Any], Any]) -> Condition:
    """One ``field__kind=value`` of a condition, with SQL's NULL semantics."""
    left = operator.attrgetter(attname)
    if kind == "isnull":
        return lambda instance: (left(instance) is None) == bool(right(instance))
    if kind == "exact":

        def exact(instance):
            a, b = left(instance), right(instance)
            return a is None if b is None else (None if a is None else a == b)

        return exact
    if kind == "in":

        def within(instance):
            a = left(instance)
            return None if a is None else a in right(instance)

        return within
    if kind in _COMPARISONS:
        compare = _COMPARISONS[kind]

        def comparison(instance):
            a, b = left(instance), right(instance)
            if a is None or b is None:
                return None
            try:
                return compare(a, b)
            except TypeError:
                raise _Unsupported from None

        return comparison
    raise _Unsupported


def compile_condition(condition: Q, model) -> Condition:
    """A constraint's condition as a function of an unsaved instance, as SQL evaluates it.

    The function gives True, False, or None where SQL says "unknown" (a comparison with
    NULL): a CHECK constraint only fails on False. Raises ``_Unsupported`` for what it
    cannot evaluate (here, or when called, for values that cannot be compared).
    """
    parts: list[Condition] = []
    for child in condition.children:
        if isinstance(child, Q):
            parts.append(compile_condition(child, model))
            continue
        if not isinstance(child, tuple):
            raise _Unsupported
        lookup, value = child
        name, _sep, kind = lookup.partition("__")
        kind = kind or "exact"
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise _Unsupported from None
        if "__" in kind or not model_field.concrete:
            raise _Unsupported
        parts.append(_lookup(model_field.attname, kind, _operand(model, value)))
    decisive = condition.connector == Q.OR
    negated = condition.negated

    def evaluate(instance) -> bool | None:
        combined = _kleene([part(instance) for part in parts], decisive)
        if negated:
            return None if combined is None else not combined
        return combined

    return evaluate


def _compiled(condition: Q, model) -> Condition | None:
    """``compile_condition``, or None where it cannot (the database then decides)."""
    try:
        return compile_condition(condition, model)
    except _Unsupported:
        return None


def _condition_of(constraint) -> Q | None:
    return getattr(constraint, "condition", None)


@dataclass
class _UniqueRule:
    fields: tuple[str, ...]
    condition: Q | None
    constraint: models.UniqueConstraint | None = None


def _unique_rules(model) -> list[_UniqueRule]:
    rules = [
        _UniqueRule((f.name,), None)
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key
    ]
    rules += [_UniqueRule(tuple(names), None) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            if not constraint.expressions:
                rules.append(
                    _UniqueRule(tuple(constraint.fields), constraint.condition, constraint)
                )
    return rules


class _Upload:
    """One upload being checked; kept apart from the public function for readability."""

    def __init__(self, resource: ScopedResource, progress: Progress | None):
        self.resource = resource
        self.model = resource._meta.model
        self.progress = progress
        self.errors: list[UploadError] = []
        self.sheet_title = ""
        self.now = timezone.now()
        #: The model's CHECK constraints, each with its condition compiled (None: ask the
        #: database).
        self.check_rules = [
            (constraint, _compiled(_condition_of(constraint), self.model))
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.CheckConstraint)
        ]

    def error(self, reason, code, row=None, column="", index=None) -> None:
        letter = reading.column_letter(index) if index is not None else ""
        self.errors.append(
            UploadError(
                reason=str(reason),
                code=code or "invalid",
                sheet=self.sheet_title,
                row=row,
                column=column,
                column_letter=letter,
            )
        )

    # -- the header -------------------------------------------------------------------------

    def map_header(self, header: list[Any]) -> list[tuple[int, Column]] | None:
        resource = self.resource
        for problem in resource.check_headers(header):
            self.error(problem.message, problem.code, row=1)
        if self.errors:
            return None
        by_name = {column.name: column for column in columns_of(resource, office_only=True)}
        ignored = resource.ignored_columns()
        mapped = []
        for index, value in enumerate(header):
            if is_empty(value):
                continue
            name = str(value).strip()
            if name in ignored:
                continue
            column = by_name.get(name)
            if column is not None:
                mapped.append((index, column))
        return mapped

    # -- one row ----------------------------------------------------------------------------

    def read_row(self, row: reading.SheetRow, mapped, named: set[int]):
        resource = self.resource
        model = self.model
        instance = model()
        resource.prepare_instance(instance, self.now)
        failed: set[str] = set()
        office = permissions.is_office(resource.user)
        for index in row.formulas:
            column = self.column_name_at(index)
            self.error(
                _("单元格是公式（%(formula)s），请复制后“粘贴为数值”。")
                % {"formula": row.formulas[index][:60]},
                "formula",
                row.number,
                column,
                index,
            )
        for index, value in row.error_values.items():
            self.error(
                _("单元格是错误值 %(value)s，请改正。") % {"value": value},
                "cell_error",
                row.number,
                self.column_name_at(index),
                index,
            )
        for index, value in enumerate(row.values):
            if index not in named and not is_empty(value):
                self.error(
                    _("这一列没有列名，但填写了内容。"), "unknown_column", row.number, "", index
                )
        values = row.values
        width = len(values)
        for index, column in mapped:
            if index in row.formulas or index in row.error_values:
                failed.add(column.attribute)
                continue
            value = values[index] if index < width else None
            attribute = column.attribute
            if attribute in resource.office_only_fields and not office:
                if not is_empty(value):
                    self.error(
                        resource.office_only_message(column.field),
                        "office_only",
                        row.number,
                        column.name,
                        index,
                    )
                continue
            try:
                cleaned = column.widget.clean(value)
            except CellError as error:
                self.error(error.message, error.code, row.number, column.name, index)
                failed.add(attribute)
                continue
            except ValueError as error:
                self.error(str(error), "invalid", row.number, column.name, index)
                failed.add(attribute)
                continue
            if cleaned in (None, "") and column.field.default is not models.NOT_PROVIDED:
                default = column.field.default
                cleaned = default() if callable(default) else default
            if column.is_relation:
                if cleaned is None and column.model_field is not None:
                    if not column.model_field.blank:
                        self.error(
                            _("请填写“%(column)s”。") % {"column": column.name},
                            "required",
                            row.number,
                            column.name,
                            index,
                        )
                        failed.add(attribute)
                        continue
            setattr(instance, attribute, cleaned)
        if failed or self.row_has_errors(row.number):
            self.validate(instance, row.number, failed | self.unchecked_relations)
            return None
        if not self.validate(instance, row.number, self.unchecked_relations):
            return None
        if not self.check_constraints(instance, row.number):
            return None
        return instance

    def row_has_errors(self, number: int) -> bool:
        return bool(self.errors) and self.errors[-1].row == number

    def column_name_at(self, index: int) -> str:
        return self.header_names.get(index, "")

    def validate(self, instance, number: int, exclude: set[str]) -> bool:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.report_validation_error(error, number)
            return False
        return True

    def report_validation_error(self, error: ValidationError, number: int) -> None:
        if not hasattr(error, "error_dict"):
            for item in error.error_list:
                self.error(_message(item), item.code, number)
            return
        for name, items in error.error_dict.items():
            column = "" if name == NON_FIELD_ERRORS else self.resource.column_of(name)
            index = self.index_of.get(name)
            for item in items:
                if item.code in EMPTY_CODES and column:
                    self.error(
                        _("请填写“%(column)s”。") % {"column": column},
                        "required",
                        number,
                        column,
                        index,
                    )
                else:
                    self.error(_message(item), item.code, number, column, index)

    def check_constraints(self, instance, number: int) -> bool:
        ok = True
        for constraint, condition in self.check_rules:
            holds = None
            if condition is not None:
                try:
                    holds = condition(instance)
                except _Unsupported:
                    condition = None
            if condition is None:
                try:
                    constraint.validate(self.model, instance)
                except ValidationError as error:
                    self.report_validation_error(error, number)
                    ok = False
                continue
            if holds is False:
                message = _violation_message(constraint)
                code = constraint.violation_error_code or constraint.name
                column, index = self.column_of_condition(_condition_of(constraint))
                self.error(message, code, number, column, index)
                ok = False
        return ok

    def column_of_condition(self, condition: Q) -> tuple[str, int | None]:
        """The column a failed constraint is about: the first one compared (a date that
        must come after another, a ratio out of range), else the last one it names."""
        compared, named = [], []

        def walk(node):
            for child in node.children:
                if isinstance(child, Q):
                    walk(child)
                elif isinstance(child, tuple):
                    name, _sep, operator = child[0].partition("__")
                    named.append(name)
                    if operator in _COMPARISONS:
                        compared.append(name)

        walk(condition)
        in_file = [name for name in compared + named[::-1] if name in self.index_of]
        if not in_file:
            return "", None
        return self.resource.column_of(in_file[0]), self.index_of[in_file[0]]

    # -- the whole file ---------------------------------------------------------------------

    def check_uniqueness(self, rows: list[tuple[int, Any]]) -> None:
        model = self.model
        for rule in _unique_rules(model):
            attnames = [model._meta.get_field(name).attname for name in rule.fields]
            rows_by_key: dict[tuple, list[int]] = {}
            condition = None if rule.condition is None else _compiled(rule.condition, model)
            for number, instance in rows:
                if condition is not None:
                    try:
                        if condition(instance) is not True:
                            continue
                    except _Unsupported:
                        pass
                key = tuple(getattr(instance, name) for name in attnames)
                if any(part is None for part in key):
                    continue
                rows_by_key.setdefault(key, []).append(number)
            if not rows_by_key:
                continue
            message, code = self.unique_message(rule, rows[0][1])
            column_field = self.column_of_rule(rule)
            column = self.resource.column_of(column_field)
            index = self.index_of.get(column_field)
            for numbers in rows_by_key.values():
                for number in numbers[1:]:
                    self.error(
                        _("与第 %(first)d 行重复：%(message)s")
                        % {"first": numbers[0], "message": message},
                        "duplicate_in_file",
                        number,
                        column,
                        index,
                    )
            for key in self.existing_keys(rule, attnames, list(rows_by_key)):
                self.error(message, code, rows_by_key[key][0], column, index)

    def column_of_rule(self, rule: _UniqueRule) -> str:
        """The column a repeated key is shown under: its last free-text field (a code, a
        number, a title), else its last field other than the unit."""
        fields = [name for name in rule.fields if name != "unit"] or list(rule.fields)
        texts = [
            name
            for name in fields
            if isinstance(self.model._meta.get_field(name), models.CharField)
            and not self.model._meta.get_field(name).choices
        ]
        return (texts or fields)[-1]

    def unique_message(self, rule: _UniqueRule, instance) -> tuple[str, str]:
        if rule.constraint is not None:
            code = rule.constraint.violation_error_code or "unique"
            return _violation_message(rule.constraint), code
        error = instance.unique_error_message(self.model, rule.fields)
        return _message(error), error.code or "unique"

    def existing_keys(self, rule: _UniqueRule, attnames: list[str], keys: list[tuple]):
        queryset = self.model._default_manager.all()
        if rule.condition is not None:
            queryset = queryset.filter(rule.condition)
        found = set()
        first_values = sorted({key[0] for key in keys}, key=str)
        for start in range(0, len(first_values), 500):
            chunk = first_values[start : start + 500]
            found.update(queryset.filter(**{f"{attnames[0]}__in": chunk}).values_list(*attnames))
        return [key for key in keys if key in found]


def _violation_message(constraint) -> str:
    try:
        return str(constraint.get_violation_error_message())
    except (ValueError, TypeError, KeyError):  # a message with a stray "%"
        return str(constraint.violation_error_message)


def _message(error: ValidationError) -> str:
    message = error.message
    if error.params:
        message = message % error.params
    return str(message)


def upload(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    unit: Unit | None = None,
    status: Status | str | None = None,
    progress: Progress | None = None,
) -> UploadResult:
    """Check an uploaded workbook and, if every row is right, create its records.

    ``status``: DRAFT (default) or SUBMITTED; the office may also ask for APPROVED.
    ``unit``: office only; every row becomes a record of that unit (a liaison's rows are
    always their own unit's). ``progress(done_rows, total_rows)`` is called as rows are
    checked (``total_rows`` is the count the file declares, 0 if it declares none).
    """
    status = Status(status) if status else Status.DRAFT
    if status not in upload_statuses(user):
        status = Status.DRAFT
    resource_kwargs: dict[str, Any] = {"user": user, "unit": unit}
    if issubclass(resource_class, WorkflowResource):
        resource_kwargs["status"] = status
    resource = resource_class(**resource_kwargs)
    result = UploadResult(
        register=resource_class.slug,
        status=status if isinstance(resource, WorkflowResource) else None,
        unit=resource.fixed_unit,
    )
    job = _Upload(resource, progress)

    try:
        max_bytes, max_unpacked = upload_limits()
        reading.check_xlsx(data, max_bytes=max_bytes, max_uncompressed_bytes=max_unpacked)
        sheet = reading.read_data_sheet(data)
    except reading.SpreadsheetError as error:
        job.error(error.message, error.code)
        result.errors = job.errors
        return result

    job.sheet_title = sheet.title
    total = max(sheet.estimated_rows - 1, 0)
    rows = sheet.rows
    header_row = next(rows, None)
    if header_row is None or header_row.is_blank:
        job.error(_("工作表是空的：第 1 行应为表头。"), "empty_sheet")
        result.errors = job.errors
        return result
    header = header_row.values
    mapped = job.map_header(header)
    if mapped is None:
        result.errors = job.errors
        return result
    job.header_names = {
        index: str(value).strip() for index, value in enumerate(header) if not is_empty(value)
    }
    named = set(job.header_names)
    job.index_of = {column.attribute: index for index, column in mapped}
    job.unchecked_relations = {f.name for f in job.model._meta.concrete_fields if f.is_relation}

    valid: list[tuple[int, Any]] = []
    done = 0
    for row in rows:
        if row.is_blank:
            continue
        done += 1
        instance = job.read_row(row, mapped, named)
        if instance is not None:
            valid.append((row.number, instance))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done))
    result.rows = done
    if progress is not None:
        progress(done, done)
    if done == 0:
        job.error(_("工作表中没有数据行：请从第 2 行起填写。"), "empty_sheet")
    if valid:
        job.check_uniqueness(valid)
    if job.errors:
        # Row by row, as the user reads the file (repeats are found after every row is read).
        result.errors = sorted(job.errors, key=lambda error: error.row or 0)
        return result

    instances = [instance for _number, instance in valid]
    try:
        with transaction.atomic():
            created = create_with_history(
                instances,
                job.model,
                user=user,
                change_reason=_("Excel 上传"),
                date=timezone.now(),
            )
            resource.after_create(created)
    except IntegrityError:
        job.error(
            _(
                "保存时与已有记录冲突（可能有人同时录入了相同的记录），没有导入任何记录，请重新上传。"
            ),
            "conflict",
        )
        result.errors = job.errors
        return result
    result.created = created
    return result
