from django.conf import settings


def session_timeout(request) -> dict:
    """For the page's idle warning (static/js/session-timeout.js)."""
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.LAWGOV_SECURITY["SESSION_WARNING_SECONDS"],
    }
