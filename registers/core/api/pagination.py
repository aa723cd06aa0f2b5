"""API pagination: page numbers for people, cursors for machines that sync.

A page or cursor that does not exist answers 400 (``invalid_page``, ``invalid_cursor``).
Both carry ``deleted`` (tombstones) on the first page of an ``updated_since`` request.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

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


class SyncCursorPagination(pagination.CursorPagination):
    """Stable pages for machines: ordered by last change, then id, whatever ``ordering``
    asks, so a record changed while a client pages through moves to the end, not lost."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = ("updated_at", "id")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise InvalidQuery(
                _("游标 cursor 无效，请使用上一页答复中的 next 链接。"),
                code="invalid_cursor",
                parameter=self.cursor_query_param,
            ) from None

    def get_ordering(self, request, queryset, view):
        return sync_ordering(queryset.model)

    def get_paginated_response_schema(self, schema):
        return _with_deleted(super().get_paginated_response_schema(schema))
