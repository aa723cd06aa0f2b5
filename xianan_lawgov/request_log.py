"""One log line per request, and JSON log lines for a log collector.

``RequestLogMiddleware`` writes method, path, status, duration and user id of each request
to the ``xianan_lawgov.requests`` logger, under the request id the proxy gave it (nginx's
``X-Request-ID``, see deploy/nginx), so the proxy's line and the application's line of one
request can be matched. ``JsonFormatter`` turns every log record into one JSON object per
line; the settings use it when ``LOG_FORMAT=json``.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("xianan_lawgov.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hexadecimal characters; anything odd is replaced, not logged.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_of(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def user_id_of(request: HttpRequest) -> int | None:
    """The id of the user the request was made as, if the request already found out.

    Finding out costs a database query, which a health check or a static file must not make;
    they never looked at their user, and their line shows none.
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class RequestLogMiddleware:
    """Outermost middleware: the duration covers every other middleware too. For a streamed
    response (the exports) it is the time to the first byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_of(request)
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        user_id = user_id_of(request)
        logger.info(
            "%s %s %s %.1fms user=%s id=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user_id if user_id is not None else "-",
            request_id,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
                "request_id": request_id,
            },
        )
        return response


# What every LogRecord has; anything else on a record came in through ``extra``.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
