"""API of the Excel data exchange: templates and checked uploads (routed under /api/v1/).

- ``GET  /api/v1/templates/``                 the registers the caller may exchange;
- ``GET  /api/v1/templates/<register>.xlsx``  a register's template for the caller;
- ``POST /api/v1/uploads/<register>/``        a filled template (multipart ``file``);
- ``GET  /api/v1/records/<register>.xlsx``    the caller's records of a register, in its
  template, to correct and upload again;
- ``POST /api/v1/updates/<register>/preview/`` what uploading a corrected file would do;
- ``POST /api/v1/updates/<register>/``        apply it (with the preview's ``fingerprint``).

An upload answers 201 with what was created, or 400 with every mistake (sheet, row,
column, reason, code) and nothing created; a file of more rows than
``LAWGOV_JOBS["UPLOAD_ROWS"]`` answers 202 with the job that will do it
(``/api/v1/jobs/<id>/``, whose result is the same). Liaisons upload for their own unit, office staff
for any (``unit``); leaders and read-only API clients get 403.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import renderers, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from registers.core import permissions
from registers.core.api.errors import InvalidQuery
from registers.core.exchange import updates, uploads
from registers.core.exchange.reading import XLSX_CONTENT_TYPE
from registers.core.status import Status
from registers.core.text import whole_number
from registers.exchange_views import body_too_large, export_response, template_response
from registers.forms import ExportForm
from registers.models import Unit


class XlsxRenderer(renderers.BaseRenderer):
    """Lets clients ask for ``Accept: <xlsx>``; errors still come back as JSON text."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class UploadErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text=gettext_lazy("工作表名称；文件整体的问题为空。"))
    row = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Excel 行号（第 1 行为表头）；文件整体的问题为空。")
    )
    column = serializers.CharField(help_text=gettext_lazy("列名（表头文字）；整行的问题为空。"))
    column_letter = serializers.CharField(help_text=gettext_lazy("列字母，如 C。"))
    reason = serializers.CharField(help_text=gettext_lazy("错误原因（中文）。"))
    code = serializers.CharField(
        help_text=gettext_lazy(
            "机器可读的错误代码，如 invalid_choice、invalid_date、required、formula、"
            "unknown_column、missing_column、office_only、other_unit、not_xlsx、file_too_large、"
            "empty_sheet；按编号更新时还有 approved、submitted、frozen、not_allowed、"
            "missing_key、duplicate_in_file、unique。"
        )
    )


class UploadRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = UploadErrorSerializer(many=True)


class UploadCreatedSerializer(serializers.Serializer):
    register = serializers.CharField()
    title = serializers.CharField()
    rows = serializers.IntegerField(help_text=gettext_lazy("读取的数据行数（空行不计）。"))
    created = serializers.IntegerField(help_text=gettext_lazy("新建的记录数。"))
    status = serializers.CharField(allow_null=True, help_text=gettext_lazy("新记录的审核状态。"))
    status_label = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True, help_text=gettext_lazy("新记录所属单位。"))


class UploadQueuedSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text=gettext_lazy("后台任务编号。"))
    url = serializers.CharField(help_text=gettext_lazy("查看进度和结果的地址。"))
    status = serializers.CharField()


class UploadRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("填好的模板（.xlsx，也可 .xls、.ods）。"))
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("为真时新记录直接报送审核，否则为草稿。"),
    )
    approve = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("仅法制办：为真时新记录直接审核通过。"),
    )
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "仅法制办：单位名称或编号，所有行记为该单位的记录；不填则按表中的单位列。"
            "联络员的记录一律属于本单位。"
        ),
    )


class RegisterSerializer(serializers.Serializer):
    register = serializers.CharField()
    title = serializers.CharField()
    template = serializers.CharField()
    upload = serializers.CharField()
    records = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy("导出本人可见记录的地址；没有编号列、不能按编号更新的台账为空。"),
    )
    update = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("按编号更新的预览地址；不能按编号更新时为空。")
    )


def _refusal(detail: str, errors: list[dict], code: str = "invalid_upload") -> Response:
    return Response(
        {"detail": detail, "code": code, "errors": errors}, status=status.HTTP_400_BAD_REQUEST
    )


def _request_error(reason: str, code: str) -> dict:
    return {
        "sheet": "",
        "row": None,
        "column": "",
        "column_letter": "",
        "reason": reason,
        "code": code,
    }


def _refused(reason: str, code: str) -> Response:
    """A refusal of the request as a whole, its one error naming no sheet, row or column."""
    return _refusal(reason, [_request_error(reason, code)], code)


