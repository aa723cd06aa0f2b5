"""Building blocks of the REST API shared by both apps: the one scoping rule as a DRF
permission, a viewset base with the review workflow as actions, model validation in
serializers, hybrid pagination, incremental sync with tombstones, and streamed exports."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler

from registers import permissions as rules
from registers.exports import queryset_text
from registers.models import Action, Role, Status
from registers.pagination import PagePagination, SyncCursorPagination
from registers.workflow import WorkflowError, mark_created, transition

# --- Errors -----------------------------------------------------------------------------


def django_error_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    """Keep Django's messages and codes when a model or workflow rule refuses."""
    if hasattr(error, "error_dict"):
        detail = {
            field: [
                exceptions.ErrorDetail(message, code=item.code or "invalid")
                for item in items
                for message in item.messages
            ]
            for field, items in error.error_dict.items()
        }
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(
        [
            exceptions.ErrorDetail(message, code=item.code or "invalid")
            for item in error.error_list
            for message in item.messages
        ]
    )


def api_exception_handler(exc, context):
    """Every error body carries its messages with machine-readable codes."""
    if isinstance(exc, DjangoValidationError):
        exc = django_error_to_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": exc.get_full_details()}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"detail": str(exc.detail), "code": exc.get_codes()}
    return response


# --- Permissions ------------------------------------------------------------------------


class ScopedPermission(permissions.BasePermission):
    """The admin's rule, for the API: reads follow scoping, writes follow the workflow."""

    message = gettext_lazy("没有权限执行此操作。")

    def has_permission(self, request, view) -> bool:
        role = rules.role_of(request.user)
        if role is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) in WORKFLOW_ACTIONS:
            return role in (Role.OFFICE, Role.LIAISON)
        model = view.get_queryset().model
        if request.method == "POST":
            return rules.can_create(request.user, model)
        return role in (Role.OFFICE, Role.LIAISON)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view(request.user, obj)
        if getattr(view, "action", None) in WORKFLOW_ACTIONS:
            return True  # the transition itself checks and explains
        if request.method == "DELETE":
            return rules.can_delete(request.user, obj)
        return rules.can_change(request.user, obj)


WORKFLOW_ACTIONS = {"submit", "approve", "return_for_revision"}


# --- Serializers ------------------------------------------------------------------------


class ModelCleanSerializer(serializers.ModelSerializer):
    """Validates through the model's own ``full_clean``: the same rules and messages as
    the admin."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        originals = {}
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                continue
            originals[name] = getattr(instance, name, None)
            setattr(instance, name, value)
        self.prepare_instance(instance)
        try:
            instance.full_clean(exclude=self.clean_exclude(), validate_unique=True)
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None
        finally:
            if self.instance is not None:
                for name, value in originals.items():
                    setattr(self.instance, name, value)
        return attrs

    def clean_exclude(self) -> list[str]:
        return [
            f.name for f in self.Meta.model._meta.get_fields() if f.many_to_many or f.one_to_many
        ]

    def prepare_instance(self, instance) -> None:
        """Set what the server decides (e.g. a liaison's unit) before validation."""


class WorkflowSerializer(ModelCleanSerializer):
    """Base of every workflow record's serializer; subclasses list their own fields."""

    WORKFLOW_FIELDS = [
        "id",
        "unit",
        "unit_name",
        "status",
        "status_label",
        "review_comment",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_at",
    ]

    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("填报单位名称"))
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=_("审核状态名称")
    )

    class Meta:
        read_only_fields = [
            "status",
            "review_comment",
            "created_at",
            "updated_at",
            "submitted_at",
            "reviewed_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "unit" in fields and rules.role_of(user) != Role.OFFICE:
            fields["unit"].read_only = True
            fields["unit"].required = False
        return fields

    def prepare_instance(self, instance) -> None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if rules.role_of(user) == Role.LIAISON:
            instance.unit_id = user.unit_id


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(label=_("审核意见"), required=False, allow_blank=True)


# --- Viewsets ---------------------------------------------------------------------------


def parse_since(value: str) -> datetime.datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise exceptions.ValidationError(
            {
                "updated_since": [
                    exceptions.ErrorDetail(
                        _("时间格式不正确，请使用 ISO 8601，例如 2018-01-31T08:00:00+08:00。"),
                        code="invalid_timestamp",
                    )
                ]
            }
        )
    if moment.tzinfo is None:
        moment = make_aware(moment)
    return moment


SYNC_PARAMETERS = [
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description=gettext_lazy(
            "只返回此时刻之后新增或修改的记录，并在 deleted 中列出已删除的记录。"
        ),
    ),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description=gettext_lazy("游标分页（供系统同步使用）；与 page 二选一。"),
    ),
]


