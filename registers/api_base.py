"""Building blocks of the REST API shared by both apps: the one scoping rule as a DRF
permission, a viewset base with the review workflow as actions, model validation in
serializers, hybrid pagination, incremental sync with tombstones, and streamed exports.

Sync protocol (see also docs/api.md): a client remembers the moment it *started* its last
pull and asks every list for ``updated_since=<that moment, less five minutes>`` (a save in
progress, such as a large upload, stamps its records before it commits them). It receives
every record created or changed since then (by its audit history or its ``updated_at``), and
on the first page ``deleted``: the ids of records deleted since then. Children shown inside
a record (an item's check points, a case's hearings…) count as changes of that record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import DateField, ProtectedError, Q
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator
from rest_framework.views import exception_handler

from registers import permissions as rules
from registers.api_schema import SYNC_PARAMETERS
from registers.calendar import get_calendar
from registers.dates import RegisterDateField
from registers.exports import queryset_text
from registers.models import Action, Role, Status
from registers.pagination import PagePagination, SyncCursorPagination
from registers.workflow import WorkflowError, mark_created, transition

# --- Errors -----------------------------------------------------------------------------


def _details(errors: Iterable[DjangoValidationError]) -> list[exceptions.ErrorDetail]:
    details = []
    for error in errors:
        for item in error.error_list if hasattr(error, "error_list") else [error]:
            message = item.message
            if item.params:
                message = message % item.params
            details.append(exceptions.ErrorDetail(str(message), code=item.code or "invalid"))
    return details


def django_error_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    """Keep Django's messages and codes when a model, service or workflow rule refuses."""
    if hasattr(error, "error_dict"):
        detail = {field: _details(items) for field, items in error.error_dict.items()}
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(_details([error]))