class Refused(Exception):
    """Answer with ``response`` (a refusal in the upload's shape) instead of going on."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.data)
        self.response = response


class ExchangeView(APIView):
    """An endpoint of the data exchange: a ``Refused`` answers with its refusal."""

    permission_classes = [drf_permissions.IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, Refused):
            return exc.response
        return super().handle_exception(exc)


class FileView(ExchangeView):
    """A POST of a file with its form (``form_class``), checked before it is read."""

    parser_classes = [MultiPartParser, FormParser]
    form_class: type[serializers.Serializer]

    def form_data(self, request) -> dict:
        """The request's form, validated; refused when the body is too large or the form
        incomplete."""
        if body_too_large(request):
            raise Refused(_too_large())
        form = self.form_class(data=request.data)
        if not form.is_valid():
            raise Refused(_request_refusal(form))
        return form.validated_data


def _resource_class_for(register: str, user):
    resource_class = uploads.resource_for(register)
    if resource_class is None:
        raise NotFound(_("没有这个台账。"))
    if not uploads.may_exchange(user, resource_class):
        raise PermissionDenied(_("只有联络员和法制办工作人员可以下载模板和上传数据。"))
    return resource_class


REGISTER_PARAMETER = OpenApiParameter(
    "register",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=gettext_lazy("台账代码，见 GET /api/v1/templates/。"),
)


NO_SUCH_REGISTER = OpenApiResponse(description=gettext_lazy("没有这个台账。"))
MAY_NOT_EXCHANGE = gettext_lazy("无权报送数据（领导、接口客户端）。")


def register_operation(summary, description, responses: dict, *, form=None, **schema):
    """The schema of an operation on one register (``REGISTER_PARAMETER``); ``form`` is the
    multipart form it posts."""
    if form is not None:
        schema["request"] = {"multipart/form-data": form}
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[REGISTER_PARAMETER, *schema.pop("parameters", [])],
        responses=responses,
        tags=["data-exchange"],
        **schema,
    )


def xlsx_download(operation_id: str, summary, description, forbidden, **schema):
    """The schema of a GET that answers a register's workbook; 403 ``forbidden``, 404 for no
    such register. The operation id is explicit: the path's ".xlsx" would otherwise leak
    into it."""
    responses = {
        (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        403: OpenApiResponse(description=forbidden),
        404: NO_SUCH_REGISTER,
    }
    return register_operation(summary, description, responses, operation_id=operation_id, **schema)


class RegisterListView(ExchangeView):
    @extend_schema(
        summary=gettext_lazy("可报送的台账"),
        description=gettext_lazy("当前用户可以下载模板、上传数据的台账及其地址。"),
        responses=RegisterSerializer(many=True),
        tags=["data-exchange"],
    )
    def get(self, request):
        rows = [
            {
                "register": resource_class.slug,
                "title": uploads.title_of(resource_class),
                "template": request.build_absolute_uri(
                    reverse("api-exchange-template", args=[resource_class.slug])
                ),
                "upload": request.build_absolute_uri(
                    reverse("api-exchange-upload", args=[resource_class.slug])
                ),
                **self.update_addresses(request, resource_class),
            }
            for resource_class in uploads.resource_classes()
            if uploads.may_exchange(request.user, resource_class)
        ]
        return Response(rows)

    @staticmethod
    def update_addresses(request, resource_class) -> dict:
        if not updates.may_update(request.user, resource_class):
            return {"records": None, "update": None}
        slug = resource_class.slug
        return {
            "records": request.build_absolute_uri(reverse("api-exchange-export", args=[slug])),
            "update": request.build_absolute_uri(
                reverse("api-exchange-update-preview", args=[slug])
            ),
        }


class TemplateView(ExchangeView):
    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    @xlsx_download(
        "v1_templates_download",
        gettext_lazy("下载台账模板"),
        gettext_lazy(
            "xlsx 模板：“数据”表的表头为各列中文名，选项列带下拉列表；"
            "“说明”表解释每列并给出一行示例。"
        ),
        forbidden=MAY_NOT_EXCHANGE,
    )
    def get(self, request, register: str) -> HttpResponse:
        resource_class = _resource_class_for(register, request.user)
        return template_response(resource_class, request.user)


class UploadView(FileView):
    form_class = UploadRequestSerializer

    @register_operation(
        gettext_lazy("上传填好的模板"),
        gettext_lazy(
            "检查每一行；有任何错误时不导入任何记录，"
            "返回 400 和全部错误（工作表、行、列、原因、代码）。"
            "全部正确时在一个事务中新建记录并返回 201。"
            "行数较多的文件交给后台任务处理，返回 202 和任务地址（GET /api/v1/jobs/<id>/），"
            "任务结果与 201 的内容相同，出错时任务为失败并列出全部错误。"
        ),
        {
            201: UploadCreatedSerializer,
            202: UploadQueuedSerializer,
            400: UploadRefusalSerializer,
            403: OpenApiResponse(description=MAY_NOT_EXCHANGE),
            404: NO_SUCH_REGISTER,
        },
        form=UploadRequestSerializer,
    )
    def post(self, request, register: str) -> Response:
        resource_class = _resource_class_for(register, request.user)
        data = self.form_data(request)
        unit = self._unit(data["unit"], request.user) if data.get("unit") else None
        if data.get("approve") and not permissions.is_office(request.user):
            return _refused(_("只有法制办工作人员可以直接审核通过。"), "office_only")
        status_ = Status.APPROVED if data.get("approve") else None
        status_ = status_ or (Status.SUBMITTED if data.get("submit") else Status.DRAFT)
        content = data["file"].read()
        if uploads.in_background(content):
            job = uploads.start_upload(
                resource_class, content, user=request.user, unit=unit, status=status_
            )
            return _queued(request, job)
        result = uploads.upload(
            resource_class, content, user=request.user, unit=unit, status=status_
        )
        if not result.ok:
            errors = [error.as_dict() for error in result.errors]
            whole_file = len(result.errors) == 1 and result.errors[0].row is None
            code = result.errors[0].code if whole_file else "invalid_upload"
            return _refusal(uploads.refusal_reason(result), errors, code)
        summary = uploads.result_summary(result)
        del summary["errors"]
        return Response(summary, status=status.HTTP_201_CREATED)

    @staticmethod
    def _unit(value: str, user):
        value = value.strip()
        unit = Unit.objects.filter(name=value).first() or Unit.objects.filter(code=value).first()
        if unit is None and (key := whole_number(value)) is not None:
            unit = Unit.objects.filter(pk=key).first()
        if unit is None:
            raise Refused(_refused(_("找不到单位“%(unit)s”。") % {"unit": value}, "unknown_unit"))
        if not permissions.is_office(user) and unit.pk != user.unit_id:
            raise Refused(_refused(_("联络员只能上传本单位的数据。"), "not_own_unit"))
        return unit


def _updatable_for(register: str, user):
    resource_class = _resource_class_for(register, user)
    if not updates.may_update(user, resource_class):
        raise PermissionDenied(_("这个台账没有编号列，不能按编号更新。"))
    return resource_class


def _too_large() -> Response:
    max_bytes, _unpacked = uploads.upload_limits()
    reason = _("文件超过 %(mb)d MB，没有上传。请分成几个文件上传。") % {
        "mb": max_bytes // (1024 * 1024)
    }
    return _refused(reason, "file_too_large")


class ExportView(ExchangeView):
    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    @xlsx_download(
        "v1_records_export",
        gettext_lazy("导出本单位记录（用于按编号更新）"),
        gettext_lazy(
            "当前用户可见的该台账记录，写在台账模板的“数据”表中；改正后用"
            " POST /api/v1/updates/<register>/preview/ 上传。只有有编号列的台账可以导出。"
        ),
        forbidden=gettext_lazy("无权报送数据，或台账没有编号列。"),
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description=gettext_lazy(
                    "单位代码（如 D23）：只导出该单位的记录；"
                    "不填则导出当前用户可见的全部单位的记录。"
                ),
            )
        ],
    )
    def get(self, request, register: str) -> HttpResponse:
        _updatable_for(register, request.user)
        form = ExportForm(
            {"export-register": register, "export-unit": request.query_params.get("unit", "")},
            user=request.user,
        )
        if not form.is_valid():
            raise InvalidQuery.from_error("unit", form.errors.as_data()["unit"][0])
        return export_response(form.resource_class, request.user, form.cleaned_data["unit"])


class UpdateRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("改好的导出文件（.xlsx、.xls 或 .ods）。"))


class ApplyRequestSerializer(UpdateRequestSerializer):
    fingerprint = serializers.CharField(help_text=gettext_lazy("预览返回的 fingerprint。"))
    submit = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("为真时，新建的记录和修改后为草稿或已退回的记录一并报送审核。"),
    )


class RowPlanSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=gettext_lazy("Excel 行号。"))
    key = serializers.CharField(help_text=gettext_lazy("这一行的编号。"))
    record = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("对应的记录 id。"))
    status = serializers.CharField(allow_null=True)
    status_label = serializers.CharField(allow_null=True)
    changes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text=gettext_lazy("修改的字段：field、label（字段名）、old、new（按显示的文字）。"),
    )


class UpdatePreviewSerializer(serializers.Serializer):
    register = serializers.CharField()
    title = serializers.CharField()
    key_columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.IntegerField()
    new = RowPlanSerializer(many=True)
    changed = RowPlanSerializer(many=True)
    unchanged = RowPlanSerializer(many=True)
    refused_rows = serializers.ListField(child=serializers.IntegerField())
    errors = UploadErrorSerializer(many=True)
    fingerprint = serializers.CharField(
        help_text=gettext_lazy("应用时原样传回；预览之后记录有变化时应用被拒绝（409）。")
    )
    can_apply = serializers.BooleanField()


def _queued(request, job) -> Response:
    """202: the work was handed to the worker; follow the job (``Location``)."""
    url = request.build_absolute_uri(reverse("api-job", args=[job.pk]))
    return Response(
        {"job": job.pk, "url": url, "status": job.status},
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": url},
    )


def _request_refusal(form) -> Response:
    errors = [
        _request_error(f"{name}：{detail}", getattr(detail, "code", "invalid"))
        for name, details in form.errors.items()
        for detail in details
    ]
    return _refusal(_("请求不完整。"), errors, "invalid_request")


class UpdatePreviewView(FileView):
    form_class = UpdateRequestSerializer

    @register_operation(
        gettext_lazy("预览按编号更新"),
        gettext_lazy(
            "按编号把文件的每一行对应到已有记录，列出新建、修改（逐字段原值→新值）、未变和"
            "被拒绝的行（工作表、行、列、原因、代码），不保存任何内容。"
        ),
        {200: UpdatePreviewSerializer, 400: UpdatePreviewSerializer},
        form=UpdateRequestSerializer,
    )
    def post(self, request, register: str) -> Response:
        resource_class = _updatable_for(register, request.user)
        data = self.form_data(request)
        plan = updates.preview(resource_class, data["file"].read(), user=request.user)
        return Response(plan.summary(), status=200 if plan.ok else 400)


class UpdateApplyView(FileView):
    form_class = ApplyRequestSerializer

    @register_operation(
        gettext_lazy("应用按编号更新"),
        gettext_lazy(
            "重新读取文件，与预览（fingerprint）一致时在一个事务中全部保存，返回 200；"
            "有被拒绝的行时返回 400，不保存；预览之后记录有了变化时返回 409 和新的预览，不保存。"
            "行数较多的文件交给后台任务处理，返回 202 和任务地址（GET /api/v1/jobs/<id>/）："
            "任务结果为新建、更新的条数，被拒绝或记录有了变化时任务为失败，写明原因和全部错误。"
        ),
        {
            200: UpdatePreviewSerializer,
            202: UploadQueuedSerializer,
            400: UpdatePreviewSerializer,
            409: UpdatePreviewSerializer,
        },
        form=ApplyRequestSerializer,
    )
    def post(self, request, register: str) -> Response:
        resource_class = _updatable_for(register, request.user)
        data = self.form_data(request)
        plan, job = updates.apply_or_start(
            resource_class,
            data["file"].read(),
            user=request.user,
            fingerprint=data["fingerprint"],
            submit=data["submit"],
        )
        if job is not None:
            return _queued(request, job)
        body = plan.summary()
        if plan.stale:
            body |= {
                "detail": _("预览之后记录有了变化，没有保存任何修改；请核对新的预览后再应用。"),
                "code": "changed_since_preview",
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        if not plan.applied:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body["applied"] = True
        return Response(body)


urlpatterns = [
    path("templates/", RegisterListView.as_view(), name="api-exchange-registers"),
    path("templates/<slug:register>.xlsx", TemplateView.as_view(), name="api-exchange-template"),
    path("uploads/<slug:register>/", UploadView.as_view(), name="api-exchange-upload"),
    path("records/<slug:register>.xlsx", ExportView.as_view(), name="api-exchange-export"),
    path(
        "updates/<slug:register>/preview/",
        UpdatePreviewView.as_view(),
        name="api-exchange-update-preview",
    ),
    path("updates/<slug:register>/", UpdateApplyView.as_view(), name="api-exchange-update"),
]
