from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils.translation import gettext
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
from reviews.models import (
    DecisionCatalogue,
    DecisionParticipant,
    DecisionStep,
    MajorDecision,
    StepKind,
)
from reviews.resources import DecisionCatalogueResource, MajorDecisionResource


@admin.register(DecisionCatalogue)
class DecisionCatalogueAdmin(CountedAdmin, ExportScopedAdmin):
    resource_classes = [DecisionCatalogueResource]
    list_display = ["title", "year", "decision_body", "document_number", "published_on", "size"]
    list_filter = ["year"]
    list_select_related = ["decision_body"]
    search_fields = ["title", "document_number", "decision_body__name"]
    autocomplete_fields = ["decision_body"]
    counted = "decisions"
    size = counted_column(_("决策事项数"))


class DecisionStepInline(ScopedStackedInline):
    model = DecisionStep
    max_num = len(StepKind)
    fields = [
        "kind",
        "applicable",
        "reason_not_applicable",
        "method",
        ("comment_opens_on", "comment_closes_on"),
        "short_period_reason",
        "completed_on",
        "summary",
    ]

    def get_queryset(self, request):
        # In the order of the regulation, not alphabetically by stored value.
        order = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(StepKind)))
        return super().get_queryset(request).order_by(order)

    def missing_kinds(self, obj) -> list[StepKind]:
        if obj is None or obj.pk is None:
            return list(StepKind)
        recorded = set(obj.steps.values_list("kind", flat=True))
        return [kind for kind in StepKind if kind not in recorded]

    def get_extra(self, request, obj=None, **kwargs):
        # One blank block per step not yet recorded, so each decision states all three.
        return len(self.missing_kinds(obj))


class DecisionParticipantInline(ScopedTabularInline):
    model = DecisionParticipant
    fields = ["name", "post", "stance", "reason"]


class DiscussedFilter(admin.SimpleListFilter):
    title = _("办理进度")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [
            ("awaiting_review", _("待合法性审查")),
            ("awaiting_discussion", _("审查通过、待集体讨论")),
            ("discussed", _("已集体讨论决定")),
            ("published", _("已公布")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "awaiting_review":
            return queryset.filter(legality_reviewed_on__isnull=True)
        if value == "awaiting_discussion":
            return queryset.legality_passed().filter(discussed_on__isnull=True)
        if value == "discussed":
            return queryset.discussed()
        if value == "published":
            return queryset.published()
        return queryset


@admin.register(MajorDecision)
class MajorDecisionAdmin(ImportExportWorkflowAdmin):
    resource_classes = [MajorDecisionResource]
    inlines = [DecisionStepInline, DecisionParticipantInline]
    list_display = [
        "title",
        "catalogue_year",
        "unit",
        "legality_review_result",
        "discussed_on",
        "published_on",
        "pending",
        "status_badge",
    ]
    list_filter = ["catalogue__year", DiscussedFilter, "category", "status"]
    list_select_related = ["unit", "catalogue"]
    search_fields = [
        "title",
        "matter",
        "meeting",
        "decided_by",
        "participants__name",
        "unit__name",
    ]
    autocomplete_fields = ["catalogue", "unit"]
    readonly_fields = ["review_days_allowed"]
    fieldsets = [
        (None, {"fields": ["catalogue", "unit", "title", "category", "matter"]}),
        (
            _("合法性审查（第二十五条至第二十八条）"),
            {
                "description": _(
                    "决策草案未经合法性审查或者经审查不合法的，不得提交决策机关讨论；"
                    "送审应留出不少于7个工作日的审查时间。"
                ),
                "fields": [
                    ("legality_review_sent_on", "legality_review_due_on", "review_days_allowed"),
                    "short_review_reason",
                    ("legality_reviewed_on", "legality_review_result"),
                    "legality_opinion",
                ],
            },
        ),
        (
            _("集体讨论决定（第三十条）"),
            {
                "description": _(
                    "参加会议人员的意见（含不同意见及理由）在页面下方“参与决策人员及意见”中逐人记录。"
                ),
                "fields": [
                    ("meeting_kind", "meeting", "discussed_on"),
                    "decided_by",
                    "head_departure_reason",
                ],
            },
        ),
        (
            _("公布、归档（第三十二条、第三十三条）"),
            {"fields": [("published_on", "publication_channel"), "archived_on"]},
        ),
        (
            _("决策后评估（第三十六条）"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("post_evaluation_trigger", "post_evaluator", "post_evaluated_on"),
                    "post_evaluation_conclusion",
                ],
            },
        ),
        workflow_fieldset(_("审核流程")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("steps")

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, DecisionStepInline):
            kwargs["initial"] = [{"kind": kind} for kind in inline.missing_kinds(obj)]
        return kwargs

    @admin.display(description=_("年度"), ordering="catalogue__year")
    def catalogue_year(self, obj):
        return obj.catalogue.year

    @admin.display(description=_("留给审查的工作日"))
    def review_days_allowed(self, obj):
        days = obj.review_working_days_allowed() if obj else None
        return "—" if days is None else days

    @admin.display(description=_("未办结的程序"))
    def pending(self, obj):
        pending = obj.pending_steps()
        return "、".join(str(kind.label) for kind in pending) if pending else gettext("无")
