"""Working-day arithmetic on China's statutory holiday calendar.

Pure helpers (no database): ``WorkingCalendar`` answers from the ``chinese_calendar``
package, which knows the State Council's holidays and make-up working days (调休), with a
mapping of override days that always wins. Years the package does not cover fall back to
"Monday to Friday" until the office enters the new schedule as overrides.

Counting follows the civil-procedure rules the reconsideration law applies (复议法 2023
art. 88, 民事诉讼法 art. 85): the start day is not counted; a working-day period counts
working days only; a calendar-day period whose last day is a rest day ends on the next
working day.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class WorkingCalendar:
    def __init__(self, overrides: Mapping[datetime.date, bool] | None = None) -> None:
        self.overrides = dict(overrides or {})
        # Answers already looked up: counting periods for hundreds of records asks about
        # the same few hundred days again and again, and the package is slow to ask.
        self._known: dict[datetime.date, bool] = {}

    def is_covered(self, day: datetime.date) -> bool:
        """Whether the package or an override knows ``day``'s official status."""
        if day in self.overrides:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: datetime.date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day on which a period of ``days`` working days after ``start`` ends."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if reversed)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    def next_working_day_on_or_after(self, day: datetime.date) -> datetime.date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day
