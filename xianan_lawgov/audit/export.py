"""The audit log as CSV, streamed (the auditor's export, and the archive before a purge)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.api.exports import RowTally
from registers.core.exchange.reading import escape_formula
from registers.core.files import content_disposition

from .models import SecurityEvent

ROWS_PER_CHUNK = 1000


def audit_rows(queryset) -> Iterator[list]:
    yield [
        _("时间"),
        _("用户名"),
        _("地址"),
        _("事件"),
        _("结果"),
        _("对象"),
        _("详情"),
        _("行数"),
    ]
    for entry in queryset.order_by("occurred_at", "pk").iterator(ROWS_PER_CHUNK):
        yield [
            timezone.localtime(entry.occurred_at).isoformat(),
            escape_formula(entry.username),
            entry.address or "",
            entry.get_event_display(),
            entry.get_outcome_display(),
            escape_formula(entry.subject),
            escape_formula(entry.detail),
            "" if entry.rows is None else entry.rows,
        ]


def csv_lines(rows: Iterable[list], tally: RowTally | None = None) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for index, row in enumerate(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        if tally is not None and index:
            tally.rows += 1
        yield buffer.getvalue()


def audit_csv(queryset: Iterable[SecurityEvent]) -> StreamingHttpResponse:
    tally = RowTally()
    response = StreamingHttpResponse(
        csv_lines(audit_rows(queryset), tally), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition(f"security-events-{stamp}.csv")
    response.row_tally = tally
    return response
