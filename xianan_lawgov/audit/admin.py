"""The audit log for the auditor: read, filter, search and export; never add, change or
delete (nobody may, whatever their role)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.admin.base import DutyAdmin
from registers.core import permissions

from .export import audit_csv
from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(DutyAdmin):
    holds_duty = staticmethod(permissions.reads_audit_log)
    list_display = ["when", "username", "address", "event", "outcome", "subject", "brief"]
    list_filter = ["event", "outcome", "occurred_at"]
    search_fields = ["username", "address", "subject", "detail"]
    date_hierarchy = "occurred_at"
    list_per_page = 100
    show_full_result_count = False
    change_list_template = "admin/audit/securityevent/change_list.html"
    readonly_fields = [
        "occurred_at",
        "event",
        "outcome",
        "user",
        "username",
        "address",
        "subject",
        "detail",
        "rows",
    ]
    fields = readonly_fields

    @admin.display(description=_("时间"), ordering="occurred_at")
    def when(self, obj) -> str:
        return timezone.localtime(obj.occurred_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("详情"))
    def brief(self, obj) -> str:
        text = obj.detail if obj.rows is None else f"{obj.detail}（{obj.rows} 行）"
        return text if len(text) <= 80 else text[:79] + "…"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export.csv", export, name="audit_securityevent_export"), *super().get_urls()]

    def export_view(self, request):
        """The entries the list shows (same filters and search), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return audit_csv(changelist.get_queryset(request))
