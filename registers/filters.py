"""What users filter the registers by in the API: unit, year, status, kind, date ranges.

Free-text search is the ``search`` parameter (each viewset's ``search_fields``); ordering is
``ordering``. Date ranges are ``<field>__gte`` / ``<field>__lte``. A register filtered by its
own fields only names them on its viewset (``filterset_fields``); its filterset is built there.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from registers import models
from registers.core.api.filtering import OwnedFilter, WorkflowFilter, lookups, year_of


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.UnitKind.choices, label=_("类别"))
    active = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label=_("存续")
    )

    class Meta:
        model = models.Unit
        fields = ["kind", "is_enforcement_body", "active"]


class PowerItemFilter(WorkflowFilter):
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on", label=_("在该日有效（按日期查看清单）")
    )
    current = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label=_("现行版本")
    )

    class Meta:
        model = models.PowerItem
        fields = lookups(
            "list_kind", "category", "township_duty", "code", ranges=("effective_from",)
        )

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)


class PowerAdjustmentFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="item__unit", label=_("单位编号"))
    unit_code = django_filters.CharFilter(field_name="item__unit__code", label=_("单位代码"))
    year = year_of("adjusted_on")

    class Meta:
        model = models.PowerAdjustment
        fields = lookups("item", "kind", "reason_kind", ranges=("adjusted_on",))


class InspectionTargetFilter(OwnedFilter):
    class Meta:
        model = models.InspectionTarget
        fields = ["is_active", "credit_code"]
