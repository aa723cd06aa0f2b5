"""Public pages of the registers (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registers.core.dates import year_in_range
from registers.models import DrawnTarget, ResultKind, Unit
from registers.models.inspections import publication_days

RESULTS_PER_PAGE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
def public_inspection_results(request: HttpRequest) -> HttpResponse:
    """一公开: published results of random inspections, by unit and year.

    Only the fields meant for publication leave the database (``values``): item, unit,
    target name as drawn, check date, result and publication date. Inspectors, credit
    codes, addresses and the internal findings never reach the template.
    """
    published = DrawnTarget.objects.published(timezone.localdate())
    unit_id = _int_or_none(request.GET.get("unit"))
    year = year_in_range(_int_or_none(request.GET.get("year")))
    if request.GET.get("year") and year is None:
        messages.warning(
            request,
            _("年度“%(value)s”无效，已显示全部年度。") % {"value": request.GET["year"][:20]},
        )
    if unit_id is not None and not 0 < unit_id < 2**63:
        unit_id = None  # no unit has it; the database could not even compare it

    rows = published
    if unit_id:
        rows = rows.filter(draw__unit_id=unit_id)
    if year:
        rows = rows.filter(checked_on__year=year)
    rows = rows.order_by("-draw__published_on", "draw__unit__code", "draw_id", "position").values(
        "draw__item__name",
        "draw__item__sub_item",
        "draw__unit__name",
        "target_name",
        "checked_on",
        "result",
        "draw__published_on",
    )
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [
        {**row, "result_label": ResultKind(row["result"]).label} for row in page.object_list
    ]

    units = Unit.objects.filter(pk__in=published.values("draw__unit")).order_by("kind", "code")
    years = (
        published.annotate(year=ExtractYear("checked_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registers/public_inspections.html",
        {
            "page": page,
            "units": units,
            "years": list(years),
            "selected_unit": unit_id,
            "selected_year": year,
            "filtered": bool(unit_id or year),
            "query": query.urlencode(),
            "publication_days": publication_days(),
        },
    )
