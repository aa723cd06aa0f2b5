"""Locking logins after repeated failures (django-axes, with the office's rule).

``LOGIN_FAILURE_LIMIT`` failed logins for a user name, or from an address (for more than one
name), within ``LOGIN_FAILURE_WINDOW_MINUTES`` lock that name or address for
``LOCKOUT_MINUTES``. axes
watches every login path (the site, the admin, the second factor) through Django's
authentication signals; this handler decides, and writes each lock as a ``Lockout`` that the
security administrator sees and may lift. Failed attempts are counted from axes' failure log,
so the window is exact: failures before the last lock, lift or successful login of that name
do not count again.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import threading

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.signals import user_locked_out
from django.db import connection, transaction
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event, Outcome
from xianan_lawgov.audit.receivers import REFUSED_WHILE_LOCKED

from .models import Lockout, security_setting

#: Logins one after another within this process, where the database cannot lock a name.
_ONE_AT_A_TIME = threading.Lock()


@contextlib.contextmanager
def one_attempt_at_a_time(username: str, address: str | None = None):
    """Let the attempts on one user name (a password, or a second-factor code), and those
    from one address, run one after another, each seeing the failures and the locks the
    ones before it wrote.

    Without this the lock is checked before the password and written after it, so twenty
    passwords sent at the same moment would all be tried before the fifth failure locks the
    name, and twenty names tried at once from one address before it locks the address. On
    PostgreSQL transaction-scoped advisory locks serialise every process and server, the
    address's always taken before the name's (so no two attempts can each hold what the
    other waits for); the embedded database serves one process, where a lock will do.
    People behind one office gateway share an address, so their logins wait on each other:
    a password check takes about a third of a second.
    """
    if connection.vendor != "postgresql":
        with _ONE_AT_A_TIME:
            yield
        return
    keys = [f"login-address:{address}"] if address else []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for key in [*keys, f"login:{username}"]:
                digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s)",
                    [int.from_bytes(digest, "big", signed=True)],
                )
        yield


def attempt_from(request, username: str):
    """``one_attempt_at_a_time`` for a login request: its user name, and its address as
    axes reads it (``AXES_CLIENT_IP_CALLABLE`` or the proxy settings)."""
    return one_attempt_at_a_time(username, get_client_ip_address(request))


def failure_limit(request=None, credentials=None) -> int:
    return security_setting("LOGIN_FAILURE_LIMIT")


def _minutes(name: str) -> datetime.timedelta:
    return datetime.timedelta(minutes=security_setting(name))


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The limit while a lock is in force (axes then refuses the attempt), else 0."""
        username = get_client_username(request, credentials)
        locks = Lockout.objects.active().matching(username, request.axes_ip_address)
        return get_failure_limit(request, credentials) if locks.exists() else 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        # The axes backend marks a request it refused because of a lock before this runs.
        refused = bool(getattr(request, "axes_locked_out", False))
        setattr(request, REFUSED_WHILE_LOCKED, refused)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if not refused:
            self._lock_if_over_limit(request, credentials)

    def _lock_if_over_limit(self, request, credentials) -> None:
        now = timezone.now()
        limit = get_failure_limit(request, credentials)
        username = get_client_username(request, credentials) or ""
        address = request.axes_ip_address
        locks = []
        if username:
            failures = _failures_since(now, username=username)
            if failures >= limit:
                locks.append(Lockout(username=username, failures=failures))
        if address:
            failures, names = _address_failures_since(now, address)
            # An address is locked for trying several names (one name's failures lock that
            # name): several people behind one office gateway share an address.
            if failures >= limit and names > 1:
                locks.append(Lockout(address=address, failures=failures))
        if not locks:
            return
        until = now + _minutes("LOCKOUT_MINUTES")
        for lock in locks:
            lock.locked_at, lock.until = now, until
            lock.save()
            record(
                Event.LOCKOUT,
                outcome=Outcome.FAILURE,
                request=request,
                user=None,
                username=username,
                subject=lock.username or lock.address,
                detail=_("%(window)d 分钟内登录失败 %(count)d 次，锁定至 %(until)s")
                % {
                    "window": security_setting("LOGIN_FAILURE_WINDOW_MINUTES"),
                    "count": lock.failures,
                    "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
                },
            )
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send("axes", request=request, username=username, ip_address=address)


def _counted_from(now: datetime.datetime, **key) -> datetime.datetime:
    """Failures still count from the window's start, or from the last lock or lift of the
    same name or address if later."""
    starts = [now - _minutes("LOGIN_FAILURE_WINDOW_MINUTES")]
    marks = Lockout.objects.filter(**key).aggregate(Max("locked_at"), Max("lifted_at"))
    return max([*starts, *(moment for moment in marks.values() if moment is not None)])


def _failures_since(now: datetime.datetime, *, username: str) -> int:
    """Failed logins of ``username`` that still count (a successful login also ends them)."""
    since = _counted_from(now, username=username)
    last_login = AccessLog.objects.filter(username=username).aggregate(at=Max("attempt_time"))
    if last_login["at"] is not None:
        since = max(since, last_login["at"])
    return AccessFailureLog.objects.filter(username=username, attempt_time__gt=since).count()


def _address_failures_since(now: datetime.datetime, address: str) -> tuple[int, int]:
    """Failed logins from ``address`` that still count, and how many names they tried."""
    failures = AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gt=_counted_from(now, address=address)
    )
    return failures.count(), failures.values("username").distinct().count()


def lift(lockout: Lockout, *, by) -> None:
    """The security administrator lifts a lock before it runs out."""
    lockout.lifted_at = timezone.now()
    lockout.lifted_by = by
    lockout.save(update_fields=["lifted_at", "lifted_by"])
    if lockout.username:
        AccessAttempt.objects.filter(username=lockout.username).delete()
    if lockout.address:
        AccessAttempt.objects.filter(ip_address=lockout.address).delete()
    record(Event.UNLOCK, user=by, subject=lockout.username or lockout.address)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login sees (every login path: axes calls this)."""
    return render(
        request,
        "accounts/locked.html",
        {"minutes": security_setting("LOCKOUT_MINUTES")},
        status=429,
    )
