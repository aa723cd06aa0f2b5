"""Demo cases: reconsideration, litigation, accountability, crime transfers, rectification.

The 2017 records reproduce the report's figures (reconsideration 4 received, 3 accepted,
3 concluded; 13 litigation cases, every one heard with an agency head appearing), which the
report computes from these records. A few open cases dated late 2026 give the deadline
board something to show. Idempotent: rows are found by natural key (case number, or unit,
person and date) and written only when something differs.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from registers.core.status import Status
from registers.demo.units import office_user
from registers.demo.writes import defaults, upsert, upsert_approved
from registers.models import Unit, User
from reviews.models import (
    AcceptanceDecision,
    AccountabilityMeasure,
    AccountabilityRecord,
    Conduct,
    CriminalTransfer,
    HeadRank,
    Instance,
    LitigationCase,
    LitigationHearing,
    LitigationOutcome,
    PoliceDecision,
    ProblemSource,
    ReconsiderationCase,
    ReconsiderationOutcome,
    ReconsiderationProcedure,
    RectificationProblem,
    TransferDecision,
)

D = datetime.date

# --- Reconsideration -------------------------------------------------------------------------

RECONSIDERATIONS = [
    {
        "number": "咸安复〔2017〕1号",
        "applicant": "刘某某",
        "unit": "D23",
        "matter": "《限期拆除违法建设决定书》（咸城管拆字〔2017〕12号）",
        "received_on": D(2017, 3, 6),
        "acceptance": AcceptanceDecision.ACCEPTED,
        "acceptance_on": D(2017, 3, 8),
        "copy_served_on": D(2017, 3, 10),
        "concluded_on": D(2017, 4, 28),
        "outcome": ReconsiderationOutcome.UPHELD,
    },
    {
        "number": "咸安复〔2017〕2号",
        "applicant": "咸宁某商贸有限公司",
        "unit": "V01",
        "matter": "《行政处罚决定书》（咸工商处字〔2017〕第35号），罚款5万元",
        "received_on": D(2017, 6, 12),
        "correction_requested_on": D(2017, 6, 14),
        "correction_notice_served_on": D(2017, 6, 15),
        "correction_received_on": D(2017, 6, 21),
        "acceptance": AcceptanceDecision.ACCEPTED,
        "acceptance_on": D(2017, 6, 22),
        "copy_served_on": D(2017, 6, 26),
        "concluded_on": D(2017, 8, 18),
        "outcome": ReconsiderationOutcome.REVOKED,
    },
    {
        "number": "咸安复〔2017〕3号",
        "applicant": "王某某",
        "unit": "D11",
        "matter": "申请确认被申请人未履行对违法建设的查处职责",
        "received_on": D(2017, 9, 26),
        "acceptance": AcceptanceDecision.ACCEPTED,
        "acceptance_on": D(2017, 9, 29),
        "copy_served_on": D(2017, 10, 10),
        "concluded_on": D(2017, 11, 20),
        "outcome": ReconsiderationOutcome.APPLICATION_REJECTED,
        "note": (
            "被申请人在受理前已依法立案查处，依《行政复议法实施条例》第四十八条第一款第(一)项驳回。"
        ),
    },
    {
        "number": "咸安复〔2017〕4号",
        "applicant": "陈某某",
        "unit": "V05",
        "matter": "2009年的集体土地使用权登记行为",
        "received_on": D(2017, 11, 13),
        "acceptance": AcceptanceDecision.NOT_ACCEPTED,
        "acceptance_on": D(2017, 11, 17),
        "note": "超过《行政复议法》第九条规定的六十日申请期限，决定不予受理。",
    },
    # Open cases, so the deadline board has something to show.
    {
        "number": "咸安复〔2026〕18号",
        "applicant": "张某某",
        "unit": "D23",
        "matter": "《责令停止违法行为通知书》（占道经营）",
        "received_on": D(2026, 9, 29),
        "acceptance": AcceptanceDecision.ACCEPTED,
        "acceptance_on": D(2026, 10, 9),
        "copy_served_on": D(2026, 10, 13),
        "handler": "office",
    },
    {
        "number": "咸安复〔2026〕21号",
        "applicant": "咸宁某物流有限公司",
        "unit": "D12",
        "matter": "《行政处罚决定书》（车辆超限运输），罚款3万元",
        "received_on": D(2026, 11, 26),
        "procedure": ReconsiderationProcedure.ORDINARY,
        "handler": "office",
    },
]

# --- Litigation ----------------------------------------------------------------------------

FIRST_COURT = "咸宁市咸安区人民法院"
APPEAL_COURT = "湖北省咸宁市中级人民法院"

# (number, plaintiff, defendant, cause, served, hearings, outcome, concluded, court, instance)
# where hearings are (date, instance, head, rank, title).
LITIGATIONS = [
    (
        "（2017）鄂1202行初3号",
        "胡某某",
        "G01",
        "房屋征收补偿决定",
        D(2017, 1, 16),
        [(D(2017, 3, 14), Instance.FIRST, "周某某", HeadRank.DEPUTY, "副区长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 4, 20),
    ),
    (
        "（2017）鄂1202行初7号",
        "咸宁某置业有限公司",
        "V05",
        "收回国有土地使用权决定",
        D(2017, 2, 20),
        [(D(2017, 4, 11), Instance.FIRST, "黄某", HeadRank.PRINCIPAL, "局长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 5, 26),
    ),
    (
        "（2017）鄂1202行初9号",
        "李某某",
        "D23",
        "强制拆除违法建筑",
        D(2017, 3, 1),
        [(D(2017, 4, 18), Instance.FIRST, "吴某某", HeadRank.IN_CHARGE, "副局长")],
        LitigationOutcome.WITHDRAWN,
        D(2017, 5, 5),
    ),
    (
        "（2017）鄂1202行初12号",
        "程某某",
        "D09",
        "工伤认定",
        D(2017, 3, 20),
        [(D(2017, 5, 9), Instance.FIRST, "徐某", HeadRank.DEPUTY, "副局长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 6, 16),
    ),
    (
        "（2017）鄂12行终15号",
        "咸宁某建筑工程有限公司",
        "G01",
        "政府信息公开答复（一审案号（2017）鄂1202行初15号）",
        D(2017, 4, 5),
        [
            (D(2017, 5, 23), Instance.FIRST, "周某某", HeadRank.DEPUTY, "副区长"),
            (D(2017, 9, 12), Instance.SECOND, "刘某", HeadRank.PRINCIPAL, "区长"),
        ],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 10, 30),
        APPEAL_COURT,
        Instance.SECOND,
    ),
    (
        "（2017）鄂1202行初18号",
        "余某某",
        "V01",
        "行政处罚（无照经营）",
        D(2017, 4, 24),
        [(D(2017, 6, 13), Instance.FIRST, "郑某某", HeadRank.PRINCIPAL, "局长")],
        LitigationOutcome.REVOKED,
        D(2017, 7, 21),
    ),
    (
        "（2017）鄂1202行初21号",
        "熊某某",
        "T01",
        "行政强制（拆除临时建筑）",
        D(2017, 5, 15),
        [(D(2017, 7, 4), Instance.FIRST, "邓某某", HeadRank.PRINCIPAL, "街道办事处主任")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 8, 10),
    ),
    (
        "（2017）鄂1202行初25号",
        "咸宁某运输有限公司",
        "D12",
        "行政处罚（超限运输）",
        D(2017, 6, 5),
        [(D(2017, 7, 25), Instance.FIRST, "潘某某", HeadRank.IN_CHARGE, "副局长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 9, 1),
    ),
    (
        "（2017）鄂1202行初29号",
        "杨某某",
        "G01",
        "不履行土地征收补偿安置职责",
        D(2017, 6, 26),
        [(D(2017, 8, 22), Instance.FIRST, "周某某", HeadRank.DEPUTY, "副区长")],
        LitigationOutcome.SUIT_DISMISSED,
        D(2017, 9, 20),
    ),
    (
        "（2017）鄂1202行初33号",
        "舒某某",
        "D27",
        "房屋所有权登记",
        D(2017, 7, 17),
        [(D(2017, 9, 5), Instance.FIRST, "孙某某", HeadRank.PRINCIPAL, "局长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 10, 27),
    ),
    (
        "（2017）鄂1202行初36号",
        "刘某某",
        "D23",
        "行政处罚（违法建设）",
        D(2017, 8, 14),
        [(D(2017, 10, 17), Instance.FIRST, "吴某某", HeadRank.IN_CHARGE, "副局长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2017, 11, 24),
    ),
    (
        "（2017）鄂1202行初40号",
        "咸宁某食品有限公司",
        "D22",
        "行政处罚（食品安全）",
        D(2017, 9, 18),
        [(D(2017, 11, 7), Instance.FIRST, "马某某", HeadRank.DEPUTY, "副局长")],
        LitigationOutcome.WITHDRAWN,
        D(2017, 11, 30),
    ),
    (
        "（2017）鄂1202行初44号",
        "谢某某",
        "G01",
        "行政复议决定（维持限期拆除决定）",
        D(2017, 10, 30),
        [(D(2017, 12, 19), Instance.FIRST, "刘某", HeadRank.PRINCIPAL, "区长")],
        LitigationOutcome.CLAIM_REJECTED,
        D(2018, 2, 9),
    ),
    # Open, for the deadline board: the defence is still to be filed.
    (
        "（2026）鄂1202行初58号",
        "咸宁某汽车运输有限公司",
        "D12",
        "行政处罚（道路运输经营）",
        D(2026, 11, 24),
        [],
        None,
        None,
    ),
]

# --- Accountability, transfers, rectification ----------------------------------------------

ACCOUNTABILITY = [
    (
        "T06",
        "何某某",
        "镇村镇建设服务中心主任",
        Conduct.INACTION,
        "对辖区内群众反映的违法建设未及时制止和报告",
        AccountabilityMeasure.NOTICE,
        D(2017, 5, 22),
        "横沟桥镇党委",
    ),
    (
        "D21",
        "江某某",
        "安全生产执法大队执法人员",
        Conduct.DELAY,
        "安全生产举报件未在规定期限内核查处理",
        AccountabilityMeasure.ADMONITION,
        D(2017, 7, 12),
        "区安监局党组",
    ),
    (
        "D27",
        "袁某某",
        "产权登记股工作人员",
        Conduct.MISCONDUCT,
        "要件不全违规办理房屋转移登记",
        AccountabilityMeasure.DISCIPLINARY,
        D(2017, 10, 16),
        "区纪委",
    ),
]

CAMPAIGN_2017 = "2017年行政执法突出问题专项治理"
CAMPAIGN_2026 = "2026年行政执法质量提升专项行动"

# (unit, campaign, problem, source, found, measure, due, rectified)
RECTIFICATIONS = [
    (
        "D23",
        CAMPAIGN_2017,
        "部分执法人员现场执法未全程佩戴执法记录仪",
        ProblemSource.SELF_CHECK,
        D(2017, 4, 10),
        "配齐执法记录仪，建立音像资料归档台账，每月抽查",
        D(2017, 5, 31),
        D(2017, 5, 20),
    ),
    (
        "V01",
        CAMPAIGN_2017,
        "行政处罚自由裁量基准未细化，同类案件罚款幅度差异大",
        ProblemSource.PUBLIC_COMMENT,
        D(2017, 5, 8),
        "修订自由裁量基准并向社会公布",
        D(2017, 7, 31),
        D(2017, 7, 25),
    ),
    (
        "D12",
        CAMPAIGN_2017,
        "超限运输处罚文书填写不规范",
        ProblemSource.SELF_CHECK,
        D(2017, 4, 20),
        "统一文书样式，组织执法人员培训",
        D(2017, 6, 30),
        D(2017, 6, 28),
    ),
    (
        "D23",
        CAMPAIGN_2026,
        "部分行政处罚决定未在7个工作日内公示",
        ProblemSource.INSPECTION,
        D(2026, 10, 12),
        "补充公示并建立公示提醒机制",
        D(2026, 11, 20),
        None,
    ),
    (
        "D12",
        CAMPAIGN_2026,
        "行政检查未使用统一检查表",
        ProblemSource.SELF_CHECK,
        D(2026, 11, 2),
        "按“一张表格管检查”要求启用统一检查表",
        D(2026, 12, 31),
        None,
    ),
]

TRANSFERS = [
    {
        "unit": "D22",
        "case_name": "咸安区某食品店销售有毒、有害食品案",
        "suspected_offence": "销售有毒、有害食品罪",
        "reported_on": D(2017, 8, 7),
        "decision": TransferDecision.APPROVED,
        "decided_on": D(2017, 8, 9),
        "transferred_on": D(2017, 8, 10),
        "police": "咸宁市公安局咸安分局",
        "police_accepted_on": D(2017, 8, 10),
        "police_decision": PoliceDecision.FILED,
        "police_notice_received_on": D(2017, 8, 12),
    },
    {
        "unit": "D22",
        "case_name": "咸安区某药店销售假药案",
        "suspected_offence": "销售假药罪",
        "reported_on": D(2026, 11, 27),
        "police": "咸宁市公安局咸安分局",
        "handler": "office",
    },
]


#: The people in charge (承办人) of the open records of the tuples above, by case number or
#: problem: the demo accounts' own deadlines (我的期限). The dict rows name theirs.
HANDLERS = {
    "（2026）鄂1202行初58号": "liaison2",
    "部分行政处罚决定未在7个工作日内公示": "liaison",
    "行政检查未使用统一检查表": "liaison2",
}


def _person(username: str | None) -> User | None:
    return User.objects.get(username=username) if username else None


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()

    for row in RECONSIDERATIONS:
        values = {
            **defaults(ReconsiderationCase, leaving=("number",)),
            **{k: v for k, v in row.items() if k not in ("number", "unit", "handler")},
            "unit": units[row["unit"]],
            "handler": _person(row.get("handler")),
        }
        upsert_approved(ReconsiderationCase, {"number": row["number"]}, values, by=office)

    for number, plaintiff, unit, cause, served, hearings, outcome, concluded, *rest in LITIGATIONS:
        court, instance = rest or (FIRST_COURT, Instance.FIRST)
        case, _created = upsert_approved(
            LitigationCase,
            {"number": number},
            {
                "court": court,
                "trial_instance": instance,
                "plaintiff": plaintiff,
                "unit": units[unit],
                "cause": cause,
                "served_on": served,
                "defence_submitted_on": served + datetime.timedelta(days=10) if outcome else None,
                "concluded_on": concluded,
                "outcome": outcome or "",
                "handler": _person(HANDLERS.get(number)),
            },
            by=office,
        )
        for held_on, hearing_instance, head, rank, title in hearings:
            upsert(
                LitigationHearing,
                {"case": case, "held_on": held_on, "trial_instance": hearing_instance},
                {
                    "head_name": head,
                    "head_rank": rank,
                    "head_title": title,
                    "others": _("委托代理人：法律顾问一名"),
                },
            )

    for unit, person, role, conduct, facts, measure, decided_on, decided_by in ACCOUNTABILITY:
        upsert_approved(
            AccountabilityRecord,
            {"unit": units[unit], "person": person, "decided_on": decided_on, "measure": measure},
            {"role": role, "conduct": conduct, "facts": facts, "decided_by": decided_by},
            by=office,
        )

    for unit, campaign, problem, source, found, measure, due, rectified in RECTIFICATIONS:
        upsert_approved(
            RectificationProblem,
            {"unit": units[unit], "campaign": campaign, "problem": problem},
            {
                "source": source,
                "found_on": found,
                "measure": measure,
                "due_on": due,
                "rectified_on": rectified,
                "handler": _person(HANDLERS.get(problem)),
            },
            by=office,
        )

    for row in TRANSFERS:
        values = {
            **defaults(CriminalTransfer, leaving=("case_name",)),
            **{k: v for k, v in row.items() if k not in ("unit", "case_name", "handler")},
            "handler": _person(row.get("handler")),
        }
        upsert_approved(
            CriminalTransfer,
            {"unit": units[row["unit"]], "case_name": row["case_name"]},
            values,
            by=office,
        )

    approved = {"status": Status.APPROVED}
    counts = {
        "reconsideration": ReconsiderationCase.objects.filter(**approved).count(),
        "litigation": LitigationCase.objects.filter(**approved).count(),
        "accountability": AccountabilityRecord.objects.filter(**approved).count(),
        "problems": RectificationProblem.objects.filter(**approved).count(),
        "transfers": CriminalTransfer.objects.filter(**approved).count(),
    }
    command.stdout.write(
        _(
            "行政复议 %(reconsideration)d 件，行政应诉 %(litigation)d 件，"
            "问责 %(accountability)d 人，专项治理问题 %(problems)d 个，"
            "移送涉嫌犯罪案件 %(transfers)d 件"
        )
        % counts
    )
