"""Demo case-file evaluations of 2017.

The 2017 report: "组织2次全区范围内的行政执法案卷评查工作，区直46个行政执法单位共评查行政执法
案卷56卷，其中：行政许可25卷、行政处罚25卷，行政强制6卷". The first round took licensing files
and three coercion files, the second penalty files and three more coercion files; ten units
had two files evaluated. Scores, veto items and problems are illustrative.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from registers.demo.units import office_user
from registers.models import Unit
from reviews.models import (
    CaseType,
    EvaluatedFile,
    EvaluationProblem,
    EvaluationRound,
    FileVeto,
    VetoItem,
)

from .records import upsert, upsert_approved

D = datetime.date.fromisoformat
LIC, PEN, COE = CaseType.LICENSING, CaseType.PENALTY, CaseType.COERCION

PLAN = "《咸安区2017年度行政执法案卷评查工作方案》"
ROUNDS = {
    1: {
        "name": "2017年第一次全区行政执法案卷评查",
        "plan_title": PLAN,
        "plan_number": "咸安法办〔2017〕5号",
        "started_on": D("2017-06-12"),
        "ended_on": D("2017-06-30"),
    },
    2: {
        "name": "2017年第二次全区行政执法案卷评查",
        "plan_title": PLAN,
        "plan_number": "咸安法办〔2017〕5号",
        "started_on": D("2017-11-06"),
        "ended_on": D("2017-11-24"),
    },
}
EVALUATORS = "区政府法制办评查组：王法制、赵敏、钱正义"

# round -> [(unit code, case type, case title, form score, content score)]
FILES = {
    1: [
        ("D01", LIC, "横沟桥镇污水处理厂项目可行性研究报告审批", "18.5", "72"),
        ("D03", LIC, "咸安区启明幼儿园办学许可", "19", "74.5"),
        ("D05", LIC, "烟花爆竹道路运输许可", "18", "70"),
        ("D06", LIC, "咸安区夕阳红养老院设立许可", "17.5", "66"),
        ("D09", LIC, "咸宁市鑫源劳务派遣有限公司劳务派遣经营许可", "19", "73"),
        ("D11", LIC, "金桂苑项目建筑工程施工许可", "16", "61.5"),
        ("D12", LIC, "超限运输车辆行驶公路许可", "18", "68"),
        ("D13", LIC, "淦河咸安段河道采砂许可", "19.5", "75"),
        ("D14", LIC, "咸安区丰收农资经营部农药经营许可", "17", "64"),
        ("D15", LIC, "桂花镇林木采伐许可", "18.5", "70.5"),
        ("D17", LIC, "咸安区星光网吧网络文化经营许可", "17", "65"),
        ("D18", LIC, "咸安区仁和诊所医疗机构执业许可", "19", "72"),
        ("D22", LIC, "咸安区好邻居超市食品经营许可", "19.5", "76"),
        ("D26", LIC, "马桥镇生猪养殖场动物防疫条件合格证核发", "16.5", "62"),
        ("D27", LIC, "金桂苑商品房预售许可", "18", "69.5"),
        ("D30", LIC, "金桂苑项目人防工程易地建设审批", "17.5", "66.5"),
        ("D31", LIC, "向阳湖镇水域滩涂养殖证核发", "16", "60.5"),
        ("D33", LIC, "107国道咸安段涉路施工许可", "18", "71"),
        ("D34", LIC, "咸宁市顺达物流有限公司道路货物运输经营许可", "19", "73.5"),
        ("D35", LIC, "咸安区清泉桶装水厂卫生许可", "18.5", "67"),
        ("D37", LIC, "淦河大桥水上水下施工作业许可", "17", "63"),
        ("V03", LIC, "增值税专用发票最高开票限额审批", "19.5", "74"),
        ("V05", LIC, "咸安区实验学校新建工程建设用地预审", "18", "70"),
        ("V06", LIC, "金桂苑住宅小区建设工程规划许可", "19", "72.5"),
        ("V07", LIC, "咸安万达广场防雷装置设计审核", "18", "68.5"),
        ("D10", COE, "咸安区宏达化工有限公司超标排污设备查封", "17.5", "67"),
        ("D22", COE, "咸安区某冷库过期冻品扣押", "18", "69"),
        ("D23", COE, "温泉路违法搭建物料暂扣", "16.5", "63.5"),
    ],
    2: [
        ("D02", PEN, "咸安区恒达建材厂违反节能规定案", "17", "65"),
        ("D04", PEN, "咸安区某企业违规使用科技项目资金案", "16", "61"),
        ("D05", PEN, "王某某违反治安管理处罚案", "19", "74"),
        ("D07", PEN, "某法律服务所超越业务范围执业案", "17.5", "66"),
        ("D08", PEN, "咸安区某公司违反会计法案", "18", "69"),
        ("D10", PEN, "咸安区宏达化工有限公司超标排放大气污染物案", "19", "73.5"),
        ("D12", PEN, "鄂L某某号货车未按规定办理营运证案", "15.5", "58"),
        ("D14", PEN, "咸安区某农资店销售假劣农药案", "18", "68"),
        ("D16", PEN, "咸安区某加油站违反成品油市场管理规定案", "17", "64.5"),
        ("D19", PEN, "某建设单位拒绝提供审计资料案", "18.5", "70"),
        ("D20", PEN, "咸安区某企业提供不真实统计资料案", "17.5", "67.5"),
        ("D21", PEN, "咸安区某建材公司未落实安全生产培训案", "19", "72"),
        ("D23", PEN, "温泉路违法搭建案", "17", "62"),
        ("D24", PEN, "咸安区某停车场不明码标价案", "18", "68.5"),
        ("D25", PEN, "咸安区某粮油公司违反粮食流通管理规定案", "17", "63"),
        ("D28", PEN, "咸安区某旅行社未签订旅游合同案", "18", "67"),
        ("D29", PEN, "某宗教活动场所违规举办活动案", "16.5", "61.5"),
        ("D32", PEN, "某农机户无证驾驶拖拉机案", "16", "62"),
        ("D35", PEN, "咸安区某美容店未取得卫生许可经营案", "18.5", "70.5"),
        ("D36", PEN, "咸安区某网吧接纳未成年人案", "19", "72.5"),
        ("D38", PEN, "某建设单位未按规定移交建设项目档案案", "14", "42"),
        ("D39", PEN, "某移民安置点违规使用后扶资金案", "17", "64"),
        ("V01", PEN, "咸安区某商行销售侵犯注册商标专用权商品案", "19.5", "74.5"),
        ("V02", PEN, "咸安区某公司未按期申报纳税案", "18", "69"),
        ("V04", PEN, "咸安区某电梯未经定期检验继续使用案", "19", "73"),
        ("D21", COE, "咸安区某烟花爆竹仓库查封", "18.5", "70"),
        ("V01", COE, "咸安区某商行侵权商品扣押", "18", "67.5"),
        ("V04", COE, "咸安区某企业不合格压力容器查封", "17.5", "66"),
    ],
}

# (round, unit code, case type) -> (veto item, what was found)
VETOES = {
    (2, "D32", PEN): (VetoItem.FEWER_THAN_TWO_OFFICERS, "现场检查笔录只有一名执法人员签名。"),
}

# (round, unit code, case type) -> (problem, requirement, due, rectified on, rectification)
PROBLEMS = {
    (1, "D11", LIC): (
        "受理通知书载明的申请材料与案卷材料不一致，案卷未编制目录。",
        "补正案卷目录，规范受理环节材料清单。",
        D("2017-07-31"),
        D("2017-07-20"),
        "已补编目录，修订受理材料清单并组织窗口人员培训。",
    ),
    (2, "D23", PEN): (
        "处罚决定书未载明罚款的履行方式和期限。",
        "修改处罚决定书格式文本，对同类案件开展自查。",
        D("2017-12-15"),
        D("2017-12-12"),
        "已修订文书格式文本，自查同类案卷18卷并逐一整改。",
    ),
    (2, "D32", PEN): (
        "现场检查仅一名执法人员实施，违反执法人员不得少于两人的规定。",
        "对该案重新调查处理，落实两人以上执法制度。",
        D("2017-12-29"),
        D("2017-12-20"),
        "已撤销原处罚决定并由两名执法人员重新调查，建立现场执法人员登记制度。",
    ),
    (2, "D38", PEN): (
        "未告知当事人陈述、申辩的权利，处罚决定缺少法律依据条款。",
        "组织执法人员学习行政处罚法，重新审查该案。",
        D("2017-12-29"),
        D("2018-01-08"),
        "已重新履行告知程序并补正决定书，组织专题培训1次。",
    ),
    (2, "D12", PEN): (
        "罚款数额选择未说明自由裁量理由，证据目录不完整。",
        "完善自由裁量说理，补充证据目录。",
        D("2018-01-31"),
        D("2018-01-26"),
        "已补充自由裁量说理和证据目录，修订本局行政处罚自由裁量基准。",
    ),
}

CASE_WORD = {LIC: "许", PEN: "罚", COE: "强"}


def _evaluated_units() -> dict[str, Unit]:
    """The district-level enforcement bodies the demo files come from, by code."""
    return {unit.code: unit for unit in Unit.objects.district_level().enforcement_bodies()}


def _case_number(unit: Unit, case_type: CaseType, round_no: int, index: int) -> str:
    return f"{unit.short_name}{CASE_WORD[case_type]}字〔2017〕{round_no}{index:02d}号"


def load(command, units) -> None:
    office = office_user()
    eligible = _evaluated_units()
    unknown = {code for rows in FILES.values() for code, *_rest in rows} - set(eligible)
    if unknown:
        raise ImproperlyConfigured(f"Demo evaluation units are not enforcement bodies: {unknown}")

    for round_no, spec in ROUNDS.items():
        round_, _created = upsert(
            EvaluationRound,
            {"year": 2017, "name": spec["name"]},
            {key: value for key, value in spec.items() if key != "name"},
            by=office,
        )
        for index, (code, case_type, title, form, content) in enumerate(FILES[round_no], 1):
            unit = eligible[code]
            file, _created = upsert_approved(
                EvaluatedFile,
                {
                    "round": round_,
                    "unit": unit,
                    "case_number": _case_number(unit, case_type, round_no, index),
                },
                {
                    "case_type": case_type,
                    "case_title": title,
                    "evaluators": EVALUATORS,
                    "evaluated_on": spec["ended_on"] - datetime.timedelta(days=3),
                    "form_score": Decimal(form),
                    "content_score": Decimal(content),
                },
                by=office,
            )
            veto = VETOES.get((round_no, code, case_type))
            if veto:
                item, note = veto
                upsert(FileVeto, {"file": file, "item": item}, {"note": note}, by=office)
            problem = PROBLEMS.get((round_no, code, case_type))
            if problem:
                description, requirement, due_on, rectified_on, rectification = problem
                upsert(
                    EvaluationProblem,
                    {"file": file, "description": description},
                    {
                        "requirement": requirement,
                        "due_on": due_on,
                        "rectified_on": rectified_on,
                        "rectification": rectification,
                    },
                    by=office,
                )
    total = sum(len(rows) for rows in FILES.values())
    command.stdout.write(
        _("案卷评查：%(rounds)d 次，%(files)d 卷") % {"rounds": len(ROUNDS), "files": total}
    )
