"""Reconsideration, litigation and supervision figures (DOMAIN.md §8–10)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.deadlines import DeadlineInputError
from reviews.models.litigation import LitigationCase, OutcomeClass
from reviews.models.reconsideration import (
    AcceptanceDecision,
    ReconsiderationCase,
    ReconsiderationOutcome,
)
from reviews.models.supervision import AccountabilityRecord, CriminalTransfer, RectificationProblem

from ..figures import Check, FigureDef, FigureGroup, Scope, register
from .common import ChoiceFigures, approved_records, counted_in_year, picked

_reconsideration = approved_records(ReconsiderationCase, of_year=False)
_litigation = approved_records(LitigationCase, of_year=False)
BY_OUTCOME = ChoiceFigures("outcome", ReconsiderationOutcome)


def _concluded_as(outcome_class: OutcomeClass):
    return lambda s: _litigation(s).concluded_in(s.year).with_outcome_class(outcome_class)


@register
class ReconsiderationGroup(FigureGroup):
    key = "reconsideration"
    label = _("行政复议")
    figures = (
        FigureDef("received", _("收到复议申请"), "件", records=counted_in_year(_reconsideration)),
        FigureDef(
            "accepted",
            _("受理（含视为受理）"),
            "件",
            records=counted_in_year(_reconsideration, "accepted_in"),
        ),
        FigureDef(
            "not_accepted",
            _("不予受理"),
            "件",
            records=counted_in_year(_reconsideration, "not_accepted_in"),
        ),
        FigureDef(
            "concluded", _("审结"), "件", records=counted_in_year(_reconsideration, "concluded_in")
        ),
        FigureDef("direct_correction_rate", _("直接纠错率"), "%"),
        FigureDef("comprehensive_correction_rate", _("综合纠错率"), "%"),
        FigureDef("mediation_settlement_rate", _("调解和解率"), "%"),
        *BY_OUTCOME.figures(
            "件",
            _("审结：%(choice)s"),
            records=lambda s, o: _reconsideration(s).concluded_in(s.year).filter(outcome=o),
        ),
    )

    def compute(self, scope: Scope) -> dict:
        figures = _reconsideration(scope).figures(scope.year)
        return {
            **picked(
                figures,
                "received",
                "accepted",
                "not_accepted",
                "concluded",
                "direct_correction_rate",
                "comprehensive_correction_rate",
                "mediation_settlement_rate",
            ),
            **BY_OUTCOME.values(figures.outcomes),
        }

    def warnings(self, scope: Scope) -> list[str]:
        """Applications accepted by law in the year (their acceptance review ended with no
        decision recorded) are not in “受理” until the register says so."""
        today, calendar = timezone.localdate(), get_calendar()
        undecided = _reconsideration(scope).filter(
            acceptance="", received_on__lte=datetime.date(scope.year, 12, 31)
        )
        numbers = []
        for case in undecided.order_by("received_on", "number"):
            try:
                if case.acceptance_unrecorded(today, calendar):
                    accepted_on = case.accepted_by_law_on(calendar)
                    if accepted_on is not None and accepted_on.year == scope.year:
                        numbers.append(case.number)
            except DeadlineInputError:
                continue  # inconsistent dates; the case page shows the error
        if not numbers:
            return []
        return [
            gettext(
                "行政复议：%(count)s 件申请（%(numbers)s）受理审查期限已届满而未记录受理结果，"
                "依法视为受理，但没有计入“受理”。请在台账中记录为“%(deemed)s”。"
            )
            % {
                "count": len(numbers),
                "numbers": "、".join(numbers),
                "deemed": AcceptanceDecision.DEEMED_ACCEPTED.label,
            }
        ]


@register
class LitigationGroup(FigureGroup):
    key = "litigation"
    label = _("行政应诉")
    figures = (
        FigureDef("cases", _("行政应诉案件"), "件", records=counted_in_year(_litigation)),
        FigureDef("heard", _("开庭审理"), "件", records=counted_in_year(_litigation, "heard_in")),
        FigureDef("head_appearances", _("负责人出庭应诉"), "件"),
        FigureDef("head_appearance_rate", _("负责人出庭率"), "%"),
        FigureDef(
            "concluded", _("审结"), "件", records=counted_in_year(_litigation, "concluded_in")
        ),
        FigureDef("wins", _("胜诉"), "件", records=_concluded_as(OutcomeClass.WIN)),
        FigureDef("losses", _("败诉"), "件", records=_concluded_as(OutcomeClass.LOSS)),
        FigureDef("withdrawn", _("撤诉"), "件", records=_concluded_as(OutcomeClass.WITHDRAWN)),
        FigureDef("other_endings", _("其他方式结案"), "件"),
        FigureDef("loss_rate", _("败诉率"), "%"),
        FigureDef("win_rate", _("胜诉率"), "%"),
    )
    checks = (Check("concluded", ("wins", "losses", "withdrawn", "other_endings")),)

    def compute(self, scope: Scope) -> dict:
        figures = _litigation(scope).figures(scope.year)
        appearance = figures.head_appearance_rate
        classes = figures.outcome_classes
        return {
            "cases": figures.cases,
            "heard": appearance.denominator,
            "head_appearances": appearance.numerator,
            "concluded": figures.concluded,
            "wins": classes[OutcomeClass.WIN],
            "losses": classes[OutcomeClass.LOSS],
            "withdrawn": classes[OutcomeClass.WITHDRAWN],
            "other_endings": classes[OutcomeClass.OTHER],
            "head_appearance_rate": appearance,
            "loss_rate": figures.loss_rate,
            "win_rate": figures.win_rate,
        }


_accountability = approved_records(AccountabilityRecord, of_year=False)
_transfers = approved_records(CriminalTransfer, of_year=False)
_problems = approved_records(RectificationProblem, of_year=False)


@register
class SupervisionGroup(FigureGroup):
    key = "supervision"
    label = _("监督问责与专项治理")
    figures = (
        FigureDef("accountability", _("纠错问责"), "件", records=counted_in_year(_accountability)),
        FigureDef(
            "criminal_transfers", _("移送涉嫌犯罪案件"), "件", records=counted_in_year(_transfers)
        ),
        FigureDef(
            "rectifications_due",
            _("专项治理问题（当年到期）"),
            "个",
            records=counted_in_year(_problems),
        ),
        FigureDef(
            "rectified",
            _("专项治理问题已整改"),
            "个",
            records=counted_in_year(_problems, "rectified_in"),
        ),
    )

    def compute(self, scope: Scope) -> dict:
        year = scope.year
        measures = _accountability(scope).measure_counts(year)
        problems = _problems(scope).year_counts(year)
        return {
            "accountability": sum(measures.values()),
            "criminal_transfers": _transfers(scope).transferred_count(year),
            "rectifications_due": problems["due"],
            "rectified": problems["rectified"],
        }
