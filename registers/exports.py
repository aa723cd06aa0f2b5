"""A queryset as CSV or NDJSON text, streamed a chunk of rows at a time.

Memory stays bounded whatever the number of rows: rows come from the database in chunks
(a server-side cursor on PostgreSQL) and each chunk of rows becomes one piece of text.
What a value needs before it is written — text guarded against formula injection (CSV),
dates in ISO 8601, times in ISO 8601 in the local time zone, decimals as strings (NDJSON) —
is decided once per column from the model field, not worked out again for every value;
integers, booleans and plain dates go through as they are.

On PostgreSQL, dates are read as the text the server sends (``_rows_with_dates_as_text``)
instead of being parsed into ``date`` objects only to be printed again: with the ISO date
style that text is exactly what ``isoformat()`` gives.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import methodcaller

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.utils import timezone

from registers.spreadsheets import FORMULA_PREFIXES, escape_formula

#: Rows fetched from the database at a time, and rows per piece of text yielded.
FETCH_ROWS = 2000
ROWS_PER_CHUNK = 1000

Formatter = Callable[[object], object]

_isoformat = methodcaller("isoformat")
_localtime = timezone.localtime
_json_encode = json.JSONEncoder(ensure_ascii=False).encode

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
    return _localtime(value).isoformat() if timezone.is_aware(value) else value


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


def formatters_for(model, fields: list[str], choose, dates_as_text: bool = False) -> list:
    return [choose(field_at(model, path), dates_as_text) for path in fields]


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _formatted(rows: list[tuple], formatters: list[Formatter | None]) -> list:
    # Guarding text is the common case and rarely changes anything: checked inline.
    guarded = [index for index, formatter in enumerate(formatters) if formatter is escape_formula]
    others = [
        (index, formatter)
        for index, formatter in enumerate(formatters)
        if formatter and formatter is not escape_formula
    ]
    if not guarded and not others:
        return rows
    result = []
    for row in rows:
        for index in guarded:
            value = row[index]
            if value and value[0] in _FORMULA_STARTS:
                row = list(row)
                row[index] = "'" + value
        if others:
            row = list(row)
            for index, formatter in others:
                value = row[index]
                if value is not None:
                    row[index] = formatter(value)
        result.append(row)
    return result


def csv_text(header: list[str], rows: Iterable[tuple], formatters) -> Iterator[str]:
    """A byte-order mark and the header, then the rows, ``ROWS_PER_CHUNK`` per piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for chunk in _chunks(rows, ROWS_PER_CHUNK):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_formatted(chunk, formatters))
        yield buffer.getvalue()


def ndjson_text(fields: list[str], rows: Iterable[tuple], formatters) -> Iterator[str]:
    """One JSON object per line, keyed by field path, ``ROWS_PER_CHUNK`` lines per piece."""
    for chunk in _chunks(rows, ROWS_PER_CHUNK):
        yield "".join(
            _json_encode(dict(zip(fields, row, strict=True))) + "\n"
            for row in _formatted(chunk, formatters)
        )


def queryset_text(queryset, fields: list[str], header: list[str], fmt: str) -> Iterator[str]:
    """``queryset``'s ``fields`` as CSV (``fmt="csv"``) or NDJSON text, streamed."""
    values = queryset.values_list(*fields)
    connection = connections[values.db]
    as_text = connection.vendor == "postgresql" and _server_writes_iso_dates(connection)
    rows = _rows_with_dates_as_text(values) if as_text else values.iterator(FETCH_ROWS)
    if fmt == "csv":
        return csv_text(header, rows, formatters_for(queryset.model, fields, csv_formatter))
    formatters = formatters_for(queryset.model, fields, ndjson_formatter, as_text)
    return ndjson_text(fields, rows, formatters)


def _server_writes_iso_dates(connection) -> bool:
    connection.ensure_connection()
    return (connection.connection.get_parameter_status("DateStyle") or "").startswith("ISO")


def _rows_with_dates_as_text(values) -> Iterator[tuple]:
    """A ``values_list`` queryset's rows from a server-side cursor, dates as ISO text."""
    import psycopg2.extensions as pg

    connection = connections[values.db]
    sql, params = values.query.get_compiler(values.db).as_sql()
    with connection.chunked_cursor() as cursor:
        # The driver's own text caster (C): no Python call per value.
        dates_as_text = pg.new_type(pg.PYDATE.values, "DATE_AS_TEXT", pg.UNICODE)
        pg.register_type(dates_as_text, cursor.cursor)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield from rows
