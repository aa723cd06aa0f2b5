"""The working-day calendar, with the State Council's real schedules."""

import datetime

import pytest
from django.test import RequestFactory

from registers.core import calendar
from registers.core.deadlines import calendar_period_due
from registers.core.models import CalendarDay
from registers.core.workingdays import WorkingCalendar

D = datetime.date


@pytest.mark.parametrize("day", [D(2017, 10, d) for d in range(1, 9)])
def test_national_day_2017_is_a_holiday_week(day):
    assert not WorkingCalendar().is_working_day(day)


def test_saturday_30_september_2017_was_a_make_up_working_day():
    cal = WorkingCalendar()
    assert cal.is_working_day(D(2017, 9, 30))
    # Friday 29 September + 1 working day is that Saturday, and the next one is 9 October.
    assert cal.add_working_days(D(2017, 9, 29), 1) == D(2017, 9, 30)
    assert cal.add_working_days(D(2017, 9, 29), 2) == D(2017, 10, 9)


def test_spring_festival_2024_with_its_working_sundays():
    cal = WorkingCalendar()
    assert cal.is_working_day(D(2024, 2, 4))
    assert cal.is_working_day(D(2024, 2, 18))
    assert not any(cal.is_working_day(D(2024, 2, d)) for d in range(10, 18))
    # Thu 8 Feb + 3 working days: Fri 9, Sun 18, Mon 19.
    assert cal.add_working_days(D(2024, 2, 8), 3) == D(2024, 2, 19)


def test_working_days_between_counts_after_start_up_to_end():
    cal = WorkingCalendar()
    assert cal.working_days_between(D(2017, 9, 29), D(2017, 10, 9)) == 2
    # After Fri 2 Feb: Sun 4 (make-up), 5–9, Sun 18 (make-up), Mon 19.
    assert cal.working_days_between(D(2024, 2, 2), D(2024, 2, 19)) == 8
    assert cal.working_days_between(D(2017, 10, 9), D(2017, 9, 29)) == -2
    assert cal.working_days_between(D(2017, 10, 9), D(2017, 10, 9)) == 0


def test_calendar_period_ending_on_a_rest_day_moves_to_the_next_working_day():
    cal = WorkingCalendar()
    # 15 days after 20 September 2017 is 5 October, inside the holiday week.
    assert calendar_period_due(D(2017, 9, 20), 15, cal) == D(2017, 10, 9)
    assert calendar_period_due(D(2017, 9, 1), 15, cal) == D(2017, 9, 18)  # Sat 16 → Mon 18


def test_an_override_day_wins_over_the_package():
    cal = WorkingCalendar({D(2017, 10, 2): True, D(2017, 9, 30): False})
    assert cal.is_working_day(D(2017, 10, 2))
    assert not cal.is_working_day(D(2017, 9, 30))


def test_years_the_package_does_not_know_fall_back_to_weekdays():
    cal = WorkingCalendar()
    assert not cal.is_confirmed(2099)
    assert cal.is_working_day(D(2099, 1, 5))  # a Monday
    assert not cal.is_working_day(D(2099, 1, 4))  # a Sunday


def test_database_overrides_are_seen_at_once(db):
    assert calendar.is_working_day(D(2017, 10, 2)) is False
    CalendarDay.objects.create(date=D(2017, 10, 2), is_working_day=True, note="测试")
    assert calendar.is_working_day(D(2017, 10, 2)) is True
    assert calendar.add_working_days(D(2017, 9, 30), 1) == D(2017, 10, 2)
    assert calendar.working_days_between(D(2017, 9, 29), D(2017, 10, 9)) == 3


def test_a_request_reads_the_calendar_once_and_sees_a_change_in_the_next(
    db, django_assert_num_queries
):
    seen = []

    def view(request):
        seen.extend([calendar.get_calendar(), calendar.get_calendar()])
        return None

    with django_assert_num_queries(2):  # the override days, the confirmed schedules
        calendar.OneCalendarPerRequest(view)(RequestFactory().get("/"))
    assert seen[0] is seen[1]
    CalendarDay.objects.create(date=D(2017, 9, 30), is_working_day=False)
    calendar.OneCalendarPerRequest(view)(RequestFactory().get("/"))
    assert seen[2] is not seen[0] and not seen[2].is_working_day(D(2017, 9, 30))
    # Outside a request every call reads the table afresh.
    assert calendar.get_calendar() is not calendar.get_calendar()


def counted_day_by_day(calendar: WorkingCalendar, start, end) -> int:
    """The definition: walk the days after ``start`` up to ``end`` and count working ones."""
    day, count = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def test_counting_by_year_index_agrees_with_walking_day_by_day():
    """Periods are counted from a per-year index (constant time however long); every answer
    is the one walking the days gives, across years, holidays, overrides and years the
    package does not know."""
    import random

    chooser = random.Random(2017)
    overrides = {
        datetime.date(2017, 10, 9): False,  # a working Monday made a rest day
        datetime.date(2018, 1, 6): True,  # a Saturday made a working day
        datetime.date(2030, 1, 2): False,
    }
    calendar = WorkingCalendar(overrides)
    first = datetime.date(2016, 1, 1)
    for _ in range(400):
        start = first + datetime.timedelta(days=chooser.randrange(0, 15 * 365))
        end = start + datetime.timedelta(days=chooser.randrange(0, 900))
        walked = counted_day_by_day(calendar, start, end)
        assert calendar.working_days_between(start, end) == walked, (start, end)
        assert calendar.working_days_between(end, start) == -walked
        days = chooser.randrange(0, 300)
        due = calendar.add_working_days(start, days)
        assert counted_day_by_day(calendar, start, due) == days, (start, days)
        assert days == 0 or calendar.is_working_day(due), (start, days)


@pytest.mark.parametrize("year", [2017, 2020, 2024])
def test_a_covered_year_answers_as_the_package_does_for_every_day(year):
    """The package's schedule is read once per year and kept; each day still answers as the
    package itself does (holidays, make-up working days, plain weekends)."""
    import chinese_calendar

    calendar = WorkingCalendar()
    day = datetime.date(year, 1, 1)
    while day.year == year:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)
