"""Confirming a year's holiday schedule (节假日安排): the form, the one step that saves it,
and what it changes.

Confirming writes the schedule (``HolidaySchedule`` and its days), so the year's deadlines
are counted on it and are no longer provisional; every open deadline is recomputed on the
calendar before and after, and those whose due date moved are listed to the office and
notified to the people of their unit. Withdrawing a schedule confirmed by mistake (with a
reason) does the same the other way: the year is counted as before it was confirmed
(provisional, unless the holiday package knows it), and the office may confirm it again.
Either is shown before it is done: ``preview_moves``, ``preview_withdrawal``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registers.core import permissions
from registers.core.calendar import calendar_changed, read_calendar
from registers.core.holiday_notice import (
    NoticeError,
    ScheduleDay,
    check_schedule,
    parse_lines,
    parse_notice,
)
from registers.core.models import HolidaySchedule, HolidayScheduleDay
from registers.core.workingdays import WorkingCalendar
from reviews.deadline_board import SOURCES, DeadlineEntry

from .models import NotificationKind
from .notifications import notify, people_to_remind


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2025, max_value=2100)
    notice_text = forms.CharField(
        label=gettext_lazy("国务院办公厅通知原文（可选）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=gettext_lazy("粘贴通知正文后点“解析通知”，下方的安排由通知生成，请逐行核对。"),
    )
    lines = forms.CharField(
        label=gettext_lazy("放假和调休上班安排"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=gettext_lazy(
            "每行一项：“节日 2027-01-01至2027-01-03 放假”或“节日 2027-01-04 上班”（调休上班）。"
        ),
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if read_calendar().is_confirmed(year):
            raise forms.ValidationError(
                _("%(year)s年的节假日安排已确认，无需再录入；个别日期请在“节假日调整”中修改。")
                % {"year": year},
                code="already_confirmed",
            )
        return year

    def parsed_lines(self) -> str:
        """The notice's schedule as lines; adds the parse error to the form if it fails."""
        try:
            return "\n".join(
                parse_notice(self.cleaned_data["notice_text"], self.cleaned_data["year"])
            )
        except NoticeError as error:
            self.add_error("notice_text", forms.ValidationError(error.message, code=error.code))
            return ""

    def schedule_days(self) -> list[ScheduleDay] | None:
        """The checked days of the lines; None (with the error on the form) if they are wrong."""
        year = self.cleaned_data["year"]
        try:
            days = parse_lines(self.cleaned_data["lines"], year)
            check_schedule(days, year)
        except NoticeError as error:
            self.add_error("lines", forms.ValidationError(error.message, code=error.code))
            return None
        return days


@dataclass(frozen=True)
class MovedDeadline:
    before: DeadlineEntry
    after: DeadlineEntry


def open_deadlines(user, today: datetime.date, calendar: WorkingCalendar) -> dict:
    """Every open deadline ``user`` may see, keyed by what it is and whose it is."""
    entries = {}
    for source in SOURCES:
        for entry in source(user, today, calendar):
            entries[(entry.kind, entry.url)] = entry
    return entries


def moved_deadlines(before: dict, after: dict) -> list[MovedDeadline]:
    moved = [
        MovedDeadline(before[key], after[key])
        for key in before
        if key in after and before[key].due != after[key].due
    ]
    return sorted(moved, key=lambda m: (m.after.due, m.after.kind, m.after.title))


def preview_moves(
    year: int, days: list[ScheduleDay], *, user, today: datetime.date
) -> list[MovedDeadline]:
    """The open deadlines that confirming ``days`` as ``year``'s schedule would move."""
    now = read_calendar()
    proposed = WorkingCalendar(
        now.overrides, {**now.schedules, year: {day.date: day.is_working_day for day in days}}
    )
    return moved_deadlines(open_deadlines(user, today, now), open_deadlines(user, today, proposed))


@dataclass(frozen=True)
class WithdrawalPreview:
    moves: list[MovedDeadline]
    provisional: bool  # the year's deadlines would be provisional again


