from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import unique
from registers.core.fields import part_of, person_field, unit_field
from registers.core.models import WorkflowRecord
from registers.core.revisions import RevisionedModel
from registers.core.status import Action
from registers.models import UnitKind


class Part(models.TextChoices):
    """The parts of a rule-of-law government report (法治政府建设与责任落实督察工作规定)."""

    INTRO = "intro", _("导语")
    MEASURES = "measures", _("主要举措和成效")
    SHORTCOMINGS = "shortcomings", _("存在的不足和原因")
    DUTY = "duty", _("党政主要负责人履行推进法治建设第一责任人职责情况")
    PLAN = "plan", _("下一年度工作安排")
    OTHER = "other", _("其他需要报告的事项")


def _once_for_district_and_each_unit(year: str, *key: str, district, unit, code: str) -> list:
    """A report's key (its ``year``, then ``key``) taken once by the district's report (no
    unit) and once by each unit's. ``district`` and ``unit`` are each rule's name (``rule``
    or ``name``, as for ``unique``) and message; both refuse with ``code``."""
    return [
        unique(year, *key, **district, code=code, condition=Q(unit__isnull=True)),
        unique(year, "unit", *key, **unit, code=code),
    ]


def _last_change() -> tuple[models.ForeignKey, models.DateTimeField]:
    """Who last changed a text the office keeps, and when (the admin and the services name
    the person; the moment is the save's)."""
    return person_field(_("最后修改人")), models.DateTimeField(_("最后修改时间"), auto_now=True)


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
    unit = unit_field(
        _("单位"), optional=True, related_name="reports", help_text=_("留空表示全区报告。")
    )
    title = models.CharField(_("标题"), max_length=200)
    updated_by, updated_at = _last_change()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = verbose_name_plural = _("年度报告")
        constraints = _once_for_district_and_each_unit(
            "year",
            district={"rule": "unique_district_year", "message": _("该年度的全区报告已经存在。")},
            unit={"rule": "unique_unit_year", "message": _("该单位该年度的报告已经存在。")},
            code="duplicate_report",
        )

    def __str__(self) -> str:
        return self.title


class Section(RevisionedModel):
    scope_field = "report__unit"

    report = part_of(Report, _("报告"), related_name="sections")
    order = models.PositiveSmallIntegerField(_("顺序"))
    part = models.CharField(_("部分"), max_length=20, choices=Part.choices)
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("每行一段；数字写成 {{ 占位符 }}。"))

    class Meta:
        ordering = ["report", "order"]
        verbose_name = verbose_name_plural = _("报告章节")
        constraints = [
            unique(
                "report",
                "order",
                rule="unique_order",
                message=_("报告中章节的顺序不能重复。"),
                code="duplicate_section_order",
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
    unit = unit_field(_("单位"), optional=True, related_name="published_reports")
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    sections = models.JSONField(_("章节"))
    figures = models.JSONField(_("数字"))
    warnings = models.JSONField(_("一致性提示"), default=list)
    published_by = person_field(_("发布人"), protect=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__code", "-version"]
        verbose_name = verbose_name_plural = _("已发布报告")
        constraints = _once_for_district_and_each_unit(
            "year",
            "version",
            district={
                "name": "reports_published_unique_district_version",
                "message": _("该年度全区报告的这一版本已经发布。"),
            },
            unit={
                "name": "reports_published_unique_version",
                "message": _("该单位该年度报告的这一版本已经发布。"),
            },
            code="duplicate_published_version",
        )

    def __str__(self) -> str:
        return _("%(title)s（第 %(version)s 版）") % {"title": self.title, "version": self.version}


class TemplateKind(models.TextChoices):
    """Which unit template a unit's report starts from."""

    DEPARTMENT = "department", _("区直部门")
    TOWNSHIP = "township", _("乡镇（街道）")

    @classmethod
    def for_unit(cls, unit) -> TemplateKind:
        """Townships have their own; every other unit (departments, vertical units, the
        government office) writes as a department does."""
        return cls.TOWNSHIP if unit.kind == UnitKind.TOWNSHIP else cls.DEPARTMENT


class UnitTemplate(RevisionedModel):
    """The text a unit's annual report starts from, kept by the office: one for the
    district's departments, one for its townships. Its placeholders are the figures of one
    unit only (``services.check_placeholders`` with ``for_unit``); the district's own text
    is never a unit's starting point."""

    reference_data = True  # every role reads it; the office changes it (the admin)

    kind = models.CharField(_("适用单位"), max_length=20, choices=TemplateKind.choices)
    text = models.TextField(
        _("模板正文"),
        help_text=_(
            "每行一段；以“一、”“二、”开头的行是章节标题。数字写成 {{ 占位符 }}，"
            "只能使用单位自己的数字；{{ unit.name }} 是单位名称，{{ report.year }} 是报告年度。"
        ),
    )
    updated_by, updated_at = _last_change()

    class Meta:
        ordering = ["kind"]
        verbose_name = verbose_name_plural = _("单位报告模板")
        constraints = [
            unique(
                "kind",
                rule="unique_kind",
                message=_("这类单位的报告模板已经存在。"),
                code="duplicate_unit_template",
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s报告模板") % {"kind": TemplateKind(self.kind).label}

    def clean(self) -> None:
        from .services import check_placeholders

        super().clean()
        check_placeholders([self.text], for_unit=True)


class UnitReport(WorkflowRecord):
    """A unit's own annual report for a year, reviewed like any record.

    Its text is the unit's ``Report`` (started from its kind's ``UnitTemplate``), written by
    the unit's liaison while a draft or returned; submitted, it waits in the office's review
    queue; the office returns it with a comment or approves it, and approving publishes it
    (a frozen ``PublishedReport``). An approved report is changed by reopening it.
    """

    year_field = "year"

    year = models.PositiveIntegerField(_("年度"))
    report = models.OneToOneField(
        Report, verbose_name=_("报告正文"), on_delete=models.PROTECT, related_name="review"
    )

    class Meta:
        ordering = ["-year", "unit__code"]
        verbose_name = verbose_name_plural = _("单位年度报告")
        constraints = [
            unique(
                "unit",
                "year",
                rule="unique_unit_year",
                message=_("该单位该年度的报告已经存在。"),
                code="duplicate_unit_report",
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s%(year)s年度法治政府建设情况报告") % {
            "unit": self.unit.name,
            "year": self.year,
        }

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.year]) + f"?unit={self.unit.code}"

    def changes_kept_elsewhere(self, since: datetime.datetime) -> list[tuple[str, str, str]]:
        """The report's sections whose heading or text changed since ``since`` (the version
        the office last returned or approved), by their place in the report."""
        then = {
            row.order: row for row in Section.history.as_of(since).filter(report_id=self.report_id)
        }
        now = {section.order: section for section in self.report.sections.all()}
        changes = []
        for order in sorted(then.keys() | now.keys()):
            old, new = _section_text(then.get(order)), _section_text(now.get(order))
            if old != new:
                changes.append(
                    (_("报告正文第 %(n)d 节") % {"n": order + 1}, old or "—", new or "—")
                )
        return changes

    def after_transition(self, action: Action, *, by) -> None:
        """Approving publishes the text as it stands, frozen with the unit's figures."""
        if action in (Action.APPROVE, Action.APPROVE_DIRECTLY):
            from .services import publish

            publish(self.report, by=by)


def _section_text(section) -> str:
    """A section as a reviewer compares it: its heading, then its text."""
    if section is None:
        return ""
    return "\n".join(part for part in (section.heading, section.body) if part)