def api_exception_handler(exc, context):
    """Every error body carries its messages with machine-readable codes.

    Validation errors: ``{"errors": {field: [{"message", "code"}]}}`` (or a list for errors
    about the whole request); other errors: ``{"detail": message, "code": code}``.
    """
    if isinstance(exc, DjangoValidationError):
        exc = django_error_to_drf(exc)
    elif isinstance(exc, Http404):
        # Another unit's record answers exactly like one that does not exist.
        exc = exceptions.NotFound(_("记录不存在。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": exc.get_full_details()}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.get_full_details()
        if isinstance(detail, dict) and "message" in detail:
            response.data = {"detail": str(detail["message"]), "code": detail["code"]}
        else:
            response.data = {"detail": str(exc.detail), "code": exc.default_code}
    return response


# --- Permissions ------------------------------------------------------------------------


class ScopedPermission(permissions.BasePermission):
    """The admin's rule, for the API: reads follow scoping, writes follow the workflow.

    Child rows (a case's hearings…) change exactly when their parent may change, as in the
    admin's inlines; a viewset names the parent in ``parent_field``.
    """

    message = gettext_lazy("没有权限执行此操作。")
    code = "permission_denied"

    def _refuse(self, message, code: str) -> bool:
        self.message, self.code = message, code
        return False

    def has_permission(self, request, view) -> bool:
        role = rules.role_of(request.user)
        if role is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if role not in (Role.OFFICE, Role.LIAISON):
            return self._refuse(_("只读账号不能修改数据。"), "read_only_role")
        if getattr(view, "action", None) in view.office_actions:
            if role != Role.OFFICE:
                return self._refuse(_("只有法制办工作人员可以执行此操作。"), "office_only")
            return True
        if getattr(view, "action", None) == "submit":
            return True
        if request.method == "POST" and not rules.can_create(request.user, view.model):
            return self._refuse(_("只有法制办工作人员可以新增此类记录。"), "office_only")
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view(request.user, obj)
        if view.action == "submit" or view.action in view.office_actions:
            return True  # the transition or service checks the record's state and explains
        target = view.parent_of(obj)
        if request.method == "DELETE" and target is obj:
            if view.delete_office_only and not rules.is_office(request.user):
                return self._refuse(_("只有法制办工作人员可以删除此类记录。"), "office_only")
            if not rules.can_delete(request.user, obj):
                return self._refuse(_("这条记录不能删除。"), "not_deletable")
            return True
        if not rules.can_change(request.user, target):
            return self._refuse(
                _("这条记录当前不能修改（只能修改本单位草稿或被退回的记录）。"), "not_editable"
            )
        return True


# --- Serializers ------------------------------------------------------------------------


def scope_related_fields(fields: dict, user) -> dict:
    """Offer only related records the user may see, like the admin's choices: another
    unit's record is refused as "does not exist"."""
    for field in fields.values():
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        queryset = getattr(field, "queryset", None)
        if queryset is not None and rules.scope_field_of(queryset.model) is not None:
            field.queryset = rules.scope_queryset(queryset, user)
    return fields


class ScopedRequestSerializer(serializers.Serializer):
    """The input of an action (a draw, an adjustment), its related records scoped."""

    def get_fields(self):
        request = self.context.get("request")
        return scope_related_fields(super().get_fields(), getattr(request, "user", None))


class ModelCleanSerializer(serializers.ModelSerializer):
    """Validates through the model's own ``full_clean``: the same rules, messages and codes
    as the admin.

    Related records offered to a user are scoped like the admin's choices (another unit's
    record is "not found"); a record owned directly by a unit gets the liaison's unit; fields
    in ``Meta.office_only_fields`` are read-only for everyone but the office.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        DateField: RegisterDateField,
    }

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        # Uniqueness is checked by full_clean, with the model's own message and code.
        validators = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        if "validators" in kwargs:
            kwargs["validators"] = validators
        return field_class, kwargs

    def get_validators(self):
        return []

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_fields(self):
        fields = scope_related_fields(super().get_fields(), self.user)
        role = rules.role_of(self.user)
        if self._owned_by_unit() and role != Role.OFFICE and "unit" in fields:
            fields["unit"].read_only = True
        if role != Role.OFFICE:
            for name in getattr(self.Meta, "office_only_fields", ()):
                fields[name].read_only = True
        return fields

    def _owned_by_unit(self) -> bool:
        return rules.scope_field_of(self.Meta.model) == "unit"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        originals = {}
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                continue
            originals[name] = getattr(instance, field.attname, None)
            setattr(instance, name, value)
        self.prepare_instance(instance)
        try:
            instance.full_clean(exclude=self.clean_exclude(), validate_unique=True)
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None
        finally:
            if self.instance is not None:
                for name, value in originals.items():
                    setattr(self.instance, model._meta.get_field(name).attname, value)
        return attrs

    def clean_exclude(self) -> list[str]:
        return [
            f.name for f in self.Meta.model._meta.get_fields() if f.many_to_many or f.one_to_many
        ]

    def prepare_instance(self, instance) -> None:
        """Set what the server decides (a liaison's unit) before validation."""
        if self._owned_by_unit() and rules.role_of(self.user) == Role.LIAISON:
            instance.unit_id = self.user.unit_id


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
    WORKFLOW_READ_ONLY = [
        "status",
        "review_comment",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_at",
    ]

    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=gettext_lazy("填报单位名称")
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, label=gettext_lazy("审核状态名称")
    )

    def get_fields(self):
        fields = super().get_fields()
        for name in self.WORKFLOW_READ_ONLY:
            if name in fields:
                fields[name].read_only = True
        return fields


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("退回修改时必填；审核通过时可填。"),
    )


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=gettext_lazy("已删除记录的编号"))
    deleted_at = serializers.DateTimeField(label=gettext_lazy("删除时间"))


def calendar_of(context: dict):
    """The office's working-day calendar, read once per request."""
    if "calendar" not in context:
        context["calendar"] = get_calendar()
    return context["calendar"]


class DeadlineSerializer(serializers.Serializer):
    """One statutory deadline with how it was computed (``reviews.deadlines.Deadline``)."""

    key = serializers.CharField(source="key.value", label=gettext_lazy("期限代码"))
    label = serializers.CharField(label=gettext_lazy("期限名称"))
    start = serializers.DateField(label=gettext_lazy("起算日"))
    days = serializers.IntegerField(label=gettext_lazy("法定期间"))
    unit = serializers.CharField(source="unit.value", label=gettext_lazy("期间单位"))
    due = serializers.DateField(label=gettext_lazy("届满日"))
    rule = serializers.CharField(label=gettext_lazy("法律依据"))
    explanation = serializers.CharField(source="explain", label=gettext_lazy("计算过程"))
    note = serializers.CharField(label=gettext_lazy("说明"))


