"""Excel resources of the reviews app: one per register, on the registers' base.

Child rows (decision steps, hearings, suspensions, vetoes, problems, clean-up items) are
entered on their parent's page and are not imported.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields

from registers.core.exchange.columns import LenientDateWidget
from registers.models import DocumentKind
from registers.resources.base import ScopedResource, WorkflowResource, register_meta
from reviews.models import (
    AccountabilityRecord,
    CleanupCampaign,
    CommentDraftReply,
    CriminalTransfer,
    DecisionCatalogue,
    EvaluatedFile,
    EvaluationRound,
    Filing,
    GovernmentContract,
    LegalityReview,
    LitigationCase,
    MajorDecision,
    ReconsiderationCase,
    RectificationProblem,
)


class CleanupCampaignResource(WorkflowResource):
    """Campaigns; the documents cleaned and their outcomes are added on the campaign's page."""

    slug = "cleanup-campaigns"
    confirmed_on = fields.Field(
        attribute="confirmed_on",
        column_name=_("确认日期"),
        readonly=True,
        widget=LenientDateWidget(),
    )
    example = {
        "name": "2017年规范性文件专项清理",
        "year": 2017,
        "basis": "全省“放管服”改革涉及的规范性文件清理工作部署",
        "started_on": datetime.date(2017, 6, 1),
        "ended_on": datetime.date(2017, 9, 30),
    }

    Meta = register_meta(CleanupCampaign)


class GovernmentContractResource(WorkflowResource):
    slug = "contracts"
    match_key = ("unit", "number")
    example = {
        "title": "示例道路改造工程施工合同",
        "number": "HT-2017-001",
        "project": "咸安区示例道路改造工程",
        "counterparty": "咸宁市示例建设有限公司",
        "amount": Decimal("2500000.00"),
        "signed_on": datetime.date(2017, 5, 20),
        "law_firm": "湖北示例律师事务所",
        "lawyer": "王律师",
        "lawyer_reviewed_on": datetime.date(2017, 5, 10),
        "lawyer_opinion": "合同条款合法有效，建议明确工期违约责任。",
        "filed_on": datetime.date(2017, 5, 15),
        "filing_number": "咸安合备〔2017〕1号",
    }

    Meta = register_meta(GovernmentContract)


class MajorDecisionResource(WorkflowResource):
    """Decision matters; their steps and decision makers are entered on the decision's page."""

    slug = "major-decisions"
    example = {
        "title": "咸安区示例片区改造方案",
        "category": "重大公共建设项目",
        "matter": "示例片区道路、管网改造及配套设施建设",
        "legality_review_sent_on": datetime.date(2017, 4, 5),
        "legality_review_due_on": datetime.date(2017, 4, 19),
        "legality_reviewed_on": datetime.date(2017, 4, 18),
        "legality_review_result": "审查通过",
        "legality_opinion": "决策草案符合法律法规规定。",
        "meeting_kind": "常务会议",
        "meeting": "区政府第12次常务会议",
        "discussed_on": datetime.date(2017, 4, 28),
        "decided_by": "区长",
        "published_on": datetime.date(2017, 5, 10),
        "publication_channel": "咸安区人民政府门户网站",
    }

    Meta = register_meta(MajorDecision)


class EvaluatedFileResource(WorkflowResource):
    """Files evaluated in a round; vetoes and problems are entered on the file's page."""

    slug = "evaluated-files"
    match_key = ("round", "unit", "case_number")
    example = {
        "case_type": "行政处罚",
        "case_number": "咸安城管罚〔2017〕12号",
        "case_title": "某商户占道经营案",
        "decided_on": datetime.date(2017, 3, 15),
    }

    Meta = register_meta(EvaluatedFile)


class LegalityReviewResource(WorkflowResource):
    """Drafts sent for review; the review's conclusion is the legal office's to enter.

    Linking an issued normative document opens its filing obligation, as in the admin.
    """

    slug = "legality-reviews"
    example = {
        "title": "咸安区示例管理办法（送审稿）",
        "kind": "规范性文件",
        "received_on": datetime.date(2017, 3, 1),
    }

    Meta = register_meta(LegalityReview)

    def after_create(self, instances):
        from reviews.services.documents import open_filing

        for review in instances:
            document = review.resulting_document
            if document is not None and document.kind == DocumentKind.NORMATIVE:
                open_filing(document, by=self.user)


class CommentDraftReplyResource(WorkflowResource):
    slug = "comment-replies"
    example = {
        "title": "湖北省示例条例（征求意见稿）",
        "kind": "地方性法规",
        "requested_by": "湖北省人民政府法制办公室",
        "received_on": datetime.date(2017, 6, 1),
        "reply_requested_by": datetime.date(2017, 6, 15),
        "replied_on": datetime.date(2017, 6, 12),
        "reply": "无修改意见。",
    }

    Meta = register_meta(CommentDraftReply)


