"""API pagination: page numbers for people, cursors for machines that sync.

A page or cursor that does not exist answers 400 (``invalid_page``, ``invalid_cursor``).
Both carry ``deleted`` (tombstones) on the first page of an ``updated_since`` request.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from urllib import parse

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.utils.urls import replace_query_param

from registers.core.api.errors import InvalidQuery

DELETED_SCHEMA = {
    "type": "array",
    "description": "增量同步（updated_since）时第一页列出此后删除的记录。",
    "items": {
        "type": "object",
        "required": ["id", "deleted_at"],
        "properties": {
            "id": {"type": "integer", "description": "已删除记录的编号"},
            "deleted_at": {"type": "string", "format": "date-time", "description": "删除时间"},
        },
    },
}


def _with_deleted(schema: dict) -> dict:
    schema["properties"]["deleted"] = DELETED_SCHEMA
    return schema


class PagePagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise InvalidQuery(
                _("页码 %(page)s 无效：页码应为 1 至最后一页之间的整数。")
                % {"page": request.query_params.get(self.page_query_param, "")},
                code="invalid_page",
                parameter=self.page_query_param,
            ) from None

    def get_paginated_response_schema(self, schema):
        schema = _with_deleted(super().get_paginated_response_schema(schema))
        # The same list answers with cursor pages (no count) to machines; see SYNC docs.
        schema["required"] = ["results"]
        schema["properties"]["count"]["description"] = "记录总数（游标分页时不返回）"
        return schema


def sync_ordering(model) -> tuple[str, ...]:
    """Last change, then id; by id alone for rows that keep no ``updated_at``."""
    try:
        model._meta.get_field("updated_at")
    except FieldDoesNotExist:
        return ("id",)
    return ("updated_at", "id")


def after(ordering: tuple[str, ...], position: tuple, *, reverse: bool = False) -> Q:
    """Rows strictly after ``position`` (one value per ordering field) in ``ordering``, or
    strictly before it when ``reverse``: the keyset condition
    ``a > x OR (a = x AND b > y) OR …``, which ties on any field cannot confuse."""
    condition, equal = Q(), {}
    for field, value in zip(ordering, position, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") != reverse else "gt"
        condition |= Q(**equal, **{f"{name}__{lookup}": value})
        equal[name] = value
    return condition


class SyncCursorPagination(pagination.CursorPagination):
    """Stable pages for machines: ordered by last change, then id, whatever ``ordering``
    asks, so a record changed while a client pages through moves to the end, not lost.

    The cursor is a true keyset: it carries the last (or, going back, the first) row's
    ``updated_at`` and ``id``, and the next page starts strictly after that pair. Django
    REST framework's own cursor keeps only the first field and an offset among rows
    sharing it, capped at 1,000: an upload stamping thousands of rows with one time would
    send a client round the same page forever.
    """

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = ("updated_at", "id")

    def get_ordering(self, request, queryset, view):
        return sync_ordering(queryset.model)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request, queryset.model)
        reverse, position = self.cursor if self.cursor else (False, None)

        ordering = self.ordering
        if reverse:
            ordering = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(after(self.ordering, position, reverse=reverse))

        rows = list(queryset[: self.page_size + 1])
        self.page = rows[: self.page_size]
        more = len(rows) > self.page_size
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = position is not None, more
        else:
            self.has_next, self.has_previous = more, position is not None
        if (self.has_previous or self.has_next) and self.template is not None:
            self.display_page_controls = True
        return self.page

    def position_of(self, row) -> tuple:
        return tuple(getattr(row, field.lstrip("-")) for field in self.ordering)

    def get_next_link(self):
        if not self.has_next:
            return None
        # An empty page (everything after a backward cursor went) starts where it stood.
        position = self.position_of(self.page[-1]) if self.page else self.cursor[1]
        return self.encode_cursor((False, position))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        position = self.position_of(self.page[0]) if self.page else self.cursor[1]
        return self.encode_cursor((True, position))

    def encode_cursor(self, cursor) -> str:
        reverse, position = cursor
        values = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in position]
        tokens = {"k": json.dumps(values, separators=(",", ":"))}
        if reverse:
            tokens["r"] = "1"
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request, model=None):
        """The direction and the keyset position a cursor names; None without a cursor (or
        an empty one: the first page); 400 for a cursor this server did not make."""
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode())
            values = json.loads(tokens["k"][0])
            reverse = tokens.get("r", ["0"])[0] == "1"
            if not isinstance(values, list) or len(values) != len(self.ordering):
                raise ValueError(values)
            position = tuple(
                model._meta.get_field(field.lstrip("-")).to_python(value)
                for field, value in zip(self.ordering, values, strict=True)
            )
            if any(value is None for value in position):
                raise ValueError(values)
        except (TypeError, ValueError, KeyError, UnicodeError, ValidationError):
            raise InvalidQuery(
                _("游标 cursor 无效，请使用上一页答复中的 next 链接。"),
                code="invalid_cursor",
                parameter=self.cursor_query_param,
            ) from None
        return reverse, position

    def get_paginated_response_schema(self, schema):
        return _with_deleted(super().get_paginated_response_schema(schema))
