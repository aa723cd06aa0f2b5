from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registers.models import IntegratedItem, LicenceReformBatch
from registers.resources import IntegratedItemResource, LicenceReformBatchResource

from .base import (
    ExportScopedAdmin,
    ImportExportWorkflowAdmin,
    ReadOnlyScopedInline,
    workflow_fieldset,
)
from .filters import unit_filter


class IntegratedItemListInline(ReadOnlyScopedInline):
    """The batch's items, read-only: each department keeps its own items (a liaison sees
    their own unit's only)."""

    model = IntegratedItem
    fields = ["name", "unit", "kind", "status"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("整合事项（各部门在“多证合一整合事项”中填报）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


@admin.register(LicenceReformBatch)
class LicenceReformBatchAdmin(ExportScopedAdmin):
    resource_classes = [LicenceReformBatchResource]
    list_display = ["name", "reform_on", "first_licence_on", "item_count", "basis"]
    search_fields = ["name", "basis"]
    date_hierarchy = "reform_on"
    autocomplete_fields = ["basis_document"]
    list_select_related = ["basis_document"]
    inlines = [IntegratedItemListInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_item_count()

    @admin.display(description=_("整合事项数（已审核）"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count


@admin.register(IntegratedItem)
class IntegratedItemAdmin(ImportExportWorkflowAdmin):
    resource_classes = [IntegratedItemResource]
    list_display = ["name", "unit", "batch", "kind", "status_badge"]
    list_filter = ["batch", "kind", "status", unit_filter()]
    list_select_related = ["unit", "batch"]
    search_fields = ["name", "unit__name", "basis"]
    autocomplete_fields = ["unit", "batch"]
    fieldsets = [
        (None, {"fields": ["batch", "name", "kind", "unit", "basis"]}),
        workflow_fieldset(),
    ]
