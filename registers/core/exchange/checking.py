"""Checking an upload's rows: every mistake with its sheet, row, column, reason and code.

A row is read cell by cell with its column's widget (``columns``), then checked by the
model's own ``full_clean`` and CHECK constraints; when every row is read, the whole file is
checked for keys repeated within it and keys already registered. Nothing here writes.

For speed (an upload may hold 50,000 rows) two of Django's checks are done here instead:

- A CHECK constraint's condition is compiled once into a Python function of the instance
  that evaluates it as SQL does (``compile_condition``), instead of one query per row
  (``CheckConstraint.validate``). Where it cannot be compiled the constraint is validated
  by Django. ``tests/exchange/test_conditions.py`` holds the compiled checks against
  ``CheckConstraint.validate`` and ``Q.check`` on every constraint of the project.
- Uniqueness is checked with one query per rule for the whole file, not one per row.

Django internals relied on (checked against Django 5.2): a ``Q``'s ``children`` (nested
``Q`` objects or ``(lookup, value)`` pairs), ``connector`` (``Q.AND``/``Q.OR``) and
``negated``; ``F.name``; ``Field.attname``/``concrete``; ``CheckConstraint.condition``,
``UniqueConstraint.fields``/``condition``/``expressions``; ``BaseConstraint.
get_violation_error_message`` and ``violation_error_code``; ``Model.unique_error_message``;
and ``Model.full_clean``'s ``exclude``/``validate_unique``/``validate_constraints``.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _

from registers.core import permissions
from registers.core.constraints import COMPARISONS, place_refusals, refused_field, violation_message
from registers.core.exchange import reading
from registers.core.exchange.columns import (
    CellError,
    Column,
    ScopedResource,
    columns_of,
    is_empty,
)
from registers.core.uniqueness import (
    NEUTRAL_MESSAGE,
    UniqueRule,
    clashing,
    hidden_from,
    unique_rules,
)

#: Django's codes for a missing value; reported as one plain "please fill in" message.
EMPTY_CODES = {"blank", "null", "required"}


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


def in_reading_order(errors: Iterable[UploadError]) -> list[UploadError]:
    """The errors as the user reads the file: the whole file's first, then row by row and,
    in a row, column by column (repeats are found only after every row is read)."""
    return sorted(
        errors,
        key=lambda error: (error.row or 0, len(error.column_letter), error.column_letter),
    )


# --- Constraint conditions, compiled ----------------------------------------------------------


class Unsupported(Exception):
    """A condition too complex to evaluate in Python; Django (the database) decides it."""


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


Condition = Callable[[Any], "bool | None"]


def _attname(model, name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise Unsupported from None
    if not field.concrete:
        raise Unsupported
    return field.attname


def _lookup(model, attname: str, kind: str, value) -> Condition:
    """One ``field__kind=value`` of a condition, with SQL's NULL semantics: ``= NULL`` is
    written ``IS NULL`` by Django for a literal None, while a comparison with a column that
    holds NULL is unknown."""
    left = operator.attrgetter(attname)
    if isinstance(value, F):
        right = operator.attrgetter(_attname(model, value.name))
    elif hasattr(value, "resolve_expression"):
        raise Unsupported
    else:
        right = None
    if kind == "exact" and right is None and value is None:
        kind, value = "isnull", True
    if kind == "isnull":
        if right is not None:
            raise Unsupported
        wanted = bool(value)
        return lambda instance: (left(instance) is None) == wanted
    if kind == "in":
        if right is not None or None in value:
            raise Unsupported
        options = list(value)
        return lambda instance: None if left(instance) is None else left(instance) in options
    if kind == "exact":
        compare = operator.eq
    elif kind in COMPARISONS:
        compare = COMPARISONS[kind]
    else:
        raise Unsupported

    def comparison(instance):
        a = left(instance)
        b = value if right is None else right(instance)
        if a is None or b is None:
            return None
        try:
            return compare(a, b)
        except TypeError:
            raise Unsupported from None

    return comparison


def compile_condition(condition: Q, model) -> Condition:
    """A constraint's condition as a function of an unsaved instance, as SQL evaluates it.

    The function gives True, False, or None where SQL says "unknown" (a comparison with
    NULL): a CHECK constraint only fails on False. Raises ``Unsupported`` for what it
    cannot evaluate (here, or when called, for values that cannot be compared).
    """
    if condition.connector not in (Q.AND, Q.OR):
        raise Unsupported  # XOR
    parts: list[Condition] = []
    for child in condition.children:
        if isinstance(child, Q):
            parts.append(compile_condition(child, model))
            continue
        if not isinstance(child, tuple):
            raise Unsupported
        lookup, value = child
        name, _sep, kind = lookup.partition("__")
        kind = kind or "exact"
        if "__" in kind:
            raise Unsupported  # a transform or a related field's lookup
        parts.append(_lookup(model, _attname(model, name), kind, value))
    decisive = condition.connector == Q.OR
    negated = condition.negated

    def evaluate(instance) -> bool | None:
        combined = _kleene([part(instance) for part in parts], decisive)
        if negated:
            return None if combined is None else not combined
        return combined

    return evaluate


def compiled(condition: Q, model) -> Condition | None:
    """``compile_condition``, or None where it cannot (the database then decides)."""
    try:
        return compile_condition(condition, model)
    except Unsupported:
        return None


def condition_of(constraint) -> Q | None:
    return getattr(constraint, "condition", None)


# --- Uniqueness -------------------------------------------------------------------------------


def message_of(error: ValidationError) -> str:
    message = error.message
    if error.params:
        message = message % error.params
    return str(message)


# --- A sheet being checked --------------------------------------------------------------------


class SheetCheck:
    """The checks of one upload's sheet: its header, each row, then the whole file.

    Errors are collected in ``errors``; a row that has any gives no instance.
    """

    def __init__(self, resource: ScopedResource, sheet_title: str = ""):
        self.resource = resource
        self.model = resource._meta.model
        self.office = permissions.is_office(resource.user)
        self.errors: list[UploadError] = []
        self.sheet_title = sheet_title
        #: The model's CHECK constraints, each with its condition compiled (None: Django
        #: decides).
        self.check_rules = [
            (constraint, compiled(condition_of(constraint), self.model))
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.CheckConstraint)
        ]
        # Foreign keys are found among what the user may see when the cell is read; Django
        # would look each up again, one query per row.
        self.unchecked_relations = {
            f.name for f in self.model._meta.concrete_fields if f.is_relation
        }
        self.mapped: list[tuple[int, Column]] = []
        self.header_names: dict[int, str] = {}
        self.index_of: dict[str, int] = {}

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

    def read_header(self, header: list[Any]) -> bool:
        """Map the header's columns; False (with the reasons in ``errors``) if it is wrong."""
        resource = self.resource
        for problem in resource.check_headers(header):
            self.error(problem.message, problem.code, row=1)
        if self.errors:
            return False
        by_name = {column.name: column for column in columns_of(resource, office_only=True)}
        ignored = resource.ignored_columns()
        for index, value in enumerate(header):
            if is_empty(value):
                continue
            name = str(value).strip()
            self.header_names[index] = name
            column = by_name.get(name)
            if column is not None and name not in ignored:
                self.mapped.append((index, column))
        self.index_of = {column.attribute: index for index, column in self.mapped}
        return True

    # -- one row ----------------------------------------------------------------------------

    def read_row(self, row: reading.SheetRow, base=None):
        """The row as an unsaved, checked instance, or None if it has any mistake.

        With ``base`` (a stored record the row updates) the instance is a copy of it with
        the row's values: what the sheet does not say stays as stored, and the record's own
        bookkeeping (creator, status) is left alone.
        """
        resource = self.resource
        if base is None:
            instance = self.model()
            resource.prepare_instance(instance)
        else:
            instance = copy.copy(base)
        failed: set[str] = set()
        for index in row.formulas:
            self.error(
                _("单元格是公式（%(formula)s），请复制后“粘贴为数值”。")
                % {"formula": row.formulas[index][:60]},
                "formula",
                row.number,
                self.column_name_at(index),
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
            if index not in self.header_names and not is_empty(value):
                self.error(
                    _("这一列没有列名，但填写了内容。"), "unknown_column", row.number, "", index
                )
        values = row.values
        width = len(values)
        for index, column in self.mapped:
            if index in row.formulas or index in row.error_values:
                failed.add(column.attribute)
                continue
            value = values[index] if index < width else None
            if not self.read_cell(instance, column, value, row.number, index):
                failed.add(column.attribute)
        if failed or self.row_has_errors(row.number):
            self.validate(instance, row.number, failed | self.unchecked_relations)
            return None
        if not self.validate(instance, row.number, self.unchecked_relations):
            return None
        if not self.check_constraints(instance, row.number):
            return None
        return instance

    def read_cell(self, instance, column: Column, value, number: int, index: int) -> bool:
        """Set one cell's value on the instance; False (with the reason) if it is wrong."""
        resource = self.resource
        attribute = column.attribute
        if attribute in resource.office_only_fields and not self.office:
            if is_empty(value):
                return True
            message = resource.office_only_message(column.field)
            self.error(message, "office_only", number, column.name, index)
            return False
        try:
            cleaned = column.widget.clean(value)
        except CellError as error:
            self.error(error.message, error.code, number, column.name, index)
            return False
        except ValueError as error:
            self.error(str(error), "invalid", number, column.name, index)
            return False
        if attribute == "unit" and resource.fixed_unit is not None:
            return self.check_fixed_unit(cleaned, column, number, index)
        if cleaned in (None, "") and column.field.default is not models.NOT_PROVIDED:
            default = column.field.default
            cleaned = default() if callable(default) else default
        if column.is_relation and cleaned is None and column.model_field is not None:
            if not column.model_field.blank:
                message = _("请填写“%(column)s”。") % {"column": column.name}
                self.error(message, "required", number, column.name, index)
                return False
        setattr(instance, attribute, cleaned)
        return True

    def check_fixed_unit(self, named, column: Column, number: int, index: int) -> bool:
        """Every row belongs to the upload's unit (a liaison's own, or the one the office
        chose): the unit column may be left empty or name that unit, nothing else."""
        unit = self.resource.fixed_unit
        if named is None or named.pk == unit.pk:
            return True
        self.error(
            _("本次上传的记录都属于“%(unit)s”，这一行填写的是“%(named)s”。请留空或改为“%(unit)s”。")
            % {"unit": unit, "named": named},
            "other_unit",
            number,
            column.name,
            index,
        )
        return False

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
                self.error(message_of(item), item.code, number)
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
                    self.error(message_of(item), item.code, number, column, index)

    def check_constraints(self, instance, number: int) -> bool:
        ok = True
        for constraint, condition in self.check_rules:
            holds = None
            if condition is not None:
                try:
                    holds = condition(instance)
                except Unsupported:
                    condition = None
            if condition is None:
                try:
                    constraint.validate(self.model, instance)
                except ValidationError as error:
                    placed = place_refusals(self.model, error.update_error_dict({}))
                    self.report_validation_error(ValidationError(placed), number)
                    ok = False
                continue
            if holds is False:
                message = violation_message(constraint)
                code = constraint.violation_error_code or constraint.name
                column, index = self.column_of_refusal(constraint)
                self.error(message, code, number, column, index)
                ok = False
        return ok

    def column_of_refusal(self, constraint) -> tuple[str, int | None]:
        """The column a failed constraint is shown under: its field's
        (``constraints.refused_field``)."""
        field = refused_field(self.model, constraint)
        if field is None:
            return "", None
        return self.resource.column_of(field), self.index_of.get(field)

    # -- the whole file ---------------------------------------------------------------------

    def read_key(self, row: reading.SheetRow, fields: Iterable[str]) -> tuple | None:
        """The values of ``fields`` in the row, as its cells read (the upload's own unit
        where every row is that unit's); None where one is missing or cannot be read (the
        row's check says why)."""
        values = []
        for name in fields:
            if name == "unit" and self.resource.fixed_unit is not None:
                values.append(self.resource.fixed_unit.pk)
                continue
            index = self.index_of.get(name)
            if index is None or index >= len(row.values) or index in row.formulas:
                return None
            column = next(column for i, column in self.mapped if i == index)
            try:
                value = column.widget.clean(row.values[index])
            except (CellError, ValueError):
                return None
            if is_empty(value):
                return None
            if isinstance(value, models.Model):
                value = value.pk
            else:
                try:  # as the record stores it (an identifier's normal form)
                    value = self.model._meta.get_field(name).to_python(value)
                except ValidationError:
                    return None
            values.append(value)
        return tuple(values)

    def check_uniqueness(
        self,
        rows: list[tuple[int, Any]],
        updating: dict[int, int] | None = None,
        matched_by: tuple[str, ...] = (),
    ) -> None:
        """Keys repeated within the file (every repeat after the first) or already
        registered; ``rows`` are (row number, instance) of the rows that passed, and
        ``updating`` the rows that update a record (row number → its key): a record does
        not clash with the row that updates it, and nothing else holds the key it was
        found by (``matched_by``)."""
        updating = updating or {}
        model = self.model
        for rule in unique_rules(model):
            attnames = [model._meta.get_field(name).attname for name in rule.fields]
            rows_by_key: dict[tuple, list[int]] = {}
            condition = None if rule.condition is None else compiled(rule.condition, model)
            for number, instance in rows:
                if condition is not None:
                    try:
                        if condition(instance) is not True:
                            continue
                    except Unsupported:
                        pass
                key = tuple(getattr(instance, name) for name in attnames)
                if any(part is None for part in key):
                    continue
                rows_by_key.setdefault(key, []).append(number)
            if not rows_by_key:
                continue
            message, code = self.unique_message(rule, rows[0][1])
            column, index = self.key_column(rule)
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
                first = rows_by_key[key][0]
                if first in updating and tuple(rule.fields) == tuple(matched_by):
                    continue
                others = clashing(model, rule, dict(zip(attnames, key, strict=True)))
                if first in updating:
                    others = others.exclude(pk=updating[first])
                    if not others.exists():
                        continue
                if hidden_from(self.resource.user, others):
                    self.error(NEUTRAL_MESSAGE, code, rows_by_key[key][0], column, index)
                else:
                    self.error(message, code, rows_by_key[key][0], column, index)

    def key_column(self, rule: UniqueRule) -> tuple[str, int | None]:
        """The column a repeated key is shown under: its constraint's refused field, else
        its last field besides the unit."""
        if rule.constraint is not None:
            return self.column_of_refusal(rule.constraint)
        field = [name for name in rule.fields if name != "unit"][-1:] or list(rule.fields)[-1:]
        return self.resource.column_of(field[0]), self.index_of.get(field[0])

    def unique_message(self, rule: UniqueRule, instance) -> tuple[str, str]:
        if rule.constraint is not None:
            code = rule.constraint.violation_error_code or "unique"
            return violation_message(rule.constraint), code
        error = instance.unique_error_message(self.model, rule.fields)
        return message_of(error), error.code or "unique"

    def existing_keys(self, rule: UniqueRule, attnames: list[str], keys: list[tuple]):
        queryset = self.model._default_manager.all()
        if rule.condition is not None:
            queryset = queryset.filter(rule.condition)
        found = set()
        first_values = sorted({key[0] for key in keys}, key=str)
        for start in range(0, len(first_values), 500):
            chunk = first_values[start : start + 500]
            found.update(queryset.filter(**{f"{attnames[0]}__in": chunk}).values_list(*attnames))
        return [key for key in keys if key in found]
