"""Login sessions: what a login leaves in the session (the steps still owed before the
account may go on), the list of an account's sessions, and ending them.

Sessions end after ``SESSION_IDLE_MINUTES`` without a request (``SESSION_COOKIE_AGE``) and
when the browser closes; the page warns a minute before. A request pushes the session's end
on by saving it (``IdleSessionMiddleware``), at most once a minute (``refresh_due``): a page
read a second time costs no write, and the session ends at most that minute *earlier* than
the idle time after the last request, never later. The page's warning counts from the last
save (``idle_seconds_left``).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone

from xianan_lawgov.audit.log import client_address, record
from xianan_lawgov.audit.models import Event

from . import twofactor
from .models import LoginSession
from .passwords import change_reason

#: Session keys: the second factor owed ("verify" or "enrol"), and why the password must
#: be changed before anything else.
TWO_FACTOR_OWED = "lawgov_two_factor_owed"
PASSWORD_OWED = "lawgov_password_owed"
VERIFY, ENROL = "verify", "enrol"
#: Session key: when the session's end was last pushed on (seconds since the epoch).
REFRESHED_AT = "lawgov_refreshed_at"
#: The most time between two pushes of a session's end.
REFRESH_SECONDS = 60


def _refresh_every() -> int:
    return min(REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)


def refresh_due(session) -> bool:
    """Whether this request should push the session's end on (save it)."""
    refreshed = session.get(REFRESHED_AT)
    return refreshed is None or time.time() - refreshed >= _refresh_every()


def refresh(session) -> None:
    """Push the session's end on: it is saved with this request."""
    session[REFRESHED_AT] = int(time.time())


def idle_seconds_left(session) -> int:
    """Seconds until the session ends if no request comes (after this one)."""
    if refresh_due(session):
        return settings.SESSION_COOKIE_AGE  # this request pushes it on
    return max(settings.SESSION_COOKIE_AGE - int(time.time() - session[REFRESHED_AT]), 0)


def owes_login_step(request) -> bool:
    """Whether the login still owes a step (the second factor, a new password)."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    if session.get(TWO_FACTOR_OWED) and not request.user.is_verified():
        return True
    return bool(session.get(PASSWORD_OWED))


@receiver(user_logged_in)
def started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    if twofactor.has_two_factor(user):
        session[TWO_FACTOR_OWED] = VERIFY
    elif twofactor.requires_two_factor(user):
        session[TWO_FACTOR_OWED] = ENROL
    reason = getattr(user, "password_change_reason", None)
    if reason is None:
        reason = change_reason(user)
    if reason:
        session[PASSWORD_OWED] = reason
    if session.session_key is None:
        session.save()
    LoginSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "address": client_address(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "started_at": timezone.now(),
        },
    )


@receiver(user_logged_out)
def ended(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).delete()


def follow_new_key(request, old_key: str | None) -> None:
    """The session got a new key (after the second factor, a password change): the account's
    list of sessions follows it."""
    new_key = request.session.session_key
    if old_key and new_key and new_key != old_key:
        LoginSession.objects.filter(session_key=old_key).update(session_key=new_key)


@dataclass(frozen=True)
class OpenSession:
    id: int  # never the session key itself: that stays in its cookie
    address: str | None
    user_agent: str
    started_at: datetime.datetime
    last_active_at: datetime.datetime
    is_current: bool


def open_sessions(user, current_key: str | None) -> list[OpenSession]:
    """The account's sessions that have not ended (forgetting those that have)."""
    rows = list(LoginSession.objects.filter(user=user))
    expiry = dict(
        Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", "expire_date")
    )
    LoginSession.objects.filter(user=user).exclude(session_key__in=expiry).delete()
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = [
        OpenSession(
            id=row.pk,
            address=row.address,
            user_agent=row.user_agent,
            started_at=row.started_at,
            # A request pushes the expiry on by the idle time (at most once a minute): the
            # last push was then.
            last_active_at=expiry[row.session_key] - idle,
            is_current=row.session_key == current_key,
        )
        for row in rows
        if row.session_key in expiry
    ]
    return sorted(sessions, key=lambda s: (not s.is_current, -s.last_active_at.timestamp()))


def end_sessions(user, ids: list[int]) -> int:
    """End the account's sessions ``ids`` (on every browser that holds them)."""
    keys = list(
        LoginSession.objects.filter(user=user, pk__in=ids).values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(session_key__in=keys).delete()
    if keys:
        record(Event.SESSION_END, user=user, subject=user.get_username(), rows=len(keys))
    return len(keys)


def end_all_sessions(user) -> int:
    """End every session of ``user`` (their two-factor login was reset, or their account)."""
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(user=user).delete()
    return len(keys)
