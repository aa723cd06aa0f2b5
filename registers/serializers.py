"""API representations of the registers, with explicit field lists.

Every writable serializer validates through the model's ``full_clean`` (``ModelCleanSerializer``),
so the API refuses exactly what the admin refuses, with the same messages and codes. Rows
that belong to a record (an item's check points, a draw's targets) are shown inside it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registers import models
from registers.core.api.labels import ChoiceLabelField
from registers.core.api.serializers import (
    DeadlineSerializer,
    ModelCleanSerializer,
    ScopedRequestSerializer,
    WorkflowSerializer,
    calendar_of,
    deadline_data,
    rows_of,
)
from registers.core.dates import RegisterDateField
from registers.creditcode import normalise_credit_code
from registers.draw import MIN_INSPECTORS_PER_TARGET
from registers.models.inspections import ResultKind


class UnitSerializer(ModelCleanSerializer):
    kind_label = ChoiceLabelField("kind", label=_("类别名称"))
    is_active = serializers.BooleanField(read_only=True, label=_("存续"))

    class Meta:
        model = models.Unit
        fields = ["id", *models.Unit.register_fields, "kind_label", "is_active", "updated_at"]


# --- Power lists ------------------------------------------------------------------------


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ResponsibilityItem
        fields = ["id", "stage", "duty"]


class PowerAdjustmentSerializer(serializers.ModelSerializer):
    created_items = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, label=_("生效的新版本")
    )

    class Meta:
        model = models.PowerAdjustment
        fields = [
            "id",
            "item",
            "kind",
            "adjusted_on",
            "reason_kind",
            "reason",
            "document_number",
            "changes",
            "created_items",
            "created_at",
        ]


class PowerAdjustmentRecordSerializer(PowerAdjustmentSerializer):
    """An adjustment on its own (the ``power-adjustments`` list): with the item's unit."""

    unit = serializers.IntegerField(source="item.unit_id", read_only=True, label=_("单位"))
    item_code = serializers.CharField(source="item.code", read_only=True, label=_("事项编码"))
    item_name = serializers.CharField(source="item.name", read_only=True, label=_("事项名称"))

    class Meta(PowerAdjustmentSerializer.Meta):
        fields = [
            "id",
            "unit",
            "item",
            "item_code",
            "item_name",
            *PowerAdjustmentSerializer.Meta.fields[2:],
        ]


class PowerItemSerializer(WorkflowSerializer):
    level = serializers.ChoiceField(
        choices=models.ListLevel.choices, read_only=True, label=_("清单层级")
    )
    responsibilities = ResponsibilitySerializer(many=True, read_only=True, label=_("责任事项"))
    adjustments = PowerAdjustmentSerializer(many=True, read_only=True, label=_("调整记录"))

    class Meta:
        model = models.PowerItem
        fields = [
            *WorkflowSerializer.WORKFLOW_FIELDS,
            *models.PowerItem.register_fields,
            "level",
            "origin",
            "responsibilities",
            "adjustments",
        ]


class AdjustmentRequestSerializer(serializers.Serializer):
    """What an office clerk enters on an item's 调整 page."""

    kind = serializers.ChoiceField(
        choices=[c for c in models.AdjustmentKind.choices if c[0] != models.AdjustmentKind.ADD],
        label=_("调整方式"),
    )
    adjusted_on = RegisterDateField(label=_("调整日期"))
    reason_kind = serializers.ChoiceField(
        choices=models.AdjustmentReason.choices, label=_("原因类别")
    )
    reason = serializers.CharField(label=_("调整理由"))
    document_number = serializers.CharField(label=_("批准文号"))
    changes = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        label=_("调整后的内容"),
        help_text=_('仅“调整”：字段名 → 新内容，如 {"name": "新名称"}。'),
    )
    receiving_units = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=models.Unit.objects.all(),
        label=_("承接的乡镇（街道）"),
        help_text=_("仅“下放”。"),
    )
    receiving_duty = serializers.ChoiceField(
        choices=models.TownshipDuty.choices,
        required=False,
        default=models.TownshipDuty.BASIC,
        label=_("承接事项的履职类别"),
    )
    receiving_code = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("承接事项编码")
    )


# --- Inspections ------------------------------------------------------------------------


class CheckPointSerializer(ModelCleanSerializer):
    class Meta:
        model = models.CheckPoint
        fields = ["id", "item", *models.CheckPoint.register_fields]


class InspectionItemSerializer(WorkflowSerializer):
    check_points = rows_of(models.CheckPoint, _("检查表要点"), name="NestedCheckPoint")

    class Meta:
        model = models.InspectionItem


class InspectionTargetSerializer(ModelCleanSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("单位名称"))
    credit_code = serializers.CharField(
        max_length=40,
        label=_("统一社会信用代码"),
        help_text=_("18位，末位为校验码；全角字符和空格会自动转换、去除。"),
    )

    class Meta:
        model = models.InspectionTarget
        fields = ["id", "unit", "unit_name", *models.InspectionTarget.register_fields]

    def validate_credit_code(self, value: str) -> str:
        return normalise_credit_code(value)


class DrawnInspectorSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True, label=_("姓名"))

    class Meta:
        model = models.DrawnInspector
        fields = ["position", "officer", "officer_name"]


class DrawnTargetSerializer(serializers.ModelSerializer):
    inspectors = DrawnInspectorSerializer(many=True, read_only=True, label=_("检查人员"))

    class Meta:
        model = models.DrawnTarget
        fields = [
            "id",
            "position",
            "target",
            "target_name",
            "checked_on",
            "result",
            "findings",
            "inspectors",
        ]


class InspectionDrawSerializer(WorkflowSerializer):
    """A stored draw: the selection and audit facts are read-only; the check's end, the
    publication date and a note may be recorded."""

    publication_due = serializers.SerializerMethodField(
        label=_("公示截止日期"),
        help_text=_("与 publication_deadline 中的 due 相同；检查结束前为空。"),
    )
    publication_deadline = serializers.SerializerMethodField(
        label=_("公示期限"), help_text=_("公示期限及其计算过程；检查结束前为空。")
    )
    drawn_targets = DrawnTargetSerializer(many=True, read_only=True, label=_("抽中对象"))

    class Meta:
        model = models.InspectionDraw
        read_only_fields = models.InspectionDraw.drawn_fields

    def _publication_deadline(self, draw):
        return draw.publication_deadline(calendar_of(self.context))

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_publication_due(self, draw):
        deadline = self._publication_deadline(draw)
        return deadline.due if deadline else None

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_publication_deadline(self, draw):
        deadline = self._publication_deadline(draw)
        return deadline_data(deadline) if deadline else None


class DrawnTargetResultSerializer(serializers.Serializer):
    """One drawn target's result: the target by its draw position, its date and result."""

    position = serializers.IntegerField(min_value=1, max_value=32767, label=_("抽中顺序"))
    checked_on = RegisterDateField(required=False, allow_null=True, label=_("检查日期"))
    result = serializers.ChoiceField(
        choices=ResultKind.choices, required=False, allow_blank=True, label=_("检查结果")
    )
    findings = serializers.CharField(
        required=False, allow_blank=True, label=_("检查情况"), help_text=_("内部记录，不公示。")
    )


class DrawResultsSerializer(serializers.Serializer):
    """The results of a draw's check, recorded all at once (as on the draw's admin page)."""

    check_ended_on = RegisterDateField(required=False, allow_null=True, label=_("检查结束日期"))
    published_on = RegisterDateField(required=False, allow_null=True, label=_("结果公示日期"))
    results = DrawnTargetResultSerializer(
        many=True,
        label=_("检查结果"),
        help_text=_("按抽中顺序指明对象；未列出的对象和未给出的项保持不变，给 null 或空值清除。"),
    )


class DrawRequestSerializer(ScopedRequestSerializer):
    """What the draw page asks: the item, the batch, and how many to draw."""

    item = serializers.PrimaryKeyRelatedField(
        queryset=models.InspectionItem.objects.all(), label=_("抽查事项")
    )
    batch = serializers.CharField(max_length=50, label=_("抽查批次"))
    count = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, label=_("抽取对象数")
    )
    ratio = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        label=_("抽取比例（%）"),
        help_text=_("与抽取对象数二选一。"),
    )
    inspectors_per_target = serializers.IntegerField(
        min_value=MIN_INSPECTORS_PER_TARGET,
        max_value=10,
        default=MIN_INSPECTORS_PER_TARGET,
        label=_("每个对象检查人员数"),
    )
    drawn_on = RegisterDateField(
        required=False, label=_("抽取日期"), help_text=_("默认今天；执法证是否有效按此日期判断。")
    )

    def validate(self, attrs):
        if (attrs.get("count") is None) == (attrs.get("ratio") is None):
            raise serializers.ValidationError(
                _("请填写抽取对象数或抽取比例（二选一）。"), code="count_or_ratio"
            )
        return attrs


class DrawCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField(label=_("验证通过"))
    summary = serializers.CharField(label=_("结论"))
    problems = serializers.ListField(child=serializers.CharField(), label=_("不一致之处"))


# --- Enforcement ------------------------------------------------------------------------


class OfficerSerializer(WorkflowSerializer):
    certificate_status = serializers.CharField(read_only=True, label=_("执法证状态（今天）"))

    class Meta:
        model = models.Officer


# --- Documents and licences -------------------------------------------------------------


class DocumentChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.DocumentChange
        fields = ["id", "kind", "changed_on", "by_document", "basis"]


class DocumentSerializer(WorkflowSerializer):
    status_today = serializers.ChoiceField(
        choices=models.DocumentStatus.choices,
        read_only=True,
        allow_null=True,
        label=_("今天的效力状态"),
    )
    changes = DocumentChangeSerializer(many=True, read_only=True, label=_("文件变动"))

    class Meta:
        model = models.Document


class LicenceReformBatchSerializer(ModelCleanSerializer):
    item_count = serializers.SerializerMethodField(label=_("整合事项数（已审核）"))

    class Meta:
        model = models.LicenceReformBatch

    def get_item_count(self, batch) -> int:
        if hasattr(batch, "item_count"):
            return batch.item_count
        return batch.approved_item_count()
