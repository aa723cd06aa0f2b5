"""Remembers the request for the audit log, and records every download it answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from registers.core.files import download_name

from .log import acting_user, client_address, forget_request, record, remember_request
from .models import Event


def _download_name(response) -> str | None:
    """The file name of a download (``Content-Disposition: attachment``), else None."""
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or not disposition.startswith("attachment"):
        return None
    return download_name(disposition) or ""


class AuditMiddleware:
    """Every bulk export and download (API exports, admin exports, report files, the audit
    log itself) is written to the audit log: who, what (the address asked for, with its
    filters), and how many rows once a streamed export has finished."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = remember_request(request)
        try:
            response = self.get_response(request)
        finally:
            forget_request(token)
        name = _download_name(response)
        # Only a download looks up who asked: other requests never load their user for this.
        user = acting_user(request) if name is not None else None
        if user is not None:
            entry = {
                "user": user,
                "subject": name,
                "detail": _("下载 %(path)s") % {"path": request.get_full_path()},
            }
            if response.streaming:
                # Recorded once streamed, after the request has been handled: the address
                # is taken now.
                entry["address"] = client_address(request)
                response.streaming_content = _recorded_when_done(
                    response.streaming_content, entry, getattr(response, "row_tally", None)
                )
            else:
                record(Event.EXPORT, request=request, **entry)
        return response


def _recorded_when_done(content, entry: dict, tally):
    """Stream ``content``, then record the download with the rows it carried (also when the
    client stops reading half-way: the rows it got are what left the system)."""
    try:
        yield from content
    finally:
        rows = tally.rows if tally is not None else None
        record(Event.EXPORT, rows=rows, **entry)
