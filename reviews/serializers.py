"""API representations of reviews and cases, with explicit field lists.

Deadlines are computed when read, from the office's calendar as it is now, and each comes
with how it was computed.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registers.core.api.serializers import (
    DeadlineSerializer,
    ModelCleanSerializer,
    WorkflowSerializer,
    calendar_of,
    deadline_data,
    deadlines_data,
    rows_of,
)
from registers.core.dates import RegisterDateField
from registers.core.deadlines import DeadlineInputError
from reviews import models
from reviews.models.evaluations import grade_for

WORKFLOW_FIELDS = WorkflowSerializer.WORKFLOW_FIELDS

# --- Legality reviews, replies, filings ---------------------------------------------------


class FilingSerializer(WorkflowSerializer):
    due_on = serializers.SerializerMethodField(label=_("报备期限"))
    due_explanation = serializers.SerializerMethodField(label=_("报备期限计算过程"))
    timeliness = serializers.SerializerMethodField(label=_("报备情况（今天）"))

    class Meta:
        model = models.Filing
        read_only_fields = ["unit"]  # always the document's issuer

    def get_fields(self):
        fields = super().get_fields()
        fields["unit"].read_only = True
        return fields

    def _deadline(self, filing):
        return filing.due_deadline(calendar_of(self.context))

    @extend_schema_field(OpenApiTypes.DATE)
    def get_due_on(self, filing):
        return self._deadline(filing).due

    def get_due_explanation(self, filing) -> str:
        return self._deadline(filing).explain()

    @extend_schema_field(serializers.ChoiceField(choices=models.FilingTimeliness.choices))
    def get_timeliness(self, filing):
        filing.__dict__["due_on"] = self._deadline(filing).due  # reuse the request's calendar
        return filing.timeliness_on().value


# --- Clean-up campaigns -------------------------------------------------------------------


class CleanupCampaignSerializer(WorkflowSerializer):
    items = rows_of(models.CleanupItem, _("清理文件"), name="NestedCleanupItem")

    class Meta:
        model = models.CleanupCampaign
        fields = [
            *WORKFLOW_FIELDS,
            *models.CleanupCampaign.register_fields,
            "confirmed_by",
            "items",
        ]


class CleanupItemSerializer(ModelCleanSerializer):
    class Meta:
        model = models.CleanupItem
        fields = ["id", "campaign", *models.CleanupItem.register_fields]


class ConfirmCleanupSerializer(serializers.Serializer):
    confirmed_on = RegisterDateField(
        required=False, label=_("确认日期"), help_text=_("默认今天；清理结论自该日起记入文件登记。")
    )


# --- Contracts ----------------------------------------------------------------------------


class GovernmentContractSerializer(WorkflowSerializer):
    missing_checks = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("尚缺的审核或备案"),
    )

    class Meta:
        model = models.GovernmentContract


# --- Major decisions ----------------------------------------------------------------------


class MajorDecisionSerializer(WorkflowSerializer):
    steps = rows_of(models.DecisionStep, _("决策程序"), name="NestedStep")
    participants = rows_of(
        models.DecisionParticipant, _("参与决策人员及意见"), name="NestedParticipant"
    )

    class Meta:
        model = models.MajorDecision


class ParticipantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("姓名"))
    post = serializers.CharField(max_length=100, label=_("职务"))
    stance = serializers.ChoiceField(
        choices=models.Stance.choices, default=models.Stance.AGREE, label=_("意见")
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("不同意见及理由")
    )


class DiscussionSerializer(serializers.Serializer):
    """The collective discussion (第三十条): the meeting, who decided, every member's view."""

    meeting_kind = serializers.ChoiceField(choices=models.MeetingKind.choices, label=_("会议类型"))
    meeting = serializers.CharField(max_length=100, label=_("会议名称"))
    discussed_on = RegisterDateField(label=_("集体讨论日期"))
    decided_by = serializers.CharField(max_length=100, label=_("决定人（行政首长）"))
    head_departure_reason = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("与多数意见不一致的理由")
    )
    participants = ParticipantInputSerializer(many=True, required=False, label=_("参会人员"))


# --- Case-file evaluations ----------------------------------------------------------------


class FileVetoSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.FileVeto
        fields = ["id", "item", "note"]


class EvaluatedFileSerializer(WorkflowSerializer):
    total_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, read_only=True, allow_null=True, label=_("总分")
    )
    grade = serializers.SerializerMethodField(label=_("等次"))
    vetoes = FileVetoSerializer(many=True, read_only=True, label=_("否决项"))
    problems = rows_of(models.EvaluationProblem, _("评查问题及整改"), name="NestedProblem")

    class Meta:
        model = models.EvaluatedFile

    @extend_schema_field(serializers.ChoiceField(choices=models.Grade.choices, allow_null=True))
    def get_grade(self, file):
        # From the prefetched vetoes: no query per file.
        grade = grade_for(file.total_score, vetoed=bool(file.vetoes.all()))
        return grade.value if grade else None


class VetoInputSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=models.VetoItem.choices, label=_("否决项"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("具体情形"))


class ScoreSerializer(serializers.Serializer):
    """The score sheet: both scores and the veto items found (replacing earlier ones)."""

    form_score = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, label=_("形式得分（满分20）")
    )
    content_score = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, label=_("内容得分（满分80）")
    )
    evaluated_on = RegisterDateField(label=_("评查日期"))
    vetoes = VetoInputSerializer(many=True, required=False, label=_("否决项"))


# --- Reconsideration and litigation -------------------------------------------------------


class ReconsiderationCaseSerializer(WorkflowSerializer):
    regime = serializers.CharField(source="regime.label", read_only=True, label=_("适用法律"))
    stage = serializers.ChoiceField(
        choices=models.ReconsiderationStage.choices, read_only=True, label=_("阶段")
    )
    deadlines = serializers.SerializerMethodField(label=_("法定期限（按当前节假日安排计算）"))
    suspensions = rows_of(
        models.ReconsiderationSuspension, _("中止与恢复"), name="NestedSuspension"
    )

    class Meta:
        model = models.ReconsiderationCase

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case):
        try:
            deadlines = case.deadlines(calendar_of(self.context))
        except DeadlineInputError:
            return []  # inconsistent dates: the case's own validation says why
        return deadlines_data(deadlines)


class LitigationCaseSerializer(WorkflowSerializer):
    outcome_class = serializers.ChoiceField(
        choices=models.OutcomeClass.choices, read_only=True, allow_null=True, label=_("胜败诉")
    )
    defence_deadline = serializers.SerializerMethodField(label=_("答辩期限"))
    hearings = rows_of(models.LitigationHearing, _("开庭与负责人出庭"), name="NestedHearing")

    class Meta:
        model = models.LitigationCase

    @extend_schema_field(DeadlineSerializer)
    def get_defence_deadline(self, case):
        return deadline_data(case.defence_deadline(calendar_of(self.context)))


# --- Supervision --------------------------------------------------------------------------


class CriminalTransferSerializer(WorkflowSerializer):
    deadlines = serializers.SerializerMethodField(label=_("法定期限"))

    class Meta:
        model = models.CriminalTransfer

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, transfer):
        try:
            deadlines = transfer.deadlines(calendar_of(self.context))
        except DeadlineInputError:
            return []
        return deadlines_data(deadlines)
