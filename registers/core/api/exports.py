"""A queryset as CSV or NDJSON text, streamed a chunk of rows at a time.

Memory stays bounded whatever the number of rows: rows come from the database in chunks
(a server-side cursor on PostgreSQL) and each chunk of rows becomes one piece of text.
What a value needs before it is written — text guarded against formula injection (CSV),
dates in ISO 8601, times in ISO 8601 in the local time zone, decimals as strings (NDJSON) —
is decided once per column from the model field, not worked out again for every value;
integers, booleans and plain dates go through as they are.

On PostgreSQL, dates and times are read as the text the server sends (``_chunks_as_text``)
instead of being parsed into Python objects only to be printed again: with the ISO date
style a date's text is exactly what ``isoformat()`` gives, and a time's needs only a "T"
and the offset's minutes (``_ServerTimeText``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import methodcaller

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from registers.core import permissions as rules
from registers.core.api.schema import SYNC_PARAMETERS
from registers.core.exchange.reading import FORMULA_PREFIXES, escape_formula
from registers.core.files import content_disposition
from registers.core.labels import choice_labeller, labeller_for
from registers.core.models import WorkflowRecord
from registers.core.personal import mask_for
from registers.core.text import UNWRITABLE

#: Rows fetched from the database at a time, and rows per piece of text yielded.
FETCH_ROWS = 2000
ROWS_PER_CHUNK = 1000

Formatter = Callable[[object], object]

_isoformat = methodcaller("isoformat")

# Values the csv module and the JSON encoder already write as they should.
_AS_THEY_ARE = (
    models.IntegerField,
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.BooleanField,
    models.FloatField,
    models.ForeignKey,
)


#: The first columns of a workflow register's export: the record, its unit and its state.
WORKFLOW_EXPORT = ("id", "unit_id", "unit__code", "unit__name", "status", "updated_at")


def exported_fields(model: type[models.Model], **related: tuple[str, ...]) -> tuple[str, ...]:
    """The export's columns of a register's own fields: ``register_fields`` but
    ``export_omits``, a foreign key as its id, followed by the fields of the related record
    named for it (``exported_fields(Filing, document=("number",))``)."""
    columns = []
    for name in model.register_fields:
        if name in model.export_omits:
            continue
        if model._meta.get_field(name).many_to_one:
            columns += [f"{name}_id", *(f"{name}__{field}" for field in related.get(name, ()))]
        else:
            columns.append(name)
    return tuple(columns)


def json_value(value):
    """A value as the exports write it: ISO dates, local ISO times, decimals as text."""
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal: as written, never as a float
        return str(value)
    return value


def _datetime_text(value: datetime.datetime):
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value


class _InZone:
    """``_datetime_text`` with the time zone looked up once for a whole export (looking it
    up for each value costs more than writing the value)."""

    def __init__(self, zone: datetime.tzinfo) -> None:
        self.to_zone = methodcaller("astimezone", zone)

    def __call__(self, value: datetime.datetime):
        return self.to_zone(value).isoformat() if value.utcoffset() is not None else value

    def column(self, values: tuple) -> list:
        if None in values or values[0].utcoffset() is None:
            return [None if value is None else self(value) for value in values]
        # Every value aware (one column of one table): converted without a Python call each.
        return list(map(_isoformat, map(self.to_zone, values)))


class _ServerTimeText:
    """Times as PostgreSQL writes them in the local time zone (``2017-06-05 10:00:00.1234+08``,
    ISO date style) turned into exactly what ``isoformat()`` gives
    (``2017-06-05T10:00:00.123400+08:00``), a whole column in a few string operations."""

    _OFFSET_HOURS_ONLY = re.compile(r"([+-]\d\d)(?=\n|$)")
    _SHORT_FRACTION = re.compile(r"\.(\d{1,5})(?=[+-])")

    @classmethod
    def _pad_fraction(cls, match: re.Match) -> str:
        return "." + match.group(1).ljust(6, "0")

    def _convert(self, text: str) -> str:
        text = self._OFFSET_HOURS_ONLY.sub(r"\1:00", text.replace(" ", "T"))
        return self._SHORT_FRACTION.sub(self._pad_fraction, text)

    def __call__(self, value):
        return self._convert(value) if isinstance(value, str) else _datetime_text(value)

    def column(self, values: tuple) -> list:
        try:
            joined = "\n".join(values)
        except TypeError:  # a None (or a time the server did not send as text)
            return [None if value is None else self(value) for value in values]
        return self._convert(joined).split("\n")


#: First characters that make a spreadsheet read text as a formula (as ``escape_formula``).
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)


def _csv_cell(value):
    return escape_formula(json_value(value))


def field_at(model: type[models.Model], path: str) -> models.Field | None:
    """The model field a ``values_list`` path such as ``unit__name`` ends on, if any."""
    field = None
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            return None  # not a field (an annotation): formatted value by value
        model = field.related_model if field.is_relation else None
    return field


def csv_formatter(field, dates_as_text: bool = False) -> Formatter | None:
    if isinstance(field, models.CharField | models.TextField):
        if field.choices and not any(
            str(value).startswith(FORMULA_PREFIXES) for value, _label in field.flatchoices
        ):
            return None  # stored values are the choices' own, none of them formula-like
        return escape_formula
    if isinstance(field, models.DateTimeField):
        return _datetime_text
    if isinstance(field, (models.DateField, *_AS_THEY_ARE)):
        return None  # the csv module writes str(value): the same text
    return _csv_cell  # decimals too: their text is guarded like any other


def ndjson_formatter(field, dates_as_text: bool = False) -> Formatter | None:
    if isinstance(field, models.DateTimeField):
        return _datetime_text
    if isinstance(field, models.DateField):
        return None if dates_as_text else _isoformat
    if isinstance(field, models.DecimalField):
        return str
    if isinstance(field, (models.CharField, models.TextField, *_AS_THEY_ARE)):
        return None
    return json_value


def formatters_for(
    model,
    fields: list[str],
    choose,
    dates_as_text: bool = False,
    mask_personal: bool = False,
    labels: bool = False,
    choices: dict | None = None,
) -> list:
    """Each column's formatter; ``dates_as_text``: dates and times arrive as the server's
    text (``_chunks_as_text``); ``mask_personal``: a private person's data is masked;
    ``labels``: codes are written as their labels (``registers.core.labels``), ``choices``
    naming the choices of columns that are not model fields (annotations)."""
    chosen = [choose(field_at(model, path), dates_as_text) for path in fields]
    if labels:
        for index, path in enumerate(fields):
            if choices and path in choices:
                labeller = choice_labeller(choices[path])
            else:
                labeller = labeller_for(field_at(model, path))
            if labeller is not None:
                # Labels are the project's own text: nothing formula-like to guard.
                chosen[index] = labeller
    if _datetime_text in chosen:
        times = _ServerTimeText() if dates_as_text else _InZone(timezone.get_current_timezone())
        chosen = [times if formatter is _datetime_text else formatter for formatter in chosen]
    if mask_personal:
        for index, path in enumerate(fields):
            mask = mask_for(field_at(model, path))
            if mask is not None:
                chosen[index] = _then(mask, chosen[index])
    return chosen


def _then(mask: Formatter, formatter: Formatter | None) -> Formatter:
    """``mask``, then the column's own formatter (a masked text is still guarded)."""
    if formatter is None:
        return mask
    return lambda value: formatter(mask(value))


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _formatted(rows: list[tuple], formatters: list[Formatter | None]) -> list:
    """The chunk's rows with each column's formatter applied, column by column."""
    if not any(formatters):
        return rows
    columns = list(zip(*rows, strict=True))
    for index, formatter in enumerate(formatters):
        if formatter is None:
            continue
        column = columns[index]
        if formatter is escape_formula:
            # Guarding text is the common case and rarely changes anything.
            if _may_need_escaping(column):
                columns[index] = [escape_formula(value) for value in column]
        elif isinstance(formatter, _InZone | _ServerTimeText):
            columns[index] = formatter.column(column)
        else:
            columns[index] = [None if value is None else formatter(value) for value in column]
    return list(zip(*columns, strict=True))


