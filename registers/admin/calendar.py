from django.contrib import admin

from registers.core.models import CalendarDay

from .base import ScopedAdmin, SystemSettingsMixin


@admin.register(CalendarDay)
class CalendarDayAdmin(SystemSettingsMixin, ScopedAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"
