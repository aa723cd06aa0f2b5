"""Demo data: the documents of 区政府 and 区政府办 in the normative-document register.

The 2017 clean-up covered 576 documents of the district government (G01) and its office
(G02): 21 normative and 555 non-normative, issued 2008–2017. The 21 normative documents are
listed one by one below; the 555 non-normative ones are generated from small tables of
document forms and subjects, spread over the years so that, on the day the clean-up was
confirmed, 367 + 125 are within their five-year validity and 63 are past it. The register
also holds the government's last normative document of 2017 and the decision publishing the
clean-up result, which were issued after the clean-up had started.

Idempotent: documents are looked up by number and only written when something differs.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.status import Status
from registers.core.workingdays import WorkingCalendar
from registers.models import Document, DocumentKind, Unit
from registers.models.documents import default_valid_until

from .units import office_user
from .writes import upsert_many

#: The day the 2017 clean-up was confirmed; validity is judged on it.
CLEANUP_CONFIRMED_ON = datetime.date(2017, 11, 30)
#: Documents issued up to this day were listed in the 2017 clean-up.
CLEANUP_COVERS_UNTIL = datetime.date(2017, 8, 31)

# --- The 21 normative documents in the clean-up ----------------------------------------------
# (issuer, issue date, title, outcome in the 2017 clean-up: "continue" or "repeal")
NORMATIVE = [
    ("G01", (2013, 4, 10), "咸安区城区户外广告设置管理办法", "repeal"),
    ("G01", (2013, 7, 22), "咸安区征收集体土地房屋补偿安置办法", "repeal"),
    ("G02", (2013, 9, 16), "咸安区城区出租汽车客运管理办法", "continue"),
    ("G01", (2014, 2, 20), "咸安区农村五保供养管理办法", "repeal"),
    ("G01", (2014, 5, 12), "咸安区城乡居民最低生活保障实施办法", "continue"),
    ("G02", (2014, 8, 25), "咸安区建设工程招标投标监督管理办法", "repeal"),
    ("G01", (2014, 11, 3), "咸安区行政事业性收费管理办法", "repeal"),
    ("G01", (2015, 1, 19), "咸安区人民政府重大行政决策程序规定", "continue"),
    ("G01", (2015, 4, 8), "咸安区城市管理相对集中行政处罚权实施办法", "continue"),
    ("G02", (2015, 6, 15), "咸安区畜禽养殖禁养区限养区划定和管理办法", "continue"),
    ("G01", (2015, 9, 7), "咸安区企业投资项目核准和备案管理办法", "repeal"),
    ("G02", (2015, 11, 23), "咸安区城区建筑垃圾管理办法", "continue"),
    ("G01", (2016, 1, 18), "咸安区政府投资项目管理办法", "continue"),
    ("G01", (2016, 3, 28), "咸安区城乡居民基本医疗保险实施办法", "continue"),
    ("G02", (2016, 5, 30), "咸安区城区餐厨废弃物管理暂行办法", "continue"),
    ("G02", (2016, 6, 27), "咸安区城区养犬管理办法", "continue"),
    ("G01", (2016, 8, 8), "咸安区矿产资源开发利用管理办法", "repeal"),
    ("G02", (2016, 10, 17), "咸安区中小企业融资担保资金管理办法", "repeal"),
    ("G01", (2016, 12, 5), "咸安区农村土地承包经营权流转管理办法", "continue"),
    ("G01", (2017, 3, 20), "咸安区政府投资项目合同管理办法", "continue"),
    ("G02", (2017, 6, 15), "咸安区行政执法全过程记录暂行办法", "continue"),
]

#: Normative documents issued since 2017 carry the unified 咸安政规 number (三统一).
NORMATIVE_PREFIX_FROM = 2017

# Documents issued after the clean-up began: not in it. (issuer, date, number, title, kind)
LATER = [
    (
        "G01",
        (2017, 11, 30),
        "咸安区人民政府关于公布规范性文件清理结果的决定",
        DocumentKind.NON_NORMATIVE,
    ),
    ("G01", (2017, 12, 20), "咸安区行政规范性文件管理办法", DocumentKind.NORMATIVE),
]

# --- The 555 non-normative documents --------------------------------------------------------
# Issue years of each clean-up outcome. Past validity: issued before 1 December 2012, so
# their five years had run out by the confirmation day; the rest after it.
NON_NORMATIVE_YEARS = {
    "past_validity": {2008: 8, 2009: 10, 2010: 13, 2011: 15, 2012: 17},
    "in_validity": {2012: 7, 2013: 52, 2014: 60, 2015: 70, 2016: 84, 2017: 94},
    "to_revise": {2013: 20, 2014: 22, 2015: 25, 2016: 28, 2017: 30},
}

SUBJECTS = [
    "城乡环境综合整治",
    "农村危房改造",
    "扶贫开发",
    "防汛抗旱",
    "森林防火",
    "安全生产大检查",
    "食品安全专项整治",
    "国家卫生城市创建",
    "全国文明城市创建",
    "秸秆禁烧和综合利用",
    "城区交通秩序整治",
    "农村饮水安全",
    "美丽乡村建设",
    "中小学校舍安全",
    "棚户区改造",
    "招商引资",
    "重点项目建设",
    "城乡居民基本医疗保险",
    "就业创业",
    "义务教育均衡发展",
    "环境保护专项整治",
    "大气污染防治",
    "水污染防治",
    "违法建设治理",
    "农村公路建设",
    "农村商贸流通",
    "政务公开",
    "行政审批制度改革",
    "村级公益事业一事一议财政奖补",
    "农村土地承包经营权确权登记颁证",
    "旅游产业发展",
    "桂花产业发展",
    "温泉旅游开发",
    "地质灾害防治",
    "春运安全",
    "消防安全",
    "预防学生溺水",
    "殡葬改革",
    "重大动物疫病防控",
    "征兵工作",
    "农民工工资支付保障",
    "城区停车秩序管理",
    "扫黄打非",
]

PLACES = [
    "永安街道",
    "温泉街道",
    "浮山街道",
    "向阳湖镇",
    "官埠桥镇",
    "横沟桥镇",
    "贺胜桥镇",
    "双溪桥镇",
    "马桥镇",
    "桂花镇",
    "高桥镇",
    "汀泗桥镇",
    "大幕乡",
]

APPROVALS = [
    "集镇总体规划",
    "土地整理项目实施方案",
    "村庄布局规划",
    "撤并村民小组",
    "农村综合改革试点方案",
    "中心小学迁建",
    "卫生院改扩建项目",
    "污水处理设施建设项目",
]

# (issuer, number prefix, title pattern); {subject}, {place}, {approval}, {year} are filled in.
FORMS = [
    ("G01", "咸安政发", "咸安区人民政府关于印发咸安区{subject}实施方案的通知"),
    ("G02", "咸安政办发", "咸安区人民政府办公室关于成立咸安区{subject}工作领导小组的通知"),
    ("G02", "咸安政办发", "咸安区人民政府办公室关于开展{subject}专项行动的通知"),
    ("G01", "咸安政函", "咸安区人民政府关于{place}{approval}的批复"),
    ("G02", "咸安政办发", "咸安区人民政府办公室关于做好{year}年{subject}工作的通知"),
    ("G01", "咸安政发", "咸安区人民政府关于表彰{prior}年度{subject}先进单位和先进个人的决定"),
    ("G02", "咸安政办发", "咸安区人民政府办公室关于印发{year}年{subject}工作要点的通知"),
    ("G02", "咸安政办函", "咸安区人民政府办公室关于调整咸安区{subject}工作领导小组成员的通知"),
    ("G01", "咸安政发", "咸安区人民政府关于进一步加强{subject}工作的意见"),
]


@dataclass(frozen=True)
class DocumentRow:
    issuer: str
    prefix: str
    issued_on: datetime.date
    title: str
    kind: DocumentKind
    outcome: str  # the 2017 clean-up outcome, "" for documents not in it
    number: str = ""


def spread(first: datetime.date, last: datetime.date, count: int, calendar) -> list:
    """``count`` working days spread evenly from ``first`` to ``last``."""
    span = (last - first).days
    return [
        calendar.next_working_day_on_or_after(first + datetime.timedelta(days=span * i // count))
        for i in range(count)
    ]


def _year_bounds(year: int, outcome: str) -> tuple[datetime.date, datetime.date]:
    if year == 2012 and outcome == "past_validity":
        return datetime.date(2012, 1, 9), datetime.date(2012, 11, 20)
    if year == 2012:
        return datetime.date(2012, 12, 3), datetime.date(2012, 12, 27)
    if year == 2017:
        return datetime.date(2017, 1, 5), CLEANUP_COVERS_UNTIL - datetime.timedelta(days=7)
    return datetime.date(year, 1, 6), datetime.date(year, 12, 24)


def non_normative_rows(calendar: WorkingCalendar) -> list[DocumentRow]:
    rows = []
    forms = itertools.cycle(range(len(FORMS)))
    counter = itertools.count()
    for outcome, years in NON_NORMATIVE_YEARS.items():
        for year, count in years.items():
            first, last = _year_bounds(year, outcome)
            for day in spread(first, last, count, calendar):
                n = next(counter)
                issuer, prefix, pattern = FORMS[next(forms)]
                title = pattern.format(
                    subject=SUBJECTS[(n * 7) % len(SUBJECTS)],
                    place=PLACES[n % len(PLACES)],
                    approval=APPROVALS[(n // len(PLACES)) % len(APPROVALS)],
                    year=year,
                    prior=year - 1,
                )
                rows.append(
                    DocumentRow(issuer, prefix, day, title, DocumentKind.NON_NORMATIVE, outcome)
                )
    return rows


def normative_rows() -> list[DocumentRow]:
    rows = []
    for issuer, (y, m, d), title, outcome in NORMATIVE:
        prefix = (
            "咸安政规"
            if y >= NORMATIVE_PREFIX_FROM
            else ("咸安政发" if issuer == "G01" else "咸安政办发")
        )
        rows.append(
            DocumentRow(
                issuer, prefix, datetime.date(y, m, d), title, DocumentKind.NORMATIVE, outcome
            )
        )
    return rows


def later_rows() -> list[DocumentRow]:
    rows = []
    for issuer, (y, m, d), title, kind in LATER:
        if kind == DocumentKind.NORMATIVE:
            prefix = "咸安政规"
        else:
            prefix = "咸安政发" if issuer == "G01" else "咸安政办发"
        rows.append(DocumentRow(issuer, prefix, datetime.date(y, m, d), title, kind, ""))
    return rows


def all_rows() -> list[DocumentRow]:
    """Every demo document with its number: serials run by issue date within prefix and year."""
    rows = normative_rows() + non_normative_rows(WorkingCalendar()) + later_rows()
    rows.sort(key=lambda row: (row.prefix, row.issued_on, row.title))
    numbered = []
    for (prefix, year), group in itertools.groupby(
        rows, key=lambda row: (row.prefix, row.issued_on.year)
    ):
        for serial, row in enumerate(group, start=1):
            numbered.append(
                DocumentRow(
                    row.issuer,
                    row.prefix,
                    row.issued_on,
                    row.title,
                    row.kind,
                    row.outcome,
                    number=f"{prefix}〔{year}〕{serial}号",
                )
            )
    return numbered


def _reviewed_at(day: datetime.date) -> datetime.datetime:
    """A fixed registration time, so loading twice writes nothing."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()
    rows = [
        {
            "number": row.number,
            "unit_id": units[row.issuer].pk,
            "title": row.title,
            "kind": row.kind,
            "issued_on": row.issued_on,
            "effective_on": row.issued_on,
            "valid_until": default_valid_until(row.title, row.issued_on),
            "status": Status.APPROVED,
            "created_by_id": office.pk,
            "reviewed_by_id": office.pk,
            "reviewed_at": _reviewed_at(row.issued_on),
        }
        for row in all_rows()
    ]
    created = upsert_many(Document.objects.all(), ("number",), rows, user=office)
    command.stdout.write(
        _("规范性文件登记：区政府及区政府办文件 %(total)d 份（本次新增 %(created)d 份）")
        % {
            "total": Document.objects.filter(unit__code__in=["G01", "G02"]).count(),
            "created": created,
        }
    )