def _may_need_escaping(column: tuple) -> bool:
    """False when no text of ``column`` starts like a formula or holds a character a file
    cannot (one scan of the joined text; True may be a false alarm, a line inside a text,
    which the caller's check clears)."""
    try:
        joined = "\n" + "\n".join(column)
    except TypeError:  # a None, or a value that is not text
        return True
    return any("\n" + start in joined for start in _FORMULA_STARTS) or bool(
        UNWRITABLE.search(joined)
    )


def csv_text(header: list[str], chunks: Iterable[list], formatters) -> Iterator[str]:
    """A byte-order mark and the header, then one piece of text per chunk of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_formatted(chunk, formatters))
        yield buffer.getvalue()


def ndjson_text(fields: list[str], chunks: Iterable[list], formatters) -> Iterator[bytes]:
    """One JSON object per line, keyed by field path, one piece of UTF-8 per chunk of rows.

    orjson writes each line (in C; the standard library's encoder costs more than reading
    the row from the database).
    """
    for chunk in chunks:
        yield b"".join(
            orjson.dumps(dict(zip(fields, row, strict=True)), option=orjson.OPT_APPEND_NEWLINE)
            for row in _formatted(chunk, formatters)
        )


class RowTally:
    """How many rows an export has written so far (read once it has finished streaming)."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self, chunks: Iterable[list]) -> Iterator[list]:
        for chunk in chunks:
            self.rows += len(chunk)
            yield chunk


