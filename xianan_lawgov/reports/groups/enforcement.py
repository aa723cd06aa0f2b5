"""Enforcement: double-random draws and their publication, case-file evaluations."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core import numbers
from registers.core.calendar import get_calendar
from registers.core.deadlines import Deadline
from registers.models import DrawnTarget, InspectionDraw
from registers.models.inspections import (
    ResultKind,
    publication_days,
    publication_deadline_after,
)
from reviews.models import CaseType, EvaluatedFile, Grade

from ..figures import Check, FigureDef, FigureGroup, Scope, register, shares
from .common import ChoiceFigures, approved_records, picked

_draws = approved_records(InspectionDraw)


def _targets(scope: Scope):
    return DrawnTarget.objects.filter(draw__in=_draws(scope))


def _checked(scope: Scope):
    return _targets(scope).checked()


def _with_result(kind: ResultKind):
    return lambda scope: _checked(scope).with_result(kind)


BY_RESULT = ChoiceFigures("result", ResultKind)


def _result_figures() -> tuple[FigureDef, ...]:
    """Per result class: the count of checked targets, and its share of those checked."""
    figures = []
    for kind in ResultKind:
        records = _with_result(kind)
        figures.append(
            FigureDef(
                BY_RESULT.key(kind),
                _("检查结果：%(result)s") % {"result": kind.label},
                "个",
                records=records,
            )
        )
        figures.append(
            FigureDef(
                f"{BY_RESULT.key(kind)}_share",
                _("检查结果占比：%(result)s") % {"result": kind.label},
                "%",
                records=records,
                number_format=numbers.SHARE,
            )
        )
    return tuple(figures)


def _on_time_label() -> str:
    # Read when the report is built, so the label states the period the figure counted with.
    return gettext("按期（%(days)s个工作日内）公示") % {"days": publication_days()}


@register
class DrawGroup(FigureGroup):
    key = "draws"
    label = _("双随机一公开：抽查与公示")
    figures = (
        FigureDef("draws", _("双随机抽取"), "次", records=_draws),
        FigureDef("targets", _("抽取检查对象"), "个", records=_targets),
        FigureDef("checked", _("已记录检查结果的对象"), "个", records=_checked),
        *_result_figures(),
        FigureDef(
            "published",
            _("结果已公示的抽查"),
            "次",
            records=lambda s: _draws(s).filter(published_on__isnull=False),
        ),
        FigureDef("published_on_time", lazy(_on_time_label, str)(), "次"),
        FigureDef("published_late", _("逾期公示"), "次"),
    )
    checks = (
        Check("published", ("published_on_time", "published_late")),
        Check("checked", BY_RESULT.keys()),
    )

    def warnings(self, scope: Scope) -> list[str]:
        """Whether a publication counted on time or late was held to a provisional due day
        (its year's holiday schedule not yet confirmed): the count may change when it is."""
        calendar = get_calendar()
        due_dates: dict[datetime.date, Deadline] = {}
        held, years = 0, set()
        for ended in (
            _draws(scope)
            .filter(check_ended_on__isnull=False, published_on__isnull=False)
            .values_list("check_ended_on", flat=True)
        ):
            deadline = due_dates.get(ended)
            if deadline is None:
                deadline = due_dates[ended] = publication_deadline_after(ended, calendar)
            if deadline.provisional:
                held += 1
                years.update(deadline.provisional_years)
        if not held:
            return []
        return [
            gettext(
                "%(count)d 次抽查的结果公示期限跨越节假日安排尚未确认的年度（%(years)s年），"
                "“按期公示”“逾期公示”暂按法定节日计算，确认该年度的节假日安排后可能变动。"
            )
            % {"count": held, "years": "、".join(str(year) for year in sorted(years))}
        ]

    def compute(self, scope: Scope) -> dict:
        # Results are counted per draw in the same query as the draws.
        rows = list(
            _draws(scope)
            .annotate(
                targets=Count("drawn_targets"),
                **{
                    BY_RESULT.key(kind): Count(
                        "drawn_targets", filter=Q(drawn_targets__result=kind)
                    )
                    for kind in ResultKind
                },
            )
            .values("check_ended_on", "published_on", "targets", *BY_RESULT.keys())
        )
        calendar = get_calendar()
        due_dates: dict[datetime.date, datetime.date] = {}  # checks often end on the same day
        on_time = late = 0
        for row in rows:
            ended, published = row["check_ended_on"], row["published_on"]
            if ended is None or published is None:
                continue
            due = due_dates.get(ended)
            if due is None:
                due = due_dates[ended] = publication_deadline_after(ended, calendar).due
            if published <= due:
                on_time += 1
            else:
                late += 1
        results = {key: sum(row[key] for row in rows) for key in BY_RESULT.keys()}
        basis = gettext("已记录检查结果的对象数")
        return {
            "draws": len(rows),
            "targets": sum(row["targets"] for row in rows),
            "checked": sum(results.values()),
            **results,
            **{f"{key}_share": share for key, share in shares(results, basis).items()},
            "published": sum(1 for row in rows if row["published_on"] is not None),
            "published_on_time": on_time,
            "published_late": late,
        }


_files = approved_records(EvaluatedFile)
BY_CASE_TYPE = ChoiceFigures("files", CaseType)
BY_GRADE = ChoiceFigures("grade", Grade)


@register
class EvaluationGroup(FigureGroup):
    key = "evaluation"
    label = _("行政执法案卷评查")
    figures = (
        FigureDef("rounds", _("评查次数"), "次"),
        FigureDef("units", _("被评查单位"), "个", district_only=True),
        FigureDef("files", _("评查案卷"), "卷", records=_files),
        *BY_CASE_TYPE.figures(
            "卷", _("%(choice)s案卷"), records=lambda s, t: _files(s).of_case_type(t)
        ),
        *BY_GRADE.figures("卷", _("评为%(choice)s"), records=lambda s, g: _files(s).graded(g)),
        FigureDef("vetoed", _("因否决项不合格"), "卷", records=lambda s: _files(s).vetoed()),
        FigureDef("problems", _("发现问题"), "个"),
        FigureDef("problems_rectified", _("问题已整改"), "个"),
    )
    checks = (Check("files", BY_CASE_TYPE.keys()),)

    def compute(self, scope: Scope) -> dict:
        figures = scope.restrict(EvaluatedFile.objects.all()).figures(scope.year)
        return {
            **picked(figures, "rounds", "units", "files"),
            **BY_CASE_TYPE.values(figures.by_case_type),
            **BY_GRADE.values(figures.by_grade),
            **picked(figures, "vetoed", "problems", "problems_rectified"),
        }
