from django.conf import settings

from .sessions import idle_seconds_left


def session_timeout(request) -> dict:
    """For the page's idle warning (static/js/session-timeout.js): the seconds left before
    the session ends without another request."""
    session = getattr(request, "session", None)
    return {
        "session_idle_seconds": idle_seconds_left(session)
        if session is not None and not session.is_empty()
        else settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.LAWGOV_SECURITY["SESSION_WARNING_SECONDS"],
    }
