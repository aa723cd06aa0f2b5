"""``{% date_hierarchy cl %}`` for the admin's lists, its years and months read by index probes.

Django's own tag lists the years (or a year's months) with ``SELECT DISTINCT
DATE_TRUNC(…)`` over every row the list shows: at a hundred districts, 57,000 documents
read and truncated for each page of the document list. Where an index starts with the
hierarchy's date field, this tag asks instead, in one query, whether each year between the
first and the last date (each month of the chosen year) has a row: one probe of the index
per period, whatever the number of rows. The links and the page are Django's, unchanged;
days, date-time fields and dates without such an index are left to Django's tag.

``templates/admin/change_list.html`` uses it for every change list.
"""

from __future__ import annotations

import datetime

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.db.models import Exists, Max, Min
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

#: The most years probed in one query: the registers' dates span 1900–2099
#: (``registers.core.dates``); a wider span (a table outside them) is left to Django.
MAX_PROBED_YEARS = 200


def has_leading_index(model, field: models.Field) -> bool:
    """Whether an index of ``model``'s table starts with ``field`` (in either direction)."""
    if field.model is not model:
        return False  # a date across a relation: the probes could not use an index
    if field.db_index or field.unique:
        return True
    return any(
        index.fields and index.fields[0].lstrip("-") == field.name for index in model._meta.indexes
    )


def periods_with_rows(queryset, field_name: str, periods: list[tuple]) -> list[tuple]:
    """The ``(start, end)`` periods in which ``queryset`` has a row with ``start <=
    field_name < end``, in one query (a probe per period)."""
    probes = {
        f"period_{number}": Exists(
            queryset.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        )
        for number, (start, end) in enumerate(periods)
    }
    # One row of the table (the list has rows, so the table has) carries every answer.
    rows = queryset.model._base_manager.order_by().annotate(**probes).values(*probes)[:1]
    row = next(iter(rows), {})
    return [period for number, period in enumerate(periods) if row.get(f"period_{number}")]


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def _month(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    return start, datetime.date(year + month // 12, month % 12 + 1, 1)


def probed_date_hierarchy(cl) -> dict | None:
    """Django's ``date_hierarchy`` context for the years or a year's months, or None where
    Django's own tag should answer."""
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    if isinstance(field, models.DateTimeField) or not has_leading_index(cl.model, field):
        return None
    year_field, month_field = f"{field_name}__year", f"{field_name}__month"
    year_lookup = cl.params.get(year_field)
    if cl.params.get(month_field) or cl.params.get(f"{field_name}__day"):
        return None

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if not year_lookup:
        bounds = cl.queryset.aggregate(first=Min(field_name), last=Max(field_name))
        first, last = bounds["first"], bounds["last"]
        if first is None or last is None:
            return {"show": True, "back": None, "choices": []}  # no rows: no year
        if first.year != last.year and last.year - first.year < MAX_PROBED_YEARS:
            periods = [_year(year) for year in range(first.year, last.year + 1)]
            return {
                "show": True,
                "back": None,
                "choices": [
                    {"link": link({year_field: str(start.year)}), "title": str(start.year)}
                    for start, _end in periods_with_rows(cl.queryset, field_name, periods)
                ],
            }
        if first.year != last.year or first.month == last.month:
            return None  # too many years, or one month (its days): Django's tag
        year_lookup = first.year  # Django starts at the one year's months
    try:
        year = int(year_lookup)
        periods = [_month(year, month) for month in range(1, 13)]
    except (TypeError, ValueError, OverflowError):  # Django's own tag decides
        return None
    return {
        "show": True,
        "back": {"link": link({}), "title": _("All dates")},
        "choices": [
            {
                "link": link({year_field: year_lookup, month_field: start.month}),
                "title": capfirst(formats.date_format(start, "YEAR_MONTH_FORMAT")),
            }
            for start, _end in periods_with_rows(cl.queryset, field_name, periods)
        ],
    }


def date_hierarchy(cl):
    return probed_date_hierarchy(cl) or admin_list.date_hierarchy(cl)


@register.tag(name="date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
