"""The office home (工作台): key figures beside last year's, charts, progress, the queue.

Everything is computed for the records the user may see, in a number of queries that does
not depend on how many records or units there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from registers.core import stamps
from registers.core.permissions import scope_key
from registers.models import PowerCategory
from registers.models.inspections import ResultKind
from reviews.deadline_board import Urgency, open_deadlines
from reviews.models import ReconsiderationCase
from reviews.models.evaluations import Grade
from reviews.models.reconsideration import AcceptanceDecision, ReconsiderationOutcome

from ..reports import figures as engine
from . import charts
from .records import Overview, overview

#: The figures shown as cards, in this order (keys of the report's figures engine).
KEY_FIGURES = [
    "inspection.items",
    "licences.integrated_items",
    "legality.reviews_completed",
    "legality.comment_drafts_answered",
    "cleanup.documents",
    "evaluation.files",
    "reconsideration.received",
    "litigation.cases",
    "litigation.head_appearance_rate",
]

#: How far ahead the deadline chart looks: far enough to hold every open deadline.
DEADLINE_CHART_HORIZON = 260


@dataclass
class FigureCard:
    figure: engine.Figure

    @property
    def trend(self) -> str:
        change = self.figure.change
        if change is None or change == 0:
            return "same"
        return "up" if change > 0 else "down"


@dataclass
class Dashboard:
    year: int
    overview: Overview
    cards: list[FigureCard]
    warnings: list[str]
    charts: list[charts.Chart]
    deadline_counts: dict[str, int]


def outcome_class(outcome: str, acceptance: str) -> str:
    """The chart's legend: a handful of outcome classes instead of seventeen outcomes."""
    if not outcome:
        if acceptance == AcceptanceDecision.NOT_ACCEPTED:
            return _("不予受理")
        return _("办理中")
    outcome = ReconsiderationOutcome(outcome)
    if outcome is ReconsiderationOutcome.UPHELD:
        return _("维持")
    if outcome.is_direct_correction:
        return _("纠错")
    if outcome in (
        ReconsiderationOutcome.CLAIM_REJECTED,
        ReconsiderationOutcome.APPLICATION_REJECTED,
    ):
        return _("驳回")
    if outcome in (ReconsiderationOutcome.MEDIATED, ReconsiderationOutcome.SETTLED):
        return _("调解、和解")
    return _("终止及其他")


