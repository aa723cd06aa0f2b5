from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registers.core.revisions import RevisionedModel


class Part(models.TextChoices):
    """The parts of a rule-of-law government report (法治政府建设与责任落实督察工作规定)."""

    INTRO = "intro", _("导语")
    MEASURES = "measures", _("主要举措和成效")
    SHORTCOMINGS = "shortcomings", _("存在的不足和原因")
    DUTY = "duty", _("党政主要负责人履行推进法治建设第一责任人职责情况")
    PLAN = "plan", _("下一年度工作安排")
    OTHER = "other", _("其他需要报告的事项")


class ReportQuerySet(models.QuerySet):
    def for_scope(self, year: int, unit=None):
        return self.filter(year=year, unit=unit)


class Report(RevisionedModel):
    """The editable text of one year's report, for the district or for one unit.

    Scoped like a unit's records: a liaison reads their own unit's report only; the
    district's (no unit) is read by those who read every unit. Only the office edits it.
    """

    scope_field = "unit"

    year = models.PositiveIntegerField(_("年度"))
    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("留空表示全区报告。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(unit__isnull=True),
                name="reports_report_unique_district_year",
                violation_error_message=_("该年度的全区报告已经存在。"),
                violation_error_code="duplicate_report",
            ),
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="reports_report_unique_unit_year",
                violation_error_message=_("该单位该年度的报告已经存在。"),
                violation_error_code="duplicate_report",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Section(RevisionedModel):
    scope_field = "report__unit"

    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    part = models.CharField(_("部分"), max_length=20, choices=Part.choices)
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("每行一段；数字写成 {{ 占位符 }}。"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        verbose_name = _("报告章节")
        verbose_name_plural = _("报告章节")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "order"],
                name="reports_section_unique_order",
                violation_error_message=_("报告中章节的顺序不能重复。"),
                violation_error_code="duplicate_section_order",
            ),
        ]

    def __str__(self) -> str:
        return self.heading or str(Part(self.part).label)


class PublishedReport(models.Model):
    """A frozen version of a report: its text and figures exactly as they were published.

    Read like the report it froze (``Report.scope_field``); never changed.
    """

    scope_field = "unit"

    year = models.PositiveIntegerField(_("年度"))
    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_reports",
    )
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    sections = models.JSONField(_("章节"))
    figures = models.JSONField(_("数字"))
    warnings = models.JSONField(_("一致性提示"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__code", "-version"]
        verbose_name = _("已发布报告")
        verbose_name_plural = _("已发布报告")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=Q(unit__isnull=True),
                name="reports_published_unique_district_version",
                violation_error_message=_("该年度全区报告的这一版本已经发布。"),
                violation_error_code="duplicate_published_version",
            ),
            models.UniqueConstraint(
                fields=["year", "unit", "version"],
                name="reports_published_unique_version",
                violation_error_message=_("该单位该年度报告的这一版本已经发布。"),
                violation_error_code="duplicate_published_version",
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s（第 %(version)s 版）") % {"title": self.title, "version": self.version}
