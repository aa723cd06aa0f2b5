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
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from registers.core import numbers, stamps
from registers.core.numbers import NumberFormat


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
    #: How the figure prints when the text names no format of its own.
    number_format: NumberFormat = numbers.DEFAULT
    #: A figure about the district as a whole (its first licence, how many units had
    #: something): a unit's report text may not name it.
    district_only: bool = False


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

    def warnings(self, scope: Scope) -> list[str]:
        """What the records leave out of the group's figures, for the report's warnings
        beside its consistency checks (none unless a group says)."""
        return []

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


def format_value(value: Any, fmt: NumberFormat = numbers.DEFAULT) -> str:
    """How a value reads inside a sentence: 208, 66.7, 8月1日, —. Numbers print by ``fmt``
    (``registers.core.numbers``, the one place that rounds)."""
    if value is None:
        return numbers.EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return f"{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return fmt.format(value)
    return str(value)


@dataclass(frozen=True)
class Share:
    """One part's share of a whole, apportioned with its sibling parts so that the printed
    shares add up as the counts do (``numbers.apportion``)."""

    numerator: int
    denominator: int
    share: Decimal | None
    basis: str = ""


def shares(counts: dict[str, int], basis: str = "") -> dict[str, Share]:
    """Each count's ``Share`` of their sum, at two places, summing to 100."""
    total = sum(counts.values())
    apportioned = numbers.apportion(list(counts.values()), numbers.SHARE)
    return {
        key: Share(count, total, value, basis)
        for (key, count), value in zip(counts.items(), apportioned, strict=True)
    }


@dataclass(frozen=True)
class RateParts:
    """What a rate figure keeps besides its printed value: the counts it divides."""

    value: Any
    note: str = ""
    numerator: int | None = None
    denominator: int | None = None


def is_rate(value: Any) -> bool:
    """A rate or share: counts to divide (a plain number has a numerator too, of itself)."""
    return not isinstance(value, int | Decimal) and hasattr(value, "denominator")


def split_rate(value: Any, fmt: NumberFormat = numbers.DEFAULT) -> RateParts:
    """A rate (numerator, denominator, basis, definition) becomes its percentage, its counts
    and a note saying how it was counted."""
    if not is_rate(value):
        return RateParts(value)
    if isinstance(value, Share):
        percent = value.share
    else:
        percent = fmt.percent(value.numerator, value.denominator)
    shown = fmt.format(percent)
    shown = shown if percent is None else f"{shown}%"
    parts = [f"{value.numerator}/{value.denominator}（{shown}）"]
    if getattr(value, "definition", ""):
        parts.append(str(value.definition))
    if getattr(value, "basis", ""):
        parts.append(_("分母为%(basis)s") % {"basis": value.basis})
    return RateParts(percent, "；".join(parts), value.numerator, value.denominator)


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
    #: A rate's counts (None for a figure that is not a rate).
    numerator: int | None = None
    denominator: int | None = None
    number_format: NumberFormat = numbers.DEFAULT

    @property
    def display(self) -> str:
        return format_value(self.value, self.number_format)

    def formatted(self, fmt: NumberFormat | None) -> str:
        """The value printed by ``fmt`` (a placeholder's option), from the exact counts when
        it is a rate, so 17/27 truncates to 62.9 and never to the rounded 63.0."""
        if fmt is None:
            return self.display
        if self.denominator is not None:
            return fmt.format(fmt.percent(self.numerator or 0, self.denominator))
        return format_value(self.value, fmt)

    @property
    def previous_display(self) -> str:
        return format_value(self.previous, self.number_format)

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
        change = change if isinstance(change, Decimal) else int(change)
        text = format_value(change, self.number_format)
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


def counted_anything(group: FigureGroup, computed: dict[str, Any]) -> bool:
    """Whether ``computed`` rests on records: a count of records above zero or a rate with
    something to divide by. A year without any is a year without data, not a year of zeros
    (a group with no such figures is taken at its word)."""
    telling = False
    for definition in group.figures:
        value = computed.get(definition.key)
        if is_rate(value):
            telling = True
            if value.denominator:
                return True
        elif definition.records is not None:
            telling = True
            if value:
                return True
    return not telling


def compute_figures(year: int, unit=None, *, with_previous: bool = True) -> FigureSet:
    """Every figure of ``year``; each beside the previous year's, which is None ("—", no
    change) for a group that had no records in the previous year. Kept in memory for the
    same data (``registers/core/stamps.py``): the home page, the report page and the API
    ask for the same figures many times between two changes."""
    return stamps.kept(
        "figures",
        (year, unit.pk if unit is not None else None, with_previous),
        lambda: _compute_figures(year, unit, with_previous=with_previous),
    )


def _compute_figures(year: int, unit, *, with_previous: bool) -> FigureSet:
    scope = Scope(year, unit)
    result = FigureSet(scope)
    values: dict[str, Any] = {}
    for group in GROUPS:
        current = group.compute(scope)
        before = group.compute(scope.previous()) if with_previous else {}
        if not counted_anything(group, before):
            before = {}
        for definition in group.figures:
            full_key = f"{group.key}.{definition.key}"
            fmt = definition.number_format
            now = split_rate(current.get(definition.key), fmt)
            values[full_key] = now.value
            result.figures[full_key] = Figure(
                key=full_key,
                label=str(definition.label),
                value=now.value,
                measure=definition.measure,
                group=group.key,
                group_label=str(group.label),
                previous=split_rate(before.get(definition.key), fmt).value,
                note=str(now.note or definition.note),
                has_records=definition.records is not None,
                numerator=now.numerator,
                denominator=now.denominator,
                number_format=fmt,
            )
    result.warnings = consistency_warnings(GROUPS, values) + [
        warning for group in GROUPS for warning in group.warnings(scope)
    ]
    return result


def records_behind(full_key: str, year: int, unit=None) -> QuerySet:
    group, definition = group_for(full_key)
    if definition.records is None:
        raise KeyError(full_key)
    return definition.records(Scope(year, unit))