# --- Incremental sync -------------------------------------------------------------------


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


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def changed_since(model, since: datetime.datetime, children: Iterable[str] = ()) -> Q:
    """Records created or changed since ``since``, or whose listed children were.

    The audit history is the change log (it also sees writes that leave ``updated_at`` alone,
    such as bulk updates); ``updated_at`` covers rows loaded in bulk without history.
    """
    condition = Q(pk__in=model.history.filter(history_date__gte=since).values("id"))
    if _has_field(model, "updated_at"):
        condition |= Q(updated_at__gte=since)
    for name in children:
        relation = model._meta.get_field(name)
        child = relation.related_model
        link = relation.field.attname
        condition |= Q(pk__in=child.history.filter(history_date__gte=since).values(link))
    return condition


def _unit_of_history_row(row, path: list[str], cache: dict) -> int | None:
    """The owning unit of a deleted row, following its scope path through live rows or,
    for parents deleted too, through their last history row."""
    target, model = row, type(row).instance_type
    for name in path[:-1]:
        related = model._meta.get_field(name).related_model
        pk = getattr(target, f"{name}_id", None)
        if pk is None:
            return None
        key = (related, pk)
        if key not in cache:
            cache[key] = (
                related._default_manager.filter(pk=pk).first()
                or related.history.filter(id=pk).order_by("-history_date").first()
            )
        target, model = cache[key], related
        if target is None:
            return None
    return getattr(target, f"{path[-1]}_id", None)


# --- Viewsets ---------------------------------------------------------------------------


class ScopedViewSet(viewsets.ModelViewSet):
    """Lists, retrieves, creates, updates and deletes within what the user may see.

    ``parent_field`` names the parent of a child resource: it changes when the parent may.
    ``nested_children`` are the reverse relations shown inside each record (for sync).
    ``office_actions`` are actions only the office may call.
    """

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    pagination_class = PagePagination
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    nested_children: tuple[str, ...] = ()
    parent_field: str | None = None
    office_actions: tuple[str, ...] = ()
    delete_office_only = False
    export_fields: tuple[str, ...] = ()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    @cached_property
    def model(self):
        return self.queryset.model

    def parent_of(self, obj):
        """What decides whether ``obj`` may change: itself, or its parent."""
        return getattr(obj, self.parent_field) if self.parent_field else obj

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        ordering = [*(queryset.query.order_by or self.model._meta.ordering), "pk"]
        return rules.scope_queryset(queryset.order_by(*ordering), self.request.user)

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
        if since and self.action in ("list", "export"):
            queryset = queryset.filter(
                changed_since(self.model, parse_since(since), self.nested_children)
            )
        return queryset

    def list(self, request, *args, **kwargs):
        since = request.query_params.get("updated_since")
        moment = parse_since(since) if since else None
        response = super().list(request, *args, **kwargs)
        first_page = not request.query_params.get("cursor") and request.query_params.get(
            "page", "1"
        ) in ("", "1")
        if moment is not None and first_page and isinstance(response.data, dict):
            response.data["deleted"] = self.tombstones(moment)
        return response

    def tombstones(self, since: datetime.datetime) -> list[dict]:
        """Records deleted since ``since`` that the user could see, from the audit history."""
        rows = self.model.history.filter(history_type="-", history_date__gte=since).order_by(
            "history_date"
        )
        path = rules.scope_field_of(self.model)
        if path and rules.role_of(self.request.user) == Role.LIAISON:
            unit_id = self.request.user.unit_id
            parts = path.split("__")
            if len(parts) == 1:
                rows = [row for row in rows.filter(**{f"{path}_id": unit_id})]
            else:
                cache: dict = {}
                rows = [row for row in rows if _unit_of_history_row(row, parts, cache) == unit_id]
        return [
            {"id": row.id, "deleted_at": timezone.localtime(row.history_date).isoformat()}
            for row in rows
        ]

    # --- Writes ---------------------------------------------------------------------------

    def before_save(self, instance, *, created: bool) -> None:
        """Set what the server decides before a record is saved."""
        user = self.request.user
        if created and rules.scope_field_of(self.model) == "unit":
            if rules.role_of(user) == Role.LIAISON:
                instance.unit_id = user.unit_id
        instance._history_user = user

    def check_parent(self, serializer) -> None:
        """A child row is added to (or moved under) a parent the user may change, only."""
        parent = serializer.validated_data.get(self.parent_field) if self.parent_field else None
        if parent is not None and not rules.can_change(self.request.user, parent):
            raise exceptions.PermissionDenied(
                _("所属记录当前不能修改，不能为它增加或调整明细。"), code="not_editable"
            )

    def perform_create(self, serializer):
        self.check_parent(serializer)
        values = {
            name: value
            for name, value in serializer.validated_data.items()
            if not self.model._meta.get_field(name).many_to_many
        }
        with transaction.atomic():
            instance = self.model(**values)
            self.before_save(instance, created=True)
            instance.save()
        serializer.instance = instance

    def perform_update(self, serializer):
        self.check_parent(serializer)
        self.before_save(serializer.instance, created=False)
        serializer.save()

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        try:
            with transaction.atomic():
                instance.delete()
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None
        except ProtectedError as error:
            names = "、".join(sorted({str(o._meta.verbose_name) for o in error.protected_objects}))
            raise exceptions.ValidationError(
                [
                    exceptions.ErrorDetail(
                        _("还有%(names)s引用这条记录，不能删除。") % {"names": names},
                        code="protected",
                    )
                ]
            ) from None

    def run_service(self, function, *args, **kwargs):
        """Call a service function; its refusal becomes a 400 with the service's code."""
        try:
            return function(*args, **kwargs)
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None