def queryset_text(
    queryset,
    fields: list[str],
    header: list[str],
    fmt: str,
    *,
    mask_personal: bool = False,
    tally: RowTally | None = None,
    labels: bool = False,
    choices: dict | None = None,
) -> Iterator[str]:
    """``queryset``'s ``fields`` as CSV (``fmt="csv"``) or NDJSON text, streamed; with
    ``labels``, choices and yes/no as people read them."""
    values = queryset.values_list(*fields)
    connection = connections[values.db]
    as_text = connection.vendor == "postgresql" and _server_writes_iso_dates(connection)
    if as_text:
        chunks = _chunks_as_text(values)
    else:
        chunks = _chunks(values.iterator(FETCH_ROWS), ROWS_PER_CHUNK)
    if tally is not None:
        chunks = tally.count(chunks)
    choose = csv_formatter if fmt == "csv" else ndjson_formatter
    formatters = formatters_for(
        queryset.model, fields, choose, as_text, mask_personal, labels=labels, choices=choices
    )
    if fmt == "csv":
        return csv_text(header, chunks, formatters)
    return ndjson_text(fields, chunks, formatters)


def _server_writes_iso_dates(connection) -> bool:
    connection.ensure_connection()
    return (connection.connection.get_parameter_status("DateStyle") or "").startswith("ISO")


def _chunks_as_text(values) -> Iterator[list]:
    """A ``values_list`` queryset's rows from a server-side cursor, ``ROWS_PER_CHUNK`` at a
    time, with dates and times as the text the server writes (in the local time zone)."""
    import psycopg2.extensions as pg

    connection = connections[values.db]
    sql, params = values.query.get_compiler(values.db).as_sql()
    # Inside a transaction the server-side cursor streams the rows as they are fetched;
    # outside one (autocommit) it would be WITH HOLD: the whole result stored on the
    # server first. Nothing is written, so how the transaction ends does not matter.
    with transaction.atomic(using=values.db), connection.chunked_cursor() as cursor:
        with connection.cursor() as settings:  # for this transaction only
            settings.execute("SET LOCAL TIME ZONE %s", [timezone.get_current_timezone_name()])
        # The driver's own text caster (C): no Python call per value.
        as_text = pg.new_type(pg.PYDATE.values + pg.PYDATETIMETZ.values, "AS_TEXT", pg.UNICODE)
        pg.register_type(as_text, cursor.cursor)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(ROWS_PER_CHUNK):
            yield rows


