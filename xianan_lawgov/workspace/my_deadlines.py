"""A person's own deadlines (我的期限): the open deadlines of the records they are in charge
of (承办人), as a page and as a calendar feed for Outlook or a phone.

Both read ``reviews.deadline_board.rows_handled_by``: the board's sources and the one
deadline engine, scoped to what the person may see now. The feed's address carries a secret
key instead of a login (``xianan_lawgov.accounts.calendar_feeds``).
"""

from __future__ import annotations

import datetime
import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, Event

from registers.core.calendar import get_calendar
from registers.core.files import content_disposition
from registers.core.permissions import pages_required
from reviews.deadline_board import BoardRow, rows_handled_by, urgency_counts
from xianan_lawgov.accounts.calendar_feeds import feed_owner, has_feed, issue_feed


@require_http_methods(["GET", "HEAD", "POST"])
@pages_required
def my_deadlines(request: HttpRequest) -> HttpResponse:
    """The user's own deadlines, soonest first; a POST makes a new calendar address (ending
    the old one), shown on the page this once."""
    feed_url = None
    if request.method == "POST":
        key = issue_feed(request.user)
        feed_url = request.build_absolute_uri(reverse("workspace:calendar_feed", args=[key]))
    today = timezone.localdate()
    rows = rows_handled_by(request.user, today, get_calendar())
    return render(
        request,
        "workspace/my_deadlines.html",
        {
            "rows": rows,
            "today": today,
            **urgency_counts(rows),
            "feed_url": feed_url,
            "has_feed": feed_url is not None or has_feed(request.user),
        },
    )


@require_safe
def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The feed of the person whose secret ``key`` this is (404 for any other key, an old
    one, or a deactivated account's): all-day events on the due dates."""
    user = feed_owner(key)
    if user is None:
        raise Http404(_("没有这个日历订阅地址。"))
    rows = rows_handled_by(user, timezone.localdate(), get_calendar())
    response = HttpResponse(
        deadline_calendar(rows, user, request), content_type="text/calendar; charset=utf-8"
    )
    # The address is a secret: nothing on the way keeps a copy.
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = content_disposition("deadlines.ics", inline=True)
    return response


def deadline_calendar(rows: list[BoardRow], user, request: HttpRequest) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//xianan_lawgov//deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("我的期限（%(user)s）") % {"user": user})
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for row in rows:
        calendar.add_component(_event(row, stamp, request))
    return calendar.to_ical()


def _event(row: BoardRow, stamp: datetime.datetime, request: HttpRequest) -> Event:
    entry = row.entry
    link = request.build_absolute_uri(entry.url)
    summary = _("%(kind)s：%(title)s") % {"kind": entry.kind, "title": entry.title}
    if entry.provisional:
        summary = _("%(title)s（暂定）") % {"title": summary}
    event = Event()
    # The same deadline of the same record keeps its identity from day to day, so a
    # calendar app updates the event (a moved due date) instead of adding another.
    digest = hashlib.sha256(f"{entry.kind}|{entry.url}".encode()).hexdigest()[:32]
    event.add("uid", f"{digest}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.due)
    event.add("dtend", entry.due + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{entry.explanation}\n{_('单位')}：{entry.unit}\n{link}")
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    return event
