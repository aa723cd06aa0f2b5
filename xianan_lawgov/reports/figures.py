"""The figures engine: every number of the annual report, computed from approved records.

A figure group (one per register or kind of case) computes all its figures for a scope with
a fixed, small number of aggregate queries, and knows the queryset of records behind each
figure for the drill-down. The engine adds the previous year's values and the consistency
checks (parts that must add up to their total).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Scope:
    """What a report covers: a year, and either the whole district or one unit."""

    year: int
    unit: Any = None  # a registers.Unit, or None for the whole district

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def previous(self) -> Scope:
        return Scope(self.year - 1, self.unit)

    def restrict(self, queryset: QuerySet, path: str | None = None) -> QuerySet:
        """Limit ``queryset`` to the unit of a unit-scoped report."""
        if self.unit is None:
            return queryset
        path = path or getattr(queryset.model, "scope_field", "unit")
        return queryset.filter(**{path: self.unit})


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str
    measure: str
    records: Callable[[Scope], QuerySet] | None = None
    note: str = ""


@dataclass(frozen=True)
class Check:
    """``total`` must equal the sum of ``parts`` (keys within the group)."""

    total: str
    parts: tuple[str, ...]


class FigureGroup:
    """Subclass, set ``key``, ``label``, ``figures`` and ``checks``, implement ``compute``."""

    key: str = ""
    label: str = ""
    figures: tuple[FigureDef, ...] = ()
    checks: tuple[Check, ...] = ()

    def compute(self, scope: Scope) -> dict[str, Any]:
        raise NotImplementedError

    def definition(self, key: str) -> FigureDef:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


GROUPS: list[FigureGroup] = []


def register(group_class: type[FigureGroup]) -> type[FigureGroup]:
    GROUPS[:] = [group for group in GROUPS if group.key != group_class.key]
    GROUPS.append(group_class())
    return group_class


def group_for(full_key: str) -> tuple[FigureGroup, FigureDef]:
    group_key, _dot, key = full_key.partition(".")
    for group in GROUPS:
        if group.key == group_key:
            return group, group.definition(key)
    raise KeyError(full_key)


def format_value(value: Any) -> str:
    """How a value reads inside a sentence: 208, 66.7, 8月1日, —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return f"{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return (
            str(rounded.to_integral_value()) if rounded == rounded.to_integral() else str(rounded)
        )
    return str(value)


def split_rate(value: Any) -> tuple[Any, str]:
    """A rate (numerator, denominator, basis) becomes its percentage and a note saying how."""
    if hasattr(value, "percent") and hasattr(value, "denominator"):
        return value.percent, _("%(rate)s；分母为%(basis)s") % {"rate": value, "basis": value.basis}
    return value, ""


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator as a percentage, None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


@dataclass
class Figure:
    key: str
    label: str
    value: Any
    measure: str
    group: str
    group_label: str
    previous: Any = None
    note: str = ""
    has_records: bool = False

    @property
    def display(self) -> str:
        return format_value(self.value)

    @property
    def previous_display(self) -> str:
        return format_value(self.previous)

    @property
    def change(self) -> Any:
        if isinstance(self.value, int | Decimal) and isinstance(self.previous, int | Decimal):
            if isinstance(self.value, bool) or isinstance(self.previous, bool):
                return None
            return self.value - self.previous
        return None

    @property
    def change_display(self) -> str:
        change = self.change
        if change is None:
            return ""
        text = format_value(change if isinstance(change, Decimal) else int(change))
        return f"+{text}" if change > 0 else text


@dataclass
class FigureSet:
    scope: Scope
    figures: dict[str, Figure] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def __contains__(self, key: str) -> bool:
        return key in self.figures

    def values(self) -> dict[str, Any]:
        return {key: figure.value for key, figure in self.figures.items()}

    def by_group(self) -> list[tuple[str, str, list[Figure]]]:
        groups: dict[str, tuple[str, list[Figure]]] = {}
        for figure in self.figures.values():
            groups.setdefault(figure.group, (figure.group_label, []))[1].append(figure)
        return [(key, label, figures) for key, (label, figures) in groups.items()]


def consistency_warnings(groups: Iterable[FigureGroup], values: dict[str, Any]) -> list[str]:
    warnings = []
    for group in groups:
        for check in group.checks:
            total = values.get(f"{group.key}.{check.total}")
            parts = [values.get(f"{group.key}.{part}") for part in check.parts]
            if total is None or any(part is None for part in parts):
                continue
            if total != sum(parts):
                labels = " + ".join(
                    f"{group.definition(part).label} {value}"
                    for part, value in zip(check.parts, parts, strict=True)
                )
                warnings.append(
                    _("%(group)s：%(total_label)s %(total)s ≠ %(parts)s（合计 %(sum)s）")
                    % {
                        "group": group.label,
                        "total_label": group.definition(check.total).label,
                        "total": total,
                        "parts": labels,
                        "sum": sum(parts),
                    }
                )
    return warnings


def compute_figures(year: int, unit=None, *, with_previous: bool = True) -> FigureSet:
    scope = Scope(year, unit)
    result = FigureSet(scope)
    values: dict[str, Any] = {}
    previous: dict[str, Any] = {}
    for group in GROUPS:
        current = group.compute(scope)
        before = group.compute(scope.previous()) if with_previous else {}
        for definition in group.figures:
            full_key = f"{group.key}.{definition.key}"
            values[full_key], note = split_rate(current.get(definition.key))
            previous[full_key], _note = split_rate(before.get(definition.key))
            result.figures[full_key] = Figure(
                key=full_key,
                label=str(definition.label),
                value=values[full_key],
                measure=definition.measure,
                group=group.key,
                group_label=str(group.label),
                previous=previous[full_key],
                note=str(note or definition.note),
                has_records=definition.records is not None,
            )
    result.warnings = consistency_warnings(GROUPS, values)
    return result


def records_behind(full_key: str, year: int, unit=None) -> QuerySet:
    group, definition = group_for(full_key)
    if definition.records is None:
        raise KeyError(full_key)
    return definition.records(Scope(year, unit))
