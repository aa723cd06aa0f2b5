"""Notifications: in the app (the bell) and by e-mail, sent by the background worker once
the transaction that notified commits (``registers.core.mail``).

Created when a record is returned or approved (to whoever entered and submitted it), when a
report is published (to office staff and leaders), and by ``send_deadline_notifications``
when a deadline comes close: to the record's person in charge first, then the people of its
unit, then the office once it is overdue (``_due_deadlines``); each morning by the worker's
schedule, and again after the office changes the holiday calendar (which may make something
due sooner).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import jobs, mail, permissions
from registers.core.calendar import get_calendar
from registers.core.models import CalendarDay, Job, JobKind
from registers.core.roles import Role
from registers.core.status import Action
from registers.core.workflow import transitioned
from registers.models import User
from reviews.deadline_board import BoardRow, Urgency, board_rows

from ..reports.signals import report_published
from .models import Notification, NotificationKind
from .records import record_url

logger = logging.getLogger(__name__)


def notify(
    users: Iterable,
    kind: NotificationKind,
    title: str,
    *,
    body: str = "",
    url: str = "",
    key: str = "",
) -> list[Notification]:
    """Notify each user once (once per ``key`` when given); e-mail those with an address."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if key:
        already = set(
            Notification.objects.filter(user__in=recipients, key=key).values_list(
                "user_id", flat=True
            )
        )
        recipients = {pk: user for pk, user in recipients.items() if pk not in already}
    if not recipients:
        return []
    created = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title, body=body, url=url, key=key)
        for user in recipients.values()
    )
    _send_emails(recipients.values(), title, body, url)
    return created


