"""Statutory deadlines: administrative reconsideration, litigation defence, crime transfers.

Pure functions, no database: every function takes the working-day calendar as an argument
(anything with the three methods of ``WorkingDayCalendar``, e.g.
``registers.core.workingdays.WorkingCalendar``), so open deadlines can be recomputed whenever the
office edits the holiday calendar.

Counting (民事诉讼法 rules on periods, applied by 行政复议法 2017 art. 40 and 2023 art. 88, and
by 行政诉讼法 art. 101 with 行诉法解释 2018 art. 48):

* the start day is not counted;
* a working-day period counts working days only (a make-up Saturday or Sunday counts);
* a calendar-day period whose last day is a rest day ends on the next working day.

Every result is a ``Deadline`` that carries its own working: the start date, the rule with
its article, the length and unit, and the rest days that were skipped, so a case page can show
how each date was reached. The section "Statutory deadlines" of ``docs/domain.md`` gives the
legal reading behind each choice.
"""

import datetime
import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ONE_DAY = datetime.timedelta(days=1)

#: 行政复议法 (2023) art. 90: the revised law applies from this day.
REGIME_2023_STARTS_ON = datetime.date(2024, 1, 1)

#: Most a reconsideration decision period may be extended (2017 art. 31, 2023 art. 62).
MAX_EXTENSION_DAYS = 30

#: Translated text: a plain ``str`` or a lazy translation proxy.
Text = str | Promise


