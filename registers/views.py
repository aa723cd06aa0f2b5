"""Public pages of the registers (no login), and the download of a record's evidence file."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registers.core import attachments
from registers.core.permissions import pages_required
from registers.models import Attachment, DrawnTarget, ResultKind, Unit
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
    year = _int_or_none(request.GET.get("year"))

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


@require_safe
@pages_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A record's file (any version), for whoever may see the record; 404 for anyone else."""
    try:
        attachment = attachments.get_for_user(request.user, pk)
    except Attachment.DoesNotExist as exc:
        raise Http404(_("附件不存在。")) from exc
    return attachments.file_response(attachment)
