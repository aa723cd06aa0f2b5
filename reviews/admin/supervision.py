from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.admin.base import workflow_fieldset
from registers.admin.filters import year_filter
from registers.core.calendar import get_calendar
from reviews.models import AccountabilityRecord, CriminalTransfer, RectificationProblem
from reviews.resources import (
    AccountabilityRecordResource,
    CriminalTransferResource,
    RectificationProblemResource,
)

from .base import UnitCaseAdmin
from .deadline_display import deadline_table


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(UnitCaseAdmin):
    resource_classes = [AccountabilityRecordResource]
    list_display = ["person", "role", "unit", "conduct", "measure", "decided_on", "status_badge"]
    list_display_links = ["person"]
    list_filter = [
        year_filter("decided_on", _("问责年度")),
        "conduct",
        "measure",
    ]
    search_fields = ["person", "role", "facts", "document_number", "unit__name"]
    date_hierarchy = "decided_on"
    fieldsets = [
        (None, {"fields": ["unit", "person", "role", "conduct", "facts"]}),
        (_("问责"), {"fields": ["measure", "decided_on", "decided_by", "document_number"]}),
        workflow_fieldset(_("审核信息"), collapsed=True),
    ]


@admin.register(CriminalTransfer)
class CriminalTransferAdmin(UnitCaseAdmin):
    resource_classes = [CriminalTransferResource]
    list_display = [
        "case_name",
        "unit",
        "reported_on",
        "decision",
        "transferred_on",
        "police_decision",
        "status_badge",
    ]
    list_display_links = ["case_name"]
    list_filter = [
        year_filter("reported_on", _("报告年度")),
        year_filter("transferred_on", _("移送年度")),
        "decision",
        "police_decision",
    ]
    search_fields = ["case_name", "suspected_offence", "police", "unit__name"]
    date_hierarchy = "reported_on"
    readonly_fields = ["deadlines_explained"]
    fieldsets = [
        (None, {"fields": ["unit", "case_name", "suspected_offence", "reported_on"]}),
        (_("审批与移送"), {"fields": ["decision", "decided_on", "transferred_on"]}),
        (
            _("公安机关"),
            {
                "fields": [
                    "police",
                    "police_accepted_on",
                    "police_decision",
                    "police_notice_received_on",
                    "note",
                ]
            },
        ),
        (_("法定期限（按当前节假日安排计算）"), {"fields": ["deadlines_explained"]}),
        workflow_fieldset(_("审核信息"), collapsed=True),
    ]

    @admin.display(description=_("法定期限"))
    def deadlines_explained(self, obj):
        if obj is None or obj.pk is None:
            return _("保存后按接到报告日期计算并显示。")
        return deadline_table(obj.deadlines(get_calendar()))


class RectifiedFilter(admin.SimpleListFilter):
    title = _("整改情况")
    parameter_name = "rectified"

    def lookups(self, request, model_admin):
        return [("yes", _("已整改")), ("no", _("未整改")), ("overdue", _("逾期未整改"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(rectified_on__isnull=False)
        if self.value() == "no":
            return queryset.outstanding()
        if self.value() == "overdue":
            return queryset.outstanding().filter(due_on__lt=timezone.localdate())
        return queryset


@admin.register(RectificationProblem)
class RectificationProblemAdmin(UnitCaseAdmin):
    resource_classes = [RectificationProblemResource]
    list_display = [
        "problem_summary",
        "unit",
        "source",
        "found_on",
        "due_on",
        "rectified_on",
        "status_badge",
    ]
    list_display_links = ["problem_summary"]
    list_filter = [
        year_filter("due_on", _("整改期限年度")),
        RectifiedFilter,
        "source",
        "campaign",
    ]
    search_fields = ["problem", "measure", "campaign", "unit__name"]
    date_hierarchy = "due_on"
    fieldsets = [
        (None, {"fields": ["unit", "campaign", "problem", "source", "found_on"]}),
        (_("整改"), {"fields": ["measure", "due_on", "rectified_on"]}),
        workflow_fieldset(_("审核信息"), collapsed=True),
    ]

    @admin.display(description=_("存在问题"), ordering="problem")
    def problem_summary(self, obj):
        return str(obj)
