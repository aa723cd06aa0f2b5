"""Errors people can read: the server's error pages, and the answer while the database is
down.

- ``DatabaseOutageMiddleware``: a request that fails because the database cannot be
  reached (``OperationalError``, ``InterfaceError``), in a view or in another middleware,
  is answered 503 with "数据库暂时不可用，请稍后重试" (a page, or JSON with a code under
  /api/), never a traceback. Nothing is kept between requests: the next request opens a
  new connection (Django closes one that failed), so the site recovers by itself once the
  database is back. With DEBUG on it also shows the site's own 404 page instead of
  Django's technical one.
- ``server_error``, ``page_not_found``, ``permission_denied``: the project's handlers (see
  ``urls.py``); pages are the site's templates, API paths get JSON in the API's shape.

The 500 and 503 pages render with no context at all: they show when the database, the
session or the user may be what failed.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions

from registers.core.api.errors import DatabaseUnavailable, ServerError, error_response

logger = logging.getLogger(__name__)

#: What an unreachable (or lost) database raises.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
#: Set on a request whose failure was the database's (see ``_note_outage``).
OUTAGE_MARK = "_database_unavailable"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


#: What an error page says when even its template cannot be rendered.
_NOT_ALLOWED = gettext_lazy("这个地址只接受页面上的按钮提交，不能直接打开。")
_BAD_REQUEST = gettext_lazy("请求内容不完整或超出限制，没有保存任何内容。")


def standalone_page(template: str, message: str) -> str:
    """The error page ``template``, rendered with no context; should even that fail (a
    server deployed without its static files' manifest), the bare message, so that the
    error is still answered in words, not a traceback."""
    try:
        return loader.render_to_string(template)
    except Exception:
        logger.exception("The error page %s cannot be rendered", template)
        return f'<!DOCTYPE html><html lang="zh-hans"><meta charset="utf-8"><h1>{message}</h1>'


def outage_response(request: HttpRequest) -> HttpResponse:
    """503: the database cannot be reached. Needs neither the database nor the user."""
    if is_api(request):
        response = error_response(DatabaseUnavailable())
    else:
        page = standalone_page("503.html", DatabaseUnavailable.default_detail)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception)
def _note_outage(sender, request=None, **kwargs) -> None:
    """Django turns an exception raised in a middleware into a 500 before any outer
    middleware sees it; note here that it was the database's, for the middleware below."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OUTAGE_ERRORS):
        setattr(request, OUTAGE_MARK, True)


def _unresolved(request: HttpRequest) -> bool:
    try:
        resolve(request.path_info)
    except Resolver404:
        return True
    return False


class DatabaseOutageMiddleware:
    """Near the outside of the stack, so that the failures of every middleware inside it
    (sessions, the user, the audit log) are seen too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, OUTAGE_MARK, False):
            return outage_response(request)
        if response.status_code == 405 and not response.content and not is_api(request):
            # Django's refusal of a GET on a form's address is an empty page.
            response.content = standalone_page("405.html", _NOT_ALLOWED)
            response["Content-Type"] = "text/html; charset=utf-8"
            if response.has_header("Content-Length"):  # set on the way out, for no body
                response["Content-Length"] = str(len(response.content))
        if settings.DEBUG and response.status_code == 404 and _unresolved(request):
            # DEBUG shows Django's technical page for an address no route knows; a mistyped
            # address in the demo shows the site's own page instead.
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, OUTAGE_ERRORS):
            logger.error("Database unavailable at %s: %s", request.path, exception)
            return outage_response(request)
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


# --- The server's error handlers (urls.py: handler400, handler403, handler404, handler500) ---


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for what Django refuses before any view (a multipart part's header over its
    limit, more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``). Renders with no context."""
    if is_api(request):
        response: HttpResponse = error_response(exceptions.ParseError(_BAD_REQUEST))
    else:
        response = HttpResponse(standalone_page("400.html", _BAD_REQUEST), status=400)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return error_response(exceptions.NotFound())
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return error_response(exceptions.PermissionDenied(str(exception) or None))
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the error was the database's. Renders with no context."""
    if isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        return outage_response(request)
    if is_api(request):
        response: HttpResponse = error_response(ServerError())
    else:
        response = HttpResponse(standalone_page("500.html", ServerError.default_detail), status=500)
    response["Cache-Control"] = "no-store"
    return response
