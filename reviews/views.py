from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from registers.core.calendar import get_calendar
from registers.core.permissions import role_of
from registers.core.roles import Role
from reviews.deadline_board import (
    DEFAULT_HORIZON_WORKING_DAYS,
    SOON_WORKING_DAYS,
    Urgency,
    board_rows,
)
from reviews.forms import DeadlineBoardForm


@login_required
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Open statutory deadlines of the records the user may see, soonest first."""
    role = role_of(request.user)
    if role is None or not role.uses_admin:
        raise PermissionDenied
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
            "own_unit_only": role == Role.LIAISON,
        },
    )
