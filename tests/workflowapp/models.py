"""A minimal concrete workflow record, so the foundation is tested on its own."""

from django.db import models
from simple_history.models import HistoricalRecords

from registers.models import WorkflowRecord


class Memo(WorkflowRecord):
    title = models.CharField("标题", max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = "备忘"
        verbose_name_plural = "备忘"

    def __str__(self) -> str:
        return self.title
