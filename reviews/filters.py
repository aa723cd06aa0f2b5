"""What users filter reviews and cases by in the API: unit, year, status, kind or outcome,
date ranges (``<field>__gte`` / ``<field>__lte``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from registers.core.api.filtering import YearFilter
from registers.filters import RANGE, WorkflowFilter
from reviews import models


def year_of(field: str) -> YearFilter:
    return YearFilter(field, lookup_expr="year")


class LegalityReviewFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.LegalityReview
        fields = {
            "kind": ["exact"],
            "result": ["exact"],
            "received_on": RANGE,
            "completed_on": RANGE,
        }


class CommentDraftReplyFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.CommentDraftReply
        fields = {"kind": ["exact"], "received_on": RANGE, "replied_on": RANGE}


class FilingFilter(WorkflowFilter):
    year = year_of("document__issued_on")
    filed = django_filters.BooleanFilter(
        field_name="filed_on", lookup_expr="isnull", exclude=True, label=_("已报备")
    )

    class Meta:
        model = models.Filing
        fields = {"filed_with": ["exact"], "document": ["exact"], "filed_on": RANGE}


class CleanupCampaignFilter(WorkflowFilter):
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_on", lookup_expr="isnull", exclude=True, label=_("已确认")
    )

    class Meta:
        model = models.CleanupCampaign
        fields = {"year": ["exact"], "started_on": RANGE, "confirmed_on": RANGE}


class CleanupItemFilter(django_filters.FilterSet):
    class Meta:
        model = models.CleanupItem
        fields = {"campaign": ["exact"], "document": ["exact"], "outcome": ["exact"]}


class GovernmentContractFilter(WorkflowFilter):
    year = year_of("signed_on")

    class Meta:
        model = models.GovernmentContract
        fields = {
            "signed_on": RANGE,
            "amount": RANGE,
            "lawyer_reviewed_on": RANGE,
            "filed_on": RANGE,
        }


class DecisionCatalogueFilter(django_filters.FilterSet):
    class Meta:
        model = models.DecisionCatalogue
        fields = ["year", "decision_body"]


class MajorDecisionFilter(WorkflowFilter):
    year = YearFilter("catalogue__year", label=_("目录年度"))

    class Meta:
        model = models.MajorDecision
        fields = {
            "catalogue": ["exact"],
            "category": ["exact"],
            "legality_review_result": ["exact"],
            "discussed_on": RANGE,
        }


class DecisionStepFilter(django_filters.FilterSet):
    class Meta:
        model = models.DecisionStep
        fields = ["decision", "kind", "applicable"]


class DecisionParticipantFilter(django_filters.FilterSet):
    class Meta:
        model = models.DecisionParticipant
        fields = ["decision", "stance"]


class EvaluationRoundFilter(django_filters.FilterSet):
    class Meta:
        model = models.EvaluationRound
        fields = {"year": ["exact"], "started_on": RANGE}


class EvaluatedFileFilter(WorkflowFilter):
    year = YearFilter("round__year", label=_("评查年度"))

    class Meta:
        model = models.EvaluatedFile
        fields = {"round": ["exact"], "case_type": ["exact"], "evaluated_on": RANGE}


class EvaluationProblemFilter(django_filters.FilterSet):
    rectified = django_filters.BooleanFilter(
        field_name="rectified_on", lookup_expr="isnull", exclude=True, label=_("已整改")
    )

    class Meta:
        model = models.EvaluationProblem
        fields = {"file": ["exact"], "due_on": RANGE}


class ReconsiderationCaseFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.ReconsiderationCase
        fields = {
            "procedure": ["exact"],
            "acceptance": ["exact"],
            "outcome": ["exact"],
            "received_on": RANGE,
            "concluded_on": RANGE,
        }


class ReconsiderationSuspensionFilter(django_filters.FilterSet):
    class Meta:
        model = models.ReconsiderationSuspension
        fields = ["case"]


class LitigationCaseFilter(WorkflowFilter):
    year = year_of("served_on")

    class Meta:
        model = models.LitigationCase
        fields = {
            "trial_instance": ["exact"],
            "outcome": ["exact"],
            "served_on": RANGE,
            "concluded_on": RANGE,
        }


class LitigationHearingFilter(django_filters.FilterSet):
    class Meta:
        model = models.LitigationHearing
        fields = {"case": ["exact"], "trial_instance": ["exact"], "held_on": RANGE}


class AccountabilityRecordFilter(WorkflowFilter):
    year = year_of("decided_on")

    class Meta:
        model = models.AccountabilityRecord
        fields = {"conduct": ["exact"], "measure": ["exact"], "decided_on": RANGE}


class CriminalTransferFilter(WorkflowFilter):
    year = year_of("reported_on")

    class Meta:
        model = models.CriminalTransfer
        fields = {
            "decision": ["exact"],
            "police_decision": ["exact"],
            "reported_on": RANGE,
            "transferred_on": RANGE,
        }


class RectificationProblemFilter(WorkflowFilter):
    year = year_of("due_on")

    class Meta:
        model = models.RectificationProblem
        fields = {"source": ["exact"], "found_on": RANGE, "due_on": RANGE, "rectified_on": RANGE}
