import django_filters
from django.utils.translation import gettext_lazy as _

from registers.models import Unit, UnitKind


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("类别"))
    active = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label=_("存续")
    )

    class Meta:
        model = Unit
        fields = ["kind", "is_enforcement_body", "active"]
