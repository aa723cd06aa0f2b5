"""Working-day arithmetic on China's statutory holiday calendar.

Pure helpers (no database): ``WorkingCalendar`` answers, in this order, from

1. the office's override days (``CalendarDay``), which always win;
2. the State Council's schedule for the year (holidays and make-up working days, 调休) as
   the office confirmed it (``HolidaySchedule``), or as the ``chinese_calendar`` package
   knows it;
3. for a year with neither, the days off 《全国年节及纪念日放假办法》 fixes (the statutory
   holidays and the working days that make up those on a weekend, 补假:
   ``registers.core.statutory_holidays``) and weekends. The make-up working days of such a
   year are unknown, so whatever is counted across it is provisional: ``is_confirmed`` and
   ``unconfirmed_years`` say so, and every ``Deadline`` carries it.

Counting follows the civil-procedure rules the reconsideration law applies (复议法 2023
art. 88, 民事诉讼法 art. 85): the start day is not counted; a working-day period counts
working days only; a calendar-day period whose last day is a rest day ends on the next
working day.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Mapping
from functools import cache

import chinese_calendar

from registers.core.statutory_holidays import FIRST_YEAR, provisional_days_off

ONE_DAY = datetime.timedelta(days=1)


@cache
def package_covers(year: int) -> bool:
    """Whether the ``chinese_calendar`` package knows ``year``'s official schedule."""
    # The package publishes whole years, so knowing the year's last day means knowing it all.
    try:
        chinese_calendar.is_workday(datetime.date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


@cache
def package_working_days(year: int) -> frozenset[datetime.date]:
    """The working days of a year the package covers, asked of it once per process: it holds
    published schedules, which never change while the process runs, and is slow to ask day by
    day (every request that counts periods would otherwise ask it about a few years' days)."""
    first = datetime.date(year, 1, 1)
    days = (
        first + offset * ONE_DAY for offset in range((datetime.date(year + 1, 1, 1) - first).days)
    )
    return frozenset(day for day in days if chinese_calendar.is_workday(day))


class WorkingCalendar:
    def __init__(
        self,
        overrides: Mapping[datetime.date, bool] | None = None,
        schedules: Mapping[int, Mapping[datetime.date, bool]] | None = None,
    ) -> None:
        """``overrides``: single days the office set; ``schedules``: for each year whose
        official schedule the office confirmed, its holidays (False) and make-up working
        days (True); a day of such a year not listed is a working day from Monday to Friday.
        A schedule may also list days of the December before its year (the New Year holiday
        and its make-up day): for those days it wins over that year's own schedule.
        """
        self.overrides = dict(overrides or {})
        self.schedules = {year: dict(days) for year, days in (schedules or {}).items()}
        # Answers already looked up: counting periods for hundreds of records asks about
        # the same few hundred days again and again, and the package is slow to ask.
        self._known: dict[datetime.date, bool] = {}
        # Per year, working days counted from 1 January: ``counted[n]`` is how many of the
        # year's first n days are working days. Periods are then counted by subtraction and
        # ended by bisection, in the same time however long they are.
        self._counted: dict[int, list[int]] = {}

    def is_confirmed(self, year: int) -> bool:
        """Whether ``year``'s official holidays and make-up working days are known: the
        office confirmed the State Council's schedule, or the package covers the year.

        The one answer to the question: readiness checks, the banner and every deadline's
        ``provisional`` flag ask here (through ``registers.core.calendar``).
        """
        return year in self.schedules or package_covers(year)

    def unconfirmed_years(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` (both included) still without a schedule."""
        return tuple(
            year for year in range(first.year, last.year + 1) if not self.is_confirmed(year)
        )

    def is_working_day(self, day: datetime.date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        next_year = self.schedules.get(day.year + 1)
        if next_year is not None and day in next_year:
            return next_year[day]
        weekday = day.weekday() < 5
        schedule = self.schedules.get(day.year)
        if schedule is not None:
            return schedule.get(day, weekday)
        if package_covers(day.year):
            return day in package_working_days(day.year)
        if day.year >= FIRST_YEAR and day in provisional_days_off(day.year):
            return False
        return weekday

    def _year(self, year: int) -> list[int]:
        counted = self._counted.get(year)
        if counted is None:
            counted = [0]
            first = datetime.date(year, 1, 1)
            length = (datetime.date(year, 12, 31) - first).days + 1
            for offset in range(length):
                counted.append(counted[-1] + self.is_working_day(first + offset * ONE_DAY))
            self._counted[year] = counted
        return counted

    def _counted_by(self, day: datetime.date) -> int:
        """Working days from 1 January of ``day``'s year up to and including ``day``."""
        return self._year(day.year)[day.timetuple().tm_yday]

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day on which a period of ``days`` working days after ``start`` ends."""
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return start
        year, wanted = start.year, self._counted_by(start) + days
        while wanted > self._year(year)[-1]:
            wanted -= self._year(year)[-1]
            year += 1
        # The first day of the year by which ``wanted`` working days have passed is one.
        return datetime.date(year, 1, 1) + (bisect_left(self._year(year), wanted) - 1) * ONE_DAY

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if reversed)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = self._counted_by(end) - self._counted_by(start)
        for year in range(start.year, end.year):
            count += self._year(year)[-1]
        return count

    def next_working_day_on_or_after(self, day: datetime.date) -> datetime.date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day
