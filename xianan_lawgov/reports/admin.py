"""Reports in the admin: read like the report pages (a liaison sees their own unit's reports
only, never the district's: ``Report.scope_field`` under the one scoping rule), edited by
the office only, as on the report editor. The unit report templates are the office's,
checked on save (``UnitTemplate.clean``: one unit's figures only) and kept with their
history."""

from django.contrib import admin

from registers.admin.base import ReadOnlyMixin, ScopedAdmin, ScopedStackedInline
from registers.core import permissions

from .models import PublishedReport, Report, Section, UnitTemplate


class SectionInline(ScopedStackedInline):
    model = Section
    fields = ["order", "part", "heading", "body"]


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    list_display = ["title", "year", "unit", "updated_by", "updated_at"]
    list_filter = ["year"]
    list_select_related = ["unit", "updated_by"]
    search_fields = ["title"]
    autocomplete_fields = ["unit"]
    inlines = [SectionInline]
    readonly_fields = ["updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False  # a report starts with its first edit or publication on the report page

    def has_change_permission(self, request, obj=None):
        return permissions.is_office(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_office(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PublishedReport)
class PublishedReportAdmin(ReadOnlyMixin, ScopedAdmin):
    """A published version is frozen."""

    list_display = ["title", "year", "unit", "version", "published_by", "published_at"]
    list_filter = ["year"]
    list_select_related = ["unit", "published_by"]
    search_fields = ["title"]


@admin.register(UnitTemplate)
class UnitTemplateAdmin(ScopedAdmin):
    list_display = ["__str__", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    fields = ["kind", "text", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "kind"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # each kind of unit always has its template; change it instead

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
