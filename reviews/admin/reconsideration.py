from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registers.admin.base import ScopedInline, workflow_fieldset
from registers.admin.filters import year_filter
from registers.core.calendar import get_calendar
from registers.core.deadlines import DeadlineInputError, Regime
from reviews.models import ReconsiderationCase, ReconsiderationStage, ReconsiderationSuspension
from reviews.resources import ReconsiderationCaseResource

from .base import UnitCaseAdmin
from .deadline_display import deadline_table


class StageFilter(admin.SimpleListFilter):
    title = _("办理阶段")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return ReconsiderationStage.choices

    def queryset(self, request, queryset):
        if self.value() in ReconsiderationStage.values:
            return queryset.in_stage(ReconsiderationStage(self.value()))
        return queryset


class RegimeFilter(admin.SimpleListFilter):
    title = _("适用法律")
    parameter_name = "regime"

    def lookups(self, request, model_admin):
        return [(regime.value, regime.label) for regime in Regime]

    def queryset(self, request, queryset):
        if self.value() in {regime.value for regime in Regime}:
            return queryset.under_regime(Regime(self.value()))
        return queryset


class SuspensionFormSet(BaseInlineFormSet):
    """Suspensions entered together must not overlap either (each row is checked against
    the saved ones by ``ReconsiderationSuspension.clean``)."""

    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.is_valid()
            and form.instance.suspended_on is not None
            and not self._should_delete_form(form)
        ]
        for later, suspension in enumerate(kept):
            overlapping = next((s for s in kept[:later] if suspension.overlaps(s)), None)
            if overlapping is not None:
                raise ValidationError(
                    _("中止期间%(one)s与%(other)s重叠：同一时间只计一次中止，请修改或合并。")
                    % {"one": suspension.period_label, "other": overlapping.period_label},
                    code="suspensions_overlap",
                )


class SuspensionInline(ScopedInline):
    model = ReconsiderationSuspension
    formset = SuspensionFormSet
    fields = ["suspended_on", "resumed_on", "ground", "reason"]


@admin.register(ReconsiderationCase)
class ReconsiderationCaseAdmin(UnitCaseAdmin):
    resource_classes = [ReconsiderationCaseResource]
    list_display = [
        "number",
        "applicant",
        "unit",
        "received_on",
        "regime_label",
        "stage_label",
        "outcome",
        "concluded_on",
        "status_badge",
    ]
    list_display_links = ["number", "applicant"]
    list_filter = [
        year_filter("received_on", _("收到申请年度")),
        year_filter("concluded_on", _("审结年度")),
        StageFilter,
        RegimeFilter,
        "procedure",
        "acceptance",
        "outcome",
    ]
    search_fields = ["number", "applicant", "matter", "unit__name", "unit__short_name"]
    date_hierarchy = "received_on"
    inlines = [SuspensionInline]
    readonly_fields = ["regime_label", "stage_label", "deadlines_explained"]
    fieldsets = [
        (
            _("申请"),
            {
                "fields": [
                    "number",
                    "applicant",
                    "unit",
                    "matter",
                    "received_on",
                    "regime_label",
                    "procedure",
                    "stage_label",
                ]
            },
        ),
        (
            _("补正"),
            {
                "fields": [
                    "correction_requested_on",
                    "correction_notice_served_on",
                    "correction_received_on",
                ]
            },
        ),
        (
            _("受理与审理"),
            {"fields": ["acceptance", "acceptance_on", "copy_served_on", "extension_days"]},
        ),
        (_("审结"), {"fields": ["concluded_on", "outcome", "respondent_corrected", "note"]}),
        (_("法定期限（按当前节假日安排计算）"), {"fields": ["deadlines_explained"]}),
        workflow_fieldset(_("审核信息"), collapsed=True),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("suspensions")

    @admin.display(description=_("适用法律"))
    def regime_label(self, obj):
        return obj.regime.label if obj.received_on else "—"

    @admin.display(description=_("办理阶段"))
    def stage_label(self, obj):
        return obj.stage.label if obj.received_on else "—"

    @admin.display(description=_("法定期限"))
    def deadlines_explained(self, obj):
        if obj is None or obj.pk is None:
            return _("保存后按收到申请日期计算并显示。")
        try:
            deadlines = obj.deadlines(get_calendar())
        except DeadlineInputError as error:
            return format_html("<p class='errornote'>{}</p>", error.message)
        return format_html(
            "<p>{}：{}</p>{}",
            _("适用法律"),
            obj.regime.label,
            deadline_table(deadlines),
        )
