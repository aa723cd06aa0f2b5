"""API pagination: page numbers for people, cursors for machines that sync."""

from rest_framework import pagination


class PagePagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class SyncCursorPagination(pagination.CursorPagination):
    """Stable pages for machines: ordered by last change, then id."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = ("updated_at", "id")
