"""What users filter reviews and cases by in the API: unit, year, status, kind or outcome,
date ranges (``<field>__gte`` / ``<field>__lte``). Registers filtered by their own fields only
name them on their viewsets (``filterset_fields``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from registers.core.api.filtering import WorkflowFilter, YearFilter, lookups, year_of
from reviews import models


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
