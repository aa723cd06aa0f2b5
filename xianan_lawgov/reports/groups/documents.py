"""Legality reviews, filings, clean-ups and the document register; licence integration."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from registers.models import DocumentKind, IntegratedItem
from reviews.models import (
    CleanupItem,
    CleanupOutcome,
    CommentDraftReply,
    Filing,
    FilingAuthority,
    LegalityReview,
    ReviewKind,
)

from ..figures import Check, FigureDef, FigureGroup, Scope, register
from .common import ChoiceFigures, approved_records

_integrated = approved_records(IntegratedItem)


@register
class LicenceGroup(FigureGroup):
    key = "licences"
    label = _("多证合一")
    figures = (
        FigureDef("integrated_items", _("整合到营业执照的事项"), "个", records=_integrated),
        FigureDef("batches", _("改革批次"), "批", district_only=True),
        FigureDef(
            "first_licence_on", _("首张多证合一营业执照颁发日期"), "日期", district_only=True
        ),
    )

    def compute(self, scope: Scope) -> dict:
        totals = _integrated(scope).aggregate(
            items=Count("pk"),
            batches=Count("batch", distinct=True),
            first=Min("batch__first_licence_on"),
        )
        return {
            "integrated_items": totals["items"],
            "batches": totals["batches"],
            "first_licence_on": totals["first"],
        }


_reviews = approved_records(LegalityReview)
_comment_replies = approved_records(CommentDraftReply)
BY_REVIEW_KIND = ChoiceFigures("reviews", ReviewKind)


def _filings(scope: Scope):
    return scope.restrict(
        Filing.objects.approved()
        .filed_with(FilingAuthority.MUNICIPAL_GOVERNMENT)
        .in_year(scope.year)
    )


@register
class LegalityGroup(FigureGroup):
    key = "legality"
    label = _("合法性审核与备案")
    figures = (
        FigureDef("reviews_completed", _("审核各类文件"), "件", records=_reviews),
        *BY_REVIEW_KIND.figures(
            "件", _("审核%(choice)s"), records=lambda s, kind: _reviews(s).of_kind(kind)
        ),
        FigureDef(
            "comment_drafts_answered", _("回复法规规章征求意见稿"), "件", records=_comment_replies
        ),
        FigureDef("normative_filed", _("向市政府报备规范性文件"), "件", records=_filings),
        FigureDef(
            "filed_on_time",
            _("按时报备"),
            "件",
            records=lambda s: _filings(s).on_time(),
        ),
        FigureDef("filed_late", _("逾期报备"), "件", records=lambda s: _filings(s).late()),
    )
    checks = (
        Check("reviews_completed", BY_REVIEW_KIND.keys()),
        Check("normative_filed", ("filed_on_time", "filed_late")),
    )

    def compute(self, scope: Scope) -> dict:
        by_kind = _reviews(scope).counts_by_kind()
        filings = _filings(scope).figures()
        return {
            "reviews_completed": sum(by_kind.values()),
            **BY_REVIEW_KIND.values(by_kind),
            "comment_drafts_answered": _comment_replies(scope).count(),
            "normative_filed": filings["filed"],
            "filed_on_time": filings["on_time"],
            "filed_late": filings["late"],
        }


def _cleaned(scope: Scope):
    return scope.restrict(CleanupItem.objects.confirmed_in(scope.year))


NORMATIVE_OUTCOMES = {
    "normative_continued": CleanupOutcome.CONTINUE,
    "normative_amended": CleanupOutcome.AMEND,
    "normative_repealed": CleanupOutcome.REPEAL,
    "normative_expired": CleanupOutcome.EXPIRE,
}
NON_NORMATIVE_OUTCOMES = {
    "non_normative_in_validity": CleanupOutcome.IN_VALIDITY,
    "non_normative_past_validity": CleanupOutcome.PAST_VALIDITY,
    "non_normative_to_revise": CleanupOutcome.TO_REVISE,
}


def _outcome_figure(key: str, kind: DocumentKind, outcome: CleanupOutcome) -> FigureDef:
    return FigureDef(
        key,
        _("%(kind)s%(outcome)s") % {"kind": kind.label, "outcome": outcome.label},
        "份",
        records=lambda s: _cleaned(s).of_kind(kind).with_outcome(outcome),
    )


@register
class CleanupGroup(FigureGroup):
    key = "cleanup"
    label = _("文件清理")
    figures = (
        FigureDef("documents", _("清理文件"), "份", records=_cleaned),
        FigureDef(
            "normative",
            _("规范性文件"),
            "份",
            records=lambda s: _cleaned(s).of_kind(DocumentKind.NORMATIVE),
        ),
        FigureDef(
            "non_normative",
            _("非规范性文件"),
            "份",
            records=lambda s: _cleaned(s).of_kind(DocumentKind.NON_NORMATIVE),
        ),
        *(
            _outcome_figure(key, DocumentKind.NORMATIVE, outcome)
            for key, outcome in NORMATIVE_OUTCOMES.items()
        ),
        *(
            _outcome_figure(key, DocumentKind.NON_NORMATIVE, outcome)
            for key, outcome in NON_NORMATIVE_OUTCOMES.items()
        ),
    )
    checks = (
        Check("documents", ("normative", "non_normative")),
        Check("normative", tuple(NORMATIVE_OUTCOMES)),
        Check("non_normative", tuple(NON_NORMATIVE_OUTCOMES)),
    )

    def compute(self, scope: Scope) -> dict:
        # One pass with a count per (kind, outcome): cheaper than GROUP BY over the items.
        pairs = {
            **{key: (DocumentKind.NORMATIVE, o) for key, o in NORMATIVE_OUTCOMES.items()},
            **{key: (DocumentKind.NON_NORMATIVE, o) for key, o in NON_NORMATIVE_OUTCOMES.items()},
        }
        return _cleaned(scope).aggregate(
            documents=Count("pk"),
            normative=Count("pk", filter=Q(document__kind=DocumentKind.NORMATIVE)),
            non_normative=Count("pk", filter=Q(document__kind=DocumentKind.NON_NORMATIVE)),
            **{
                key: Count("pk", filter=Q(document__kind=kind, outcome=outcome))
                for key, (kind, outcome) in pairs.items()
            },
        )
