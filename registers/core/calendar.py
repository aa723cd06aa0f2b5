"""The working-day calendar as the office has configured it.

A calendar reads the (small) override table when it is made, so a holiday entered in the
admin is seen by every process at once and deadlines computed afterwards follow it. Within
one request every caller gets the same calendar (``OneCalendarPerRequest``): a page or an
API list that counts the deadlines of many records reads the table once, not once a row.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar

from registers.core.models import CalendarDay
from registers.core.workingdays import WorkingCalendar

#: The calendar of the request being answered; a list while a request runs, else None.
_request_calendar: ContextVar[list[WorkingCalendar] | None] = ContextVar(
    "request_calendar", default=None
)


def get_calendar() -> WorkingCalendar:
    held = _request_calendar.get()
    if held:
        return held[0]
    calendar = WorkingCalendar(dict(CalendarDay.objects.values_list("date", "is_working_day")))
    if held is not None:
        held.append(calendar)
    return calendar


class OneCalendarPerRequest:
    """Middleware: the calendar is read at most once per request, when first asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_calendar.set([])
        try:
            return self.get_response(request)
        finally:
            _request_calendar.reset(token)


def is_working_day(day: datetime.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return get_calendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return get_calendar().working_days_between(start, end)
