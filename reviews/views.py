from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from registers.core.calendar import get_calendar
from registers.core.permissions import pages_required, reads_every_unit
from reviews.deadline_board import (
    DEFAULT_HORIZON_WORKING_DAYS,
    SOON_WORKING_DAYS,
    Urgency,
    board_rows,
)
from reviews.forms import DeadlineBoardForm


@pages_required
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Open statutory deadlines of the records the user may see, soonest first."""
    form = DeadlineBoardForm(request.GET or None)
    horizon = form.cleaned_data["days"] if form.is_valid() else DEFAULT_HORIZON_WORKING_DAYS
    today = timezone.localdate()
    rows = board_rows(request.user, today, get_calendar(), horizon)
    return render(
        request,
        "reviews/deadline_board.html",
        {
            "form": form,
            "rows": rows,
            "today": today,
            "horizon": horizon,
            "soon_days": SOON_WORKING_DAYS,
            "overdue_count": sum(row.urgency is Urgency.OVERDUE for row in rows),
            "soon_count": sum(row.urgency is Urgency.SOON for row in rows),
            "own_unit_only": not reads_every_unit(request.user),
        },
    )