def _send_emails(users: Iterable, title: str, body: str, url: str) -> None:
    """Queue one e-mail per user with an address: sent after the notifying transaction
    commits, by the worker, so a slow or broken mail server never holds up the request."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    link = f"\n\n{base}{url}" if url else ""
    for user in users:
        if user.email:
            mail.send_later(
                user.email,
                _("【法治政府建设合规台账】%(title)s") % {"title": title},
                f"{body}{link}".strip() or title,
            )


# --- Workflow --------------------------------------------------------------------------------


def record_reviewed(sender, record, action, by, comment="", **kwargs) -> None:
    """Tell whoever entered and submitted ``record`` that it was approved or returned, if
    they may still see it (one moved to another unit, or no longer working with records,
    is not told its title and the review's comment).

    The acting user is never told of their own act, so what the office enters or adjusts
    itself (entered as approved, a power-list version, a filing obligation it opens) notifies
    nobody; a confirmed clean-up is one record, told once, however many documents it holds.
    """
    action = Action(action)
    if action == Action.SUBMIT:
        return
    ids = {record.created_by_id, record.submitted_by_id} - {None, getattr(by, "pk", None)}
    if not ids:
        return
    users = [user for user in User.objects.filter(pk__in=ids) if permissions.can_view(user, record)]
    if not users:
        return
    kind_label = type(record)._meta.verbose_name
    if action == Action.RETURN:
        kind = NotificationKind.RETURNED
        title = _("%(kind)s“%(record)s”被退回修改") % {"kind": kind_label, "record": record}
        body = _("审核意见：%(comment)s") % {"comment": comment}
    elif action == Action.REOPEN:
        kind = NotificationKind.RETURNED
        title = _("已审核的%(kind)s“%(record)s”被重新打开，请更正") % {
            "kind": kind_label,
            "record": record,
        }
        body = _("更正原因：%(comment)s") % {"comment": comment}
    else:
        kind = NotificationKind.APPROVED
        title = _("%(kind)s“%(record)s”已审核通过") % {"kind": kind_label, "record": record}
        body = _("审核人：%(by)s") % {"by": by}
    notify(users, kind, title, body=body, url=record_url(record) or "")


# --- Reports ---------------------------------------------------------------------------------


def report_was_published(sender, published, by=None, **kwargs) -> None:
    users = User.objects.filter(role__in=[Role.OFFICE, Role.LEADER], is_active=True)
    title = _("%(title)s已发布（第 %(version)s 版）") % {
        "title": published.title,
        "version": published.version,
    }
    url = reverse("reports:published", args=[published.year, published.version])
    if published.unit_id:
        url += f"?unit={published.unit.code}"
    body = _("发布人：%(by)s。发布后的正文和数字已冻结。") % {"by": published.published_by}
    notify(users, NotificationKind.REPORT_PUBLISHED, title, body=body, url=url)


# --- Deadlines -------------------------------------------------------------------------------


#: The person in charge (承办人) of a record hears of its deadline from this many working days
#: before it, ahead of the unit's other people, who hear of it once it is close
#: (``SOON_WORKING_DAYS``, 3) or from the same day if nobody is in charge.
HANDLER_NOTICE_WORKING_DAYS = 5


def people_to_remind() -> list[User]:
    """Who may hear of deadlines: people (not API clients) who belong to a unit, and office
    staff (who hear of what is overdue)."""
    people = User.objects.filter(is_active=True).select_related("unit")
    return [
        person
        for person in people
        if permissions.uses_pages(person)
        and (person.unit_id is not None or permissions.is_office(person))
    ]


@dataclass
class Recipients:
    """Who hears of one deadline today: ``daily`` each day it stays due, ``escalated`` (the
    office, once it is overdue) once for the deadline."""

    daily: dict[int, User] = field(default_factory=dict)
    escalated: dict[int, User] = field(default_factory=dict)


def _due_deadlines(today: datetime.date) -> dict[BoardRow, Recipients]:
    """Who hears of each deadline today, person in charge first.

    - the record's person in charge, from ``HANDLER_NOTICE_WORKING_DAYS`` before it is due;
    - the people of the unit that owns it, once it is due within ``SOON_WORKING_DAYS`` or
      overdue, or from the start when nobody is in charge (or the one named no longer sees
      the record);
    - the office, once it is overdue.

    A person hears of a deadline as their own board shows it, so the one scoping rule
    decides (one who left a unit no longer hears of its records); people who read the same
    records share one reading of the board.
    """
    calendar = get_calendar()
    boards: dict[int | None, list[BoardRow]] = {}
    handlers: dict[BoardRow, User] = {}
    unit_people: dict[BoardRow, list[User]] = defaultdict(list)
    office: dict[BoardRow, list[User]] = defaultdict(list)
    for person in people_to_remind():
        sees = None if permissions.reads_every_unit(person) else person.unit_id
        if sees not in boards:
            boards[sees] = board_rows(person, today, calendar, HANDLER_NOTICE_WORKING_DAYS)
        for row in boards[sees]:
            if row.entry.handler_id == person.pk:
                handlers[row] = person
            elif row.entry.unit.pk == person.unit_id:
                unit_people[row].append(person)
            if row.urgency is Urgency.OVERDUE and permissions.is_office(person):
                office[row].append(person)
    due: dict[BoardRow, Recipients] = defaultdict(Recipients)
    for row in {*handlers, *unit_people, *office}:
        recipients = due[row]
        if row in handlers:
            recipients.daily[handlers[row].pk] = handlers[row]
        if row not in handlers or row.urgency in (Urgency.SOON, Urgency.OVERDUE):
            recipients.daily.update((person.pk, person) for person in unit_people[row])
        recipients.escalated = {
            person.pk: person for person in office[row] if person.pk not in recipients.daily
        }
    return due


def _deadline_title(row: BoardRow) -> tuple[NotificationKind, str]:
    entry = row.entry
    if row.urgency is Urgency.OVERDUE:
        kind = NotificationKind.OVERDUE
        title = _("已逾期 %(days)s 天：%(kind)s（%(title)s）") % {
            "days": row.days_overdue,
            "kind": entry.kind,
            "title": entry.title,
        }
    else:
        kind = NotificationKind.DUE_SOON
        title = _("%(due)s 到期：%(kind)s（%(title)s）") % {
            "due": entry.due.isoformat(),
            "kind": entry.kind,
            "title": entry.title,
        }
    if entry.provisional:
        title = _("%(title)s（暂定）") % {"title": title}
    return kind, title[:300]


@transaction.atomic
def send_deadline_notifications(today: datetime.date) -> int:
    """Remind people of deadlines (``_due_deadlines`` says who hears of which, when).

    Idempotent: a deadline is told to each person once a day, and to the office once when
    it is overdue (a deadline moved by the calendar is another deadline); running it again
    sends nothing. Returns how many notifications were created.
    """
    due = _due_deadlines(today)
    created = 0
    for row in sorted(due, key=lambda row: (row.entry.due, row.entry.kind, row.entry.title)):
        entry = row.entry
        kind, title = _deadline_title(row)
        recipients = due[row]
        deadline = f"{entry.kind}:{entry.url}"
        for users, key in (
            (recipients.daily, f"deadline:{today.isoformat()}:{deadline}"),
            (recipients.escalated, f"overdue:{entry.due.isoformat()}:{deadline}"),
        ):
            created += len(
                notify(
                    users.values(),
                    kind,
                    title,
                    body=entry.explanation,
                    url=entry.url,
                    key=key[:300],
                )
            )
    return created


def mark_read(user, pks: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those in ``pks``) as read."""
    queryset = Notification.objects.for_user(user).unread()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    return queryset.update(read_at=timezone.now())


# --- In the background -----------------------------------------------------------------------


def _notifications_job(job: Job) -> dict:
    return {"created": send_deadline_notifications(timezone.localdate())}


def start_deadline_notifications(kind: JobKind = JobKind.DEADLINE_NOTIFICATIONS) -> Job:
    return jobs.start(
        kind,
        _("%(day)s 期限提醒") % {"day": timezone.localdate().isoformat()}
        if kind == JobKind.DEADLINE_NOTIFICATIONS
        else _("节假日调整后重新检查期限（%(day)s）") % {"day": timezone.localdate().isoformat()},
        max_attempts=2,
    )


def calendar_changed(sender, raw: bool = False, **kwargs) -> None:
    """Deadlines are counted in working days: a day made a holiday (or a working day) moves
    them, so today's reminders are checked again (each is still sent once). Several days
    entered in a row share the one check still waiting."""
    if raw or Job.objects.filter(kind=JobKind.CALENDAR_CHANGED).waiting().exists():
        return
    start_deadline_notifications(JobKind.CALENDAR_CHANGED)


def notifications_time() -> datetime.time:
    return datetime.time.fromisoformat(settings.LAWGOV_JOBS["NOTIFICATIONS_AT"])


def connect() -> None:
    transitioned.connect(record_reviewed, dispatch_uid="workspace.record_reviewed")
    report_published.connect(report_was_published, dispatch_uid="workspace.report_published")
    jobs.register(JobKind.DEADLINE_NOTIFICATIONS, _notifications_job)
    jobs.register(JobKind.CALENDAR_CHANGED, _notifications_job)
    jobs.schedule("deadline_notifications", notifications_time, start_deadline_notifications)
    for signal in (post_save, post_delete):
        signal.connect(calendar_changed, sender=CalendarDay, dispatch_uid="workspace.calendar")
