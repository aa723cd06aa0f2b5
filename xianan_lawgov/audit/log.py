"""Writing the security audit log: ``record(Event.…)`` from anywhere that handles a request.

The request being handled is remembered for the signal receivers (``AuditMiddleware``), so
an entry says who acted and from which address without every caller passing them.
"""

from __future__ import annotations

from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from .models import Event, Outcome, SecurityEvent

_request: ContextVar[HttpRequest | None] = ContextVar("audited_request", default=None)


def current_request() -> HttpRequest | None:
    return _request.get()


def remember_request(request: HttpRequest | None):
    """Make ``request`` the current one; returns the token that ``forget_request`` takes."""
    return _request.set(request)


def forget_request(token) -> None:
    _request.reset(token)


def acting_user(request: HttpRequest | None = None):
    """The account behind the current request (a session or an API token), if any."""
    request = request or current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, as the login lockout sees it (one rule: axes' settings)."""
    return get_client_ip_address(request) if request is not None else None


def record(
    event: Event,
    *,
    outcome: Outcome = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    user=None,
    username: str | None = None,
    subject: str = "",
    detail: str = "",
    rows: int | None = None,
    address: str | None = None,
) -> SecurityEvent:
    """Write one entry. ``user`` defaults to whoever the current request is made by;
    ``username`` to that user's (a failed login passes the name that was tried);
    ``address`` to the request's client address."""
    request = request or current_request()
    if user is None:
        user = acting_user(request)
    if username is None:
        username = user.get_username() if user is not None else ""
    return SecurityEvent.objects.create(
        event=event,
        outcome=outcome,
        user=user,
        username=username[:150],
        address=address or client_address(request),
        subject=str(subject)[:200],
        detail=detail,
        rows=rows,
    )
