"""Query-string filters: a bad value answers 400 with a machine code, never 500.

``YearFilter`` takes only the years a register can hold (``registers.core.dates``);
``FilterBackend`` turns any filter's refusal into ``{"detail", "code"}`` naming the parameter,
and holds a filter by a linked record (``?item=84``) to the records the user may see: another
unit's record is refused exactly as one that does not exist, and the browsable API's filter
form asks for the record's number instead of listing every unit's records by name.
``OwnedFilter`` and ``WorkflowFilter`` are what every unit's record and every workflow record
is filtered by; ``filterset_for`` is the filterset of a viewset that names its filters only.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from registers.core.api.errors import InvalidQuery
from registers.core.dates import EARLIEST, LATEST
from registers.core.permissions import scope_queryset
from registers.core.status import Status


class YearField(forms.IntegerField):
    """A year the registers can hold; the database is never asked about year 0 or 10**20."""

    def validate(self, value):
        super().validate(value)
        if value is not None and not EARLIEST.year <= value <= LATEST.year:
            raise ValidationError(
                _("年度 %(value)s 超出可查询的范围（%(earliest)s 至 %(latest)s）。"),
                code="year_out_of_range",
                params={"value": value, "earliest": EARLIEST.year, "latest": LATEST.year},
            )


class YearFilter(django_filters.NumberFilter):
    """``?year=2017`` on ``field_name`` (a date's year, or a year field)."""

    field_class = YearField

    def __init__(self, field_name: str, **kwargs):
        kwargs.setdefault("label", _("年度"))
        super().__init__(field_name=field_name, **kwargs)


def year_of(field: str) -> YearFilter:
    """``?year=2017`` on a date's year."""
    return YearFilter(field, lookup_expr="year")


#: A range of dates or amounts: ``<field>__gte`` / ``<field>__lte``.
RANGE = ["gte", "lte"]


def lookups(*exact: str, ranges: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """A filterset's ``Meta.fields``: the ``exact`` fields by value, then the ``ranges``."""
    return {**{name: ["exact"] for name in exact}, **{name: RANGE for name in ranges}}


def filterset_for(
    model, fields, base: type = django_filters.FilterSet, *, year: str | None = None
) -> type:
    """The filterset of a viewset that names its filters only: ``base``'s filters, the
    ``fields`` (``lookups``) of ``model`` and, given ``year``, ``?year=`` on that date's
    year (``year_of``). Named after the model."""
    attrs = {"Meta": type("Meta", (), {"model": model, "fields": fields})}
    if year:
        attrs["year"] = year_of(year)
    return type(base)(f"{model.__name__}Filter", (base,), attrs)


def _hold_to_scope(linked, request) -> None:
    """Let ``linked``, a filter by a linked record, accept only the records the request's
    user may see (``scope_queryset``), and ask for the record's number in a form rather than
    offer every record as a choice."""
    linked.queryset = scope_queryset(linked.get_queryset(request), request.user)
    linked.extra["widget"] = forms.NumberInput


class OwnedFilter(django_filters.FilterSet):
    """Filters every record owned by a unit has: the unit (by id or code)."""

    unit = django_filters.NumberFilter(field_name="unit", label=_("单位编号"))
    unit_code = django_filters.CharFilter(field_name="unit__code", label=_("单位代码"))


class WorkflowFilter(OwnedFilter):
    """…and the review status."""

    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("审核状态"))


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, a refusal answered as ``{"detail", "code"}``."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for linked in filterset.filters.values():
                if isinstance(linked, django_filters.filters.QuerySetRequestMixin):
                    _hold_to_scope(linked, request)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            name, errors = next(iter(filterset.errors.as_data().items()))
            raise InvalidQuery.from_error(name, errors[0])
        return filterset.qs
