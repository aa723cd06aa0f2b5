"""Excel resources of the registers app: one per register, built on ``.base``.

Each lists the columns a user fills, in the order of the admin form; the reviews app keeps
its own in ``reviews.resources``. Resources with a ``slug`` also have a template and an
upload on the data-exchange page (``registers.core.exchange``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields

from registers.core.exchange.columns import LenientDateWidget
from registers.models import (
    Document,
    EnforcementBody,
    InspectionDraw,
    InspectionItem,
    InspectionTarget,
    IntegratedItem,
    LicenceReformBatch,
    Officer,
    PowerItem,
    Unit,
)

from .base import ScopedResource, WorkflowResource, register_meta

__all__ = [
    "DocumentResource",
    "EXCHANGE_RESOURCES",
    "EnforcementBodyResource",
    "InspectionDrawResource",
    "InspectionItemResource",
    "InspectionTargetResource",
    "IntegratedItemResource",
    "LicenceReformBatchResource",
    "OfficerResource",
    "PowerItemResource",
    "ScopedResource",
    "UnitResource",
    "WorkflowResource",
]


class PowerItemResource(WorkflowResource):
    """Power, negative and fee list items; approving one records its 新增 (``PowerItem``)."""

    slug = "power-items"
    match_key = ("unit", "list_kind", "code")
    closed_on = fields.Field(
        attribute="closed_on",
        column_name=_("失效日期"),
        readonly=True,
        widget=LenientDateWidget(),
    )
    version = fields.Field(attribute="version", column_name=_("版本"), readonly=True)
    example = {
        "list_kind": "权责清单",
        "code": "XK-001",
        "name": "餐饮服务许可",
        "category": "行政许可",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "handling_office": "行政审批科",
        "accountability": "对符合条件的申请不予受理的",
        "supervision": "投诉举报、执法检查",
        "effective_from": datetime.date(2017, 1, 1),
        "basis_document": "咸安政办发〔2016〕12号",
    }

    Meta = register_meta(PowerItem)


class InspectionItemResource(WorkflowResource):
    """The random-inspection item list; check points (检查表) are entered on the item's page."""

    slug = "inspection-items"
    match_key = ("year", "code")
    example = {
        "year": 2017,
        "code": "SJ-001",
        "name": "企业公示信息抽查",
        "sub_item": "年度报告公示信息",
        "kind": "行政检查事项",
        "field": "工商市场监管",
        "legal_basis": "《企业信息公示暂行条例》第十四条",
        "method": "书面检查、实地核查",
        "content": "企业年度报告公示信息的真实性",
        "ratio": Decimal("5"),
        "frequency": "每年不少于1次",
        "published_on": datetime.date(2017, 3, 1),
    }

    Meta = register_meta(InspectionItem)


class InspectionTargetResource(ScopedResource):
    """A unit's inspection-target pool (检查对象名录库)."""

    slug = "inspection-targets"
    match_key = ("unit", "credit_code")
    example = {
        "name": "咸安区示例商贸有限公司",
        "credit_code": "91421202MA49XE0A2K",
        "legal_representative": "张三",
        "address": "咸安区永安大道1号",
        "contact": "0715-8000000",
        "is_active": True,
    }

    Meta = register_meta(InspectionTarget)


class InspectionDrawResource(WorkflowResource):
    """Draws are made by the draw service and only exported."""

    item_code = fields.Field(attribute="item__code", column_name=_("事项编码"), readonly=True)
    item_name = fields.Field(attribute="item__name", column_name=_("抽查事项"), readonly=True)

    class Meta(WorkflowResource.Meta):
        model = InspectionDraw
        fields = [
            "unit",
            "item_code",
            "item_name",
            "batch",
            "drawn_on",
            "ratio",
            "target_count",
            "inspectors_per_target",
            "seed",
            "candidates_hash",
            "check_ended_on",
            "published_on",
            "note",
            "status",
        ]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("item")


class EnforcementBodyResource(WorkflowResource):
    slug = "enforcement-bodies"
    example = {
        "name": "咸安区示例执法大队",
        "kind": "法律法规授权组织",
        "legal_basis": "《湖北省示例管理条例》第五条",
    }

    Meta = register_meta(EnforcementBody)


class OfficerResource(WorkflowResource):
    """Enforcement officers; the body is named as registered by the officer's unit."""

    slug = "officers"
    match_key = ("certificate_number",)
    example = {
        "name": "李四",
        "certificate_number": "42120217001",
        "field": "城市管理",
        "issued_on": datetime.date(2017, 1, 1),
        "expires_on": datetime.date(2022, 12, 31),
    }

    Meta = register_meta(Officer)


class DocumentResource(WorkflowResource):
    slug = "documents"
    match_key = ("number",)
    example = {
        "title": "咸安区示例管理暂行办法",
        "number": "咸安政规〔2017〕1号",
        "kind": "规范性文件",
        "issued_on": datetime.date(2017, 3, 20),
        "effective_on": datetime.date(2017, 4, 20),
        "note": "",
    }

    Meta = register_meta(Document)


class IntegratedItemResource(WorkflowResource):
    slug = "integrated-items"
    example = {
        "name": "示例备案",
        "kind": "备案",
        "basis": "《示例管理办法》第十条",
    }

    Meta = register_meta(IntegratedItem)


# --- Reference data: export (and, for units, the office's import) ---------------------------


class UnitResource(ScopedResource):
    example = {
        "code": "D99",
        "name": "咸安区示例局",
        "short_name": "示例局",
        "kind": "区直部门",
        "is_enforcement_body": True,
    }

    Meta = register_meta(Unit)


class LicenceReformBatchResource(ScopedResource):
    Meta = register_meta(LicenceReformBatch)


#: Registers of this app on the data-exchange page, in the order it lists them.
EXCHANGE_RESOURCES = [
    PowerItemResource,
    InspectionItemResource,
    InspectionTargetResource,
    EnforcementBodyResource,
    OfficerResource,
    DocumentResource,
    IntegratedItemResource,
]
