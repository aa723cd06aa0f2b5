"""The OpenAPI description in Chinese: summaries and tags from the models' verbose names,
the sync parameters on every list, and the error bodies every write may answer with."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(label=gettext_lazy("错误信息"))
    code = serializers.CharField(label=gettext_lazy("错误代码"))


class ValidationErrorSerializer(serializers.Serializer):
    errors = serializers.JSONField(
        label=gettext_lazy("校验错误"),
        help_text=gettext_lazy(
            "按字段列出的错误：{字段: [{message, code}]}；与整条记录有关的错误在 "
            "non_field_errors 中。"
        ),
    )


class QueryErrorSerializer(ErrorSerializer):
    errors = serializers.JSONField(
        label=gettext_lazy("参数错误"),
        required=False,
        help_text=gettext_lazy("按查询参数列出的错误：{参数: [{message, code}]}。"),
    )


SYNC_PARAMETERS = [
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description=gettext_lazy(
            "增量同步：只返回此时刻（含）之后新增或修改的记录；第一页的 deleted 列出此后删除的"
            "记录编号。建议使用上次同步开始时的时刻再提前 5 分钟（正在提交的保存不会遗漏）。"
        ),
    ),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description=gettext_lazy(
            "游标分页（系统同步使用，按更新时间和编号排序）；首次请求传空值，之后使用返回的 "
            "next 链接。接口客户端账号默认使用游标分页。"
        ),
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=gettext_lazy("每页条数（页码分页最多500，游标分页最多1000）。"),
    ),
]


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=gettext_lazy(
        '可选：读取记录时得到的 ETag（如 W/"3"）。记录在此期间已被他人修改时拒绝（412，代码 '
        "precondition_failed），不会覆盖他人的修改。"
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=True,
    description=gettext_lazy('记录的修订号，弱校验值 W/"修订号"；修改时放在 If-Match 中。'),
)

#: The actions on one record that answer with its ETag and honour If-Match: read, edit,
#: delete (the viewset locks the row and checks the revision) and the review transitions
#: (which check it on the row they lock).
REVISION_ACTIONS = frozenset(
    {"retrieve", "update", "partial_update", "destroy", "submit", "approve", "return_for_revision"}
)

SUMMARIES = {
    "list": "%(plural)s列表",
    "retrieve": "%(name)s详情",
    "create": "新增%(name)s",
    "update": "修改%(name)s",
    "partial_update": "修改%(name)s（部分字段）",
    "destroy": "删除%(name)s",
}


#: How drf-spectacular describes a response without a body (it has no Chinese of its own).
NO_BODY = "No response body"


class ApiSchema(AutoSchema):
    def _model(self):
        return getattr(self.view, "model", None) or getattr(
            getattr(self.view, "queryset", None), "model", None
        )

    def get_tags(self) -> list[str]:
        model = self._model()
        if model is None:
            return super().get_tags()
        return [str(model._meta.verbose_name_plural)]

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        model = self._model()
        action = getattr(self.view, "action", None)
        if summary or model is None or action not in SUMMARIES:
            return summary
        names = {
            "name": model._meta.verbose_name,
            "plural": model._meta.verbose_name_plural,
        }
        return _(SUMMARIES[action]) % names

    def _map_basic_serializer(self, serializer, direction):
        """A component is described in the documentation's language: by the record it holds
        (its model's name), never by the serializer's docstring, which is written for the
        code's readers in English. A description given with ``extend_schema_serializer``
        stays."""
        component = super()._map_basic_serializer(serializer, direction)
        if get_override(serializer, "description", None) is not None:
            return component
        component.pop("description", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            component["description"] = str(model._meta.verbose_name)
        return component

    def _checks_revision(self) -> bool:
        """A read or write of one record by its revision (``registers.core.revisions``):
        retrieve, edit, delete and the review transitions."""
        model = self._model()
        return (
            model is not None
            and getattr(self.view, "action", None) in REVISION_ACTIONS
            and any(f.name == "revision" for f in model._meta.concrete_fields)
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) == "list" and self._model() is not None:
            parameters = [*parameters, *SYNC_PARAMETERS]
        if self._checks_revision():
            parameters = [*parameters, ETAG]
            if self.method in ("POST", "PUT", "PATCH", "DELETE"):
                parameters = [*parameters, IF_MATCH]
        return parameters

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = {
            "401": OpenApiResponse(ErrorSerializer, description=_("未登录或令牌无效")),
            "403": OpenApiResponse(ErrorSerializer, description=_("没有权限")),
            "404": OpenApiResponse(ErrorSerializer, description=_("记录不存在或不可见")),
        }
        if self.method == "GET":
            errors["400"] = OpenApiResponse(
                QueryErrorSerializer,
                description=_("查询参数无效：年度或日期超出范围、页码不存在等（见 code）"),
            )
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors["400"] = OpenApiResponse(
                ValidationErrorSerializer, description=_("校验未通过或操作被拒绝")
            )
            if self._checks_revision():
                errors["409"] = OpenApiResponse(
                    ErrorSerializer,
                    description=_("请求体中的修订号已过时：记录已被他人修改（edit_conflict）"),
                )
                errors["412"] = OpenApiResponse(
                    ErrorSerializer,
                    description=_("If-Match 与记录当前的修订号不符（precondition_failed）"),
                )
        for code, response in errors.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(response, code)
        for response in bodies.values():  # drf-spectacular's own words, in the API's language
            if str(response.get("description")) == NO_BODY:
                response["description"] = _("无响应内容")
        return bodies
