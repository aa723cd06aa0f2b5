"""What the admins of reviews share beyond the platform's bases."""

from django.contrib import admin

from registers.admin.base import ImportExportWorkflowAdmin


class UnitCaseAdmin(ImportExportWorkflowAdmin):
    """A case or measure one unit handles (reconsideration, litigation, accountability,
    criminal transfer, rectification): the unit is found by search and listed with each row,
    and the list's filters end with the review status and the units that have such records."""

    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    def get_list_filter(self, request):
        return [
            *super().get_list_filter(request),
            "status",
            ("unit", admin.RelatedOnlyFieldListFilter),
        ]
