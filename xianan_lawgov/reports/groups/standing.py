"""Standing lists counted as of 31 December: power lists and random-inspection items."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registers.models import (
    InspectionItem,
    InspectionKind,
    ListKind,
    ListLevel,
    PowerCategory,
    PowerItem,
)

from ..figures import Check, FigureDef, FigureGroup, Scope, register
from .common import ChoiceFigures, approved_records

# A standing list: the approved versions in force on 31 December (``in_year``).
_power = approved_records(PowerItem)
BY_CATEGORY = ChoiceFigures("category", PowerCategory)


@register
class PowerListGroup(FigureGroup):
    key = "power"
    label = _("权责清单（截至12月31日）")
    figures = (
        FigureDef(
            "items",
            _("权责清单事项"),
            "项",
            records=lambda s: _power(s).power_list(),
        ),
        FigureDef(
            "district_items",
            _("区级权责清单事项"),
            "项",
            records=lambda s: _power(s).power_list().district_level(),
        ),
        FigureDef(
            "township_items",
            _("乡镇（街道）权责清单事项"),
            "项",
            records=lambda s: _power(s).power_list().township_level(),
        ),
        FigureDef(
            "negative_items",
            _("负面清单事项"),
            "项",
            records=lambda s: _power(s).negative_list(),
        ),
        FigureDef("fee_items", _("收费清单事项"), "项", records=lambda s: _power(s).fee_list()),
        *BY_CATEGORY.figures("项", records=lambda s, c: _power(s).power_list().in_category(c)),
    )
    checks = (
        Check("items", ("district_items", "township_items")),
        Check("items", BY_CATEGORY.keys()),
    )

    def compute(self, scope: Scope) -> dict:
        counts = {
            (row["list_kind"], row["level"], row["category"]): row["count"]
            for row in _power(scope).count_by("list_kind", "level", "category")
        }

        def total(kind=None, level=None, category=None) -> int:
            return sum(
                n
                for (k, lv, c), n in counts.items()
                if kind in (None, k) and level in (None, lv) and category in (None, c)
            )

        return {
            "items": total(ListKind.POWER),
            "district_items": total(ListKind.POWER, ListLevel.DISTRICT),
            "township_items": total(ListKind.POWER, ListLevel.TOWNSHIP),
            "negative_items": total(ListKind.NEGATIVE),
            "fee_items": total(ListKind.FEE),
            **BY_CATEGORY.values({c: total(ListKind.POWER, category=c) for c in PowerCategory}),
        }


def _inspection_items(scope: Scope):
    return scope.restrict(InspectionItem.objects.published_list(scope.year))


@register
class InspectionListGroup(FigureGroup):
    key = "inspection"
    label = _("双随机一公开：随机抽查事项清单")
    figures = (
        FigureDef("items", _("随机抽查事项"), "项", records=_inspection_items),
        FigureDef(
            "items_administrative",
            _("行政检查事项"),
            "项",
            records=lambda s: _inspection_items(s).administrative(),
        ),
        FigureDef(
            "items_other",
            _("不属行政检查但有法律依据的检查事项"),
            "项",
            records=lambda s: _inspection_items(s).other_with_legal_basis(),
        ),
        FigureDef("units", _("有抽查事项的单位"), "个", district_only=True),
    )
    checks = (Check("items", ("items_administrative", "items_other")),)

    def compute(self, scope: Scope) -> dict:
        return _inspection_items(scope).aggregate(
            items=Count("pk"),
            items_administrative=Count("pk", filter=Q(kind=InspectionKind.ADMINISTRATIVE)),
            items_other=Count("pk", filter=Q(kind=InspectionKind.OTHER)),
            units=Count("unit", distinct=True),
        )