def reconsideration_chart(user, year: int) -> charts.Chart:
    classes = [
        _("维持"),
        _("纠错"),
        _("驳回"),
        _("调解、和解"),
        _("终止及其他"),
        _("不予受理"),
        _("办理中"),
    ]
    by_class = {label: [0] * 12 for label in classes}
    rows = (
        ReconsiderationCase.objects.visible_to(user)
        .approved()
        .in_year(year)
        .annotate(month=ExtractMonth(ReconsiderationCase.year_field))
        .order_by()
        .values("month", "outcome", "acceptance")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        by_class[outcome_class(row["outcome"], row["acceptance"])][row["month"] - 1] += row["count"]
    colors = ["#1f5fa8", "#b3261e", "#8a5a00", "#1a7f37", "#6f42c1", "#57606a", "#0f6e78"]
    series = [
        charts.Series(label, values, colors[i])
        for i, (label, values) in enumerate(by_class.items())
        if any(values)
    ]
    return charts.stacked_columns(
        _("%(year)s年行政复议案件（按收到月份和结果）") % {"year": year},
        [_("%(month)s月") % {"month": m} for m in range(1, 13)],
        series,
        measure=_("件"),
        first_header=_("月份"),
    )


def power_chart(figure_set: engine.FigureSet, year: int) -> charts.Chart:
    items = [
        (str(category.label), figure_set[f"power.category_{category.value}"].value or 0)
        for category in PowerCategory
        if f"power.category_{category.value}" in figure_set
    ]
    return charts.horizontal_bars(
        _("权责清单事项（按类别，截至%(year)s年12月31日）") % {"year": year},
        items,
        measure=_("项"),
        headers=(_("类别"), _("事项数")),
    )


def grade_chart(figure_set: engine.FigureSet, year: int) -> charts.Chart:
    colors = {
        Grade.EXCELLENT: "#1a7f37",
        Grade.GOOD: "#1f5fa8",
        Grade.PASS: "#8a5a00",
        Grade.FAIL: "#b3261e",
    }
    items, item_colors = [], []
    for grade in Grade:
        key = f"evaluation.grade_{grade.value}"
        if key in figure_set:
            items.append((str(grade.label), figure_set[key].value or 0))
            item_colors.append(colors[grade])
    return charts.horizontal_bars(
        _("%(year)s年行政执法案卷评查等次") % {"year": year},
        items,
        measure=_("卷"),
        colors=item_colors,
        headers=(_("等次"), _("案卷数")),
    )


def inspection_results_chart(figure_set: engine.FigureSet, year: int) -> charts.Chart:
    """The year's checked targets by result, each with its share (the report's figures)."""
    items, notes = [], []
    for kind in ResultKind:
        count = figure_set.figures.get(f"draws.result_{kind.value}")
        share = figure_set.figures.get(f"draws.result_{kind.value}_share")
        if count is None or not count.value:
            continue
        items.append((str(kind.label), count.value))
        notes.append(f"{share.display}%" if share is not None else "")
    chart = charts.horizontal_bars(
        _("%(year)s年双随机抽查检查结果") % {"year": year},
        items,
        measure=_("个"),
        headers=(_("检查结果"), _("对象数"), _("占比")),
        notes=notes,
    )
    chart.empty_text = _("本年度还没有记录检查结果。")
    return chart


def deadline_chart(user, today: datetime.date) -> tuple[charts.Chart, dict[str, int]]:
    rows = open_deadlines(user, today, DEADLINE_CHART_HORIZON)
    counts = {urgency.value: 0 for urgency in Urgency}
    for row in rows:
        counts[row.urgency.value] += 1
    order = [Urgency.UPCOMING, Urgency.SOON, Urgency.OVERDUE]
    chart = charts.horizontal_bars(
        _("未办结的法定期限（截至%(today)s）") % {"today": today.isoformat()},
        [
            (
                {
                    Urgency.UPCOMING: _("未到期"),
                    Urgency.SOON: _("3个工作日内到期"),
                    Urgency.OVERDUE: _("已逾期"),
                }[u],
                counts[u.value],
            )
            for u in order
        ],
        measure=_("项"),
        colors=["#1a7f37", "#8a5a00", "#b3261e"],
        headers=(_("状态"), _("事项数")),
    )
    chart.empty_text = _("没有未办结的法定期限。")
    return chart, counts


def build(user, year: int | None, today: datetime.date, *, read_overview=None) -> Dashboard:
    """The office home's content, kept until the data changes (``registers/core/stamps.py``)
    for every user who sees the same records. Its overview is kept without the list of
    units (the page keeps that table as it is shown, from ``records.overview``); the page
    may give how it reads the overview for that table (``read_overview()``, for ``user``,
    ``year`` and ``today``), so that it is computed once."""
    return stamps.kept(
        "office_dashboard",
        (scope_key(user), year, today),
        lambda: _build(user, year, today, read_overview),
    )


def _build(user, year: int | None, today: datetime.date, read_overview=None) -> Dashboard:
    progress = read_overview() if read_overview else overview(user, year, today)
    year = progress.year
    figure_set = engine.compute_figures(year)
    cards = [FigureCard(figure_set[key]) for key in KEY_FIGURES if key in figure_set]
    deadlines, deadline_counts = deadline_chart(user, today)
    return Dashboard(
        year=year,
        overview=replace(progress, progress=[], not_started=[]),
        cards=cards,
        warnings=figure_set.warnings,
        charts=[
            reconsideration_chart(user, year),
            power_chart(figure_set, year),
            grade_chart(figure_set, year),
            inspection_results_chart(figure_set, year),
            deadlines,
        ],
        deadline_counts=deadline_counts,
    )