class WorkflowViewSet(ScopedViewSet):
    """A ``ScopedViewSet`` for workflow records, with submit / approve / return actions.

    A liaison's new record is a draft of their unit; the office may enter one directly as
    approved by sending ``"status": "approved"``.
    """

    office_actions: tuple[str, ...] = ("approve", "return_for_revision")

    def before_save(self, instance, *, created: bool) -> None:
        super().before_save(instance, created=created)
        if created:
            approved = self.request.data.get("status") == Status.APPROVED
            mark_created(instance, by=self.request.user, approved=approved)

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
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=CommentSerializer, summary=gettext_lazy("报送审核"), responses={200: None}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, Action.SUBMIT)

    @extend_schema(request=CommentSerializer, summary=gettext_lazy("审核通过（法制办）"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, Action.APPROVE)

    @extend_schema(
        request=CommentSerializer, summary=gettext_lazy("退回修改（法制办，须填写审核意见）")
    )
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


def export_label(model, path: str) -> str:
    """A column's Chinese header: the field's verbose name, following relations."""
    names = path.split("__")
    labels = []
    for name in names:
        field = model._meta.get_field(name)
        if field.is_relation and name != names[-1]:
            labels.append(str(field.verbose_name))
            model = field.related_model
        elif name == "id":
            labels.append(_("编号") if not labels else "")
        else:
            labels.append(str(getattr(field, "verbose_name", name)))
    return "".join(labels) if len(labels) < 3 else labels[0] + labels[-1]


class ExportMixin:
    """``GET …/export.csv`` and ``…/export.ndjson``: the whole filtered resource, streamed."""

    export_fields: tuple[str, ...] = ()

    def export_header(self) -> list[str]:
        return [export_label(self.model, path) for path in self.export_fields]

    @extend_schema(
        summary=gettext_lazy("整体导出（CSV 或 NDJSON，流式输出，支持与列表相同的筛选）"),
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
        },
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=["csv", "ndjson"],
                description=gettext_lazy("导出格式"),
            ),
            SYNC_PARAMETERS[0],
        ],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"export\.(?P<fmt>csv|ndjson)",
        pagination_class=None,
    )
    def export(self, request, fmt=None):
        queryset = self.filter_queryset(self.get_queryset()).order_by("pk")
        queryset = queryset.prefetch_related(None).select_related(None)
        return streaming_export(
            queryset, list(self.export_fields), self.export_header(), fmt, self.basename
        )
