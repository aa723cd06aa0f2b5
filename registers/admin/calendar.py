from django.contrib import admin

from registers.core.models import CalendarDay

from .base import ScopedAdmin


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"
