"""Full-text search of the API lists (``?search=``), within what the caller may see."""

from rest_framework import filters

from registers.core import permissions as rules
from registers.core.personal import personal_fields_of


class SearchFilter(filters.SearchFilter):
    """DRF's search, without a private person's data for a caller who sees it masked:
    searching for a name would otherwise tell which records hold it."""

    def get_search_fields(self, view, request):
        fields = super().get_search_fields(view, request)
        if not fields or rules.may_see_personal_data(request.user, request.auth):
            return fields
        personal = personal_fields_of(view.queryset.model)
        return [field for field in fields if field.lstrip("^=@$") not in personal]
