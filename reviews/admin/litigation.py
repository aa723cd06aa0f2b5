from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.admin.base import ScopedInline, workflow_fieldset
from registers.admin.filters import year_filter
from registers.core.calendar import get_calendar
from reviews.models import LitigationCase, LitigationHearing, LitigationOutcome, OutcomeClass
from reviews.resources import LitigationCaseResource

from .base import UnitCaseAdmin
from .deadline_display import deadline_table


class OutcomeClassFilter(admin.SimpleListFilter):
    title = _("胜败诉")
    parameter_name = "outcome_class"

    def lookups(self, request, model_admin):
        return OutcomeClass.choices

    def queryset(self, request, queryset):
        if self.value() in OutcomeClass.values:
            return queryset.with_outcome_class(OutcomeClass(self.value()))
        return queryset


class HearingInline(ScopedInline):
    model = LitigationHearing
    fields = ["held_on", "trial_instance", "head_name", "head_rank", "head_title", "others"]


@admin.register(LitigationCase)
class LitigationCaseAdmin(UnitCaseAdmin):
    resource_classes = [LitigationCaseResource]
    list_display = [
        "number",
        "plaintiff",
        "unit",
        "trial_instance",
        "served_on",
        "head_appearances",
        "outcome",
        "outcome_class_label",
        "status_badge",
    ]
    list_display_links = ["number", "plaintiff"]
    list_filter = [
        year_filter("served_on", _("收到起诉状年度")),
        year_filter("concluded_on", _("结案年度")),
        "trial_instance",
        OutcomeClassFilter,
        "outcome",
    ]
    search_fields = ["number", "plaintiff", "cause", "court", "unit__name", "unit__short_name"]
    date_hierarchy = "served_on"
    inlines = [HearingInline]
    readonly_fields = ["defence_explained", "outcome_class_label"]
    fieldsets = [
        (
            _("案件"),
            {"fields": ["court", "number", "trial_instance", "plaintiff", "unit", "cause"]},
        ),
        (
            _("答辩"),
            {"fields": ["served_on", "defence_submitted_on", "defence_explained"]},
        ),
        (_("结案"), {"fields": ["concluded_on", "outcome", "outcome_class_label", "note"]}),
        workflow_fieldset(_("审核信息"), collapsed=True),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hearings")

    @admin.display(description=_("负责人出庭"))
    def head_appearances(self, obj):
        hearings = list(obj.hearings.all())
        if not hearings:
            return gettext("未开庭")
        heads = [
            f"{hearing.get_trial_instance_display()}：{hearing.head_name}（{hearing.get_head_rank_display()}）"
            for hearing in hearings
            if hearing.head_appeared
        ]
        return "；".join(heads) if heads else gettext("负责人未出庭")

    @admin.display(description=_("胜败诉"))
    def outcome_class_label(self, obj):
        if obj is None or not obj.outcome:
            return "—"
        return LitigationOutcome(obj.outcome).outcome_class.label

    @admin.display(description=_("答辩期限"))
    def defence_explained(self, obj):
        if obj is None or obj.pk is None or obj.served_on is None:
            return _("保存后按收到起诉状副本日期计算并显示。")
        return deadline_table([obj.defence_deadline(get_calendar())])