@extend_schema_view(list=extend_schema(parameters=SYNC_PARAMETERS))
class ScopedViewSet(viewsets.ModelViewSet):
    """Lists, retrieves, creates, updates and deletes within what the user may see."""

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    pagination_class = PagePagination
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    export_fields: tuple[str, ...] = ()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = self.queryset.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return rules.scope_queryset(queryset, self.request.user)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            wants_cursor = "cursor" in self.request.query_params or (
                rules.role_of(self.request.user) == Role.API_CLIENT
                and "page" not in self.request.query_params
            )
            self._paginator = SyncCursorPagination() if wants_cursor else PagePagination()
        return self._paginator

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        since = self.request.query_params.get("updated_since")
        if since and self.action == "list":
            queryset = queryset.filter(updated_at__gte=parse_since(since))
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        since = request.query_params.get("updated_since")
        first_page = "cursor" not in request.query_params and request.query_params.get(
            "page", "1"
        ) in ("", "1")
        if since and first_page:
            response.data["deleted"] = self.tombstones(parse_since(since))
        return response

    def tombstones(self, since: datetime.datetime) -> list[dict]:
        """Records deleted since ``since`` that the user could see, from the audit history."""
        model = self.get_queryset().model
        history = getattr(model, "history", None)
        if history is None:
            return []
        rows = history.filter(history_type="-", history_date__gte=since)
        path = rules.scope_field_of(model)
        role = rules.role_of(self.request.user)
        if path and role == Role.LIAISON:
            rows = rows.filter(**{f"{path.split('__')[0]}_id": self.request.user.unit_id})
        return [
            {"id": row_id, "deleted_at": moment.isoformat()}
            for row_id, moment in rows.order_by("history_date").values_list("id", "history_date")
        ]

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        instance.delete()


class WorkflowViewSet(ScopedViewSet):
    """A ``ScopedViewSet`` for workflow records, with submit / approve / return actions."""

    def perform_create(self, serializer):
        user = self.request.user
        with transaction.atomic():
            instance = serializer.Meta.model(**serializer.validated_data)
            if rules.role_of(user) == Role.LIAISON:
                instance.unit_id = user.unit_id
            approved = self.request.data.get("status") == Status.APPROVED
            mark_created(instance, by=user, approved=approved)
            instance._history_user = user
            instance.save()
            serializer.instance = instance

    def perform_update(self, serializer):
        serializer.save()

    def _transition(self, request, action_: Action):
        record = self.get_object()
        comment = CommentSerializer(data=request.data)
        comment.is_valid(raise_exception=True)
        try:
            transition(
                record, action_, by=request.user, comment=comment.validated_data.get("comment", "")
            )
        except WorkflowError as error:
            raise django_error_to_drf(error) from None
        return Response(self.get_serializer(record).data, status=status.HTTP_200_OK)

    @extend_schema(request=CommentSerializer, summary=gettext_lazy("报送审核"))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, Action.SUBMIT)

    @extend_schema(request=CommentSerializer, summary=gettext_lazy("审核通过"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, Action.APPROVE)

    @extend_schema(request=CommentSerializer, summary=gettext_lazy("退回修改（须填写审核意见）"))
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_revision(self, request, pk=None):
        return self._transition(request, Action.RETURN)


# --- Streamed exports -------------------------------------------------------------------


def streaming_export(queryset, fields: list[str], header: list[str], fmt: str, name: str):
    content_type = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = StreamingHttpResponse(
        queryset_text(queryset, fields, header, fmt), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class ExportMixin:
    """``GET …/export.csv`` and ``…/export.ndjson``: the whole filtered resource, streamed."""

    export_fields: tuple[str, ...] = ()

    def export_header(self) -> list[str]:
        model = self.get_queryset().model
        header = []
        for path in self.export_fields:
            field = model._meta.get_field(path.split("__")[0])
            header.append(str(field.verbose_name) if "__" not in path else path)
        return header

    @extend_schema(
        summary=gettext_lazy("整体导出（CSV 或 NDJSON，流式输出，支持与列表相同的筛选）"),
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"export\.(?P<fmt>csv|ndjson)",
        pagination_class=None,
    )
    def export(self, request, fmt=None):
        queryset = self.filter_queryset(self.get_queryset()).order_by("pk")
        name = self.get_queryset().model._meta.model_name
        return streaming_export(queryset, list(self.export_fields), self.export_header(), fmt, name)
