"""List filters the registers' admins share."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext


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
            try:
                year = int(self.value())
            except ValueError:
                return queryset.none()
            return queryset.filter(**{f"{field_name}__year": year})

    YearFilter.title = title
    YearFilter.__name__ = f"{field_name.title().replace('_', '')}YearFilter"
    return YearFilter
