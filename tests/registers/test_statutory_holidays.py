"""A year without a confirmed holiday schedule: its statutory holidays, from the lunar
calendar, and weekends; and which years count as confirmed."""

import datetime

import chinese_calendar
import pytest

from registers.core.statutory_holidays import (
    FIRST_YEAR,
    NATIONAL_DAY,
    NEW_YEAR,
    SPRING_FESTIVAL,
    provisional_days_off,
    statutory_holidays,
)
from registers.core.workingdays import WorkingCalendar, package_covers

D = datetime.date
# The last year the installed holiday package knows; the tests hold whatever version is
# installed by asking it.
LAST_PACKAGE_YEAR = max(year for year in range(2020, 2100) if package_covers(year))
FIRST_OPEN_YEAR = LAST_PACKAGE_YEAR + 1


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_PACKAGE_YEAR + 1))
def test_the_statutory_holidays_are_days_off_in_every_schedule_the_package_knows(year):
    days = statutory_holidays(year)
    assert len(days) == 13  # 2024 amendment: 13 days a year
    for day in days:
        assert chinese_calendar.is_holiday(day), day


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_PACKAGE_YEAR + 1))
def test_the_days_the_law_fixes_are_days_off_in_every_schedule_the_package_knows(year):
    made_up = provisional_days_off(year) - set(statutory_holidays(year))
    assert made_up  # 2025 and 2026 each have a holiday on a weekend
    for day in provisional_days_off(year):
        assert chinese_calendar.is_holiday(day), day


def test_2027_holidays_on_a_weekend_are_made_up_on_the_working_days_after_them():
    made_up = provisional_days_off(2027) - set(statutory_holidays(2027))
    # 初一 and 初二 (Sat, Sun), 1 and 2 May (Sat, Sun), 2 and 3 October (Sat, Sun).
    assert sorted(made_up) == [
        D(2027, 2, 9),
        D(2027, 2, 10),
        D(2027, 5, 3),
        D(2027, 5, 4),
        D(2027, 10, 4),
        D(2027, 10, 5),
    ]
    cal = WorkingCalendar()
    assert [cal.is_working_day(D(2027, 2, day)) for day in range(8, 12)] == [
        False,
        False,
        False,
        True,
    ]


def test_mid_autumn_on_a_day_of_national_day_is_made_up_too():
    # 2028: 中秋节 is 3 October; 1 October is a Sunday.
    assert len(statutory_holidays(2028)) == 12
    assert D(2028, 10, 3) in statutory_holidays(2028)
    made_up = provisional_days_off(2028) - set(statutory_holidays(2028))
    assert {D(2028, 10, 4), D(2028, 10, 5)} <= made_up
    assert D(2028, 10, 6) not in made_up


def test_2027_spring_festival_runs_from_chuxi_to_the_third_day():
    days = statutory_holidays(2027)
    spring = sorted(day for day, name in days.items() if name == SPRING_FESTIVAL)
    assert spring == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]
    assert days[D(2027, 1, 1)] == NEW_YEAR
    assert [day for day, name in days.items() if name == NATIONAL_DAY] == [
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    ]


def test_a_year_without_schedule_rests_on_its_statutory_holidays_and_weekends():
    cal = WorkingCalendar()
    year = FIRST_OPEN_YEAR
    assert not cal.is_confirmed(year)
    for day in statutory_holidays(year):
        assert not cal.is_working_day(day), day
    plain = [
        D(year, 3, day) for day in range(1, 32) if D(year, 3, day) not in statutory_holidays(year)
    ]
    for day in plain:
        assert cal.is_working_day(day) is (day.weekday() < 5), day


def test_a_confirmed_schedule_replaces_the_statutory_guess():
    year = FIRST_OPEN_YEAR
    chuxi = min(d for d, name in statutory_holidays(year).items() if name == SPRING_FESTIVAL)
    later = chuxi + datetime.timedelta(days=5)
    makeup = next(
        chuxi + datetime.timedelta(days=n)
        for n in range(8, 16)
        if (chuxi + datetime.timedelta(days=n)).weekday() == 5
    )
    cal = WorkingCalendar(schedules={year: {chuxi: False, later: False, makeup: True}})
    assert cal.is_confirmed(year)
    assert not cal.is_working_day(later)
    assert cal.is_working_day(makeup)
    assert cal.unconfirmed_years(D(year, 1, 1), D(year + 1, 1, 5)) == (year + 1,)


def test_an_override_day_still_wins_over_a_confirmed_schedule():
    year = FIRST_OPEN_YEAR
    new_year = D(year, 1, 1)
    cal = WorkingCalendar({new_year: True}, schedules={year: {new_year: False}})
    assert cal.is_working_day(new_year)


def test_years_the_package_knows_are_confirmed_without_entries():
    assert WorkingCalendar().is_confirmed(LAST_PACKAGE_YEAR)
    assert WorkingCalendar().unconfirmed_years(D(2017, 1, 1), D(LAST_PACKAGE_YEAR, 12, 31)) == ()
