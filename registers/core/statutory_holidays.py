"""The statutory public holidays of a year, before its official schedule is known.

《全国年节及纪念日放假办法》 (as amended in 2024, in force 1 January 2025) art. 2 gives every
citizen 13 days off: 元旦 1 day (1 January), 春节 4 days (除夕 and 正月初一 to 初三), 清明节
1 day (the solar term), 劳动节 2 days (1–2 May), 端午节 1 day (五月初五), 中秋节 1 day
(八月十五) and 国庆节 3 days (1–3 October). Lunar dates and the solar term come from the
``lunar_python`` package, not from a table kept here.

Art. 6: a holiday that falls on a Saturday or Sunday is made up on a working day (补假), and
the State Council's practice gives one too where two festivals fall on one day (中秋节 on a
day of 国庆节). ``provisional_days_off`` adds those days, each on the first weekday after its
festival that is not already off, as the notices do. The notice then adds the weekends
around them and moves weekend days to make-up working days (调休); that is not known before
the notice, so a calendar built on these days is provisional (``registers.core.workingdays``).
"""

from __future__ import annotations

import datetime
from functools import cache

from django.utils.translation import gettext_lazy as _
from lunar_python import Lunar

ONE_DAY = datetime.timedelta(days=1)

#: The first year the 2024 amendment governs; earlier years had 11 days and are all covered
#: by the holiday package, so nothing here is asked about them.
FIRST_YEAR = 2025

NEW_YEAR = _("元旦")
SPRING_FESTIVAL = _("春节")
QINGMING = _("清明节")
LABOUR_DAY = _("劳动节")
DRAGON_BOAT = _("端午节")
MID_AUTUMN = _("中秋节")
NATIONAL_DAY = _("国庆节")

#: The festivals in the order of the State Council's notice.
FESTIVALS = (
    NEW_YEAR,
    SPRING_FESTIVAL,
    QINGMING,
    LABOUR_DAY,
    DRAGON_BOAT,
    MID_AUTUMN,
    NATIONAL_DAY,
)


def _lunar_day(year: int, month: int, day: int) -> datetime.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _festival_days(year: int) -> list[tuple[str, list[datetime.date]]]:
    """Each festival of ``year`` with its days, in the notice's order."""
    # 除夕 is the last day of the twelfth month, which has 29 or 30 days: the day before 初一.
    spring = _lunar_day(year, 1, 1)
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return [
        (NEW_YEAR, [datetime.date(year, 1, 1)]),
        (SPRING_FESTIVAL, [spring + offset * ONE_DAY for offset in range(-1, 3)]),
        (QINGMING, [datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        (LABOUR_DAY, [datetime.date(year, 5, 1), datetime.date(year, 5, 2)]),
        (DRAGON_BOAT, [_lunar_day(year, 5, 5)]),
        (MID_AUTUMN, [_lunar_day(year, 8, 15)]),
        (NATIONAL_DAY, [datetime.date(year, 10, day) for day in (1, 2, 3)]),
    ]


@cache
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """Each statutory day off in ``year`` with its festival's name (lazy, translated); a
    day of two festivals is named after the first."""
    days: dict[datetime.date, str] = {}
    for festival, dates in _festival_days(year):
        for date in dates:
            days.setdefault(date, festival)
    return days


@cache
def provisional_days_off(year: int) -> frozenset[datetime.date]:
    """The days off of ``year`` that the law fixes before the notice: the statutory
    holidays and, for each holiday on a Saturday or Sunday or on another festival's day, a
    working day made up after its festival (art. 6)."""
    off: set[datetime.date] = set()
    for _festival, dates in _festival_days(year):
        owed = sum(1 for date in dates if date.weekday() >= 5 or date in off)
        off.update(dates)
        day = max(dates)
        while owed:
            day += ONE_DAY
            if day.weekday() < 5 and day not in off:
                off.add(day)
                owed -= 1
    return frozenset(off)
