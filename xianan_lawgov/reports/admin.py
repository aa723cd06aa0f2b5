from django.contrib import admin

from registers.admin.base import ScopedAdmin

from .models import PublishedReport, Report, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
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


@admin.register(PublishedReport)
class PublishedReportAdmin(ScopedAdmin):
    list_display = ["title", "year", "unit", "version", "published_by", "published_at"]
    list_filter = ["year"]
    list_select_related = ["unit", "published_by"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # frozen

    def has_delete_permission(self, request, obj=None):
        return False
