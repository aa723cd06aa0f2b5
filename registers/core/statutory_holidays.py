"""The statutory public holidays of a year, before its official schedule is known.

《全国年节及纪念日放假办法》 (as amended in 2024, in force 1 January 2025) art. 2 gives every
citizen 13 days off: 元旦 1 day (1 January), 春节 4 days (除夕 and 正月初一 to 初三), 清明节
1 day (the solar term), 劳动节 2 days (1–2 May), 端午节 1 day (五月初五), 中秋节 1 day
(八月十五) and 国庆节 3 days (1–3 October). Lunar dates and the solar term come from the
``lunar_python`` package, not from a table kept here.

The State Council's yearly notice adds the weekends around them and moves weekend days to
make-up working days (调休); neither is known before the notice, so a calendar built on these
days alone is provisional (``registers.core.workingdays``).
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


@cache
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """Each statutory day off in ``year`` with its festival's name (lazy, translated)."""
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): NEW_YEAR}
    # 除夕 is the last day of the twelfth month, which has 29 or 30 days: the day before 初一.
    spring = _lunar_day(year, 1, 1)
    for offset in range(-1, 3):
        days[spring + offset * ONE_DAY] = SPRING_FESTIVAL
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days[datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = QINGMING
    days[datetime.date(year, 5, 1)] = LABOUR_DAY
    days[datetime.date(year, 5, 2)] = LABOUR_DAY
    days[_lunar_day(year, 5, 5)] = DRAGON_BOAT
    days[_lunar_day(year, 8, 15)] = MID_AUTUMN
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = NATIONAL_DAY
    return days
