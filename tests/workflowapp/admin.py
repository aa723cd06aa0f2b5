from django.contrib import admin

from registers.admin.base import WorkflowAdmin

from .models import Memo


@admin.register(Memo)
class MemoAdmin(WorkflowAdmin):
    list_display = ["title", "unit", "status_badge"]
    fields = ["title", "unit", *Memo.WORKFLOW_FIELDS]
