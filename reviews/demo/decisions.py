"""Demo major administrative decisions: the district government's 2017 catalogue.

The 2017 report: "把调查研究、公众参与、专家论证、风险评估、合法性审查和集体讨论决定作为必经
程序，落实重大决策终身责任追究制". Three decisions of the catalogue, each with its steps (or
the reason a step did not apply), a passed legality review before the executive meeting, the
members' opinions including one recorded dissent, and publication.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from registers.demo.units import office_user
from reviews import models

from .records import upsert, upsert_approved

D = datetime.date.fromisoformat

CATALOGUE = {
    "year": 2017,
    "title": "咸安区人民政府2017年度重大行政决策事项目录",
    "document_number": "咸安政办发〔2017〕3号",
    "published_on": D("2017-01-20"),
}

MEMBERS = [
    ("陈立新", "区长"),
    ("刘国平", "常务副区长"),
    ("张红梅", "副区长"),
    ("吴建军", "副区长"),
    ("孙卫东", "副区长"),
]
HEAD = MEMBERS[0][0]

PUBLISHED_VIA = "咸安区人民政府门户网站、《咸安区人民政府公报》"

DECISIONS = [
    {
        "unit": "D23",
        "title": "咸安区城市管理执法体制改革方案",
        "category": models.DecisionCategory.PUBLIC_POLICY,
        "matter": "整合城市管理领域执法职责，相对集中行政处罚权，推进城市管理综合执法。",
        "steps": {
            models.StepKind.PUBLIC_PARTICIPATION: {
                "method": "政府网站公开征求意见、座谈会",
                "comment_opens_on": D("2017-04-05"),
                "comment_closes_on": D("2017-05-04"),
                "completed_on": D("2017-05-10"),
                "summary": "收到意见建议23条，采纳11条，主要涉及执法队伍下沉街道和执法协作。",
            },
            models.StepKind.EXPERT_ARGUMENT: {
                "method": "论证会",
                "completed_on": D("2017-05-12"),
                "summary": "邀请5名法学和城市管理专家论证，认为方案必要、可行。",
            },
            models.StepKind.RISK_ASSESSMENT: {
                "method": "社会稳定风险评估",
                "completed_on": D("2017-05-18"),
                "summary": "评估风险等级为低，提出人员划转和执法衔接两项防范措施。",
            },
        },
        "legality": {
            "legality_review_sent_on": D("2017-05-22"),
            "legality_review_due_on": D("2017-06-02"),
            "legality_reviewed_on": D("2017-05-31"),
            "legality_opinion": "方案符合有关法律、法规和国家政策规定，程序完备，同意提交讨论。",
        },
        "meeting": ("区政府第6次常务会议", D("2017-06-08")),
        "dissent": {},
        "published_on": D("2017-06-20"),
        "archived_on": D("2017-07-05"),
        "post_evaluation": {
            "post_evaluation_trigger": models.EvaluationTrigger.DEEMED_NECESSARY,
            "post_evaluator": "华中师范大学法学院（第三方）",
            "post_evaluated_on": D("2018-06-28"),
            "post_evaluation_conclusion": "改革目标基本实现，建议完善街道执法协作机制。",
        },
    },
    {
        "unit": "D27",
        "title": "咸安区城东片区棚户区改造国有土地上房屋征收补偿方案",
        "category": models.DecisionCategory.PUBLIC_POLICY,
        "matter": "确定城东片区棚户区改造房屋征收范围、补偿方式、补偿标准和安置办法。",
        "steps": {
            models.StepKind.PUBLIC_PARTICIPATION: {
                "method": "政府网站公开征求意见、听证会",
                "comment_opens_on": D("2017-02-06"),
                "comment_closes_on": D("2017-03-07"),
                "completed_on": D("2017-03-15"),
                "summary": "收到意见56条，召开听证会1次，调整了临街商铺的补偿认定办法。",
            },
            models.StepKind.EXPERT_ARGUMENT: {
                "applicable": False,
                "reason_not_applicable": (
                    "补偿标准依照《国有土地上房屋征收与补偿条例》和市定标准确定，"
                    "不涉及专业性、技术性较强的问题。"
                ),
            },
            models.StepKind.RISK_ASSESSMENT: {
                "method": "社会稳定风险评估（委托第三方）",
                "completed_on": D("2017-03-20"),
                "summary": "评估风险等级为中，制定了信访维稳和矛盾化解预案。",
            },
        },
        "legality": {
            "legality_review_sent_on": D("2017-03-21"),
            "legality_review_due_on": D("2017-03-31"),
            "legality_reviewed_on": D("2017-03-29"),
            "legality_opinion": "补偿方案符合《国有土地上房屋征收与补偿条例》规定，同意提交讨论。",
        },
        "meeting": ("区政府第3次常务会议", D("2017-04-07")),
        "dissent": {
            "吴建军": (
                models.Stance.DISSENT,
                "临街商铺按住宅标准补偿偏低，易引发矛盾，建议按评估的经营用房价格补偿。",
            ),
        },
        "published_on": D("2017-04-12"),
        "archived_on": D("2017-04-28"),
    },
    {
        "unit": "D13",
        "title": "咸安区城乡供水一体化规划（2017—2030年）",
        "category": models.DecisionCategory.PLAN,
        "matter": "统筹城区和乡镇供水水源、水厂和管网布局，分期实现城乡同网同质同价。",
        "steps": {
            models.StepKind.PUBLIC_PARTICIPATION: {
                "method": "政府网站公开征求意见",
                "comment_opens_on": D("2017-08-01"),
                "comment_closes_on": D("2017-08-31"),
                "completed_on": D("2017-09-05"),
                "summary": "收到意见14条，采纳6条，增加了大幕乡、高桥镇的水源保护内容。",
            },
            models.StepKind.EXPERT_ARGUMENT: {
                "method": "论证会",
                "completed_on": D("2017-09-12"),
                "summary": "7名水利、给排水专家论证，建议调整二期水厂规模。",
            },
            models.StepKind.RISK_ASSESSMENT: {
                "applicable": False,
                "reason_not_applicable": (
                    "规划本身不直接调整群众利益，实施中的具体项目按规定另行开展风险评估。"
                ),
            },
        },
        "legality": {
            "legality_review_sent_on": D("2017-09-18"),
            "legality_review_due_on": D("2017-09-29"),
            "legality_reviewed_on": D("2017-09-27"),
            "legality_opinion": "规划编制程序合法，内容与上位规划相衔接，同意提交讨论。",
        },
        "meeting": ("区政府第11次常务会议", D("2017-10-19")),
        "dissent": {},
        "published_on": D("2017-11-02"),
    },
]


def load(command, units) -> None:
    office = office_user()
    catalogue, _created = upsert(
        models.DecisionCatalogue,
        {"decision_body": units["G01"], "year": CATALOGUE["year"]},
        {key: value for key, value in CATALOGUE.items() if key != "year"},
        by=office,
    )
    for spec in DECISIONS:
        meeting, discussed_on = spec["meeting"]
        decision, _created = upsert_approved(
            models.MajorDecision,
            {"catalogue": catalogue, "title": spec["title"]},
            {
                "unit": units[spec["unit"]],
                "category": spec["category"],
                "matter": spec["matter"],
                **spec["legality"],
                "legality_review_result": models.LegalityResult.PASSED,
                "meeting_kind": models.MeetingKind.EXECUTIVE,
                "meeting": meeting,
                "discussed_on": discussed_on,
                "decided_by": HEAD,
                "published_on": spec["published_on"],
                "publication_channel": PUBLISHED_VIA,
                "archived_on": spec.get("archived_on"),
                **spec.get("post_evaluation", {}),
            },
            by=office,
        )
        for kind, values in spec["steps"].items():
            upsert(models.DecisionStep, {"decision": decision, "kind": kind}, values, by=office)
        for name, post in MEMBERS:
            stance, reason = spec["dissent"].get(name, (models.Stance.AGREE, ""))
            upsert(
                models.DecisionParticipant,
                {"decision": decision, "name": name},
                {"post": post, "stance": stance, "reason": reason},
                by=office,
            )
    command.stdout.write(
        _("重大行政决策：%(year)d 年度目录 %(count)d 项")
        % {"year": catalogue.year, "count": len(DECISIONS)}
    )