# --- Export actions ---------------------------------------------------------------------


def streaming_export(
    queryset,
    fields: list[str],
    header: list[str],
    fmt: str,
    name: str,
    mask_personal=False,
    labels: bool = False,
    choices: dict | None = None,
):
    """The export as a download; ``response.row_tally`` counts its rows as they stream
    (the security audit log records how many a download carried)."""
    content_type = "text/csv" if fmt == "csv" else "application/x-ndjson"
    tally = RowTally()
    text = queryset_text(
        queryset,
        fields,
        header,
        fmt,
        mask_personal=mask_personal,
        tally=tally,
        labels=labels,
        choices=choices,
    )
    response = StreamingHttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    response.row_tally = tally
    return response


def export_label(model, path: str) -> str:
    """A column's Chinese header: the field's verbose name, following relations."""
    names = path.split("__")
    labels = []
    for name in names:
        field = model._meta.get_field(name)
        if field.is_relation and name != names[-1]:
            labels.append(str(field.verbose_name))
            model = field.related_model
        elif name == "id":
            labels.append(_("编号") if not labels else "")
        else:
            labels.append(str(getattr(field, "verbose_name", name)))
    return "".join(labels) if len(labels) < 3 else labels[0] + labels[-1]


def wants_labels(request) -> bool:
    """``?labels=1`` (or true/yes): the API's export written with labels instead of codes."""
    return request.query_params.get("labels", "").lower() in {"1", "true", "yes"}


def default_export_fields(
    model: type[models.Model], parent_field: str | None = None, **related: tuple[str, ...]
) -> tuple[str, ...]:
    """A resource's export columns unless it names its own: a workflow record's
    ``WORKFLOW_EXPORT``, any other row's id (and its parent's, ``parent_field``), then the
    register's own fields with the ``related`` fields named for its foreign keys."""
    if issubclass(model, WorkflowRecord):
        lead = WORKFLOW_EXPORT
    else:
        lead = ("id", f"{parent_field}_id") if parent_field else ("id",)
    return (*lead, *exported_fields(model, **related))


class ExportMixin:
    """``GET …/export.csv`` and ``…/export.ndjson``: the whole filtered resource, streamed.

    ``export_fields`` are the columns, by default ``default_export_fields`` of the viewset's
    model, with ``export_related`` (``{"document": ("number",)}``) added after those keys.
    """

    export_fields: tuple[str, ...] = ()
    export_related: dict[str, tuple[str, ...]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        queryset = getattr(cls, "queryset", None)
        if "export_fields" not in vars(cls) and queryset is not None:
            cls.export_fields = default_export_fields(
                queryset.model, getattr(cls, "parent_field", None), **cls.export_related
            )

    def export_header(self) -> list[str]:
        return [export_label(self.model, path) for path in self.export_fields]

    @extend_schema(
        summary=gettext_lazy("整体导出（CSV 或 NDJSON，流式输出，支持与列表相同的筛选）"),
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=["csv", "ndjson"],
                description=gettext_lazy("导出格式"),
            ),
            SYNC_PARAMETERS[0],
            OpenApiParameter(
                "labels",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description=gettext_lazy(
                    "为 1 时，选项和是否字段写中文名称（如“已审核”“是”）；"
                    "默认写代码（如 approved、true）"
                ),
            ),
        ],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"export\.(?P<fmt>csv|ndjson)",
        pagination_class=None,
    )
    def export(self, request, fmt=None):
        queryset = self.filter_queryset(self.get_queryset()).order_by("pk")
        queryset = queryset.prefetch_related(None).select_related(None)
        return streaming_export(
            queryset,
            list(self.export_fields),
            self.export_header(),
            fmt,
            self.basename,
            mask_personal=not rules.may_see_personal_data(request.user, request.auth),
            labels=wants_labels(request),
        )
