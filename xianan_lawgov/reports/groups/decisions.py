"""Government contracts and major administrative decisions (DOMAIN.md §5–6)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reviews.models import GovernmentContract, MajorDecision, StepKind

from ..figures import FigureDef, FigureGroup, Scope, register
from .common import ChoiceFigures, approved_records, counted_in_year, picked

TEN_THOUSAND = Decimal(10000)


_contracts = approved_records(GovernmentContract, of_year=False)


@register
class ContractGroup(FigureGroup):
    key = "contracts"
    label = _("政府合同")
    figures = (
        FigureDef("lawyer_review_threshold_wan", _("律师审核金额标准"), "万元"),
        FigureDef("filing_threshold_wan", _("备案金额标准"), "万元"),
        FigureDef("signed", _("签订合同"), "份", records=counted_in_year(_contracts)),
        FigureDef(
            "lawyer_reviewed",
            _("律师审核的合同"),
            "份",
            records=lambda s: _contracts(s).needing_lawyer_review().lawyer_reviewed_in(s.year),
        ),
        FigureDef(
            "filed",
            _("备案的合同"),
            "份",
            records=lambda s: _contracts(s).needing_filing().filed_in(s.year),
        ),
        FigureDef(
            "missing_lawyer_review",
            _("应审未审"),
            "份",
            records=lambda s: _contracts(s).in_year(s.year).missing_lawyer_review(),
        ),
        FigureDef(
            "missing_filing",
            _("应备未备"),
            "份",
            records=lambda s: _contracts(s).in_year(s.year).missing_filing(),
        ),
    )

    def compute(self, scope: Scope) -> dict:
        figures = scope.restrict(GovernmentContract.objects.all()).figures(scope.year)
        return {
            "lawyer_review_threshold_wan": figures.lawyer_review_threshold / TEN_THOUSAND,
            "filing_threshold_wan": figures.filing_threshold / TEN_THOUSAND,
            **picked(
                figures,
                "signed",
                "lawyer_reviewed",
                "filed",
                "missing_lawyer_review",
                "missing_filing",
            ),
        }


BY_STEP = ChoiceFigures("step", StepKind)


@register
class DecisionGroup(FigureGroup):
    key = "decisions"
    label = _("重大行政决策")
    figures = (
        FigureDef(
            "catalogued",
            _("列入目录的重大行政决策"),
            "项",
            records=approved_records(MajorDecision),
        ),
        FigureDef("legality_passed", _("经合法性审查通过"), "项"),
        FigureDef("discussed", _("经集体讨论决定"), "项"),
        FigureDef("published", _("已公布"), "项"),
        FigureDef("post_evaluated", _("开展决策后评估"), "项"),
        FigureDef("with_dissent", _("记录不同意见"), "项"),
        *BY_STEP.figures("项"),
    )

    def compute(self, scope: Scope) -> dict:
        figures = scope.restrict(MajorDecision.objects.all()).figures(scope.year)
        return {
            **picked(
                figures,
                "catalogued",
                "legality_passed",
                "discussed",
                "published",
                "post_evaluated",
                "with_dissent",
            ),
            **BY_STEP.values({kind: step.done for kind, step in figures.steps.items()}),
        }
