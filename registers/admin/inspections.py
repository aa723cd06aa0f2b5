"""Admin of the double-random inspections: item list, target pool, draws and their results."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registers.core import permissions
from registers.draw import MIN_INSPECTORS_PER_TARGET
from registers.inspection_services import make_draw, result_problems, verify_draw
from registers.models import (
    CheckPoint,
    DrawnTarget,
    InspectionDraw,
    InspectionItem,
    InspectionTarget,
)
from registers.resources import (
    InspectionDrawResource,
    InspectionItemResource,
    InspectionTargetResource,
)

from .base import (
    ImportExportScopedAdmin,
    ImportExportWorkflowAdmin,
    ScopedInline,
    WorkflowAdmin,
    fields_besides,
    workflow_fieldset,
)
from .filters import unit_filter

# --- Item list -----------------------------------------------------------------------------


class CheckPointInline(ScopedInline):
    model = CheckPoint
    fields = ["position", "content", "basis"]
    verbose_name = gettext_lazy("检查要点")
    verbose_name_plural = gettext_lazy("检查表（一张表格管检查）")


@admin.register(InspectionItem)
class InspectionItemAdmin(ImportExportWorkflowAdmin):
    resource_classes = [InspectionItemResource]
    list_display = [
        "code",
        "name",
        "sub_item",
        "inspecting_unit",
        "kind",
        "ratio",
        "status_badge",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "year",
        "kind",
        "status",
        unit_filter(),
        "field",
    ]
    list_select_related = ["unit"]
    search_fields = ["code", "name", "sub_item", "legal_basis", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [CheckPointInline]
    fieldsets = [
        (None, {"fields": ["unit", "year", "code", "name", "sub_item", "kind", "field"]}),
        (
            gettext_lazy("检查依据与方式"),
            {"fields": ["legal_basis", "method", "content", "ratio", "frequency"]},
        ),
        (gettext_lazy("清单公布"), {"fields": ["published_on", "cancelled_on"]}),
        workflow_fieldset(),
    ]

    @admin.display(description=gettext_lazy("检查主体"), ordering="unit__code")
    def inspecting_unit(self, obj):
        return obj.unit.short_name

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == InspectionDraw._meta.model_name:
            # Choosing an item to draw for: only items of a published, approved list.
            queryset = queryset.approved().filter(cancelled_on__isnull=True)
        return queryset, may_have_duplicates


# --- Target pool ---------------------------------------------------------------------------


@admin.register(InspectionTarget)
class InspectionTargetAdmin(ImportExportScopedAdmin):
    resource_classes = [InspectionTargetResource]
    list_display = ["name", "credit_code", "legal_representative", "address", "unit", "is_active"]
    list_filter = ["is_active", "unit__kind"]
    list_select_related = ["unit"]
    search_fields = ["name", "credit_code", "legal_representative", "address"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "name", "credit_code", "legal_representative", "address", "contact"]
    fields += ["is_active"]


# --- Draws ---------------------------------------------------------------------------------


class DrawForm(forms.Form):
    """What the person drawing chooses; everything else comes from the registers."""

    BY_RATIO, BY_COUNT = "ratio", "count"

    item = forms.ModelChoiceField(
        label=gettext_lazy("抽查事项"),
        queryset=InspectionItem.objects.none(),
        help_text=gettext_lazy("只能选择已审核通过、未取消的本单位事项。"),
    )
    batch = forms.CharField(
        label=gettext_lazy("抽查批次"),
        max_length=50,
        help_text=gettext_lazy("如：2017年第二批。同一事项的同一批次只能抽取一次。"),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("抽取方式"),
        choices=[(BY_RATIO, gettext_lazy("按比例")), (BY_COUNT, gettext_lazy("按数量"))],
        initial=BY_RATIO,
        widget=forms.RadioSelect,
    )
    ratio = forms.DecimalField(
        label=gettext_lazy("抽取比例（%）"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=gettext_lazy("留空则按事项规定的抽查比例；结果向上取整，至少1个。"),
    )
    count = forms.IntegerField(label=gettext_lazy("抽取数量"), required=False, min_value=1)
    inspectors_per_target = forms.IntegerField(
        label=gettext_lazy("每个对象检查人员数"),
        min_value=MIN_INSPECTORS_PER_TARGET,
        initial=MIN_INSPECTORS_PER_TARGET,
    )

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        items = InspectionItem.objects.visible_to(user).approved().filter(cancelled_on__isnull=True)
        self.fields["item"].widget = AutocompleteSelect(
            InspectionDraw._meta.get_field("item"), admin_site
        )
        # Set after the widget, so that the widget's choices follow the queryset.
        self.fields["item"].queryset = items.select_related("unit")

    def clean(self):
        data = super().clean()
        if data.get("method") == self.BY_COUNT and not data.get("count"):
            self.add_error("count", _("按数量抽取时请填写抽取数量。"))
        if data.get("method") == self.BY_RATIO and data.get("ratio") == 0:
            self.add_error("ratio", _("抽取比例必须大于0。"))
        return data


class DrawnTargetFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            rows.append(
                (
                    form.instance.target_name,
                    data.get("checked_on", form.instance.checked_on),
                    data.get("result", form.instance.result),
                )
            )
        problems = result_problems(self.instance, rows)
        if problems:
            raise ValidationError(problems)


class DrawnTargetInline(ScopedInline):
    model = DrawnTarget
    formset = DrawnTargetFormSet
    # Each row is headed by "position. target name" (the row's __str__).
    fields = ["inspector_names", "checked_on", "result", "findings"]
    readonly_fields = ["inspector_names"]
    verbose_name = gettext_lazy("抽中对象")
    verbose_name_plural = gettext_lazy("抽中对象、检查人员及检查结果")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("target")
            .prefetch_related("inspectors__officer")
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "findings":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # The selection is the draw's: rows are never added or removed by hand.
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("执法检查人员"))
    def inspector_names(self, obj):
        return "、".join(str(row.officer) for row in obj.inspectors.all())


class PublicationFilter(admin.SimpleListFilter):
    title = gettext_lazy("结果公示")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("检查已结束、待公示")),
            ("overdue", _("已超过公示期限")),
            ("published", _("已公示")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_publication()
        if self.value() == "overdue":
            return queryset.publication_overdue(timezone.localdate())
        if self.value() == "published":
            return queryset.filter(published_on__isnull=False)
        return queryset


@admin.register(InspectionDraw)
class InspectionDrawAdmin(ImportExportWorkflowAdmin):
    resource_classes = [InspectionDrawResource]
    import_allowed = False  # draws are made by the draw service
    change_form_template = "admin/registers/inspectiondraw/change_form.html"
    list_display = [
        "item",
        "batch",
        "unit",
        "drawn_on",
        "target_count",
        "check_ended_on",
        "publication_due",
        "published_on",
        "status_badge",
    ]
    list_filter = [PublicationFilter, "status", "unit__kind"]
    list_select_related = ["item", "unit"]
    search_fields = ["item__name", "item__code", "batch", "unit__name", "candidates_hash"]
    date_hierarchy = "drawn_on"
    inlines = [DrawnTargetInline]
    actions = [*WorkflowAdmin.actions, "verify_selected"]
    audit_facts = ["algorithm", "seed", "candidates_hash", "input_json", "excluded_officers"]
    # What the draw fixed (the model's ``drawn_fields``), the unit beside the item; what only
    # an audit re-reads has its own section, the exclusions shown by officer (``audit_facts``).
    draw_facts = [
        "item",
        "unit",
        *fields_besides(
            InspectionDraw.drawn_fields, ["item", "balance_load", "exclusions"], audit_facts
        ),
    ]
    fieldsets = [
        (gettext_lazy("抽取"), {"fields": draw_facts}),
        (
            gettext_lazy("检查与公示"),
            {"fields": ["check_ended_on", "publication_deadline", "published_on", "note"]},
        ),
        (
            gettext_lazy("审计信息（用于复核抽取）"),
            {"fields": audit_facts, "classes": ["collapse"]},
        ),
        workflow_fieldset(),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        extra = [*self.draw_facts, *self.audit_facts, "publication_deadline"]
        return [*readonly, *(name for name in extra if name not in readonly)]

    @admin.display(description=gettext_lazy("公示截止日期"))
    def publication_due(self, obj):
        # Every row counts on the request's one calendar (OneCalendarPerRequest).
        return obj.publication_due or "—"

    @admin.display(description=gettext_lazy("公示期限"))
    def publication_deadline(self, obj):
        deadline = obj.publication_deadline() if obj is not None else None
        if deadline is None:
            return _("填写检查结束日期后自动计算。")
        return deadline.explain()

    @admin.display(description=gettext_lazy("未进入候选的执法人员"))
    def excluded_officers(self, obj):
        if not obj.exclusions:
            return _("无")
        return "；".join(
            f"{row['name']}（{row['certificate_number']}）：{row['reason']}"
            for row in obj.exclusions
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting a draw would allow drawing the batch again until the result suits.
        return permissions.is_office(request.user)

    # --- Drawing ---------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="{}_{}_verify".format(*info),
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Adding a draw means drawing: a form, then the stored draw's result page."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DrawForm(request.POST or None, user=request.user, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            item = data["item"]
            by_ratio = data["method"] == DrawForm.BY_RATIO
            try:
                record = make_draw(
                    item,
                    batch=data["batch"],
                    by=request.user,
                    ratio=(data["ratio"] or item.ratio) if by_ratio else None,
                    count=None if by_ratio else data["count"],
                    inspectors_per_target=data["inspectors_per_target"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("抽取完成：抽中%(count)d个检查对象，抽取结果已保存，不能重抽。")
                    % {"count": record.target_count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(self._admin_url_name("verify"), args=[record.pk])
                )
        return render(
            request,
            "admin/registers/inspectiondraw/draw_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "form": form,
                "media": self.media + form.media,
                "title": _("双随机抽取"),
            },
        )

    def verify_view(self, request, object_id):
        record = self._get_visible_object(request, object_id)
        rows = record.drawn_targets.select_related("target").prefetch_related("inspectors__officer")
        return render(
            request,
            "admin/registers/inspectiondraw/verify.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": record,
                "check": verify_draw(record),
                "rows": rows,
                "title": _("抽取结果与验证"),
                "change_url": reverse(self._admin_url_name("change"), args=[record.pk]),
                "may_record_results": permissions.can_change(request.user, record),
            },
        )

    @admin.action(description=gettext_lazy("验证所选抽取（按存档输入重新抽取）"))
    def verify_selected(self, request, queryset):
        for record in queryset.select_related("item"):
            check = verify_draw(record)
            level = messages.SUCCESS if check.ok else messages.ERROR
            details = "" if check.ok else " " + " ".join(check.problems)
            self.message_user(request, f"{record}：{check.summary}{details}", level)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if permissions.role_of(request.user) is None:
            actions.pop("verify_selected", None)
        return actions
