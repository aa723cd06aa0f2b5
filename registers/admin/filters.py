"""List filters the registers' admins share."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from registers.core import permissions, stamps
from registers.core.dates import year_in_range
from registers.core.text import whole_number
from registers.models import Unit


def year_filter(field_name: str, title) -> type[admin.SimpleListFilter]:
    """A filter by the year of ``field_name``, offering the years the visible records have."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_year"

        def lookups(self, request, model_admin):
            years = model_admin.get_queryset(request).dates(field_name, "year", order="DESC")
            return [(str(day.year), gettext("%(year)d年") % {"year": day.year}) for day in years]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            year = year_in_range(whole_number(self.value()))
            if year is None:
                return queryset.none()  # no record of the registers has that year
            return queryset.filter(**{f"{field_name}__year": year})

    YearFilter.title = title
    YearFilter.__name__ = f"{field_name.title().replace('_', '')}YearFilter"
    return YearFilter


#: Units listed in a unit filter without a search; beyond that the filter offers the box only.
UNITS_LISTED = 30


def unit_filter(path: str = "unit") -> type[admin.SimpleListFilter]:
    """The unit a record belongs to (``path``: ``unit``, ``document__unit``…). A record's own
    unit keeps the parameter Django's own filter used (``unit__id__exact``), so links to a
    unit's records keep working; a unit further away is ``document__unit=<id>`` (Django
    refuses a longer lookup that no list filter names).

    A district has a score of units, listed as before; where there are more than
    ``UNITS_LISTED``, the filter does not print every one of them on every page (two
    thousand links at a hundred districts' data) but offers a box finding units by name,
    short name or code, and lists those found. A liaison sees their own unit's records
    only (the list is scoped already): no unit filter is shown to them.
    """

    class UnitFilter(admin.SimpleListFilter):
        title = gettext_lazy("单位")
        parameter_name = path if "__" in path else f"{path}__id__exact"
        # Not a lookup (Django refuses one the admin does not filter by): the filter's own.
        search_parameter = f"{path.replace('__', '_')}_name"
        template = "admin/registers/unit_filter.html"

        def __init__(self, request, params, model, model_admin):
            self.search = (params.pop(self.search_parameter, None) or [""])[-1].strip()
            self.offered = not permissions.reads_own_unit_only(request.user)
            self.more = False
            super().__init__(request, params, model, model_admin)

        def expected_parameters(self):
            return [self.parameter_name, self.search_parameter]

        def lookups(self, request, model_admin):
            if not self.offered:
                return []
            # Kept until the data changes: the same units on every page of every list.
            self.more, choices = stamps.kept(
                "admin_unit_filter",
                (permissions.scope_key(request.user), self.search, self.value()),
                lambda: self.units(request),
            )
            return choices

        def units(self, request) -> tuple[bool, list[tuple[int, str]]]:
            """Whether there are more units than listed, and the (id, name) listed."""
            units = permissions.scope_queryset(Unit.objects.all(), request.user)
            found = units.order_by("kind", "code")
            if self.search:
                found = found.filter(
                    Q(name__icontains=self.search)
                    | Q(short_name__icontains=self.search)
                    | Q(code__icontains=self.search)
                )
            found = list(found[: UNITS_LISTED + 1])
            more = len(found) > UNITS_LISTED
            if more and not self.search:
                found = []  # too many to list: the box finds them
            found = found[:UNITS_LISTED]
            selected = self.value()
            if whole_number(selected) is not None and all(str(u.pk) != selected for u in found):
                found = [*units.filter(pk=selected), *found]
            return more, [(unit.pk, str(unit)) for unit in found]

        def has_output(self):
            return self.offered

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            if whole_number(self.value()) is None:
                raise IncorrectLookupParameters  # the list's "bad filter" redirect, as before
            return queryset.filter(**{path: self.value()})

        def choices(self, changelist):
            # The box's form keeps the list's other parameters (filters, search, order).
            self.kept = [
                (name, value)
                for name, value in changelist.params.items()
                if name not in (self.search_parameter, PAGE_VAR, ERROR_FLAG)
            ]
            yield from super().choices(changelist)

    UnitFilter.__name__ = f"{path.title().replace('_', '')}Filter"
    return UnitFilter


class HandlerFilter(admin.SimpleListFilter):
    """The person in charge (承办人) of a record: the reader's own, or nobody's yet. Added to
    the list of every register with a person in charge (``ScopedAdmin.get_list_filter``)."""

    title = gettext_lazy("承办人")
    parameter_name = "handled"
    MINE, NOBODY = "mine", "nobody"

    def lookups(self, request, model_admin):
        return [(self.MINE, gettext_lazy("我承办的")), (self.NOBODY, gettext_lazy("无人承办"))]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.filter(handler=request.user)
        if self.value() == self.NOBODY:
            return queryset.filter(handler__isnull=True)
        return queryset