class FilingResource(WorkflowResource):
    """Filings of normative documents; the filing unit is always the document's issuer."""

    slug = "filings"
    filing_unit = fields.Field(attribute="unit__name", column_name=_("报备单位"), readonly=True)
    example = {
        "filed_with": "咸宁市人民政府",
        "filed_on": datetime.date(2017, 4, 5),
        "receipt": "咸备〔2017〕3号",
    }

    class Meta(WorkflowResource.Meta):
        model = Filing
        # The filing unit (read-only) follows the document that decides it.
        fields = ["document", "filing_unit", *Filing.register_fields[1:], "status"]

    def is_required(self, field) -> bool:
        return field.attribute == "document" or super().is_required(field)

    def prepare_instance(self, instance) -> None:
        super().prepare_instance(instance)
        # The document decides the unit; a fixed unit only limits which documents are found.
        instance.unit_id = None

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("unit")


class LitigationCaseResource(WorkflowResource):
    """Lawsuits; hearings and who appeared are entered on the case's page."""

    slug = "litigation-cases"
    match_key = ("number",)
    example = {
        "court": "咸安区人民法院",
        "number": "（2017）鄂1202行初5号",
        "trial_instance": "一审",
        "plaintiff": "张某",
        "cause": "不服行政处罚决定",
        "served_on": datetime.date(2017, 3, 1),
        "defence_submitted_on": datetime.date(2017, 3, 10),
    }

    Meta = register_meta(LitigationCase)


class ReconsiderationCaseResource(WorkflowResource):
    """Reconsideration cases; suspensions are entered on the case's page."""

    slug = "reconsideration-cases"
    match_key = ("number",)
    example = {
        "number": "咸安复〔2017〕1号",
        "applicant": "李某",
        "matter": "不服行政处罚决定",
        "procedure": "普通程序",
        "received_on": datetime.date(2017, 3, 1),
        "acceptance": "受理",
        "acceptance_on": datetime.date(2017, 3, 6),
        "copy_served_on": datetime.date(2017, 3, 10),
        "extension_days": 0,
        "respondent_corrected": False,
    }

    Meta = register_meta(ReconsiderationCase)


class AccountabilityRecordResource(WorkflowResource):
    slug = "accountability-records"
    example = {
        "person": "赵某",
        "role": "执法大队队员",
        "conduct": "慢作为",
        "facts": "对群众投诉未在规定期限内处理",
        "measure": "诫勉谈话",
        "decided_on": datetime.date(2017, 7, 1),
        "decided_by": "咸安区纪委监委",
        "document_number": "咸安纪〔2017〕8号",
    }

    Meta = register_meta(AccountabilityRecord)


class CriminalTransferResource(WorkflowResource):
    slug = "criminal-transfers"
    example = {
        "case_name": "某公司销售假冒伪劣产品案",
        "suspected_offence": "销售伪劣产品罪",
        "reported_on": datetime.date(2017, 8, 1),
        "decision": "批准移送",
        "decided_on": datetime.date(2017, 8, 2),
        "transferred_on": datetime.date(2017, 8, 3),
        "police": "咸宁市公安局咸安区分局",
    }

    Meta = register_meta(CriminalTransfer)


class RectificationProblemResource(WorkflowResource):
    slug = "rectification-problems"
    example = {
        "campaign": "2017年行政执法突出问题专项治理",
        "problem": "执法文书送达不规范",
        "source": "自查自纠",
        "found_on": datetime.date(2017, 5, 1),
        "measure": "统一送达回证格式并组织培训",
        "due_on": datetime.date(2017, 6, 30),
        "rectified_on": datetime.date(2017, 6, 20),
    }

    Meta = register_meta(RectificationProblem)


# --- Reference data kept by the office: export only ----------------------------------------


class DecisionCatalogueResource(ScopedResource):
    Meta = register_meta(DecisionCatalogue)


class EvaluationRoundResource(ScopedResource):
    Meta = register_meta(EvaluationRound)


#: Registers of this app on the data-exchange page, in the order it lists them.
EXCHANGE_RESOURCES = [
    GovernmentContractResource,
    MajorDecisionResource,
    LegalityReviewResource,
    CommentDraftReplyResource,
    FilingResource,
    CleanupCampaignResource,
    EvaluatedFileResource,
    ReconsiderationCaseResource,
    LitigationCaseResource,
    AccountabilityRecordResource,
    CriminalTransferResource,
    RectificationProblemResource,
]
