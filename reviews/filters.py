"""What users filter reviews and cases by in the API: unit, year, status, kind or outcome,
date ranges (``<field>__gte`` / ``<field>__lte``). Registers filtered by their own fields only
name them on their viewsets (``filterset_fields``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from registers.core.api.filtering import WorkflowFilter, YearFilter, lookups, year_of
from reviews import models


class LegalityReviewFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.LegalityReview
        fields = lookups("kind", "result", ranges=("received_on", "completed_on"))


class CommentDraftReplyFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.CommentDraftReply
        fields = lookups("kind", ranges=("received_on", "replied_on"))


class FilingFilter(WorkflowFilter):
    year = year_of("document__issued_on")
    filed = django_filters.BooleanFilter(
        field_name="filed_on", lookup_expr="isnull", exclude=True, label=_("已报备")
    )

    class Meta:
        model = models.Filing
        fields = lookups("filed_with", "document", ranges=("filed_on",))


class CleanupCampaignFilter(WorkflowFilter):
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_on", lookup_expr="isnull", exclude=True, label=_("已确认")
    )

    class Meta:
        model = models.CleanupCampaign
        fields = lookups("year", ranges=("started_on", "confirmed_on"))


class GovernmentContractFilter(WorkflowFilter):
    year = year_of("signed_on")

    class Meta:
        model = models.GovernmentContract
        fields = lookups(ranges=("signed_on", "amount", "lawyer_reviewed_on", "filed_on"))


class MajorDecisionFilter(WorkflowFilter):
    year = YearFilter("catalogue__year", label=_("目录年度"))

    class Meta:
        model = models.MajorDecision
        fields = lookups(
            "catalogue", "category", "legality_review_result", ranges=("discussed_on",)
        )


class EvaluatedFileFilter(WorkflowFilter):
    year = YearFilter("round__year", label=_("评查年度"))

    class Meta:
        model = models.EvaluatedFile
        fields = lookups("round", "case_type", ranges=("evaluated_on",))


class EvaluationProblemFilter(django_filters.FilterSet):
    rectified = django_filters.BooleanFilter(
        field_name="rectified_on", lookup_expr="isnull", exclude=True, label=_("已整改")
    )

    class Meta:
        model = models.EvaluationProblem
        fields = lookups("file", ranges=("due_on",))


class ReconsiderationCaseFilter(WorkflowFilter):
    year = year_of("received_on")

    class Meta:
        model = models.ReconsiderationCase
        fields = lookups(
            "procedure", "acceptance", "outcome", ranges=("received_on", "concluded_on")
        )


class LitigationCaseFilter(WorkflowFilter):
    year = year_of("served_on")

    class Meta:
        model = models.LitigationCase
        fields = lookups("trial_instance", "outcome", ranges=("served_on", "concluded_on"))


class AccountabilityRecordFilter(WorkflowFilter):
    year = year_of("decided_on")

    class Meta:
        model = models.AccountabilityRecord
        fields = lookups("conduct", "measure", ranges=("decided_on",))


class CriminalTransferFilter(WorkflowFilter):
    year = year_of("reported_on")

    class Meta:
        model = models.CriminalTransfer
        fields = lookups("decision", "police_decision", ranges=("reported_on", "transferred_on"))


class RectificationProblemFilter(WorkflowFilter):
    year = year_of("due_on")

    class Meta:
        model = models.RectificationProblem
        fields = lookups("source", ranges=("found_on", "due_on", "rectified_on"))
