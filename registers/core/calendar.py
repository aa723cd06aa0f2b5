"""The working-day calendar as the office has configured it.

Each call reads the (small) override table, so a holiday entered in the admin is seen by
every process at once and deadlines computed afterwards follow it.
"""

from __future__ import annotations

import datetime

from registers.core.models import CalendarDay
from registers.core.workingdays import WorkingCalendar


def get_calendar() -> WorkingCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    return WorkingCalendar(overrides)


def is_working_day(day: datetime.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return get_calendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return get_calendar().working_days_between(start, end)
