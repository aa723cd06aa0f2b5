"""Steps a login still owes before the account may use anything: the second factor (verify
a code, or set up an authenticator where the role requires one), then a new password.

What is owed was written into the session at login (``sessions.started``), so a request
costs no query here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .sessions import ENROL, PASSWORD_OWED, TWO_FACTOR_OWED, refresh, refresh_due

#: Pages open while a step is owed (besides static files): the steps and logging out.
TWO_FACTOR_PAGES = {"accounts:verify", "accounts:enrol", "workspace:logout", "admin:logout"}
PASSWORD_PAGES = {"accounts:password", "accounts:recovery_codes", *TWO_FACTOR_PAGES}


def _page(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        owed = session.get(TWO_FACTOR_OWED)
        if owed and request.user.is_authenticated and not request.user.is_verified():
            if _page(request) not in TWO_FACTOR_PAGES:
                target = "accounts:enrol" if owed == ENROL else "accounts:verify"
                return self._refuse(
                    request, target, _("请先完成双因素认证。"), "two_factor_required"
                )
        elif session.get(PASSWORD_OWED) and request.user.is_authenticated:
            if _page(request) not in PASSWORD_PAGES:
                return self._refuse(
                    request, "accounts:password", _("请先修改密码。"), "password_change_required"
                )
        return self.get_response(request)

    def _refuse(self, request, target: str, message: str, code: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": code}, status=403)
        return redirect(target)


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, which saves a session when it changed; a request also
    pushes a session's end on when its last push is a minute old (``sessions.refresh_due``)
    instead of every time (``SESSION_SAVE_EVERY_REQUEST``): one write a minute, not one a
    page. A request without a session (its cookie unknown or expired) starts none."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and refresh_due(session):
            refresh(session)
        return super().process_response(request, response)
