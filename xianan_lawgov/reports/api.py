"""The annual report through the API: a year's figures, the live report's files, and the
published versions' files. Read by every role (a liaison only their unit's report), with the
same check as the pages and the command (``access.report_scope``). The whole district's Word
and Excel files are made by the background worker, as from the pages: the answer is 202 with
the job (``GET /api/v1/jobs/<id>/``, its file at ``…/download/`` once made)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from registers.core.api.permissions import WorksWithRecords
from registers.core.api.schema import ErrorSerializer
from registers.core.permissions import may_see_personal_data

from . import figures as engine
from . import jobs as report_jobs
from . import outputs
from .access import ReportNotFound, published_report, report_scope
from .models import PublishedReport
from .views import file_response

UNIT_PARAMETER = OpenApiParameter(
    "unit",
    OpenApiTypes.STR,
    description=gettext_lazy("单位代码（如 D07）：该单位的报告；不填为全区。联络员只能看本单位。"),
)
FORMAT_PARAMETER = OpenApiParameter(
    "fmt",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(outputs.FORMATS),
    description=gettext_lazy("文件格式"),
)
FILE_RESPONSES = {
    (200, outputs.CONTENT_TYPES["html"]): OpenApiTypes.STR,
    (200, outputs.CONTENT_TYPES["docx"]): OpenApiTypes.BINARY,
    (200, outputs.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
    (200, outputs.CONTENT_TYPES["json"]): OpenApiTypes.OBJECT,
    404: OpenApiResponse(ErrorSerializer, description=gettext_lazy("没有该年度或版本的报告")),
}


class ReportJobSerializer(serializers.Serializer):
    job = serializers.IntegerField(label=gettext_lazy("任务编号"))
    url = serializers.URLField(label=gettext_lazy("任务地址（完成后其 download 为文件）"))
    status = serializers.CharField(label=gettext_lazy("任务状态"))


FILE_OR_JOB_RESPONSES = {
    **FILE_RESPONSES,
    202: OpenApiResponse(
        ReportJobSerializer,
        description=gettext_lazy("全区的 Word、Excel 文件由后台任务生成：返回任务地址"),
    ),
}


def file_or_job(request, scope: engine.Scope, fmt: str, version: int | None = None):
    """The file, or (the whole district's Word or Excel file) the job making it; the
    records it lists are named with personal data masked for a client without the grant."""
    personal = may_see_personal_data(request.user, request.auth)
    if not report_jobs.in_background(scope, fmt):
        return file_response(outputs.report_file(scope, fmt, version, personal=personal))
    outputs.check_format(fmt)
    if version is not None:
        published_report(scope, version)  # 404 before a job is started for nothing
    job = report_jobs.start_report_file(request.user, scope, fmt, version, personal=personal)
    url = request.build_absolute_uri(reverse("api-job", args=[job.pk]))
    return Response(
        {"job": job.pk, "url": url, "status": job.status},
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": url},
    )


@extend_schema_field(
    {
        "anyOf": [
            {"type": "integer"},
            {"type": "number"},
            {"type": "string", "format": "date"},
            {"type": "boolean"},
        ],
        "nullable": True,
        "description": "计数为整数，比率、金额为数值（比率为百分数），日期为 YYYY-MM-DD，"
        "是否为布尔值；无法计算时为 null。",
    }
)
class FigureValueField(serializers.JSONField):
    """A figure's value as ``outputs._json_value`` writes it."""


@extend_schema_field(
    {
        "type": "number",
        "nullable": True,
        "description": "本年数值减上年数值；任一年不是数值时为 null。",
    }
)
class FigureChangeField(serializers.JSONField):
    """The change from the previous year: a number, or null."""


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(label=gettext_lazy("指标键"))
    label = serializers.CharField(label=gettext_lazy("指标"))
    group = serializers.CharField(label=gettext_lazy("分组"))
    group_label = serializers.CharField(label=gettext_lazy("分组名称"))
    value = FigureValueField(label=gettext_lazy("本年数值"))
    display = serializers.CharField(label=gettext_lazy("本年（显示）"))
    measure = serializers.CharField(label=gettext_lazy("计量单位"))
    numerator = serializers.IntegerField(
        allow_null=True, label=gettext_lazy("分子（比率的计数；非比率为空）")
    )
    denominator = serializers.IntegerField(
        allow_null=True, label=gettext_lazy("分母（比率的计数；非比率为空）")
    )
    previous = FigureValueField(label=gettext_lazy("上年数值"))
    change = FigureChangeField(label=gettext_lazy("增减"))
    note = serializers.CharField(label=gettext_lazy("说明"))


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=gettext_lazy("年度"))
    unit = serializers.CharField(allow_null=True, label=gettext_lazy("单位代码（全区为空）"))
    figures = FigureSerializer(many=True, label=gettext_lazy("数字"))
    warnings = serializers.ListField(
        child=serializers.CharField(), label=gettext_lazy("一致性提示")
    )


class VersionSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField(label=gettext_lazy("下载地址"))

    class Meta:
        model = PublishedReport
        fields = ["version", "title", "published_at", "files"]

    def get_files(self, published) -> dict[str, str]:
        base = f"/api/v1/reports/{published.year}/versions/{published.version}/report."
        unit = self.context.get("unit_query", "")
        return {fmt: f"{base}{fmt}{unit}" for fmt in outputs.FORMATS}


class ReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksWithRecords]

    def handle_exception(self, exc):
        if isinstance(exc, ReportNotFound):
            exc = exceptions.NotFound(exc.message, code=exc.code)
        return super().handle_exception(exc)

    def scope(self, year: int) -> engine.Scope:
        return report_scope(self.request.user, year, self.request.query_params.get("unit", ""))


class FiguresView(ReportView):
    @extend_schema(
        summary=gettext_lazy("年度报告数字（含计量单位和上年数值）"),
        tags=[gettext_lazy("年度报告")],
        parameters=[UNIT_PARAMETER],
        responses={200: FiguresSerializer, 404: FILE_RESPONSES[404]},
    )
    def get(self, request, year: int):
        unit = self.scope(year).unit
        figure_set = engine.compute_figures(year, unit)
        return Response(
            {
                "year": year,
                "unit": unit.code if unit else None,
                "figures": [outputs.figure_json(figure) for figure in figure_set.figures.values()],
                "warnings": figure_set.warnings,
            }
        )


class LiveReportView(ReportView):
    @extend_schema(
        summary=gettext_lazy("年度报告（按当前台账生成）"),
        tags=[gettext_lazy("年度报告")],
        parameters=[UNIT_PARAMETER, FORMAT_PARAMETER],
        responses=FILE_OR_JOB_RESPONSES,
    )
    def get(self, request, year: int, fmt: str):
        return file_or_job(request, self.scope(year), fmt)


class VersionListView(ReportView):
    @extend_schema(
        summary=gettext_lazy("已发布的报告版本"),
        tags=[gettext_lazy("年度报告")],
        parameters=[UNIT_PARAMETER],
        responses={200: VersionSerializer(many=True), 404: FILE_RESPONSES[404]},
    )
    def get(self, request, year: int):
        unit = self.scope(year).unit
        versions = PublishedReport.objects.filter(year=year, unit=unit).order_by("version")
        context = {"unit_query": f"?unit={unit.code}" if unit else ""}
        return Response(VersionSerializer(versions, many=True, context=context).data)


class PublishedReportView(ReportView):
    @extend_schema(
        summary=gettext_lazy("已发布版本的报告文件"),
        tags=[gettext_lazy("年度报告")],
        parameters=[UNIT_PARAMETER, FORMAT_PARAMETER],
        responses=FILE_OR_JOB_RESPONSES,
    )
    def get(self, request, year: int, version: int, fmt: str):
        return file_or_job(request, self.scope(year), fmt, version)


urlpatterns = [
    path("reports/<int:year>/figures/", FiguresView.as_view(), name="api-report-figures"),
    path("reports/<int:year>/report.<str:fmt>", LiveReportView.as_view(), name="api-report-live"),
    path("reports/<int:year>/versions/", VersionListView.as_view(), name="api-report-versions"),
    path(
        "reports/<int:year>/versions/<int:version>/report.<str:fmt>",
        PublishedReportView.as_view(),
        name="api-report-published",
    ),
]
