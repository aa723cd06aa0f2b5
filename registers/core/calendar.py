"""The working-day calendar as the office has configured it.

A calendar reads the (small) override table when it is made, and is kept until the data
changes (``registers/core/stamps.py``), so a holiday entered in the admin is seen by every
process at once and deadlines computed afterwards follow it. Within one request every
caller gets the same calendar (``OneCalendarPerRequest``): a page or an API list that counts
the deadlines of many records reads the table once, not once a row.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar

from registers.core import stamps
from registers.core.models import CalendarDay, HolidaySchedule
from registers.core.workingdays import WorkingCalendar, package_covers

#: The calendar of the request being answered; a list while a request runs, else None.
_request_calendar: ContextVar[list[WorkingCalendar] | None] = ContextVar(
    "request_calendar", default=None
)


def get_calendar() -> WorkingCalendar:
    held = _request_calendar.get()
    if held:
        return held[0]
    # Kept until the data changes (the calendar's tables are among the stamp's): the same
    # object for every request of this process, whose only changes are its own look-ups
    # (``WorkingCalendar._known``, ``_counted``), the same whoever makes them.
    calendar = stamps.kept("calendar", (), read_calendar, as_is=True)
    if held is not None:
        held.append(calendar)
    return calendar


def calendar_changed() -> None:
    """Drop the request's calendar after a change to it, so the rest of the request (the page
    that reports the change, its banner) reads the new one."""
    held = _request_calendar.get()
    if held:
        held.clear()


def read_calendar() -> WorkingCalendar:
    """The calendar as the database has it now (bypassing the request's copy)."""
    schedules: dict[int, dict[datetime.date, bool]] = {}
    # One query for the schedules and their days; a schedule without days still confirms.
    for year, day, working in HolidaySchedule.objects.confirmed().values_list(
        "year", "days__date", "days__is_working_day"
    ):
        days = schedules.setdefault(year, {})
        if day is not None:
            days[day] = working
    return WorkingCalendar(
        dict(CalendarDay.objects.values_list("date", "is_working_day")), schedules
    )


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


#: From this day of the year (month, day) next year's holidays should be known: the State
#: Council publishes them in late October or November.
NEXT_YEAR_SCHEDULE_DUE = (11, 1)


def schedule_confirmed(year: int) -> bool:
    """Whether ``year``'s official holidays and make-up working days are known: the calendar
    package covers the year, or the office confirmed the State Council's schedule for it
    (``WorkingCalendar.is_confirmed``). Until then, deadlines counted across ``year`` use its
    statutory holidays and weekends, and are provisional.
    """
    # Years the package knows need no database read (every page asks, for the banner).
    return package_covers(year) or get_calendar().is_confirmed(year)


def unconfirmed_schedules(today: datetime.date) -> list[int]:
    """The years whose schedule should be known by ``today`` and is not: this year, and next
    year from ``NEXT_YEAR_SCHEDULE_DUE`` on. The readiness check and the office's banner
    both show this list."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_SCHEDULE_DUE:
        years.append(today.year + 1)
    return [year for year in years if not schedule_confirmed(year)]