def preview_withdrawal(year: int, *, user, today: datetime.date) -> WithdrawalPreview:
    """What withdrawing ``year``'s confirmed schedule would do, before it is done."""
    if not HolidaySchedule.objects.confirmed().filter(year=year).exists():
        raise _nothing_to_withdraw(year)
    now = read_calendar()
    proposed = WorkingCalendar(
        now.overrides, {other: days for other, days in now.schedules.items() if other != year}
    )
    moves = moved_deadlines(open_deadlines(user, today, now), open_deadlines(user, today, proposed))
    return WithdrawalPreview(moves, provisional=not proposed.is_confirmed(year))


def _nothing_to_withdraw(year: int) -> NoticeError:
    return NoticeError(
        _("%(year)s年没有已确认的节假日安排可撤销（可能已由他人撤销）。") % {"year": year},
        "not_confirmed",
    )


@transaction.atomic
def confirm_schedule(
    year: int, days: list[ScheduleDay], *, notice_text: str, by, today: datetime.date
) -> list[MovedDeadline]:
    """Save ``year``'s schedule, and list and notify the open deadlines it moved."""
    before = open_deadlines(by, today, read_calendar())
    try:
        with transaction.atomic():
            schedule = HolidaySchedule.objects.create(
                year=year, notice_text=notice_text, confirmed_by=by
            )
    except IntegrityError:
        raise NoticeError(
            _("%(year)s年的节假日安排已由他人确认。") % {"year": year}, "already_confirmed"
        ) from None
    HolidayScheduleDay.objects.bulk_create(
        HolidayScheduleDay(
            schedule=schedule,
            date=day.date,
            is_working_day=day.is_working_day,
            festival=day.festival,
        )
        for day in days
    )
    calendar_changed()
    moved = moved_deadlines(before, open_deadlines(by, today, read_calendar()))
    reason = _("%(year)s年节假日安排已确认") % {"year": year}
    _notify_moved(moved, reason, key=f"schedule:{schedule.pk}:confirmed")
    return moved


class WithdrawalForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写撤销原因。")},
    )


@transaction.atomic
def withdraw_schedule(year: int, *, reason: str, by, today: datetime.date) -> list[MovedDeadline]:
    """Withdraw ``year``'s confirmed schedule, and list and notify the open deadlines that
    moved back. The schedule and its days are kept, marked withdrawn, with the reason."""
    reason = reason.strip()
    if not reason:
        raise NoticeError(_("请填写撤销原因。"), "reason_required")
    schedule = HolidaySchedule.objects.confirmed().select_for_update().filter(year=year).first()
    if schedule is None:
        raise _nothing_to_withdraw(year)
    before = open_deadlines(by, today, read_calendar())
    schedule.withdrawn_at = timezone.now()
    schedule.withdrawn_by = by
    schedule.withdrawal_reason = reason
    schedule.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    calendar_changed()
    moved = moved_deadlines(before, open_deadlines(by, today, read_calendar()))
    why = _("%(year)s年节假日安排的确认已撤销（%(reason)s）") % {"year": year, "reason": reason}
    _notify_moved(moved, why, key=f"schedule:{schedule.pk}:withdrawn")
    return moved


def _hears_of(person, entry: DeadlineEntry) -> bool:
    """The people of the deadline's unit, and its person in charge while they may still
    read that unit's records."""
    if person.pk == entry.handler_id:
        return permissions.may_read_unit(person, entry.unit.pk)
    return person.unit_id == entry.unit.pk


def _notify_moved(moved: list[MovedDeadline], why: str, *, key: str) -> None:
    """Tell the people of each moved deadline's unit and its person in charge; ``why`` opens
    the message, ``key`` names the change (one notice per change and deadline)."""
    if not moved:
        return
    people = people_to_remind()
    for change in moved:
        entry = change.after
        title = _("期限变动：%(kind)s（%(title)s）由%(old)s改为%(new)s") % {
            "kind": entry.kind,
            "title": entry.title,
            "old": change.before.due.isoformat(),
            "new": entry.due.isoformat(),
        }
        body = _("%(why)s，期限重新计算：%(explanation)s") % {
            "why": why,
            "explanation": entry.explanation,
        }
        notify(
            [person for person in people if _hears_of(person, entry)],
            NotificationKind.DEADLINE_MOVED,
            title[:300],
            body=body,
            url=entry.url,
            key=f"{key}:{entry.kind}:{entry.url}"[:300],
        )
