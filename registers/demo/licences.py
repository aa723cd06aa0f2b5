"""Demo data: the 2017 "27证合一" reform — 27 certificate and filing items of district
departments merged into the business licence; the first such licence was issued on
1 August 2017.

Idempotent: the batch is looked up by name and each item by (batch, name).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from registers.models import IntegratedItem, IntegratedItemKind, LicenceReformBatch, Unit

from .units import office_user
from .writes import upsert, upsert_approved

BATCH = {
    "name": "27证合一",
    "reform_on": datetime.date(2017, 8, 1),
    "basis": "湖北省“多证合一”改革实施方案（在“五证合一、一照一码”基础上整合涉企证照事项）",
    "first_licence_on": datetime.date(2017, 8, 1),
}

# (department code, item name, kind)
ITEMS = [
    ("D05", "保安服务公司分公司备案", IntegratedItemKind.FILING),
    ("D05", "公章刻制备案", IntegratedItemKind.FILING),
    ("D05", "自行招用保安员单位备案", IntegratedItemKind.FILING),
    ("D25", "粮食收购许可备案", IntegratedItemKind.FILING),
    ("D16", "对外贸易经营者备案登记", IntegratedItemKind.REGISTRATION),
    ("D16", "外商投资企业设立及变更备案", IntegratedItemKind.FILING),
    ("D16", "再生资源回收经营者备案", IntegratedItemKind.FILING),
    ("D16", "国际货运代理企业备案", IntegratedItemKind.FILING),
    ("D16", "单用途商业预付卡发卡企业备案", IntegratedItemKind.FILING),
    ("D16", "二手车交易市场经营者和二手车经营主体备案", IntegratedItemKind.FILING),
    ("D16", "拍卖企业分公司备案", IntegratedItemKind.FILING),
    ("D28", "旅行社分社设立备案", IntegratedItemKind.FILING),
    ("D28", "旅行社服务网点设立备案", IntegratedItemKind.FILING),
    ("D27", "房地产经纪机构及其分支机构备案", IntegratedItemKind.FILING),
    ("D27", "物业服务企业备案", IntegratedItemKind.FILING),
    ("D11", "工程造价咨询企业设立分支机构备案", IntegratedItemKind.FILING),
    ("D11", "工程招标代理机构备案", IntegratedItemKind.FILING),
    ("D09", "劳务派遣单位设立分公司备案", IntegratedItemKind.FILING),
    ("D09", "人力资源服务机构设立分支机构备案", IntegratedItemKind.FILING),
    ("D09", "民办职业培训机构分支机构备案", IntegratedItemKind.FILING),
    ("D14", "农作物种子生产经营分支机构备案", IntegratedItemKind.FILING),
    ("D15", "林木种子生产经营分支机构备案", IntegratedItemKind.FILING),
    ("D26", "饲料和饲料添加剂经营备案", IntegratedItemKind.FILING),
    ("D08", "资产评估机构及其分支机构备案", IntegratedItemKind.FILING),
    ("D08", "代理记账机构分支机构备案", IntegratedItemKind.FILING),
    ("D17", "出版物发行单位设立分支机构备案", IntegratedItemKind.FILING),
    ("D34", "道路货物运输站（场）经营备案", IntegratedItemKind.FILING),
]


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()
    reviewed_at = timezone.make_aware(datetime.datetime(2017, 8, 1, 9, 0))
    batch, _created = upsert(
        LicenceReformBatch, {"name": BATCH["name"]}, {k: v for k, v in BATCH.items() if k != "name"}
    )
    for code, name, kind in ITEMS:
        upsert_approved(
            IntegratedItem,
            {"batch": batch, "name": name},
            {"unit": units[code], "kind": kind},
            by=office,
            reviewed_at=reviewed_at,
        )
    command.stdout.write(
        _("多证合一：%(batch)s，整合事项 %(count)d 项，首张执照 %(day)s")
        % {
            "batch": batch,
            "count": batch.approved_item_count(),
            "day": batch.first_licence_on,
        }
    )
