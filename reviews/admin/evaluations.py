from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.admin.base import (
    CountedAdmin,
    ExportScopedAdmin,
    ImportExportWorkflowAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
    counted_column,
    workflow_fieldset,
)
from registers.core import permissions
from reviews.models import EvaluatedFile, EvaluationProblem, EvaluationRound, FileVeto, Grade
from reviews.resources import EvaluatedFileResource, EvaluationRoundResource


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(CountedAdmin, ExportScopedAdmin):
    resource_classes = [EvaluationRoundResource]
    list_display = ["name", "year", "plan_title", "started_on", "ended_on", "file_count"]
    list_filter = ["year"]
    search_fields = ["name", "plan_title", "plan_number"]
    date_hierarchy = "started_on"
    counted = "files"
    file_count = counted_column(_("案卷数"))


class FileVetoInline(ScopedTabularInline):
    model = FileVeto
    fields = ["item", "note"]

    def _parent_may_change(self, request, obj) -> bool:
        return permissions.is_office(request.user) and super()._parent_may_change(request, obj)


class EvaluationProblemInline(ScopedStackedInline):
    model = EvaluationProblem
    fields = ["description", "requirement", "due_on", ("rectified_on", "rectification")]


class GradeFilter(admin.SimpleListFilter):
    title = _("等次")
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return [*Grade.choices, ("none", _("未评分"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(computed_grade__isnull=True)
        if self.value() in Grade.values:
            return queryset.filter(computed_grade=self.value())
        return queryset


class RectificationFilter(admin.SimpleListFilter):
    title = _("整改情况")
    parameter_name = "rectification"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("有待整改问题")),
            ("overdue", _("有逾期未整改问题")),
            ("done", _("问题已全部整改")),
        ]

    def queryset(self, request, queryset):
        problems = EvaluationProblem.objects.filter(file=OuterRef("pk"))
        if self.value() == "awaiting":
            return queryset.filter(Exists(problems.awaiting_rectification()))
        if self.value() == "overdue":
            return queryset.filter(Exists(problems.overdue(timezone.localdate())))
        if self.value() == "done":
            return queryset.filter(Exists(problems)).exclude(
                Exists(problems.awaiting_rectification())
            )
        return queryset


@admin.register(EvaluatedFile)
class EvaluatedFileAdmin(ImportExportWorkflowAdmin):
    resource_classes = [EvaluatedFileResource]
    inlines = [FileVetoInline, EvaluationProblemInline]
    list_display = [
        "case_number",
        "case_title",
        "unit",
        "case_type",
        "round",
        "total",
        "grade_label",
        "status_badge",
    ]
    list_filter = ["round", "case_type", GradeFilter, RectificationFilter, "status"]
    list_select_related = ["unit", "round"]
    search_fields = ["case_number", "case_title", "unit__name", "evaluators"]
    autocomplete_fields = ["round", "unit"]
    fieldsets = [
        (
            None,
            {"fields": ["round", "unit", "case_type", "case_number", "case_title", "decided_on"]},
        ),
        (
            _("评分表"),
            {
                "description": _(
                    "形式0–20分，内容0–80分；存在任一否决项的案卷为不合格，不论得分。"
                ),
                "fields": [
                    ("evaluators", "evaluated_on"),
                    ("form_score", "content_score", "total", "grade_label"),
                    "comments",
                ],
            },
        ),
        workflow_fieldset(_("审核流程")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_grade()

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "total", "grade_label"]
        if not permissions.is_office(request.user):
            readonly += EvaluatedFile.office_only_fields  # the score sheet
        return readonly

    @admin.display(description=_("总分"), ordering="score_total")
    def total(self, obj):
        total = obj.total_score if obj else None
        return "—" if total is None else total

    @admin.display(description=_("等次"), ordering="computed_grade")
    def grade_label(self, obj):
        grade = obj.grade if obj else None
        return _("未评分") if grade is None else grade.label
