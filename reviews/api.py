"""REST viewsets of the reviews app; routes are collected by ``xianan_lawgov.api``.

Viewset docstrings are the Chinese descriptions shown in the API documentation.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from registers.core.api.filtering import lookups
from registers.core.api.viewsets import ScopedViewSet, WorkflowViewSet
from reviews import filters, models
from reviews.serializers import (
    CleanupCampaignSerializer,
    CleanupItemSerializer,
    ConfirmCleanupSerializer,
    CriminalTransferSerializer,
    DiscussionSerializer,
    EvaluatedFileSerializer,
    FilingSerializer,
    GovernmentContractSerializer,
    LitigationCaseSerializer,
    MajorDecisionSerializer,
    ReconsiderationCaseSerializer,
    ScoreSerializer,
)
from reviews.services.decisions import Participant, record_collective_discussion
from reviews.services.documents import confirm_cleanup, open_filing
from reviews.services.evaluations import score_file

# --- Legality reviews, replies, filings ---------------------------------------------------


class LegalityReviewViewSet(WorkflowViewSet):
    """合法性审核：各单位送审文件草案，法制办录入审核结论（联络员不能填写审核结论）。
    关联印发的规范性文件后，自动登记其报备义务。"""

    queryset = models.LegalityReview.objects.all()
    filterset_fields = lookups("kind", "result", ranges=("received_on", "completed_on"))
    year_filter = "received_on"
    search_fields = ["title", "opinion"]
    ordering_fields = ["received_on", "completed_on", "updated_at"]

    def _open_filing(self, review):
        document = review.resulting_document
        if document is not None and document.is_normative:
            open_filing(document, by=self.request.user)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._open_filing(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._open_filing(serializer.instance)


class CommentDraftReplyViewSet(WorkflowViewSet):
    """地方性法规、政府规章征求意见稿的回复。"""

    queryset = models.CommentDraftReply.objects.all()
    filterset_fields = lookups("kind", ranges=("received_on", "replied_on"))
    year_filter = "received_on"
    search_fields = ["title", "requested_by", "reply"]
    ordering_fields = ["received_on", "replied_on", "updated_at"]


class FilingViewSet(WorkflowViewSet):
    """规范性文件报备：报备单位即文件的制定机关；报备期限按当前节假日安排计算并说明计算过程。"""

    queryset = models.Filing.objects.all()
    serializer_class = FilingSerializer
    filterset_class = filters.FilingFilter
    select_related = ("document",)
    search_fields = ["document__title", "document__number", "receipt"]
    ordering_fields = ["filed_on", "updated_at"]
    export_related = {"document": ("number", "issued_on")}


# --- Clean-up campaigns -------------------------------------------------------------------


class CleanupCampaignViewSet(WorkflowViewSet):
    """文件清理活动及其清理文件。法制办确认后，清理结论记入文件登记（废止、失效、拟修改），活动不再修改。"""

    queryset = models.CleanupCampaign.objects.all()
    serializer_class = CleanupCampaignSerializer
    filterset_class = filters.CleanupCampaignFilter
    nested_children = ("items",)
    office_actions = (*WorkflowViewSet.office_actions, "confirm")
    search_fields = ["name", "basis"]
    ordering_fields = ["year", "started_on", "updated_at"]

    @extend_schema(
        summary=_("确认清理结果（法制办）"),
        request=ConfirmCleanupSerializer,
        responses={200: CleanupCampaignSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        campaign = self.get_object()
        on = self.request_data(ConfirmCleanupSerializer).get("confirmed_on")
        campaign = self.run_service(confirm_cleanup, campaign, by=request.user, on=on)
        return self.answer_with(campaign)


class CleanupItemViewSet(ScopedViewSet):
    """清理文件及清理结论：随所属清理活动修改，活动确认后不再修改。"""

    queryset = models.CleanupItem.objects.all()
    serializer_class = CleanupItemSerializer
    filterset_fields = lookups("campaign", "document", "outcome")
    parent_field = "campaign"
    select_related = ("document",)
    search_fields = ["document__title", "document__number", "note"]
    ordering_fields = ["document__issued_on"]
    export_related = {"document": ("number", "kind")}


# --- Contracts ----------------------------------------------------------------------------


class GovernmentContractViewSet(WorkflowViewSet):
    """政府投资项目合同：达到标准的合同须经律师审核、备案后才能登记签订（金额标准可配置）。"""

    queryset = models.GovernmentContract.objects.all()
    serializer_class = GovernmentContractSerializer
    filterset_fields = lookups(ranges=("signed_on", "amount", "lawyer_reviewed_on", "filed_on"))
    year_filter = "signed_on"
    search_fields = ["title", "number", "project", "counterparty"]
    ordering_fields = ["signed_on", "amount", "updated_at"]


# --- Major decisions ----------------------------------------------------------------------


class DecisionCatalogueViewSet(ScopedViewSet):
    """重大行政决策事项目录（法制办维护的参考数据）。"""

    queryset = models.DecisionCatalogue.objects.all()
    filterset_fields = ["year", "decision_body"]
    select_related = ("decision_body",)
    search_fields = ["title", "document_number"]
    ordering_fields = ["year"]


class MajorDecisionViewSet(WorkflowViewSet):
    """重大行政决策：公众参与、专家论证、风险评估、合法性审查、集体讨论决定及参会人员意见。"""

    queryset = models.MajorDecision.objects.all()
    serializer_class = MajorDecisionSerializer
    filterset_class = filters.MajorDecisionFilter
    select_related = ("catalogue",)
    nested_children = ("steps", "participants")
    search_fields = ["title", "matter"]
    ordering_fields = ["discussed_on", "updated_at"]

    @extend_schema(
        summary=_("录入集体讨论决定及参会人员意见（须已通过合法性审查）"),
        request=DiscussionSerializer,
        responses={200: MajorDecisionSerializer},
    )
    @action(detail=True, methods=["post"])
    def discussion(self, request, pk=None):
        decision = self.get_object()
        data = self.request_data(DiscussionSerializer)
        participants = [Participant(**person) for person in data.pop("participants", [])]
        self.run_service(
            record_collective_discussion,
            decision,
            **data,  # the meeting, its date, who decided, why the head departed from the rest
            participants=participants,
            by=request.user,
        )
        return self.answer_with(decision)


class DecisionStepViewSet(ScopedViewSet):
    """决策程序（公众参与、专家论证、风险评估）：随所属决策事项修改。"""

    queryset = models.DecisionStep.objects.all()
    filterset_fields = ["decision", "kind", "applicable"]
    parent_field = "decision"
    search_fields = ["method", "summary"]
    ordering_fields = ["kind"]


class DecisionParticipantViewSet(ScopedViewSet):
    """参与决策人员及其意见（不同意见如实载明）：随所属决策事项修改。"""

    queryset = models.DecisionParticipant.objects.all()
    filterset_fields = ["decision", "stance"]
    parent_field = "decision"
    search_fields = ["name", "post"]
    ordering_fields = ["name"]


# --- Case-file evaluations ----------------------------------------------------------------


class EvaluationRoundViewSet(ScopedViewSet):
    """案卷评查活动（法制办维护的参考数据）。"""

    queryset = models.EvaluationRound.objects.all()
    filterset_fields = lookups("year", ranges=("started_on",))
    search_fields = ["name", "plan_title", "plan_number"]
    ordering_fields = ["year", "started_on"]


class EvaluatedFileViewSet(WorkflowViewSet):
    """评查案卷及评分：形式20分、内容80分，有否决项的为不合格；评分由法制办录入。"""

    queryset = models.EvaluatedFile.objects.all()
    serializer_class = EvaluatedFileSerializer
    filterset_class = filters.EvaluatedFileFilter
    select_related = ("round",)
    nested_children = ("vetoes", "problems")
    office_actions = (*WorkflowViewSet.office_actions, "score")
    search_fields = ["case_number", "case_title"]
    ordering_fields = ["case_number", "evaluated_on", "updated_at"]

    @extend_schema(
        summary=_("录入评分（法制办）：形式、内容得分和否决项"),
        request=ScoreSerializer,
        responses={200: EvaluatedFileSerializer},
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        file = self.get_object()
        data = self.request_data(ScoreSerializer)
        vetoes = [(models.VetoItem(row["item"]), row["note"]) for row in data.pop("vetoes", [])]
        # The scores and the date as sent, with the veto items found.
        self.run_service(score_file, file, **data, vetoes=vetoes, by=request.user)
        return self.answer_with(file)


class EvaluationProblemViewSet(ScopedViewSet):
    """评查发现的问题及整改：随所属案卷修改。"""

    queryset = models.EvaluationProblem.objects.all()
    filterset_class = filters.EvaluationProblemFilter
    parent_field = "file"
    search_fields = ["description", "rectification"]
    ordering_fields = ["due_on"]


# --- Reconsideration and litigation -------------------------------------------------------


class ReconsiderationCaseViewSet(WorkflowViewSet):
    """行政复议案件（单位为被申请人）。deadlines 为按当前节假日安排计算的各项法定期限及计算过程。"""

    queryset = models.ReconsiderationCase.objects.all()
    serializer_class = ReconsiderationCaseSerializer
    filterset_fields = lookups(
        "procedure", "acceptance", "outcome", ranges=("received_on", "concluded_on")
    )
    year_filter = "received_on"
    nested_children = ("suspensions",)
    search_fields = ["number", "applicant", "matter"]
    ordering_fields = ["received_on", "concluded_on", "updated_at"]


class ReconsiderationSuspensionViewSet(ScopedViewSet):
    """行政复议案件的中止与恢复：随所属案件修改。"""

    queryset = models.ReconsiderationSuspension.objects.all()
    filterset_fields = ["case"]
    parent_field = "case"
    search_fields = ["reason"]
    ordering_fields = ["suspended_on"]


class LitigationCaseViewSet(WorkflowViewSet):
    """行政应诉案件（单位为被告），含开庭和负责人出庭情况；答辩期限按当前节假日安排计算。"""

    queryset = models.LitigationCase.objects.all()
    serializer_class = LitigationCaseSerializer
    filterset_fields = lookups("trial_instance", "outcome", ranges=("served_on", "concluded_on"))
    year_filter = "served_on"
    nested_children = ("hearings",)
    search_fields = ["number", "plaintiff", "cause", "court"]
    ordering_fields = ["served_on", "concluded_on", "updated_at"]


class LitigationHearingViewSet(ScopedViewSet):
    """开庭与负责人出庭：随所属案件修改。"""

    queryset = models.LitigationHearing.objects.all()
    filterset_fields = lookups("case", "trial_instance", ranges=("held_on",))
    parent_field = "case"
    search_fields = ["head_name", "others"]
    ordering_fields = ["held_on"]


# --- Supervision --------------------------------------------------------------------------


class AccountabilityRecordViewSet(WorkflowViewSet):
    """纠错问责记录（不作为、乱作为、慢作为）。"""

    queryset = models.AccountabilityRecord.objects.all()
    filterset_fields = lookups("conduct", "measure", ranges=("decided_on",))
    year_filter = "decided_on"
    search_fields = ["person", "facts", "document_number"]
    ordering_fields = ["decided_on", "updated_at"]


class CriminalTransferViewSet(WorkflowViewSet):
    """涉嫌犯罪案件移送（行刑衔接），含审批、移送和公安机关立案的法定期限。"""

    queryset = models.CriminalTransfer.objects.all()
    serializer_class = CriminalTransferSerializer
    filterset_fields = lookups(
        "decision", "police_decision", ranges=("reported_on", "transferred_on")
    )
    year_filter = "reported_on"
    search_fields = ["case_name", "suspected_offence", "police"]
    ordering_fields = ["reported_on", "updated_at"]


class RectificationProblemViewSet(WorkflowViewSet):
    """执法突出问题专项治理的问题及整改。"""

    queryset = models.RectificationProblem.objects.all()
    filterset_fields = lookups("source", ranges=("found_on", "due_on", "rectified_on"))
    year_filter = "due_on"
    search_fields = ["campaign", "problem", "measure"]
    ordering_fields = ["due_on", "found_on", "updated_at"]


ROUTES = [
    ("legality-reviews", LegalityReviewViewSet),
    ("comment-draft-replies", CommentDraftReplyViewSet),
    ("filings", FilingViewSet),
    ("cleanup-campaigns", CleanupCampaignViewSet),
    ("cleanup-items", CleanupItemViewSet),
    ("contracts", GovernmentContractViewSet),
    ("decision-catalogues", DecisionCatalogueViewSet),
    ("major-decisions", MajorDecisionViewSet),
    ("decision-steps", DecisionStepViewSet),
    ("decision-participants", DecisionParticipantViewSet),
    ("evaluation-rounds", EvaluationRoundViewSet),
    ("evaluated-files", EvaluatedFileViewSet),
    ("evaluation-problems", EvaluationProblemViewSet),
    ("reconsideration-cases", ReconsiderationCaseViewSet),
    ("reconsideration-suspensions", ReconsiderationSuspensionViewSet),
    ("litigation-cases", LitigationCaseViewSet),
    ("litigation-hearings", LitigationHearingViewSet),
    ("accountability-records", AccountabilityRecordViewSet),
    ("criminal-transfers", CriminalTransferViewSet),
    ("rectification-problems", RectificationProblemViewSet),
]
