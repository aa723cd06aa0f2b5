"""A minimal concrete workflow record, so the foundation is tested on its own."""

from django.db import models

from registers.core.models import WorkflowRecord


class Memo(WorkflowRecord):
    class Kind(models.TextChoices):
        NOTICE = "notice", "通知"
        REPORT = "report", "报告"

    title = models.CharField("标题", max_length=100)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    due_on = models.DateField("期限", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "备忘"
        verbose_name_plural = "备忘"

    def __str__(self) -> str:
        return self.title
