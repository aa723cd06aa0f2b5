"""Government contracts and major administrative decisions (DOMAIN.md §5–6)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reviews.models import GovernmentContract, MajorDecision, StepKind

from ..figures import FigureDef, FigureGroup, Scope, register

TEN_THOUSAND = Decimal(10000)


def _contracts(scope: Scope):
    return scope.restrict(GovernmentContract.objects.approved())


@register
class ContractGroup(FigureGroup):
    key = "contracts"
    label = _("政府合同")
    figures = (
        FigureDef("lawyer_review_threshold_wan", _("律师审核金额标准"), "万元"),
        FigureDef("filing_threshold_wan", _("备案金额标准"), "万元"),
        FigureDef("signed", _("签订合同"), "份", records=lambda s: _contracts(s).in_year(s.year)),
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
            "signed": figures.signed,
            "lawyer_reviewed": figures.lawyer_reviewed,
            "filed": figures.filed,
            "missing_lawyer_review": figures.missing_lawyer_review,
            "missing_filing": figures.missing_filing,
        }


def _decisions(scope: Scope):
    return scope.restrict(MajorDecision.objects.approved().in_year(scope.year))


@register
class DecisionGroup(FigureGroup):
    key = "decisions"
    label = _("重大行政决策")
    figures = (
        FigureDef("catalogued", _("列入目录的重大行政决策"), "项", records=_decisions),
        FigureDef("legality_passed", _("经合法性审查通过"), "项"),
        FigureDef("discussed", _("经集体讨论决定"), "项"),
        FigureDef("published", _("已公布"), "项"),
        FigureDef("post_evaluated", _("开展决策后评估"), "项"),
        FigureDef("with_dissent", _("记录不同意见"), "项"),
        *(
            FigureDef(f"step_{kind.value}", _("%(step)s") % {"step": kind.label}, "项")
            for kind in StepKind
        ),
    )

    def compute(self, scope: Scope) -> dict:
        figures = scope.restrict(MajorDecision.objects.all()).figures(scope.year)
        return {
            "catalogued": figures.catalogued,
            "legality_passed": figures.legality_passed,
            "discussed": figures.discussed,
            "published": figures.published,
            "post_evaluated": figures.post_evaluated,
            "with_dissent": figures.with_dissent,
            **{
                f"step_{kind.value}": figures.steps[kind].done if kind in figures.steps else 0
                for kind in StepKind
            },
        }
