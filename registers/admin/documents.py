import datetime

from django.contrib import admin
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.models import Document, DocumentChange, DocumentStatus
from registers.resources import DocumentResource

from .base import ImportExportWorkflowAdmin, ScopedInline, scope_related_choices, workflow_fieldset
from .filters import unit_filter

AS_OF_PARAMETER = "as_of"


def as_of_date(request) -> datetime.date:
    """The date the changelist shows statuses for: ``?as_of=YYYY-MM-DD`` or today."""
    value = request.GET.get(AS_OF_PARAMETER, "")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


class AsOfFilter(admin.SimpleListFilter):
    """Which date the status column and the status filter refer to."""

    title = _("状态日期")
    parameter_name = AS_OF_PARAMETER

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [
            (datetime.date(year, 12, 31).isoformat(), _("%(year)s年12月31日") % {"year": year})
            for year in range(this_year - 1, this_year - 11, -1)
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("今天"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset  # the date is applied by the admin's annotation


class StatusOnFilter(admin.SimpleListFilter):
    title = _("文件状态")
    parameter_name = "document_status"

    def lookups(self, request, model_admin):
        return DocumentStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status_as_of=self.value())
        return queryset


class DocumentChangeInline(ScopedInline):
    model = DocumentChange
    fk_name = "document"
    fields = ["kind", "changed_on", "by_document", "basis"]
    autocomplete_fields = ["by_document"]
    verbose_name = _("后续变动（修改、废止、失效）")
    verbose_name_plural = _("后续变动（修改、废止、失效）")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_related_choices(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Document)
class DocumentAdmin(ImportExportWorkflowAdmin):
    resource_classes = [DocumentResource]
    list_display = [
        "number",
        "title",
        "unit",
        "kind",
        "issued_on",
        "valid_until",
        "status_as_of",
        "status_badge",
    ]
    list_display_links = ["number", "title"]
    list_filter = [AsOfFilter, StatusOnFilter, "kind", "status", "unit__kind", unit_filter()]
    list_select_related = ["unit"]
    search_fields = ["title", "number"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "issued_on"
    inlines = [DocumentChangeInline]
    fieldsets = [
        (None, {"fields": ["title", "number", "kind", "unit"]}),
        (_("日期与状态"), {"fields": ["issued_on", "effective_on", "valid_until", "status_now"]}),
        (None, {"fields": ["note"]}),
        workflow_fieldset(),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status_as_of(as_of_date(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The record's page explains its status from its changes (``status_now``); the
            # list shows the status computed by the query and needs none of them.
            prefetch_related_objects([obj], "changes__by_document")
        return obj

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status_now"]

    @admin.display(description=_("状态"), ordering="status_as_of")
    def status_as_of(self, obj):
        return DocumentStatus(obj.status_as_of).label if obj.status_as_of else "—"

    @admin.display(description=_("今日状态"))
    def status_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        today = timezone.localdate()
        status = obj.status_on(today)
        label = status.label if status else _("尚未印发")
        return f"{label}：{obj.explain_status_on(today)}"
