"""REST viewsets of the registers app; routes are collected by ``xianan_lawgov.api``.

Viewset docstrings are the Chinese descriptions shown in the API documentation.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from registers import filters, models
from registers.core.api.exports import exported_fields
from registers.core.api.filtering import lookups
from registers.core.api.viewsets import ScopedViewSet, WorkflowViewSet
from registers.inspection_services import ResultRow, make_draw, record_results, verify_draw
from registers.power_services import adjust_item
from registers.serializers import (
    AdjustmentRequestSerializer,
    CheckPointSerializer,
    DocumentSerializer,
    DrawCheckSerializer,
    DrawRequestSerializer,
    DrawResultsSerializer,
    InspectionDrawSerializer,
    InspectionItemSerializer,
    InspectionTargetSerializer,
    LicenceReformBatchSerializer,
    OfficerSerializer,
    PowerAdjustmentRecordSerializer,
    PowerAdjustmentSerializer,
    PowerItemSerializer,
    UnitSerializer,
)


class UnitViewSet(ScopedViewSet):
    """区政府、区直部门、垂直管理单位和乡镇（街道）。所有角色可读，法制办可新增和修改；单位只撤销、不删除。"""

    queryset = models.Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilter
    search_fields = ["name", "short_name", "code"]
    ordering_fields = ["code", "name", "kind", "updated_at"]
    export_fields = ("id", *exported_fields(models.Unit), "updated_at")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class PowerItemViewSet(WorkflowViewSet):
    """权责清单、负面清单和收费清单事项（每条为一个版本），含责任事项和调整记录。

    审核通过的事项不能修改或删除，由法制办通过“调整”（取消、下放、调整）变更，旧版本保留。
    """

    queryset = models.PowerItem.objects.all()
    serializer_class = PowerItemSerializer
    filterset_class = filters.PowerItemFilter
    prefetch_related = ("adjustments__created_items",)
    nested_children = ("responsibilities", "adjustments")
    office_actions = (*WorkflowViewSet.office_actions, "adjust")
    search_fields = ["code", "name", "legal_basis"]
    ordering_fields = ["code", "effective_from", "updated_at"]

    @extend_schema(
        summary=_("调整清单事项（取消、下放或调整；法制办）"),
        request=AdjustmentRequestSerializer,
        responses={201: PowerAdjustmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        item = self.get_object()
        data = self.request_data(AdjustmentRequestSerializer)
        adjustment = self.run_service(
            adjust_item,
            item,
            data["kind"],
            on=data["adjusted_on"],
            reason=data["reason"],
            reason_kind=data["reason_kind"],
            document_number=data["document_number"],
            by=request.user,
            changes=data.get("changes") or {},
            receiving_units=data.get("receiving_units", []),
            receiving_duty=data["receiving_duty"],
            receiving_code=data["receiving_code"],
        )
        return Response(PowerAdjustmentSerializer(adjustment).data, status=status.HTTP_201_CREATED)


class PowerAdjustmentViewSet(ScopedViewSet):
    """清单调整记录（新增、取消、下放、调整），只读：调整通过清单事项的“调整”操作完成，
    记录不修改、不删除。联络员只看到本单位清单的调整。"""

    queryset = models.PowerAdjustment.objects.all()
    serializer_class = PowerAdjustmentRecordSerializer
    filterset_class = filters.PowerAdjustmentFilter
    select_related = ("item",)
    prefetch_related = ("created_items",)
    search_fields = ["item__name", "item__code", "document_number", "reason"]
    ordering_fields = ["adjusted_on", "created_at"]
    http_method_names = ["get", "head", "options"]
    export_fields = (
        "id",
        "item__unit_id",
        "item__unit__code",
        "item_id",
        "item__code",
        "item__name",
        "kind",
        "adjusted_on",
        "reason_kind",
        "reason",
        "document_number",
        "created_at",
    )


class InspectionItemViewSet(WorkflowViewSet):
    """随机抽查事项清单（含每个事项的检查表要点）。"""

    queryset = models.InspectionItem.objects.all()
    serializer_class = InspectionItemSerializer
    filterset_fields = lookups("year", "kind", "field", ranges=("published_on",))
    nested_children = ("check_points",)
    search_fields = ["code", "name", "sub_item", "legal_basis", "content"]
    ordering_fields = ["year", "code", "updated_at"]


class CheckPointViewSet(ScopedViewSet):
    """检查表要点（“一张表格管检查”）：随所属抽查事项一同报送审核，事项可修改时才能修改。"""

    queryset = models.CheckPoint.objects.all()
    serializer_class = CheckPointSerializer
    filterset_fields = ["item"]
    parent_field = "item"
    search_fields = ["content", "basis"]
    ordering_fields = ["position"]


class InspectionTargetViewSet(ScopedViewSet):
    """检查对象名录库：各单位维护本单位的检查对象。"""

    queryset = models.InspectionTarget.objects.all()
    serializer_class = InspectionTargetSerializer
    filterset_class = filters.InspectionTargetFilter
    select_related = ("unit",)
    search_fields = ["name", "credit_code", "legal_representative", "address"]
    ordering_fields = ["name", "credit_code"]
    export_fields = ("id", "unit_id", "unit__code", *exported_fields(models.InspectionTarget))


class InspectionDrawViewSet(WorkflowViewSet):
    """双随机抽取及结果。新增即抽取：按事项的检查对象名录库和执法检查人员名录库随机抽取，
    记录随机种子和候选名单哈希，可复核；抽取结果不能修改，只能记录检查结束日期、公示日期和备注，
    并通过 results 录入各抽中对象的检查日期和检查结果。
    只有法制办可以删除抽取记录。"""

    queryset = models.InspectionDraw.objects.all()
    serializer_class = InspectionDrawSerializer
    filterset_fields = lookups("item", ranges=("drawn_on", "published_on"))
    year_filter = "drawn_on"
    select_related = ("item",)
    prefetch_related = (
        Prefetch(
            "drawn_targets",
            queryset=models.DrawnTarget.objects.prefetch_related("inspectors__officer"),
        ),
    )
    nested_children = ("drawn_targets",)
    delete_office_only = True
    search_fields = ["batch", "item__name", "item__code", "candidates_hash"]
    ordering_fields = ["drawn_on", "updated_at"]
    export_related = {"item": ("name",)}

    @extend_schema(
        summary=_("抽取（新增一次双随机抽取）"),
        request=DrawRequestSerializer,
        responses={201: InspectionDrawSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self.request_data(DrawRequestSerializer)
        record = self.run_service(
            make_draw,
            data["item"],
            batch=data["batch"],
            by=request.user,
            count=data.get("count"),
            ratio=data.get("ratio"),
            inspectors_per_target=data["inspectors_per_target"],
            on=data.get("drawn_on"),
        )
        return self.answer_with(record, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("复核抽取：按存档的输入和随机种子重新抽取并比对"),
        responses={200: OpenApiResponse(DrawCheckSerializer)},
    )
    @extend_schema(
        summary=_("录入检查结果（检查结束日期、各抽中对象的检查日期和结果、公示日期）"),
        request=DrawResultsSerializer,
        responses={200: InspectionDrawSerializer},
    )
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        draw = self.get_object()
        data = self.request_data(DrawResultsSerializer)
        dates = {name: data[name] for name in ("check_ended_on", "published_on") if name in data}
        rows = [ResultRow(**row) for row in data["results"]]
        self.run_service(record_results, draw, rows, by=request.user, **dates)
        return self.answer_with(draw)

    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        check = verify_draw(self.get_object())
        return Response({"ok": check.ok, "summary": check.summary, "problems": check.problems})


class EnforcementBodyViewSet(WorkflowViewSet):
    """行政执法主体。"""

    queryset = models.EnforcementBody.objects.all()
    filterset_fields = ["kind"]
    search_fields = ["name", "legal_basis"]
    ordering_fields = ["name", "updated_at"]


class OfficerViewSet(WorkflowViewSet):
    """行政执法人员（执法检查人员名录库），含执法证有效期。"""

    queryset = models.Officer.objects.all()
    serializer_class = OfficerSerializer
    filterset_fields = lookups("body", "field", ranges=("expires_on",))
    search_fields = ["name", "certificate_number"]
    ordering_fields = ["name", "expires_on", "updated_at"]


class ConflictViewSet(ScopedViewSet):
    """执法人员对检查对象的回避申报：抽取时不会把二者分在一起。"""

    queryset = models.Conflict.objects.all()
    filterset_fields = lookups("officer", "target", ranges=("declared_on",))
    select_related = ("officer", "target")
    search_fields = ["reason", "officer__name", "target__name"]
    ordering_fields = ["declared_on"]
    export_related = {"officer": ("name",)}


class DocumentViewSet(WorkflowViewSet):
    """规范性文件登记（统一登记、统一编号、统一发布），含修改、废止、失效等变动；效力状态按日期计算。"""

    queryset = models.Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_fields = lookups("kind", ranges=("issued_on", "valid_until"))
    year_filter = "issued_on"
    nested_children = ("changes",)
    search_fields = ["title", "number", "note"]
    ordering_fields = ["issued_on", "number", "updated_at"]


class LicenceReformBatchViewSet(ScopedViewSet):
    """多证合一改革批次（法制办维护的参考数据）。"""

    queryset = models.LicenceReformBatch.objects.all()
    serializer_class = LicenceReformBatchSerializer
    filterset_fields = lookups(ranges=("reform_on",))
    year_filter = "reform_on"
    search_fields = ["name", "basis"]
    ordering_fields = ["reform_on", "name"]

    def get_queryset(self):
        return super().get_queryset().with_item_count()


class IntegratedItemViewSet(WorkflowViewSet):
    """多证合一整合事项：各部门填报本部门被整合进营业执照的证照和备案事项。"""

    queryset = models.IntegratedItem.objects.all()
    filterset_fields = ["batch", "kind"]
    select_related = ("batch",)
    search_fields = ["name", "basis"]
    ordering_fields = ["name", "updated_at"]
    export_related = {"batch": ("name",)}


ROUTES = [
    ("units", UnitViewSet),
    ("power-items", PowerItemViewSet),
    ("power-adjustments", PowerAdjustmentViewSet),
    ("inspection-items", InspectionItemViewSet),
    ("check-points", CheckPointViewSet),
    ("inspection-targets", InspectionTargetViewSet),
    ("inspection-draws", InspectionDrawViewSet),
    ("enforcement-bodies", EnforcementBodyViewSet),
    ("officers", OfficerViewSet),
    ("conflicts", ConflictViewSet),
    ("documents", DocumentViewSet),
    ("licence-batches", LicenceReformBatchViewSet),
    ("integrated-items", IntegratedItemViewSet),
]