class WorkingDayCalendar(Protocol):
    """What the deadline functions need from the holiday calendar."""

    def is_working_day(self, d: datetime.date, /) -> bool: ...

    def add_working_days(self, d: datetime.date, n: int, /) -> datetime.date:
        """The n-th working day after ``d`` (``d`` itself is not counted)."""
        ...

    def next_working_day_on_or_after(self, d: datetime.date, /) -> datetime.date: ...

    def unconfirmed_years(self, first: datetime.date, last: datetime.date, /) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` whose official holiday schedule is unknown."""
        ...


class Regime(StrEnum):
    """Which reconsideration law governs a case, chosen by the date it was received."""

    LAW_2017 = "2017"
    LAW_2023 = "2023"

    @property
    def label(self) -> Text:
        return _REGIME_LABELS[self]


_REGIME_LABELS: dict[Regime, Text] = {
    Regime.LAW_2017: _("《行政复议法》(2017)及《实施条例》(2007)"),
    Regime.LAW_2023: _("《行政复议法》(2023)"),
}


class Procedure(models.TextChoices):
    """Reconsideration procedure; the simple procedure exists only in the 2023 law (art. 53).

    A ``TextChoices`` so the case model takes its field's choices from here.
    """

    ORDINARY = "ordinary", _("普通程序")
    SIMPLE = "simple", _("简易程序")


class Unit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"
    HOURS = "hours"


class DeadlineKey(StrEnum):
    # Reconsideration
    ACCEPTANCE_REVIEW = "acceptance_review"
    CORRECTION_NOTICE = "correction_notice"
    CORRECTION_SUBMISSION = "correction_submission"
    ACCEPTANCE_REVIEW_AFTER_CORRECTION = "acceptance_review_after_correction"
    COPY_DISPATCH = "copy_dispatch"
    RESPONDENT_ANSWER = "respondent_answer"
    DECISION = "decision"
    SUSPENSION_LIMIT = "suspension_limit"
    # Administrative litigation
    LITIGATION_DEFENCE = "litigation_defence"
    # Transfer of suspected crimes (行刑衔接)
    TRANSFER_DECISION = "transfer_decision"
    TRANSFER = "transfer"
    POLICE_REVIEW = "police_review"
    POLICE_RECONSIDERATION_REQUEST = "police_reconsideration_request"
    EVIDENCE_HANDOVER = "evidence_handover"
    # "Double random, one public" inspections
    INSPECTION_PUBLICATION = "inspection_publication"
    # Filing of normative documents (规范性文件报备)
    NORMATIVE_FILING = "normative_filing"


class DeadlineInputError(ValueError):
    """Inconsistent case data; ``code`` lets a form attach the message to the right field."""

    def __init__(self, message: Text, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Deadline:
    """One statutory deadline and how it was computed.

    ``days`` is the statutory length in ``unit``s (hours when ``unit`` is ``Unit.HOURS``).
    ``skipped`` lists the rest days that did not count: for a working-day period, the
    non-working days between ``start`` and ``due``; for a calendar-day period, the rest days the
    last day was rolled over. ``excluded_days`` (time not counted, e.g. correction under the
    2007 regulation art. 29) and ``extended_by`` (approved extension) lengthen a calendar-day
    period. ``note`` says anything the reader must know about how ``start`` was chosen.
    ``provisional_years`` are the years the counting ran through whose official holiday
    schedule is not yet known: there only the statutory holidays and weekends were skipped,
    so ``due`` may still move when the schedule is confirmed.
    """

    key: DeadlineKey
    label: Text
    start: datetime.date
    rule: Text
    days: int
    unit: Unit
    due: datetime.date
    skipped: tuple[datetime.date, ...] = ()
    excluded_days: int = 0
    extended_by: int = 0
    note: Text = ""
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def provisional_reason(self) -> str:
        """Why ``due`` may still move, in the interface language; empty when it is final."""
        if not self.provisional_years:
            return ""
        return gettext("%(years)s年节假日安排尚未确认，按法定节日暂定") % {
            "years": "、".join(str(year) for year in self.provisional_years)
        }

    @property
    def nominal_end(self) -> datetime.date | None:
        """For a calendar-day period, the last day before any roll-over to a working day."""
        if self.unit is not Unit.CALENDAR:
            return None
        return self.start + datetime.timedelta(
            days=self.days + self.excluded_days + self.extended_by
        )

    def explain(self) -> str:
        """One sentence, in the interface language, showing how ``due`` was reached."""
        values = {
            "start": self.start.isoformat(),
            "days": self.days,
            "due": self.due.isoformat(),
            "excluded": self.excluded_days,
            "extended": self.extended_by,
            "skipped": "、".join(d.isoformat() for d in self.skipped),
            "count": len(self.skipped),
        }
        if self.unit is Unit.HOURS:
            parts = [gettext("自%(start)s作出之时起%(days)s小时，最迟于%(due)s") % values]
        elif self.unit is Unit.WORKING:
            parts = [gettext("自%(start)s次日起算%(days)s个工作日，届满于%(due)s") % values]
            if self.skipped:
                parts.append(gettext("不计休息日%(count)s天：%(skipped)s") % values)
        else:
            parts = [gettext("自%(start)s次日起算%(days)s日") % values]
            if self.excluded_days:
                parts.append(gettext("另加不计入期间%(excluded)s日") % values)
            if self.extended_by:
                parts.append(gettext("延长%(extended)s日") % values)
            nominal = self.nominal_end
            if self.skipped and nominal is not None:
                values["nominal"] = nominal.isoformat()
                parts.append(
                    gettext("期末%(nominal)s为休息日，顺延至%(due)s（跳过%(skipped)s）") % values
                )
            else:
                parts.append(gettext("届满于%(due)s") % values)
        if self.note:
            parts.append(str(self.note))
        if self.provisional_years:
            parts.append(self.provisional_reason())
        return "；".join(parts) + "。"


# --- Counting helpers -------------------------------------------------------------------------


def working_period_due(
    start: datetime.date, days: int, calendar: WorkingDayCalendar
) -> datetime.date:
    """Last day of a period of ``days`` working days after ``start``."""
    _check_length(days)
    return calendar.add_working_days(start, days)


def calendar_period_due(
    start: datetime.date, days: int, calendar: WorkingDayCalendar
) -> datetime.date:
    """Last day of a period of ``days`` calendar days after ``start``, rolled to a working day."""
    _check_length(days)
    return calendar.next_working_day_on_or_after(start + datetime.timedelta(days=days))


def rest_days(
    first: datetime.date, last: datetime.date, calendar: WorkingDayCalendar
) -> tuple[datetime.date, ...]:
    """The non-working days from ``first`` to ``last``, both included."""
    days = []
    day = first
    while day <= last:
        if not calendar.is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return tuple(days)


def _check_length(days: int) -> None:
    if days < 1:
        raise ValueError(f"a period must be at least one day long, got {days}")


def _deadline(
    key: DeadlineKey,
    start: datetime.date,
    days: int,
    rule: Text,
    calendar: WorkingDayCalendar,
    *,
    unit: Unit,
    excluded_days: int = 0,
    extended_by: int = 0,
    note: Text = "",
) -> Deadline:
    """The deadline ``key`` that ``rule`` sets ``days`` working or calendar days after
    ``start`` (``excluded_days`` and ``extended_by`` lengthen a calendar-day period)."""
    _check_length(days)
    if unit is Unit.WORKING:
        due = working_period_due(start, days, calendar)
        skipped_from = start + ONE_DAY
    else:
        # An extension or excluded time lengthens the one period; only its final last day rolls.
        length = days + excluded_days + extended_by
        due = calendar_period_due(start, length, calendar)
        skipped_from = start + datetime.timedelta(days=length)
    return Deadline(
        key=key,
        label=_LABELS[key],
        start=start,
        rule=rule,
        days=days,
        unit=unit,
        due=due,
        skipped=rest_days(skipped_from, due - ONE_DAY, calendar),
        excluded_days=excluded_days,
        extended_by=extended_by,
        note=note,
        provisional_years=calendar.unconfirmed_years(start + ONE_DAY, due),
    )


_working_deadline = functools.partial(_deadline, unit=Unit.WORKING)
_calendar_deadline = functools.partial(_deadline, unit=Unit.CALENDAR)


# --- Administrative reconsideration -----------------------------------------------------------


def regime_for(received_on: datetime.date) -> Regime:
    """The law that governs a case received on ``received_on`` (2023 law art. 90)."""
    return Regime.LAW_2023 if received_on >= REGIME_2023_STARTS_ON else Regime.LAW_2017


_LABELS: dict[DeadlineKey, Text] = {
    DeadlineKey.ACCEPTANCE_REVIEW: _("受理审查期限"),
    DeadlineKey.CORRECTION_NOTICE: _("补正通知期限"),
    DeadlineKey.CORRECTION_SUBMISSION: _("申请人补正期限"),
    DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION: _("补正后受理审查期限"),
    DeadlineKey.COPY_DISPATCH: _("发送申请书副本期限"),
    DeadlineKey.RESPONDENT_ANSWER: _("被申请人答复期限"),
    DeadlineKey.DECISION: _("行政复议决定期限"),
    DeadlineKey.SUSPENSION_LIMIT: _("中止满60日（原因未消除的终止）"),
    DeadlineKey.LITIGATION_DEFENCE: _("答辩及举证期限"),
    DeadlineKey.TRANSFER_DECISION: _("移送审批决定期限"),
    DeadlineKey.TRANSFER: _("向公安机关移送期限"),
    DeadlineKey.POLICE_REVIEW: _("公安机关立案审查期限"),
    DeadlineKey.POLICE_RECONSIDERATION_REQUEST: _("提请公安机关复议期限"),
    DeadlineKey.EVIDENCE_HANDOVER: _("移交涉案物品及材料期限"),
    DeadlineKey.INSPECTION_PUBLICATION: _("抽查结果公示期限"),
    DeadlineKey.NORMATIVE_FILING: _("规范性文件报备期限"),
}

_RULES_2017 = {
    "review": _(
        "《行政复议法》(2017)第十七条、第四十条：收到申请后5个工作日内审查，"
        "不予受理的书面告知；未决定不予受理的，自法制工作机构收到之日起即为受理"
    ),
    "correction_notice": _(
        "《行政复议法实施条例》第二十九条：自收到申请之日起5日内书面通知补正"
        "（参照《行政复议法》(2017)第四十条按工作日计）"
    ),
    "copy": _(
        "《行政复议法》(2017)第二十三条、第四十条：自受理之日起7个工作日内将申请书副本发送被申请人"
    ),
    "answer": _(
        "《行政复议法》(2017)第二十三条：被申请人自收到申请书副本之日起10日内提出书面答复"
        "（10日为自然日，第四十条只将“五日”“七日”定为工作日）"
    ),
    "decision": _(
        "《行政复议法》(2017)第三十一条：自受理之日起60日内作出决定，"
        "经行政复议机关负责人批准可延长，最多不超过30日；"
        "《实施条例》第二十九条：补正申请材料所用时间不计入审理期限"
    ),
    "suspension_limit": _(
        "《行政复议法实施条例》第四十二条第二款：依第四十一条第一款第（一）项、第（二）项、"
        "第（三）项规定中止行政复议，满60日行政复议中止的原因仍未消除的，行政复议终止"
    ),
}

_RULES_2023 = {
    "review": _(
        "《行政复议法》(2023)第三十条、第八十八条：收到申请之日起5个工作日内审查；"
        "期满未决定不予受理的，自期满之日起视为受理"
    ),
    "correction_notice": _(
        "《行政复议法》(2023)第三十一条第一款、第八十八条：自收到申请之日起5个工作日内"
        "书面通知申请人补正"
    ),
    "correction_submission": _(
        "《行政复议法》(2023)第三十一条第二款、第八十八条：申请人自收到补正通知之日起"
        "10个工作日内提交补正材料"
    ),
    "review_after_correction": _(
        "《行政复议法》(2023)第三十一条第三款、第三十条：收到补正材料后依第三十条在5个工作日内"
        "审查；期满未决定不予受理的视为受理"
    ),
    "copy_ordinary": _(
        "《行政复议法》(2023)第四十八条、第八十八条：自受理之日起7个工作日内"
        "将申请书副本发送被申请人"
    ),
    "copy_simple": _(
        "《行政复议法》(2023)第五十四条、第八十八条：简易程序自受理之日起3个工作日内"
        "将申请书副本发送被申请人"
    ),
    "answer_ordinary": _(
        "《行政复议法》(2023)第四十八条、第八十八条：被申请人自收到申请书副本之日起"
        "10个工作日内提出书面答复"
    ),
    "answer_simple": _(
        "《行政复议法》(2023)第五十四条、第八十八条：简易程序被申请人自收到申请书副本之日起"
        "5个工作日内提出书面答复"
    ),
    "decision_ordinary": _(
        "《行政复议法》(2023)第六十二条第一款：普通程序自受理之日起60日内作出决定，"
        "经行政复议机构负责人批准可延长，最多不超过30日"
    ),
    "decision_simple": _(
        "《行政复议法》(2023)第六十二条第二款：简易程序自受理之日起30日内作出决定"
    ),
    "suspension_limit": _(
        "《行政复议法》(2023)第四十一条第（五）项：依第三十九条第一款第（一）项、第（二）项、"
        "第（四）项规定中止行政复议满六十日，中止的原因仍未消除的，决定终止行政复议"
    ),
}


@dataclass(frozen=True)
class ReconsiderationDates:
    """The dates of one reconsideration case that its deadlines are counted from.

    ``received_on`` is the day the reconsideration office (行政复议机构 / 法制工作机构)
    received the application; it chooses the regime (``regime_for``). ``extension_days``
    counts only when ``extended``. ``other_excluded_days`` is time the caller has established
    is not counted for another statutory reason (e.g. 鉴定 or 现场勘验 under the 2007
    regulation art. 34 and 37).
    """

    received_on: datetime.date
    procedure: Procedure | str = Procedure.ORDINARY
    correction_requested_on: datetime.date | None = None
    correction_notice_served_on: datetime.date | None = None
    correction_received_on: datetime.date | None = None
    accepted_on: datetime.date | None = None
    extended: bool = False
    extension_days: int = MAX_EXTENSION_DAYS
    copy_served_on: datetime.date | None = None
    other_excluded_days: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "procedure", Procedure(self.procedure))

    @property
    def regime(self) -> Regime:
        return regime_for(self.received_on)

    @property
    def extended_by(self) -> int:
        return self.extension_days if self.extended else 0

    def check(self) -> None:
        """Raise ``DeadlineInputError`` if the dates cannot be counted from.

        Whether the dates are consistent does not depend on which days are holidays, so a
        form can check them without reading the calendar.
        """
        if self.procedure is Procedure.SIMPLE and self.regime is Regime.LAW_2017:
            raise DeadlineInputError(
                _("2024年1月1日前收到的申请适用2017年《行政复议法》，没有简易程序"),
                code="simple_procedure_before_2024",
            )
        if self.extended and self.procedure is Procedure.SIMPLE:
            raise DeadlineInputError(
                _(
                    "简易程序的审理期限不得延长（《行政复议法》第六十二条第二款）；需要延长的应先转为普通程序"
                ),
                code="simple_procedure_no_extension",
            )
        if self.extended and not 1 <= self.extension_days <= MAX_EXTENSION_DAYS:
            raise DeadlineInputError(_("延长期限最多不超过30日"), code="extension_too_long")
        if self.other_excluded_days < 0:
            raise DeadlineInputError(_("不计入期间的天数不能为负数"), code="negative_excluded_days")
        correction_requested_on = self.correction_requested_on
        if correction_requested_on is None and (
            self.correction_received_on is not None or self.correction_notice_served_on is not None
        ):
            raise DeadlineInputError(
                _("未记录补正通知日期，不能记录补正通知送达或补正材料收到日期"),
                code="correction_without_request",
            )
        received_on = self.received_on
        ordered = [
            (
                received_on,
                correction_requested_on,
                "correction_before_receipt",
                _("补正通知早于收到申请"),
            ),
            (
                correction_requested_on,
                self.correction_notice_served_on,
                "notice_served_before_sent",
                _("补正通知送达早于发出"),
            ),
            (
                self.correction_notice_served_on or correction_requested_on,
                self.correction_received_on,
                "correction_received_before_notice",
                _("补正材料收到日期早于补正通知"),
            ),
            (
                received_on,
                self.accepted_on,
                "accepted_before_receipt",
                _("受理日期早于收到申请日期"),
            ),
            (
                received_on,
                self.copy_served_on,
                "copy_served_before_receipt",
                _("副本送达早于收到申请"),
            ),
        ]
        for earlier, later, code, message in ordered:
            if earlier is not None and later is not None and later < earlier:
                raise DeadlineInputError(message, code=code)


#: 2023 law: the periods whose length depends on the procedure (art. 48, 54, 62), in days.
_DAYS_2023 = {
    "copy": {Procedure.ORDINARY: 7, Procedure.SIMPLE: 3},
    "answer": {Procedure.ORDINARY: 10, Procedure.SIMPLE: 5},
    "decision": {Procedure.ORDINARY: 60, Procedure.SIMPLE: 30},
}


def reconsideration_deadlines(*, calendar: WorkingDayCalendar, **dates) -> list[Deadline]:
    """The statutory deadlines of one reconsideration case, in procedural order.

    ``dates`` are the fields of ``ReconsiderationDates``; inconsistent ones raise
    ``DeadlineInputError`` before the calendar is read.

    Returned, when the data allow it: the acceptance review; when a correction was requested,
    the correction deadlines; the deadline for sending the application copy to the respondent;
    the respondent's answer (only once ``copy_served_on`` is known: the law counts it from the
    respondent's receipt of the copy, which cannot be inferred); and the decision.

    The decision period runs from the acceptance date, which is:

    * 2017 regime: the day of receipt (2017 law art. 17(2): an application not rejected within
      the review period "自…收到之日起即为受理"); correction time is added back (2007
      regulation art. 29). While a requested correction is outstanding no decision deadline
      is returned.
    * 2023 regime: ``accepted_on`` if given, otherwise the day the review period expires
      (art. 30(3) deemed acceptance; after a correction, the review restarts on receipt of the
      materials, art. 31(3)).

    In both regimes a recorded ``accepted_on`` later than the statutory acceptance date does
    not postpone the decision: the earlier date is used and ``note`` says so.
    """
    case = ReconsiderationDates(**dates)
    case.check()
    if case.regime is Regime.LAW_2017:
        return _deadlines_2017(case, calendar)
    return _deadlines_2023(case, calendar)


def check_reconsideration_dates(**dates) -> None:
    """Raise ``DeadlineInputError`` if a case's dates cannot be counted from.

    Takes the arguments of ``reconsideration_deadlines`` except the calendar
    (``ReconsiderationDates.check``).
    """
    ReconsiderationDates(**dates).check()


def _deadlines_2017(case: ReconsiderationDates, calendar: WorkingDayCalendar) -> list[Deadline]:
    rules = _RULES_2017
    deadlines = [
        _working_deadline(
            DeadlineKey.ACCEPTANCE_REVIEW,
            case.received_on,
            5,
            rules["review"],
            calendar,
        )
    ]
    if case.correction_requested_on is not None:
        # The regulation leaves the applicant's correction period to the notice ("合理的补正期限"),
        # so only the office's own notice deadline is statutory.
        deadlines.append(
            _working_deadline(
                DeadlineKey.CORRECTION_NOTICE,
                case.received_on,
                5,
                rules["correction_notice"],
                calendar,
            )
        )

    # Art. 17(2): not rejected within the review period means accepted on the day of receipt.
    acceptance = case.received_on
    acceptance_note: Text = _("依第十七条第二款，以收到申请之日为受理日")
    if case.accepted_on is not None and case.accepted_on > case.received_on:
        acceptance_note = _(
            "依第十七条第二款，以收到申请之日为受理日，不以记录的受理日期（%(accepted)s）起算"
        ) % {"accepted": case.accepted_on.isoformat()}

    correction_pending = (
        case.correction_requested_on is not None and case.correction_received_on is None
    )
    if correction_pending:
        return deadlines

    # The copy sent is that of the corrected application, so it cannot go before it arrives.
    copy_start = max(acceptance, case.correction_received_on or acceptance)
    deadlines.append(
        _working_deadline(
            DeadlineKey.COPY_DISPATCH,
            copy_start,
            7,
            rules["copy"],
            calendar,
            note=_("自补正材料收到之日起算") if copy_start != acceptance else "",
        )
    )
    if case.copy_served_on is not None:
        deadlines.append(
            _calendar_deadline(
                DeadlineKey.RESPONDENT_ANSWER,
                case.copy_served_on,
                10,
                rules["answer"],
                calendar,
            )
        )
    excluded = case.other_excluded_days + correction_days_excluded(
        acceptance, case.correction_requested_on, case.correction_received_on
    )
    deadlines.append(
        _calendar_deadline(
            DeadlineKey.DECISION,
            acceptance,
            60,
            rules["decision"],
            calendar,
            excluded_days=excluded,
            extended_by=case.extended_by,
            note=acceptance_note,
        )
    )
    return deadlines


def correction_days_excluded(
    accepted_on: datetime.date,
    correction_requested_on: datetime.date | None,
    correction_received_on: datetime.date | None,
) -> int:
    """Days of correction that fall inside the decision period (2007 regulation art. 29).

    The time "used for correction" runs from the notice to the receipt of the materials;
    counted like any period (the notice day itself is not counted), and only the part after
    acceptance, since time before acceptance was never in the decision period.
    """
    if correction_requested_on is None or correction_received_on is None:
        return 0
    return max(0, (correction_received_on - max(correction_requested_on, accepted_on)).days)


def _deadlines_2023(case: ReconsiderationDates, calendar: WorkingDayCalendar) -> list[Deadline]:
    rules = _RULES_2023

    def by_procedure(period: str) -> tuple[int, Text]:
        """The length and rule of a period that the procedure decides."""
        return _DAYS_2023[period][case.procedure], rules[f"{period}_{case.procedure}"]

    review = _working_deadline(
        DeadlineKey.ACCEPTANCE_REVIEW,
        case.received_on,
        5,
        rules["review"],
        calendar,
    )
    deadlines = [review]
    deemed_acceptance: datetime.date | None = review.due

    if case.correction_requested_on is not None:
        notice = _working_deadline(
            DeadlineKey.CORRECTION_NOTICE,
            case.received_on,
            5,
            rules["correction_notice"],
            calendar,
            note=_("补正通知于%(sent)s发出，已超过法定期限")
            % {"sent": case.correction_requested_on.isoformat()}
            if case.correction_requested_on > review.due
            else "",
        )
        deadlines.append(notice)
        served = case.correction_notice_served_on or case.correction_requested_on
        deadlines.append(
            _working_deadline(
                DeadlineKey.CORRECTION_SUBMISSION,
                served,
                10,
                rules["correction_submission"],
                calendar,
                note=""
                if case.correction_notice_served_on is not None
                else _("未录入补正通知送达日期，暂按发出日期计算；应以申请人收到通知之日起算"),
            )
        )
        if case.correction_received_on is None:
            deemed_acceptance = None
        else:
            review_again = _working_deadline(
                DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION,
                case.correction_received_on,
                5,
                rules["review_after_correction"],
                calendar,
            )
            deadlines.append(review_again)
            deemed_acceptance = review_again.due

    acceptance, acceptance_note = _acceptance_2023(case.accepted_on, deemed_acceptance)
    if acceptance is None:
        return deadlines

    deadlines.append(
        _working_deadline(
            DeadlineKey.COPY_DISPATCH,
            acceptance,
            *by_procedure("copy"),
            calendar,
            note=acceptance_note,
        )
    )
    if case.copy_served_on is not None:
        deadlines.append(
            _working_deadline(
                DeadlineKey.RESPONDENT_ANSWER,
                case.copy_served_on,
                *by_procedure("answer"),
                calendar,
            )
        )
    deadlines.append(
        _calendar_deadline(
            DeadlineKey.DECISION,
            acceptance,
            *by_procedure("decision"),
            calendar,
            excluded_days=case.other_excluded_days,
            extended_by=case.extended_by,
            note=acceptance_note,
        )
    )
    return deadlines


def _acceptance_2023(
    accepted_on: datetime.date | None, deemed_acceptance: datetime.date | None
) -> tuple[datetime.date | None, Text]:
    """The date the decision period runs from, and a note when it is not ``accepted_on``."""
    if accepted_on is None:
        if deemed_acceptance is None:
            return None, ""
        return deemed_acceptance, _("未录入受理日期，按第三十条第三款审查期满之日视为受理")
    if deemed_acceptance is not None and accepted_on > deemed_acceptance:
        note = _(
            "记录的受理日期（%(accepted)s）晚于审查期满之日，依第三十条第三款自%(deemed)s起视为受理"
        ) % {"accepted": accepted_on.isoformat(), "deemed": deemed_acceptance.isoformat()}
        return deemed_acceptance, note
    return accepted_on, ""


def suspension_limit_due(
    suspended_on: datetime.date, regime: Regime, calendar: WorkingDayCalendar
) -> Deadline:
    """Sixty days of a suspension because the applicant died, lost the capacity to take part
    or (an organisation) ended with no successor known: if the cause remains, the case is
    terminated (the rule of ``regime``)."""
    rules = _RULES_2023 if Regime(regime) is Regime.LAW_2023 else _RULES_2017
    return _calendar_deadline(
        DeadlineKey.SUSPENSION_LIMIT, suspended_on, 60, rules["suspension_limit"], calendar
    )


# --- Administrative litigation ----------------------------------------------------------------


def litigation_defence_due(served_on: datetime.date, calendar: WorkingDayCalendar) -> Deadline:
    """Defendant's answer and evidence: 15 days after service of the complaint copy."""
    return _calendar_deadline(
        DeadlineKey.LITIGATION_DEFENCE,
        served_on,
        15,
        _(
            "《行政诉讼法》第六十七条第一款：被告应当在收到起诉状副本之日起15日内提交"
            "作出行政行为的证据和所依据的规范性文件，并提出答辩状；"
            "期间按《行诉法解释》(2018)第四十八条计算"
        ),
        calendar,
    )


# --- Transfer of suspected crimes (国务院令第310号, revised 2020) ------------------------------


def criminal_transfer_deadlines(
    *,
    reported_on: datetime.date,
    calendar: WorkingDayCalendar,
    decided_on: datetime.date | None = None,
    police_accepted_on: datetime.date | None = None,
    refusal_notice_received_on: datetime.date | None = None,
    filing_notice_received_on: datetime.date | None = None,
) -> list[Deadline]:
    """Deadlines of a transfer to the police, each returned once its start date is known.

    The rules say "3日" without making them working days (unlike 行政处罚法 art. 85 or
    复议法 art. 88), so they are calendar days, rolled over a rest day as every Chinese
    procedural law does. "24小时" is counted in hours and never rolled; at date precision it
    ends the day after the decision (see ``transfer_due_at`` for the exact time).
    """
    rule_decision = _(
        "《行政执法机关移送涉嫌犯罪案件的规定》第五条第二款：正职负责人或者主持工作的负责人"
        "自接到报告之日起3日内作出批准移送或者不批准移送的决定"
    )
    deadlines = [
        _calendar_deadline(
            DeadlineKey.TRANSFER_DECISION,
            reported_on,
            3,
            rule_decision,
            calendar,
        )
    ]
    if decided_on is not None:
        deadlines.append(
            Deadline(
                key=DeadlineKey.TRANSFER,
                label=_LABELS[DeadlineKey.TRANSFER],
                start=decided_on,
                rule=_(
                    "《行政执法机关移送涉嫌犯罪案件的规定》第五条第二款："
                    "决定批准的，应当在24小时内向同级公安机关移送"
                ),
                days=24,
                unit=Unit.HOURS,
                due=decided_on + ONE_DAY,
                note=_("以小时计算，不因节假日顺延"),
            )
        )
    three_day_rules = [
        (
            police_accepted_on,
            DeadlineKey.POLICE_REVIEW,
            _(
                "《行政执法机关移送涉嫌犯罪案件的规定》第八条：公安机关自接受移送之日起"
                "3日内审查，决定立案或者不予立案"
            ),
        ),
        (
            refusal_notice_received_on,
            DeadlineKey.POLICE_RECONSIDERATION_REQUEST,
            _(
                "《行政执法机关移送涉嫌犯罪案件的规定》第九条第一款：接到不予立案通知书之日起"
                "3日内可以提请公安机关复议"
            ),
        ),
        (
            filing_notice_received_on,
            DeadlineKey.EVIDENCE_HANDOVER,
            _(
                "《行政执法机关移送涉嫌犯罪案件的规定》第十二条：接到立案通知书之日起"
                "3日内移交涉案物品及有关材料"
            ),
        ),
    ]
    for start, key, rule in three_day_rules:
        if start is not None:
            deadlines.append(_calendar_deadline(key, start, 3, rule, calendar))
    return deadlines


def transfer_due_at(decided_at: datetime.datetime) -> datetime.datetime:
    """Exact end of the 24-hour transfer period after an approval made at ``decided_at``."""
    return decided_at + datetime.timedelta(hours=24)


# --- "Double random, one public" inspections --------------------------------------------------


def inspection_publication_due(
    check_ended_on: datetime.date, calendar: WorkingDayCalendar, *, days: int
) -> Deadline:
    """Publication of random-inspection results: ``days`` working days after the check ends.

    20 working days is the usual rule (the 企业信息公示暂行条例 art. 6 period for information
    the authorities produce); provinces set their own, so ``days`` comes from
    ``settings.LAWGOV["PUBLICATION_DAYS"]``.
    """
    return _working_deadline(
        DeadlineKey.INSPECTION_PUBLICATION,
        check_ended_on,
        days,
        _(
            "“双随机、一公开”：抽查检查结果自检查结束之日起%(days)s个工作日内向社会公示"
            "（《优化营商环境条例》第五十四条；期限参照《企业信息公示暂行条例》第六条）"
        )
        % {"days": days},
        calendar,
    )


# --- Filing of normative documents ------------------------------------------------------------


def normative_filing_due(
    issued_on: datetime.date, calendar: WorkingDayCalendar, *, days: int
) -> Deadline:
    """Filing of an issued normative document with the level above: ``days`` after issue.

    Hubei's former rule allowed 15 days from issue (规章: 30 days, 法规规章备案审查条例
    art. 4); ``days`` comes from ``settings.LAWGOV["FILING_DAYS"]``. Counted as a calendar-day
    period: a last day that is a rest day moves to the next working day.
    """
    return _calendar_deadline(
        DeadlineKey.NORMATIVE_FILING,
        issued_on,
        days,
        _("行政规范性文件自印发之日起%(days)s日内报送备案") % {"days": days},
        calendar,
    )
