"""Reading a year's holiday schedule: the State Council's notice, or the office's lines.

The notice (国务院办公厅关于某年部分节假日安排的通知) lists each festival as
``二、春节：2月5日（农历除夕、周五）至11日（农历正月初七、周四）放假调休，共7天。
2月14日（周日）上班。``. ``parse_notice`` turns that into lines of the form the office can
read and correct (``春节 2027-02-05至2027-02-11 放假`` / ``春节 2027-02-14 上班``), and
``parse_lines`` turns such lines into days. ``check_schedule`` refuses a schedule that cannot
be right: a statutory holiday left as a working day, a make-up working day on a weekday.

Pure functions, no database; every refusal is a ``NoticeError`` with a translated message.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from registers.core.statutory_holidays import statutory_holidays

ONE_DAY = datetime.timedelta(days=1)
WEEKDAYS = "一二三四五六日"
WORK = "上班"
OFF = "放假"


class NoticeError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ScheduleDay:
    date: datetime.date
    is_working_day: bool
    festival: str


_HEADING = re.compile(r"(?:^|\n|。)\s*[一二三四五六七八九十]+、\s*([^：:\n。]{1,20})[：:]")
_DATE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})日(?:[（(](?P<note>[^）)]*)[）)])?"
)
_TOTAL = re.compile(r"共(\d+)天")
_TITLE_YEAR = re.compile(r"关于(\d{4})年")
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")


def _weekday_of(note: str | None) -> int | None:
    match = _WEEKDAY.search(note or "")
    if not match:
        return None
    return WEEKDAYS.index("日" if match.group(1) == "天" else match.group(1))


def _dates_in(sentence: str, year: int) -> list[datetime.date]:
    """Every date in ``sentence``; a date without a month takes the month of the date
    before it (``10月1日至8日``)."""
    found = []
    month = None
    for match in _DATE.finditer(sentence):
        month = int(match.group("month")) if match.group("month") else month
        if month is None:
            raise NoticeError(
                _("无法识别日期“%(text)s”：缺少月份。") % {"text": match.group(0)}, "no_month"
            )
        in_year = int(match.group("year")) if match.group("year") else year
        try:
            day = datetime.date(in_year, month, int(match.group("day")))
        except ValueError:
            raise NoticeError(
                _("“%(text)s”不是有效日期。") % {"text": match.group(0)}, "bad_date"
            ) from None
        weekday = _weekday_of(match.group("note"))
        if weekday is not None and weekday != day.weekday():
            raise NoticeError(
                _("%(date)s是星期%(actual)s，通知写的是星期%(written)s，请核对年度和日期。")
                % {
                    "date": day.isoformat(),
                    "actual": WEEKDAYS[day.weekday()],
                    "written": WEEKDAYS[weekday],
                },
                "weekday_mismatch",
            )
        found.append(day)
    return found


def parse_notice(text: str, year: int) -> list[str]:
    """The schedule of a pasted notice as editable lines (see ``parse_lines``)."""
    title_year = _TITLE_YEAR.search(text)
    if title_year and int(title_year.group(1)) != year:
        raise NoticeError(
            _("通知是%(notice)s年的安排，与所选年度%(year)s不符。")
            % {"notice": title_year.group(1), "year": year},
            "wrong_year",
        )
    headings = list(_HEADING.finditer(text))
    if not headings:
        raise NoticeError(
            _("未能在通知中找到“一、元旦：……”这样的节日条目，请粘贴通知正文。"), "no_festival"
        )
    lines = []
    for index, heading in enumerate(headings):
        festival = heading.group(1).strip()
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end() : end]
        for sentence in re.split(r"[。；;\n]", body):
            if not sentence.strip():
                continue
            dates = _dates_in(sentence, year)
            if WORK in sentence and OFF not in sentence:
                lines.extend(f"{festival} {day.isoformat()} {WORK}" for day in dates)
            elif OFF in sentence and dates:
                first = dates[0]
                last = dates[1] if "至" in sentence and len(dates) > 1 else first
                total = _TOTAL.search(sentence)
                length = (last - first).days + 1
                if total and int(total.group(1)) != length:
                    raise NoticeError(
                        _("%(festival)s：%(first)s至%(last)s是%(length)s天，通知写共%(total)s天。")
                        % {
                            "festival": festival,
                            "first": first.isoformat(),
                            "last": last.isoformat(),
                            "length": length,
                            "total": total.group(1),
                        },
                        "total_mismatch",
                    )
                span = first.isoformat() if first == last else f"{first}至{last}"
                lines.append(f"{festival} {span} {OFF}")
    if not any(line.endswith(OFF) for line in lines):
        raise NoticeError(_("通知中没有识别到放假日期。"), "no_holiday")
    return lines


#: The longest festival name a line may give (the stored day's ``festival``).
FESTIVAL_MAX_LENGTH = 20

_LINE = re.compile(
    rf"^\s*(?P<festival>[^\s\x00-\x1f\x7f-\x9f]{{1,{FESTIVAL_MAX_LENGTH}}})\s+"
    r"(?P<first>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:至|-|—|~)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?\s+(?P<kind>放假|上班)\s*$"
)


def parse_lines(text: str, year: int) -> list[ScheduleDay]:
    """Days from lines ``节日 YYYY-MM-DD[至YYYY-MM-DD] 放假|上班``, in ``year`` or in the
    December before it: a New Year holiday may begin, and its make-up working day fall, in
    the last days of the year before (as in the notices for 2019 and 2024), and the notice
    for ``year`` is the one that says so (``WorkingCalendar`` takes those days from it)."""
    days: dict[datetime.date, ScheduleDay] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            raise NoticeError(
                _(
                    "第%(n)s行“%(line)s”无法识别，应为“节日 2027-01-01至2027-01-03 放假”或"
                    "“节日 2027-01-04 上班”。"
                )
                % {"n": number, "line": line.strip()},
                "bad_line",
            )
        try:
            first = datetime.date.fromisoformat(_iso(match.group("first")))
            last = datetime.date.fromisoformat(_iso(match.group("last") or match.group("first")))
        except ValueError:
            raise NoticeError(_("第%(n)s行的日期无效。") % {"n": number}, "bad_date") from None
        if last < first:
            raise NoticeError(
                _("第%(n)s行的结束日期早于开始日期。") % {"n": number}, "reversed_range"
            )
        working = match.group("kind") == WORK
        day = first
        while day <= last:
            if day.year != year and (day.year, day.month) != (year - 1, 12):
                raise NoticeError(
                    _("第%(n)s行的%(date)s不在%(year)s年内（也不是上一年12月的元旦调休）。")
                    % {"n": number, "date": day.isoformat(), "year": year},
                    "outside_year",
                )
            if day in days and days[day].is_working_day != working:
                raise NoticeError(
                    _("%(date)s既是放假日又是上班日。") % {"date": day.isoformat()}, "conflict"
                )
            days[day] = ScheduleDay(day, working, match.group("festival"))
            day += ONE_DAY
    if not days:
        raise NoticeError(_("没有录入任何放假或上班日期。"), "empty")
    return sorted(days.values(), key=lambda day: day.date)


def _iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def check_schedule(days: list[ScheduleDay], year: int) -> None:
    """Refuse a schedule that contradicts the law: every statutory holiday of the year must
    be a day off, and a make-up working day (调休上班) falls on a Saturday or Sunday."""
    by_date = {day.date: day for day in days}
    for day in days:
        if day.is_working_day and day.date.weekday() < 5:
            raise NoticeError(
                _("%(date)s是星期%(weekday)s，本来就是工作日，不能作为调休上班日。")
                % {"date": day.date.isoformat(), "weekday": WEEKDAYS[day.date.weekday()]},
                "makeup_on_weekday",
            )
    for date, festival in sorted(statutory_holidays(year).items()):
        entered = by_date.get(date)
        rest = (not entered.is_working_day) if entered else date.weekday() >= 5
        if not rest:
            raise NoticeError(
                _("%(date)s是法定节假日（%(festival)s），录入的安排中却是工作日。")
                % {"date": date.isoformat(), "festival": festival},
                "statutory_holiday_missing",
            )
