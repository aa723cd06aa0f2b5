from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.admin.base import ImportExportWorkflowAdmin, fields_besides, workflow_fieldset
from registers.core import permissions
from reviews.models import (
    CommentDraftReply,
    Filing,
    FilingTimeliness,
    LegalityReview,
)
from reviews.resources import CommentDraftReplyResource, FilingResource, LegalityReviewResource
from reviews.services.documents import open_filing


class CompletionFilter(admin.SimpleListFilter):
    title = _("办理情况")
    parameter_name = "done"

    def __init__(self, request, params, model, model_admin):
        self.completion_field = model_admin.completion_field
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("no", _("办理中")), ("yes", _("已办结"))]

    def queryset(self, request, queryset):
        field = self.completion_field
        if self.value() == "no":
            return queryset.filter(**{f"{field}__isnull": True})
        if self.value() == "yes":
            return queryset.filter(**{f"{field}__isnull": False})
        return queryset


@admin.register(LegalityReview)
class LegalityReviewAdmin(ImportExportWorkflowAdmin):
    resource_classes = [LegalityReviewResource]
    completion_field = "completed_on"
    list_display = [
        "title",
        "unit",
        "kind",
        "received_on",
        "completed_on",
        "result",
        "resulting_document",
        "status_badge",
    ]
    list_filter = [CompletionFilter, "kind", "result", "status", "unit"]
    list_select_related = ["unit", "resulting_document"]
    search_fields = ["title", "opinion", "unit__name", "resulting_document__number"]
    autocomplete_fields = ["unit", "resulting_document"]
    date_hierarchy = "received_on"
    fieldsets = [
        (None, {"fields": ["title", "kind", "unit", "received_on"]}),
        (_("审核结果"), {"fields": ["completed_on", "result", "opinion", "resulting_document"]}),
        workflow_fieldset(),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if permissions.reads_own_unit_only(request.user):
            # The unit registers its draft; the legal office records the review's outcome.
            readonly += LegalityReview.office_only_fields
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An issued normative document must be filed: open its filing obligation now.
        document = obj.resulting_document
        if (
            document is not None
            and document.is_normative
            and "resulting_document" in (form.changed_data)
        ):
            open_filing(document, by=request.user)


@admin.register(CommentDraftReply)
class CommentDraftReplyAdmin(ImportExportWorkflowAdmin):
    resource_classes = [CommentDraftReplyResource]
    completion_field = "replied_on"
    # The register's fields but the reply's text, then the replying unit.
    list_display = [
        *fields_besides(CommentDraftReply.register_fields, ["reply"]),
        "unit",
        "status_badge",
    ]
    list_filter = [CompletionFilter, "kind", "status", "unit"]
    list_select_related = ["unit"]
    search_fields = ["title", "requested_by", "reply"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "received_on"
    fieldsets = [
        (None, {"fields": ["title", "kind", "requested_by", "unit"]}),
        (_("办理"), {"fields": ["received_on", "reply_requested_by", "replied_on", "reply"]}),
        workflow_fieldset(),
    ]


class TimelinessFilter(admin.SimpleListFilter):
    title = _("报备时效")
    parameter_name = "timeliness"

    def lookups(self, request, model_admin):
        return FilingTimeliness.choices

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == FilingTimeliness.ON_TIME:
            return queryset.on_time()
        if value == FilingTimeliness.LATE:
            return queryset.late()
        if value == FilingTimeliness.OVERDUE:
            return queryset.awaiting_filing().overdue(today)
        if value == FilingTimeliness.AWAITING:
            return queryset.awaiting_filing().exclude(pk__in=queryset.overdue(today))
        return queryset


@admin.register(Filing)
class FilingAdmin(ImportExportWorkflowAdmin):
    resource_classes = [FilingResource]
    list_display = [
        "document",
        "filed_with",
        "issued_on",
        "due_on",
        "filed_on",
        "timeliness",
        "status_badge",
    ]
    list_filter = [TimelinessFilter, "filed_with", "status", "unit"]
    list_select_related = ["document", "unit"]
    search_fields = ["document__title", "document__number", "receipt"]
    autocomplete_fields = ["document"]
    fieldsets = [
        (None, {"fields": ["document", "unit", "filed_with"]}),
        (_("报备"), {"fields": ["due_explained", "filed_on", "receipt", "note"]}),
        workflow_fieldset(),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "due_explained"]
        if "unit" not in readonly:
            readonly.append("unit")  # always the document's issuer
        return readonly

    @admin.display(description=_("印发日期"), ordering="document__issued_on")
    def issued_on(self, obj):
        return obj.document.issued_on

    @admin.display(description=_("报备期限"))
    def due_on(self, obj):
        return obj.due_on

    @admin.display(description=_("报备期限计算"))
    def due_explained(self, obj):
        if obj is None or obj.document_id is None:
            return _("保存后按印发日期自动计算。")
        return obj.due_deadline().explain()

    @admin.display(description=_("时效"))
    def timeliness(self, obj):
        return obj.timeliness_on(timezone.localdate()).label
