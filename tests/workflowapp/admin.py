from django.contrib import admin

from registers.admin.base import ImportExportWorkflowAdmin
from registers.resources import WorkflowResource

from .models import Memo


class MemoResource(WorkflowResource):
    example = {"title": "2017年执法案卷", "kind": "报告"}

    class Meta(WorkflowResource.Meta):
        model = Memo
        fields = ["title", "kind", "due_on", "unit", "status"]


@admin.register(Memo)
class MemoAdmin(ImportExportWorkflowAdmin):
    resource_classes = [MemoResource]
    list_display = ["title", "unit", "status_badge"]
    fields = ["title", "kind", "due_on", "unit", *Memo.WORKFLOW_FIELDS]
