from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registers.models import Unit
from registers.resources import UnitResource

from .base import ImportExportScopedAdmin, SystemSettingsMixin


class ActiveFilter(admin.SimpleListFilter):
    title = _("存续状态")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("存续")), ("no", _("已撤销"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(closed_on__isnull=False)
        return queryset


@admin.register(Unit)
class UnitAdmin(SystemSettingsMixin, ImportExportScopedAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "name", "short_name", "kind", "is_enforcement_body", "is_active"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "is_enforcement_body", ActiveFilter]
    search_fields = ["name", "short_name", "code"]
    ordering = ["kind", "code"]

    @admin.display(description=_("存续"), boolean=True, ordering="closed_on")
    def is_active(self, obj):
        return obj.is_active

    def has_delete_permission(self, request, obj=None):
        # Units are closed, never deleted: their records keep pointing at them.
        return False
