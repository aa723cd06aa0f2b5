from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """An override of the statutory holiday calendar for one day.

    The State Council publishes next year's holidays and make-up working days (调休) each
    November; the office enters them here until the calendar package catches up. An entry
    here always wins over the package.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选表示当天上班（含调休上班日）；不勾选表示放假。")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind}"
