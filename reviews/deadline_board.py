"""The deadline board (期限看板): open statutory deadlines due soon, and those overdue.

The board takes its rows from ``SOURCES``: functions ``(user, today, calendar) ->
Iterable[DeadlineEntry]``, one per kind of record, each returning the open deadlines of the
records ``user`` may see (``.visible_to(user)``, the one scoping rule). The board itself
keeps the ones due within the chosen number of working days (and every overdue one),
colours and sorts them. To put another kind of deadline on the board, write one such
function and add it to ``SOURCES``; ``DeadlineEntry.from_deadline`` turns a
``registers.core.deadlines.Deadline`` into an entry with its explanation.

A source should cost a fixed number of queries whatever the number of records
(``select_related``/``prefetch_related``), and compute its dates from the ``calendar`` it is
given, never from a stored due date, so a change to the holiday calendar moves them. It reads
its records through ``records_for`` (what ``user`` sees, narrowed to one person's records
while their own list is made), so a person's list costs their own rows only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core import stamps
from registers.core.admin_links import admin_url
from registers.core.calendar import get_calendar
from registers.core.deadlines import Deadline, DeadlineInputError, DeadlineKey
from registers.core.permissions import scope_key
from registers.core.workingdays import WorkingCalendar
from registers.models import InspectionDraw, Unit
from reviews.models import (
    CriminalTransfer,
    EvaluationProblem,
    Filing,
    LitigationCase,
    PoliceDecision,
    ReconsiderationCase,
    RectificationProblem,
    TransferDecision,
)

#: Shown in yellow when due within this many working days.
SOON_WORKING_DAYS = 3
#: How far ahead the board looks unless the user chooses otherwise.
DEFAULT_HORIZON_WORKING_DAYS = 10


@dataclass(frozen=True)
class DeadlineEntry:
    """One open deadline as the board shows it."""

    kind: str
    title: str
    unit: Unit  # whose deadline it is: notifications go to this unit's people
    due: datetime.date
    explanation: str
    url: str
    rule: str = ""
    #: The due date may still move: it was counted across a year without a confirmed
    #: holiday schedule (``Deadline.provisional``); the explanation says which.
    provisional: bool = False
    #: The record's person in charge (承办人), if it has one: reminders go to them first,
    #: and the entry is on their own list (``handled_by``) and calendar feed.
    handler_id: int | None = None

    @classmethod
    def from_deadline(
        cls, deadline: Deadline, record, *, kind: str, title: str | None = None
    ) -> DeadlineEntry:
        """The entry of ``deadline`` of ``record``: the unit's and the person in charge's of
        the record, linked to its page, and named as the record is unless ``title`` says."""
        return cls(
            kind=gettext("%(kind)s：%(label)s") % {"kind": kind, "label": deadline.label},
            title=str(record) if title is None else title,
            unit=record.unit,
            due=deadline.due,
            explanation=deadline.explain(),
            url=admin_url(record),
            rule=str(deadline.rule),
            provisional=deadline.provisional,
            handler_id=record.handler_id,
        )


Source = Callable[[object, datetime.date, WorkingCalendar], Iterable[DeadlineEntry]]


class Urgency(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    UPCOMING = "upcoming"

    @property
    def label(self) -> str:
        return {
            Urgency.OVERDUE: gettext("已逾期"),
            Urgency.SOON: gettext("即将到期"),
            Urgency.UPCOMING: gettext("未到期"),
        }[self]

    @property
    def css(self) -> str:
        return {Urgency.OVERDUE: "bad", Urgency.SOON: "warn", Urgency.UPCOMING: "ok"}[self]


@dataclass(frozen=True)
class BoardRow:
    entry: DeadlineEntry
    urgency: Urgency
    working_days_left: int
    days_overdue: int
    #: Calendar days until the due day: a 24-hour period ending on a Saturday has none of
    #: its working days left on Friday, but it is not due today.
    days_left: int = 0


def board_rows(
    user,
    today: datetime.date,
    calendar: WorkingCalendar,
    horizon: int | None = DEFAULT_HORIZON_WORKING_DAYS,
    sources: Iterable[Source] | None = None,
    *,
    handled_by=None,
) -> list[BoardRow]:
    """Deadlines due within ``horizon`` working days after ``today`` (every one, when
    ``horizon`` is None), and all overdue ones; only those of records whose person in charge
    is ``handled_by``, when given."""
    last_day = None if horizon is None else calendar.add_working_days(today, horizon)
    rows = []
    token = _handled_by.set(handled_by)
    try:
        entries = [
            entry
            for source in (SOURCES if sources is None else sources)
            for entry in source(user, today, calendar)
        ]
    finally:
        _handled_by.reset(token)
    for entry in entries:
        if last_day is not None and entry.due > last_day:
            continue
        if handled_by is not None and entry.handler_id != handled_by.pk:
            continue
        left = calendar.working_days_between(today, entry.due)
        if entry.due < today:
            urgency = Urgency.OVERDUE
        elif left <= SOON_WORKING_DAYS:
            urgency = Urgency.SOON
        else:
            urgency = Urgency.UPCOMING
        rows.append(
            BoardRow(
                entry=entry,
                urgency=urgency,
                working_days_left=max(left, 0),
                days_overdue=max((today - entry.due).days, 0),
                days_left=max((entry.due - today).days, 0),
            )
        )
    rows.sort(key=lambda row: (row.entry.due, row.entry.kind, row.entry.title))
    return rows


def urgency_counts(rows: list[BoardRow]) -> dict[str, int]:
    """How many of ``rows`` are overdue and due soon, as the pages print them."""
    return {
        "overdue_count": sum(row.urgency is Urgency.OVERDUE for row in rows),
        "soon_count": sum(row.urgency is Urgency.SOON for row in rows),
    }


def rows_handled_by(user, today: datetime.date, calendar: WorkingCalendar) -> list[BoardRow]:
    """Every open deadline of the records ``user`` is in charge of and may still see (one
    who left a unit no longer sees its records, wherever they are still named), soonest
    first: their own list (我的期限) and calendar feed."""
    return board_rows(user, today, calendar, None, handled_by=user)


def open_deadlines(
    user, today: datetime.date, horizon: int = DEFAULT_HORIZON_WORKING_DAYS
) -> list[BoardRow]:
    """``board_rows`` of every source on the office's calendar, kept in memory for the same
    data, day and visible records (``registers/core/stamps.py``): the board, the home pages
    and their charts ask for them on every visit. The rows are shared by the requests of a
    process: read them, never change them."""
    return stamps.kept(
        "open_deadlines",
        (scope_key(user), today, horizon),
        lambda: board_rows(user, today, get_calendar(), horizon),
        as_is=True,  # frozen rows, read only; each holds its unit, slow to copy
    )


# --- Sources ----------------------------------------------------------------------------------

#: Whose own list is being made (``board_rows(handled_by=…)``), else None.
_handled_by: ContextVar = ContextVar("deadline_board_handled_by", default=None)


def records_for(queryset, user, handler: str | None = "handler"):
    """The records of ``queryset`` a source reads: those ``user`` may see; while a person's
    own list is made, only those of them in their charge (``handler``: the path to the
    person in charge, None for a kind that has none)."""
    records = queryset.visible_to(user)
    person = _handled_by.get()
    if person is None:
        return records
    if handler is None:
        return records.none()
    return records.filter(**{handler: person})


def reconsideration_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    """Acceptance review (or the applicant's correction) of undecided applications, the
    decision of accepted cases that are not suspended, and the sixty days after which a case
    suspended because the applicant died, lost capacity or ended is terminated. An
    application whose review ran out with no decision recorded is accepted by law
    (复议法(2023)第三十条第三款, (2017)第十七条第二款): its decision is what runs (the
    explanation says so)."""
    cases = (
        records_for(ReconsiderationCase.objects.open(), user)
        .select_related("unit")
        .prefetch_related("suspensions")
    )
    kind = gettext("行政复议")
    for case in cases:
        try:
            deadlines = {deadline.key: deadline for deadline in case.deadlines(calendar)}
        except DeadlineInputError:
            continue  # inconsistent dates; the case page shows the error
        if not case.acceptance:
            if case.correction_pending:
                keys = [DeadlineKey.CORRECTION_SUBMISSION]
            elif case.acceptance_unrecorded(today, calendar) and not case.is_suspended:
                keys = [DeadlineKey.DECISION]
            else:
                keys = [
                    DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION,
                    DeadlineKey.ACCEPTANCE_REVIEW,
                ]
        elif case.is_accepted and not case.is_suspended:
            keys = [DeadlineKey.DECISION]
        elif case.is_accepted:  # suspended: only a ground that ends the case has a limit
            keys = [DeadlineKey.SUSPENSION_LIMIT]
        else:
            keys = []
        deadline = next((deadlines[key] for key in keys if key in deadlines), None)
        if deadline is not None:
            yield DeadlineEntry.from_deadline(deadline, case, kind=kind)


def litigation_defence_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    cases = (
        records_for(LitigationCase.objects.open(), user)
        .filter(defence_submitted_on__isnull=True)
        .select_related("unit")
    )
    kind = gettext("行政应诉")
    for case in cases:
        yield DeadlineEntry.from_deadline(case.defence_deadline(calendar), case, kind=kind)


def criminal_transfer_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    """The head's decision, the 24-hour transfer, and the police's 3-day review to follow up."""
    open_steps = {
        DeadlineKey.TRANSFER_DECISION: Q(decided_on__isnull=True),
        DeadlineKey.TRANSFER: Q(decision=TransferDecision.APPROVED, transferred_on__isnull=True),
        DeadlineKey.POLICE_REVIEW: Q(police_accepted_on__isnull=False, police_decision=""),
    }
    any_open = Q()
    for condition in open_steps.values():
        any_open |= condition
    transfers = records_for(CriminalTransfer.objects.filter(any_open), user).select_related("unit")
    kind = gettext("行刑衔接")
    for transfer in transfers:
        for deadline in transfer.deadlines(calendar):
            if _transfer_step_open(transfer, deadline.key):
                yield DeadlineEntry.from_deadline(deadline, transfer, kind=kind)


def _transfer_step_open(transfer: CriminalTransfer, key: DeadlineKey) -> bool:
    if key is DeadlineKey.TRANSFER_DECISION:
        return transfer.decided_on is None
    if key is DeadlineKey.TRANSFER:
        return transfer.transferred_on is None
    if key is DeadlineKey.POLICE_REVIEW:
        return transfer.police_decision not in (PoliceDecision.FILED, PoliceDecision.REFUSED)
    return False


def rectification_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    problems = records_for(RectificationProblem.objects.outstanding(), user).select_related("unit")
    kind = gettext("专项治理")
    for problem in problems:
        yield DeadlineEntry(
            kind=gettext("%(kind)s：整改期限") % {"kind": kind},
            title=str(problem),
            unit=problem.unit,
            due=problem.due_on,
            explanation=gettext("%(found)s发现，要求于%(due)s前整改完成；整改措施：%(measure)s")
            % {
                "found": problem.found_on.isoformat(),
                "due": problem.due_on.isoformat(),
                "measure": problem.measure,
            },
            url=admin_url(problem),
            rule=str(_("专项治理实施方案确定的整改期限")),
            handler_id=problem.handler_id,
        )


def inspection_publication_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    """Results of finished checks not yet published."""
    draws = records_for(InspectionDraw.objects.awaiting_publication(), user).select_related(
        "unit", "item"
    )
    kind = gettext("双随机抽查")
    for draw in draws:
        yield DeadlineEntry.from_deadline(draw.publication_deadline(calendar), draw, kind=kind)


def evaluation_rectification_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    """Problems found in case-file evaluations and not yet rectified."""
    problems = records_for(
        EvaluationProblem.objects.awaiting_rectification(), user, handler=None
    ).select_related("file__unit")
    for problem in problems:
        yield DeadlineEntry(
            kind=gettext("案卷评查：问题整改"),
            title=f"{problem.file.case_number} {problem}",
            unit=problem.file.unit,
            due=problem.due_on,
            explanation=gettext("评查发现的问题，要求于%(due)s前整改完成")
            % {"due": problem.due_on.isoformat()},
            url=admin_url(problem.file),
            rule=str(_("案卷评查整改通知确定的期限")),
        )


def filing_source(user, today, calendar) -> Iterable[DeadlineEntry]:
    """Issued normative documents not yet filed with the level above."""
    filings = (
        records_for(Filing.objects.approved(), user)
        .awaiting_filing()
        .select_related("unit", "document")
    )
    for filing in filings:
        yield DeadlineEntry.from_deadline(
            filing.due_deadline(calendar),
            filing,
            kind=gettext("规范性文件"),
            title=str(filing.document),
        )


#: Every source the board reads, in no particular order (rows are sorted by due date).
SOURCES: list[Source] = [
    reconsideration_source,
    litigation_defence_source,
    criminal_transfer_source,
    rectification_source,
    inspection_publication_source,
    evaluation_rectification_source,
    filing_source,
]
