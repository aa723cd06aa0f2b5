"""API pagination: page numbers for people, cursors for machines that sync.

Both carry ``deleted`` (tombstones) on the first page of an ``updated_since`` request.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import pagination

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

    def get_ordering(self, request, queryset, view):
        return sync_ordering(queryset.model)

    def get_paginated_response_schema(self, schema):
        return _with_deleted(super().get_paginated_response_schema(schema))
