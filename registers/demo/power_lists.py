"""Demo power lists: the district list of four departments and a vertical unit, the negative
and fee lists, the 横沟桥镇 township list, and their 2016–2018 adjustments.

Document numbers of the local approvals are illustrative; the laws and articles cited are
the ones in force at the time of each version. Idempotent: items are found by their natural
key (unit, list, code, effective date) and adjustments by (item, kind, date), so a second
run writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from registers import models
from registers.power_services import adjust_item

from .units import office_user
from .writes import upsert_approved

DISTRICT_LIST = (
    datetime.date(2016, 1, 1),
    "咸安政办发〔2015〕46号",
    "区级权责清单、负面清单、收费清单公布施行。",
)
TOWNSHIP_LIST = (
    datetime.date(2017, 9, 1),
    "咸安政办发〔2017〕27号",
    "《咸安区乡镇政府（办事处）权责清单》公布施行。",
)

Stage = models.ResponsibilityStage
PENALTY_LAW = "《中华人民共和国行政处罚法》"
LICENSING_LAW = "《中华人民共和国行政许可法》"
COERCION_LAW = "《中华人民共和国行政强制法》"

RESPONSIBILITIES = {
    models.PowerCategory.PENALTY: [
        (
            Stage.FILING,
            "对监督检查、投诉举报、上级交办和部门移送中发现的违法线索进行审查，"
            "符合立案条件的报本机关负责人批准后立案。",
        ),
        (
            Stage.INVESTIGATION,
            "执法人员不少于两人，出示执法证件，全面、客观、公正地调查，"
            f"收集证据并制作笔录；证据可能灭失的，依法先行登记保存（{PENALTY_LAW}第三十六条、第三十七条）。",
        ),
        (
            Stage.HEARING,
            "调查终结后由本机关负责人审查调查结果；情节复杂或者重大违法行为给予较重"
            f"处罚的，由负责人集体讨论决定（{PENALTY_LAW}第三十八条）。",
        ),
        (
            Stage.NOTICE,
            "作出处罚决定前告知拟处罚的事实、理由、依据和陈述、申辩权利；符合条件的"
            f"告知听证权利（{PENALTY_LAW}第三十一条、第三十二条、第四十二条）。",
        ),
        (
            Stage.DECISION,
            "制作载明违法事实、证据、处罚种类和依据、履行方式和期限、救济途径的"
            f"行政处罚决定书（{PENALTY_LAW}第三十九条）。",
        ),
        (
            Stage.SERVICE,
            "决定书当场交付当事人；当事人不在场的，七日内依照民事诉讼法的有关规定"
            f"送达（{PENALTY_LAW}第四十条）。",
        ),
        (
            Stage.EXECUTION,
            "督促当事人履行；逾期不履行的，依法加处罚款或者申请人民法院强制执行"
            f"（{PENALTY_LAW}第四十四条、第五十一条）。",
        ),
    ],
    models.PowerCategory.LICENSING: [
        (
            Stage.ACCEPTANCE,
            "公示申请条件、材料和流程；材料齐全、符合法定形式的予以受理，"
            f"不齐全的一次告知需要补正的全部内容（{LICENSING_LAW}第三十条、第三十二条）。",
        ),
        (
            Stage.EXAMINATION,
            f"审查申请材料，需要核实的指派两名以上工作人员核查（{LICENSING_LAW}第三十四条）。",
        ),
        (
            Stage.DECISION,
            "在法定期限内作出准予或者不予许可的书面决定，不予许可的说明理由并告知"
            f"救济途径（{LICENSING_LAW}第三十八条、第四十二条）。",
        ),
        (Stage.SERVICE, f"自作出决定之日起十日内颁发、送达许可证件（{LICENSING_LAW}第四十四条）。"),
        (
            Stage.FOLLOW_UP,
            f"对被许可人从事许可事项的活动进行监督检查（{LICENSING_LAW}第六十一条）。",
        ),
    ],
    models.PowerCategory.COERCION: [
        (Stage.EXAMINATION, f"实施前向本机关负责人报告并经批准（{COERCION_LAW}第十八条）。"),
        (
            Stage.NOTICE,
            "两名以上执法人员实施，出示执法证件，通知当事人到场，告知理由、依据、"
            f"权利和救济途径，听取陈述和申辩（{COERCION_LAW}第十八条）。",
        ),
        (Stage.DECISION, f"制作并当场交付查封、扣押决定书和清单（{COERCION_LAW}第二十四条）。"),
        (
            Stage.EXECUTION,
            "在法定期限内作出处理决定并妥善保管查封、扣押的财物"
            f"（{COERCION_LAW}第二十五条、第二十六条）。",
        ),
    ],
    models.PowerCategory.INSPECTION: [
        (Stage.INVESTIGATION, "执法人员不少于两人，出示执法证件，依法实施现场检查并制作检查记录。"),
        (Stage.FOLLOW_UP, "对检查发现的问题责令改正；涉嫌违法的依法立案查处，检查结果依法公开。"),
    ],
}

ACCOUNTABILITY = {
    models.PowerCategory.PENALTY: (
        f"依照{PENALTY_LAW}第五十五条至第六十二条追责：没有法定的行政处罚依据的；擅自改变处罚种类、"
        "幅度的；违反法定处罚程序的；应当移交司法机关追究刑事责任而不移交、以行政处罚代替刑事处罚的；"
        "执法人员玩忽职守，对应当制止和处罚的违法行为不予制止、处罚的。"
    ),
    models.PowerCategory.LICENSING: (
        f"依照{LICENSING_LAW}第七十二条至第七十七条追责：对符合法定条件的申请不予受理或者不在法定"
        "期限内作出准予许可决定的；对不符合法定条件的申请准予许可或者超越法定职权作出许可的；"
        "未一次告知需要补正的全部内容的；索取、收受他人财物的；不依法履行监督职责造成严重后果的。"
    ),
    models.PowerCategory.COERCION: (
        f"依照{COERCION_LAW}第六十一条、第六十二条追责：没有法律、法规依据的；改变强制对象、条件、"
        "方式的；违反法定程序实施的；扩大查封、扣押范围的；使用或者损毁查封、扣押的财物的；"
        "在法定期间不作出处理决定或者未依法及时解除查封、扣押的。"
    ),
}
DEFAULT_ACCOUNTABILITY = (
    "不履行或者不正确履行职责，造成不良后果的，依照《行政机关公务员处分条例》等规定追究责任。"
)
SUPERVISION = (
    "区人民政府法制办公室行政执法监督；区监察局行政监察；通过区人民政府门户网站接受社会监督。"
)


@dataclass(frozen=True)
class Spec:
    """One list item as first published."""

    unit: str
    code: str
    name: str
    category: str
    legal_basis: str
    handling_office: str = ""
    list_kind: str = models.ListKind.POWER
    township_duty: str = ""
    partner: str | None = None
    negative_measure: str = ""
    fee_standard: str = ""
    fee_basis: str = ""
    published: tuple = DISTRICT_LIST


@dataclass(frozen=True)
class Change:
    """One adjustment of the version in force the day before ``on``."""

    unit: str
    code: str
    kind: str
    on: datetime.date
    reason_kind: str
    reason: str
    document_number: str
    list_kind: str = models.ListKind.POWER
    changes: dict = field(default_factory=dict)
    receivers: tuple[str, ...] = ()
    receiving_code: str = ""


P = models.PowerCategory
CITY = "《城市市容和环境卫生管理条例》"
ROAD = "《中华人民共和国道路运输条例》"
HIGHWAY = "《中华人民共和国公路法》"
EIA = "《中华人民共和国环境影响评价法》"
ENV = "《中华人民共和国环境保护法》"
PLANNING = "《中华人民共和国城乡规划法》"
LAND = "《中华人民共和国土地管理法》（2004年修正）"
FOREST = "《中华人民共和国森林法》（1998年修正）"

ITEMS = [
    # 区城管执法局
    Spec(
        "D23",
        "XK-001",
        "城市建筑垃圾处置核准",
        P.LICENSING,
        "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第101项；"
        "《城市建筑垃圾管理规定》（建设部令第139号）第七条",
        "市容环卫管理科",
    ),
    Spec(
        "D23",
        "XK-002",
        "临时占用街道两侧和公共场地堆放物料、搭建非永久性建筑物、构筑物或者其他设施审批",
        P.LICENSING,
        f"{CITY}第十四条",
        "市容环卫管理科",
    ),
    Spec(
        "D23",
        "XK-003",
        "设置大型户外广告及在城市建筑物、设施上张挂、张贴宣传品审批",
        P.LICENSING,
        f"{CITY}第十一条、第十七条",
        "市容环卫管理科",
    ),
    Spec(
        "D23",
        "CF-001",
        "对随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物行为的处罚",
        P.PENALTY,
        f"{CITY}第三十四条第（一）项",
        "综合执法大队",
    ),
    Spec(
        "D23",
        "CF-002",
        "对在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品等行为的处罚",
        P.PENALTY,
        f"{CITY}第三十四条第（二）项",
        "综合执法大队",
    ),
    Spec(
        "D23",
        "CF-003",
        "对不按规定的时间、地点、方式倾倒垃圾、粪便行为的处罚",
        P.PENALTY,
        f"{CITY}第三十四条第（四）项",
        "综合执法大队",
    ),
    Spec(
        "D23",
        "CF-004",
        "对未经批准擅自在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施的处罚",
        P.PENALTY,
        f"{CITY}第三十六条第（二）项",
        "综合执法大队",
    ),
    Spec(
        "D23",
        "CF-005",
        "对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的处罚",
        P.PENALTY,
        f"{PLANNING}第六十四条；《中华人民共和国行政处罚法》第十六条（相对集中行政处罚权）",
        "规划执法中队",
    ),
    Spec(
        "D23",
        "QZ-001",
        "对违法建设查封施工现场、强制拆除",
        P.COERCION,
        f"{PLANNING}第六十八条",
        "规划执法中队",
    ),
    Spec(
        "D23",
        "JC-001",
        "对城乡规划实施情况的监督检查",
        P.INSPECTION,
        f"{PLANNING}第五十三条",
        "规划执法中队",
    ),
    Spec(
        "D23",
        "SF-001",
        "城市道路占用费",
        P.LEVY,
        "《城市道路管理条例》第三十七条",
        "市政管理科",
        list_kind=models.ListKind.FEE,
        fee_standard="按占用面积和占用时间计收，具体标准按省物价、财政部门核定执行",
        fee_basis="《湖北省行政事业性收费项目目录清单》",
    ),
    # 区交通运输局
    Spec(
        "D12",
        "XK-001",
        "道路旅客运输经营许可（县内班线）",
        P.LICENSING,
        f"{ROAD}第八条、第十条",
        "区道路运输管理所",
    ),
    Spec(
        "D12",
        "XK-002",
        "道路货物运输经营许可",
        P.LICENSING,
        f"{ROAD}第二十一条、第二十四条",
        "区道路运输管理所",
    ),
    Spec(
        "D12",
        "XK-003",
        "公路超限运输许可",
        P.LICENSING,
        f"{HIGHWAY}第五十条；《公路安全保护条例》第三十五条",
        "区公路管理局",
    ),
    Spec(
        "D12",
        "XK-004",
        "涉路施工许可（占用、挖掘公路或者跨越、穿越公路修建设施）",
        P.LICENSING,
        f"{HIGHWAY}第四十四条、第四十五条；《公路安全保护条例》第二十七条",
        "区公路管理局",
    ),
    Spec(
        "D12",
        "CF-001",
        "对未取得道路运输经营许可擅自从事道路运输经营的处罚",
        P.PENALTY,
        f"{ROAD}第六十四条",
        "区道路运输管理所",
    ),
    Spec(
        "D12",
        "CF-002",
        "对车辆擅自超限行驶的处罚",
        P.PENALTY,
        f"{HIGHWAY}第七十六条第（五）项；《公路安全保护条例》第六十四条",
        "区公路管理局",
    ),
    Spec(
        "D12",
        "QZ-001",
        "对没有车辆营运证又无法当场提供其他有效证明的车辆予以暂扣",
        P.COERCION,
        f"{ROAD}第六十三条",
        "区道路运输管理所",
    ),
    Spec(
        "D12",
        "JC-001",
        "对公路法律、法规执行情况的监督检查",
        P.INSPECTION,
        f"{HIGHWAY}第六十九条",
        "区公路管理局",
    ),
    Spec(
        "D12",
        "XK-005",
        "网络预约出租汽车运输证核发",
        P.LICENSING,
        "《网络预约出租汽车经营服务管理暂行办法》（交通运输部等七部门令2016年第60号）第十二条",
        "区道路运输管理所",
        published=(
            datetime.date(2017, 3, 1),
            "咸安审改办〔2017〕2号",
            "《网络预约出租汽车经营服务管理暂行办法》2016年11月1日起施行，承接网约车车辆运输证核发。",
        ),
    ),
    # 区环保局
    Spec(
        "D10",
        "XK-001",
        "建设项目环境影响报告书、报告表审批",
        P.LICENSING,
        f"{EIA}第二十二条；{ENV}第十九条",
        "环评审批股",
    ),
    Spec(
        "D10",
        "XK-002",
        "建设项目环境影响登记表审批",
        P.LICENSING,
        f"{EIA}（2002年）第二十二条",
        "环评审批股",
    ),
    Spec(
        "D10",
        "XK-003",
        "排污许可证核发",
        P.LICENSING,
        "《中华人民共和国大气污染防治法》（2015年修订）第十九条；"
        "《中华人民共和国水污染防治法》（2008年修订）第二十条",
        "污染防治股",
    ),
    Spec(
        "D10",
        "CF-001",
        "对超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的处罚",
        P.PENALTY,
        "《中华人民共和国大气污染防治法》（2015年修订）第九十九条第（二）项",
        "环境监察大队",
    ),
    Spec(
        "D10",
        "CF-002",
        "对超过水污染物排放标准或者超过重点水污染物排放总量控制指标排放水污染物的处罚",
        P.PENALTY,
        "《中华人民共和国水污染防治法》（2008年修订）第七十四条",
        "环境监察大队",
    ),
    Spec(
        "D10",
        "QZ-001",
        "查封、扣押造成污染物排放的设施、设备",
        P.COERCION,
        f"{ENV}第二十五条",
        "环境监察大队",
    ),
    Spec(
        "D10",
        "JC-001",
        "对排放污染物的企业事业单位和其他生产经营者的现场检查",
        P.INSPECTION,
        f"{ENV}第二十四条",
        "环境监察大队",
    ),
    Spec(
        "D10",
        "JL-001",
        "对保护和改善环境有显著成绩的单位和个人给予奖励",
        P.REWARD,
        f"{ENV}第十一条",
        "办公室",
    ),
    Spec(
        "D10",
        "SF-001",
        "排污费",
        P.LEVY,
        "《排污费征收使用管理条例》（国务院令第369号）第二条",
        "环境监察大队",
        list_kind=models.ListKind.FEE,
        fee_standard="废气每污染当量不低于1.2元，污水每污染当量不低于1.4元（按省核定标准执行）",
        fee_basis="《排污费征收标准管理办法》（国家发展计划委员会等四部门令第31号）；"
        "《关于调整排污费征收标准等有关问题的通知》（发改价格〔2014〕2008号）",
    ),
    Spec(
        "D10",
        "FM-001",
        "在饮用水水源一级保护区内新建、改建、扩建与供水设施和保护水源无关的建设项目",
        "",
        "《中华人民共和国水污染防治法》（2008年修订）第五十八条",
        "污染防治股",
        list_kind=models.ListKind.NEGATIVE,
        negative_measure=models.NegativeMeasure.PROHIBITED,
    ),
    # 区发改局：企业投资项目负面清单
    Spec(
        "D01",
        "FM-001",
        "投资建设《产业结构调整指导目录》淘汰类项目",
        "",
        "《促进产业结构调整暂行规定》（国发〔2005〕40号）第十九条",
        "投资股",
        list_kind=models.ListKind.NEGATIVE,
        negative_measure=models.NegativeMeasure.PROHIBITED,
    ),
    Spec(
        "D01",
        "FM-002",
        "列入政府核准的投资项目目录的企业投资项目，须经核准方可建设",
        "",
        "《国务院关于投资体制改革的决定》（国发〔2004〕20号）；"
        "《政府核准的投资项目目录（2014年本）》（国发〔2014〕53号）",
        "投资股",
        list_kind=models.ListKind.NEGATIVE,
        negative_measure=models.NegativeMeasure.RESTRICTED,
    ),
    # 咸安工商分局
    Spec(
        "V01",
        "XK-001",
        "公司设立、变更、注销登记",
        P.LICENSING,
        "《中华人民共和国公司法》第六条；《中华人民共和国公司登记管理条例》第三条",
        "注册登记股",
    ),
    Spec(
        "V01",
        "XK-002",
        "个体工商户登记",
        P.LICENSING,
        "《个体工商户条例》第三条、第八条",
        "注册登记股",
    ),
    Spec(
        "V01",
        "CF-001",
        "对无照经营行为的处罚",
        P.PENALTY,
        "《无照经营查处取缔办法》第十四条",
        "经济检查大队",
    ),
    Spec(
        "V01",
        "CF-002",
        "对发布虚假广告的处罚",
        P.PENALTY,
        "《中华人民共和国广告法》（2015年修订）第五十五条",
        "广告监督管理股",
    ),
    Spec(
        "V01",
        "CF-003",
        "对提交虚假材料或者采取其他欺诈手段隐瞒重要事实取得公司登记的处罚",
        P.PENALTY,
        "《中华人民共和国公司法》第一百九十八条",
        "注册登记股",
    ),
    Spec(
        "V01",
        "QZ-001",
        "查封、扣押与涉嫌违法广告直接相关的广告物品、经营工具、设备等财物",
        P.COERCION,
        "《中华人民共和国广告法》（2015年修订）第四十九条",
        "广告监督管理股",
    ),
    Spec(
        "V01",
        "JC-001",
        "企业公示信息抽查",
        P.INSPECTION,
        "《企业信息公示暂行条例》第十四条",
        "企业监督管理股",
    ),
    Spec(
        "V01",
        "QT-001",
        "将未按期公示年度报告或者公示信息隐瞒真实情况、弄虚作假的企业列入经营异常名录",
        P.OTHER,
        "《企业信息公示暂行条例》第十七条",
        "企业监督管理股",
    ),
    # 横沟桥镇：乡镇权责清单（2017年公布）
    Spec(
        "T06",
        "QZ-001",
        "对在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照许可证规定进行建设的，"
        "责令停止建设、限期改正，逾期不改正的予以拆除",
        P.COERCION,
        f"{PLANNING}第六十五条",
        "村镇建设办公室",
        township_duty=models.TownshipDuty.BASIC,
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "CJ-001",
        "个人之间、个人与单位之间土地所有权和使用权争议的处理",
        P.ADJUDICATION,
        f"{LAND}第十六条",
        "国土资源所",
        township_duty=models.TownshipDuty.BASIC,
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "CJ-002",
        "个人之间、个人与单位之间林木所有权和林地使用权争议的处理",
        P.ADJUDICATION,
        f"{FOREST}第十七条",
        "林业站",
        township_duty=models.TownshipDuty.BASIC,
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "JF-001",
        "最低生活保障申请的受理、调查和审核",
        P.BENEFIT,
        "《社会救助暂行办法》第十一条",
        "民政办",
        township_duty=models.TownshipDuty.COOPERATIVE,
        partner="D06",
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "QT-001",
        "农村村民住宅用地申请审核",
        P.OTHER,
        f"{LAND}第六十二条",
        "国土资源所",
        township_duty=models.TownshipDuty.COOPERATIVE,
        partner="V05",
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "QT-002",
        "乡村建设规划许可申请的受理和报送",
        P.OTHER,
        f"{PLANNING}第四十一条",
        "村镇建设办公室",
        township_duty=models.TownshipDuty.COOPERATIVE,
        partner="V06",
        published=TOWNSHIP_LIST,
    ),
    Spec(
        "T06",
        "XK-001",
        "农村居民采伐自留山和个人承包集体山林林木的采伐许可（受委托核发）",
        P.LICENSING,
        f"{FOREST}第三十二条",
        "林业站",
        township_duty=models.TownshipDuty.WITHDRAWN,
        partner="D15",
        published=TOWNSHIP_LIST,
    ),
]

CHANGES = [
    Change(
        "D10",
        "XK-002",
        models.AdjustmentKind.AMEND,
        datetime.date(2016, 9, 1),
        models.AdjustmentReason.LAW_CHANGED,
        "《中华人民共和国环境影响评价法》2016年7月修改，自2016年9月1日起对建设项目环境影响登记表"
        "实行备案管理，不再审批。",
        "咸安审改办〔2016〕3号",
        changes={
            "name": "建设项目环境影响登记表备案",
            "category": P.OTHER,
            "legal_basis": f"{EIA}（2016年修订）第二十二条",
        },
    ),
    Change(
        "D01",
        "FM-002",
        models.AdjustmentKind.AMEND,
        datetime.date(2017, 2, 1),
        models.AdjustmentReason.LAW_CHANGED,
        "《企业投资项目核准和备案管理条例》自2017年2月1日起施行，核准范围按《政府核准的投资项目目录"
        "（2016年本）》执行。",
        "咸安审改办〔2017〕1号",
        list_kind=models.ListKind.NEGATIVE,
        changes={
            "legal_basis": "《企业投资项目核准和备案管理条例》（国务院令第673号）第三条；"
            "《政府核准的投资项目目录（2016年本）》（国发〔2016〕72号）"
        },
    ),
    Change(
        "D10",
        "XK-003",
        models.AdjustmentKind.CANCEL,
        datetime.date(2017, 7, 1),
        models.AdjustmentReason.SUPERIOR,
        "根据《控制污染物排放许可制实施方案》（国办发〔2016〕81号）和《排污许可证管理暂行规定》"
        "（环水体〔2016〕186号），排污许可证由市级环境保护主管部门核发，区级不再实施。",
        "咸安审改办〔2017〕3号",
    ),
    Change(
        "D23",
        "CF-003",
        models.AdjustmentKind.CANCEL,
        datetime.date(2017, 7, 1),
        models.AdjustmentReason.STANDARDISED,
        "清单规范：与同条第（一）项情形合并为一项（CF-001），本项不再单列。",
        "咸安审改办〔2017〕4号",
    ),
    Change(
        "D23",
        "CF-001",
        models.AdjustmentKind.AMEND,
        datetime.date(2017, 7, 1),
        models.AdjustmentReason.STANDARDISED,
        "清单规范：并入原CF-003（不按规定倾倒垃圾、粪便）的情形。",
        "咸安审改办〔2017〕4号",
        changes={
            "name": "对随地吐痰、便溺，乱扔废弃物，不按规定倾倒垃圾、粪便行为的处罚",
            "legal_basis": f"{CITY}第三十四条第（一）项、第（四）项",
        },
    ),
    Change(
        "V01",
        "CF-001",
        models.AdjustmentKind.AMEND,
        datetime.date(2017, 10, 1),
        models.AdjustmentReason.LAW_CHANGED,
        "《无照经营查处办法》（国务院令第684号）自2017年10月1日起施行，《无照经营查处取缔办法》同时废止。",
        "咸安审改办〔2017〕5号",
        changes={"legal_basis": "《无照经营查处办法》（国务院令第684号）第十三条"},
    ),
    Change(
        "D23",
        "CF-002",
        models.AdjustmentKind.DELEGATE,
        datetime.date(2017, 10, 1),
        models.AdjustmentReason.REORGANISED,
        "城市管理执法体制改革，执法重心下移：委托横沟桥镇在本镇集镇规划区内实施（依据"
        f"{CITY}第三十四条“或者其委托的单位”）。",
        "咸安政办发〔2017〕35号",
        receivers=("T06",),
        receiving_code="CF-001",
    ),
    Change(
        "D10",
        "SF-001",
        models.AdjustmentKind.CANCEL,
        datetime.date(2018, 1, 1),
        models.AdjustmentReason.LAW_CHANGED,
        "《中华人民共和国环境保护税法》自2018年1月1日起施行，依照该法第二十七条不再征收排污费。",
        "咸安审改办〔2018〕1号",
        list_kind=models.ListKind.FEE,
    ),
    Change(
        "D10",
        "CF-002",
        models.AdjustmentKind.AMEND,
        datetime.date(2018, 1, 1),
        models.AdjustmentReason.LAW_CHANGED,
        "《中华人民共和国水污染防治法》2017年6月修正，自2018年1月1日起施行，条文序号调整。",
        "咸安审改办〔2018〕1号",
        changes={"legal_basis": "《中华人民共和国水污染防治法》（2017年修正）第八十三条第（二）项"},
    ),
]


def _load_responsibilities(item: models.PowerItem, duties: list[tuple[int, str]]) -> None:
    existing = {row.stage: row for row in item.responsibilities.all()}
    for stage, duty in duties:
        row = existing.get(stage)
        if row is None:
            models.ResponsibilityItem.objects.create(item=item, stage=stage, duty=duty)
        elif row.duty != duty:
            row.duty = duty
            row.save()


def load_item(spec: Spec, units: dict[str, models.Unit], office: models.User) -> models.PowerItem:
    effective_from, document, reason = spec.published
    item, _created = upsert_approved(
        models.PowerItem,
        {
            "unit": units[spec.unit],
            "list_kind": spec.list_kind,
            "code": spec.code,
            "effective_from": effective_from,
        },
        {
            "name": spec.name,
            "category": spec.category,
            "negative_measure": spec.negative_measure,
            "township_duty": spec.township_duty,
            "partner_unit": units[spec.partner] if spec.partner else None,
            "legal_basis": spec.legal_basis,
            "handling_office": spec.handling_office,
            "accountability": ACCOUNTABILITY.get(spec.category, DEFAULT_ACCOUNTABILITY),
            "supervision": SUPERVISION,
            "fee_standard": spec.fee_standard,
            "fee_basis": spec.fee_basis,
            "basis_document": document,
            "addition_reason": reason,
        },
        by=office,
    )
    if spec.list_kind == models.ListKind.POWER:
        _load_responsibilities(item, RESPONSIBILITIES.get(spec.category, []))
    item.record_addition(by=office)
    return item


def apply_change(change: Change, units: dict[str, models.Unit], office: models.User) -> None:
    unit = units[change.unit]
    done = models.PowerAdjustment.objects.filter(
        item__unit=unit,
        item__list_kind=change.list_kind,
        item__code=change.code,
        kind=change.kind,
        adjusted_on=change.on,
    )
    if done.exists():
        return
    item = (
        models.PowerItem.objects.as_of(change.on - datetime.timedelta(days=1))
        .filter(unit=unit, list_kind=change.list_kind, code=change.code)
        .get()
    )
    adjust_item(
        item,
        change.kind,
        on=change.on,
        reason=change.reason,
        reason_kind=change.reason_kind,
        document_number=change.document_number,
        by=office,
        changes=change.changes,
        receiving_units=[units[code] for code in change.receivers],
        receiving_code=change.receiving_code,
    )


def load(command, units: dict[str, models.Unit]) -> None:
    office = office_user()
    for spec in ITEMS:
        load_item(spec, units, office)
    for change in sorted(CHANGES, key=lambda change: change.on):
        apply_change(change, units, office)

    for day in (datetime.date(2016, 12, 31), datetime.date(2017, 12, 31)):
        rows = models.PowerItem.objects.counts_as_of(day, "level")
        counts = {row["level"]: row["count"] for row in rows}
        command.stdout.write(
            _("权责清单等（截至%(day)s）：区级 %(district)d 项，乡镇 %(township)d 项")
            % {
                "day": f"{day:%Y-%m-%d}",
                "district": counts.get(models.ListLevel.DISTRICT, 0),
                "township": counts.get(models.ListLevel.TOWNSHIP, 0),
            }
        )
