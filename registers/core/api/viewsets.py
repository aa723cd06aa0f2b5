"""Viewset bases: lists, records and writes within what the user may see, with the review
workflow as actions and incremental sync on every list.

No lost update: a record's ``ETag`` is its revision (``registers.core.revisions``), weak
(``W/"7"``) because the representation also carries related names and nested detail rows
that change without the record; a write with ``If-Match`` is refused with 412 when the
record has moved on, one that carries the ``revision`` it read in its body with 409; a
write with neither applies to the record as it is. Every write locks the record's row (a
detail row's parent first, as its admin page and its transitions do), is checked and
validated on the locked state, and never writes the workflow's fields, so an approval
committed at the same moment is never undone.
"""

from __future__ import annotations

import datetime
from functools import cached_property

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from registers.core import permissions as rules
from registers.core import revisions, stamps
from registers.core.api.attachments import AttachmentsMixin
from registers.core.api.errors import django_error_to_drf
from registers.core.api.exports import ExportMixin
from registers.core.api.filtering import WorkflowFilter, filterset_for
from registers.core.api.pagination import PagePagination, SyncCursorPagination
from registers.core.api.permissions import ScopedPermission, UnscopedPermission
from registers.core.api.schema import REVISION_ACTIONS
from registers.core.api.serializers import (
    CommentSerializer,
    ModelCleanSerializer,
    WorkflowSerializer,
    register_serializer,
)
from registers.core.api.sync import changed_since, parse_since, tombstones
from registers.core.models import Attachment, HandledRecord
from registers.core.status import Action, Status
from registers.core.text import whole_number
from registers.core.workflow import WorkflowError, create, transition


class EditConflictError(exceptions.APIException):
    """409: the body's ``revision`` is not the record's (someone changed it since)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "edit_conflict"


class PreconditionFailed(exceptions.APIException):
    """412: ``If-Match`` names a revision the record no longer has."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(revision: int) -> str:
    return f'W/"{revision}"'


def if_match_revisions(header: str) -> set[int] | None:
    """The revisions an ``If-Match`` header accepts; None for ``*`` (any). A tag that is
    not a revision matches nothing."""
    if header.strip() == "*":
        return None
    accepted = set()
    for tag in header.split(","):
        value = whole_number(tag.strip().removeprefix("W/").strip('"'))
        if value is not None:
            accepted.add(value)
    return accepted


#: The actions that write a record in place (its row is locked and its revision checked).
WRITE_ACTIONS = ("update", "partial_update", "destroy")


class ScopedViewSet(ExportMixin, viewsets.ModelViewSet):
    """Lists, retrieves, creates, updates, deletes and exports (``ExportMixin``) within what
    the user may see.

    ``parent_field`` names the parent of a child resource: it changes when the parent may.
    ``nested_children`` are the reverse relations shown inside each record (for sync).
    Both are read with each record; ``select_related`` and ``prefetch_related`` name what
    else is.
    ``office_actions`` are actions only the office may call.
    A viewset that names no ``serializer_class`` shows its model's register fields
    (``register_serializer`` on ``serializer_base``); one that names no ``filterset_class``
    is filtered by ``filterset_base``'s filters, its ``filterset_fields`` and, where it
    names a ``year_filter`` date, that date's year (``filterset_for``).
    """

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    pagination_class = PagePagination
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    nested_children: tuple[str, ...] = ()
    parent_field: str | None = None
    office_actions: tuple[str, ...] = ()
    delete_office_only = False
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    serializer_base: type = ModelCleanSerializer
    filterset_class: type | None = None
    filterset_fields: list[str] | dict[str, list[str]] = ()
    filterset_base: type = django_filters.FilterSet
    year_filter: str | None = None

    def __init_subclass__(cls, **kwargs):
        queryset = getattr(cls, "queryset", None)
        if queryset is not None:
            model = queryset.model
            if cls.serializer_class is None:
                cls.serializer_class = register_serializer(
                    model, cls.serializer_base, cls.parent_field
                )
            if cls.filterset_class is None and (cls.filterset_fields or cls.year_filter):
                cls.filterset_class = filterset_for(
                    model, cls.filterset_fields, cls.filterset_base, year=cls.year_filter
                )
        super().__init_subclass__(**kwargs)

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
        if self.parent_field:
            queryset = queryset.select_related(self.parent_field)  # it decides on changes
        if issubclass(self.model, HandledRecord):
            queryset = queryset.select_related("handler")  # its name is shown
        # The rows shown inside each record are read with it, unless a ``Prefetch`` of
        # ``prefetch_related`` already reads them its own way.
        prefetched = {getattr(lookup, "prefetch_to", lookup) for lookup in self.prefetch_related}
        nested = [name for name in self.nested_children if name not in prefetched]
        if self.prefetch_related or nested:
            queryset = queryset.prefetch_related(*self.prefetch_related, *nested)
        ordering = [*(queryset.query.order_by or self.model._meta.ordering), "pk"]
        return rules.scope_queryset(queryset.order_by(*ordering), self.request.user)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            # Machines (API clients, who never use the pages) sync by cursor by default.
            wants_cursor = "cursor" in self.request.query_params or (
                not rules.uses_pages(self.request.user) and "page" not in self.request.query_params
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
        # A page of a list is kept until the data changes (``registers/core/stamps.py``), for
        # what ``page_key`` names (the client, the address, the day) and the host its links
        # name; never for a model whose changes the stamp does not follow.
        if not stamps.follows(self.model):
            return Response(self._list(request))
        key = (type(self).__qualname__, request.build_absolute_uri(), *stamps.page_key(request))
        return Response(stamps.kept("api_list", key, lambda: self._list(request)))

    def _list(self, request):
        since = request.query_params.get("updated_since")
        moment = parse_since(since) if since else None
        data = super().list(request).data
        first_page = not request.query_params.get("cursor") and request.query_params.get(
            "page", "1"
        ) in ("", "1")
        if moment is not None and first_page and isinstance(data, dict):
            data["deleted"] = self.tombstones(moment)
        return data

    def tombstones(self, since: datetime.datetime) -> list[dict]:
        return tombstones(self.model, self.request.user, since)

    # --- Revisions: ETag, If-Match, the row lock -------------------------------------------

    def based_on(self, record) -> tuple[int | None, bool]:
        """The revision of ``record`` the client's change is based on, and whether it came
        in ``If-Match`` (else in the body's ``revision``); None when the client named none
        (or ``If-Match: *``): the change then applies to the record as it is."""
        if not revisions.is_revisioned(type(record)):
            return None, False
        header = self.request.headers.get("If-Match")
        if header is not None:
            accepted = if_match_revisions(header)
            if accepted is None:
                return None, True
            if record.revision in accepted:
                return record.revision, True
            return max(accepted, default=0), True
        value = self.request.data.get("revision") if hasattr(self.request.data, "get") else None
        if (number := whole_number(value)) is not None:
            value = number
        # A malformed value is left to the serializer, which refuses it with a field error.
        return (value if isinstance(value, int) and not isinstance(value, bool) else None), False

    def check_revision(self, record) -> None:
        """Refuse a write based on another revision than ``record`` has (412 / 409)."""
        based_on, from_header = self.based_on(record)
        try:
            revisions.check_revision(record, based_on)
        except revisions.EditConflict as conflict:
            raise self.conflict_error(conflict, from_header) from None

    def conflict_error(self, conflict: revisions.EditConflict, from_header: bool):
        error = PreconditionFailed if from_header else EditConflictError
        exc = error(exceptions.ErrorDetail(conflict.messages[0], code=error.default_code))
        exc.current_revision = conflict.current
        return exc

    def handle_exception(self, exc):
        if isinstance(exc, revisions.EditConflict):
            exc = self.conflict_error(exc, "If-Match" in self.request.headers)
        response = super().handle_exception(exc)
        current = getattr(exc, "current_revision", None)
        if current is not None:
            response["ETag"] = etag(current)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.action in REVISION_ACTIONS
            and status.is_success(response.status_code)
            and isinstance(data, dict)
            and isinstance(data.get("revision"), int)
        ):
            response["ETag"] = etag(data["revision"])
        return response

    def get_object(self):
        obj = super().get_object()
        if self.action not in WRITE_ACTIONS:
            return obj
        # The row as committed now, locked until the write commits, and checked again on it;
        # a detail row's parent is locked first, in the order its admin page locks them.
        parent = self.parent_of(obj)
        locked_parent = revisions.lock(parent) if parent is not obj else None
        revisions.lock(obj)
        # Read after the lock: the row as committed, with the viewset's annotations (which
        # a locking query cannot carry).
        locked = self.get_queryset().get(pk=obj.pk)
        if locked_parent is not None:
            setattr(locked, self.parent_field, locked_parent)
        self.check_object_permissions(self.request, locked)
        self.check_revision(locked)
        return locked

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    # --- Writes ---------------------------------------------------------------------------

    def before_save(self, instance, *, created: bool) -> None:
        """Set what the server decides before a record is saved."""
        user = self.request.user
        if created and rules.scope_field_of(self.model) == "unit":
            if rules.reads_own_unit_only(user):
                instance.unit_id = user.unit_id
        instance._history_user = user

    def check_parent(self, serializer) -> None:
        """A child row is added to (or moved under) a parent the user may change, only;
        checked on the parent's locked row, so its transition waits for this write."""
        parent = serializer.validated_data.get(self.parent_field) if self.parent_field else None
        if parent is not None:
            parent = revisions.lock(parent)
        if parent is not None and not rules.can_change(self.request.user, parent):
            raise exceptions.PermissionDenied(
                _("所属记录当前不能修改，不能为它增加或调整明细。"), code="not_editable"
            )

    def perform_create(self, serializer):
        self.check_parent(serializer)
        values = {
            name: value
            for name, value in serializer.validated_data.items()
            if name != "revision" and not self.model._meta.get_field(name).many_to_many
        }
        with transaction.atomic():
            instance = self.model(**values)
            self.before_save(instance, created=True)
            self.save_new(instance)
        serializer.instance = instance

    def save_new(self, instance) -> None:
        """Save a record being created (a workflow record goes through the workflow)."""
        instance.save()

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

    # --- Actions --------------------------------------------------------------------------

    def request_data(self, serializer_class) -> dict:
        """An action's request body as ``serializer_class`` validates it (else a 400)."""
        form = serializer_class(data=self.request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return form.validated_data

    def run_service(self, function, *args, **kwargs):
        """Call a service function; its refusal becomes a 400 with the service's code."""
        try:
            return function(*args, **kwargs)
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None

    def answer_with(self, record, status_code: int = status.HTTP_200_OK) -> Response:
        """Answer an action with ``record`` as it now is, read as the list reads it."""
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status_code)


class WorkflowViewSet(AttachmentsMixin, ScopedViewSet):
    """A ``ScopedViewSet`` for workflow records, with submit / approve / return actions and
    the record's evidence files (``AttachmentsMixin``).

    A liaison's new record is a draft of their unit; the office may enter one directly as
    approved by sending ``"status": "approved"``. Each record shows its current files
    (metadata and download link), so a sync carries them.
    """

    office_actions: tuple[str, ...] = ("approve", "return_for_revision", "reopen")
    serializer_base = WorkflowSerializer
    filterset_base = WorkflowFilter

    def get_queryset(self):
        current = Attachment.objects.current().select_related("uploaded_by")
        return (
            super()
            .get_queryset()
            .select_related("unit")  # its name is shown (``WorkflowSerializer``)
            .prefetch_related(Prefetch("attachments", queryset=current, to_attr="current_files"))
        )

    def save_new(self, instance) -> None:
        # Asking for "approved" is honoured for whoever may approve directly; anyone else's
        # record is a draft, whatever they send.
        user = self.request.user
        approved = self.request.data.get("status") == Status.APPROVED and rules.can_act(
            user, instance, Action.APPROVE_DIRECTLY
        )
        try:
            create(instance, by=user, approved=approved)
        except WorkflowError as error:
            raise django_error_to_drf(error) from None

    def _transition(self, request, action_: Action):
        record = self.get_object()
        comment = self.request_data(CommentSerializer)
        # Checked by the transition on the locked row (handle_exception answers 412/409).
        based_on, _from_header = self.based_on(record)
        try:
            transition(
                record,
                action_,
                by=request.user,
                comment=comment.get("comment", ""),
                revision=based_on,
            )
        except WorkflowError as error:
            raise django_error_to_drf(error) from None
        return self.answer_with(record)

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

    @extend_schema(
        request=CommentSerializer,
        summary=gettext_lazy("重新打开已审核的记录更正（法制办，comment 填写更正原因）"),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, Action.REOPEN)


def require_scoped_viewsets(registry) -> None:
    """Refuse to serve an API with a resource outside the one scoping rule: every route is
    a ``ScopedViewSet`` over a model that says whose it is or that it is reference data,
    or is closed to liaisons by an ``UnscopedPermission`` (tokens)."""
    for prefix, viewset, _basename in registry:
        if any(issubclass(p, UnscopedPermission) for p in viewset.permission_classes):
            continue
        if not issubclass(viewset, ScopedViewSet):
            raise ImproperlyConfigured(
                f"API route {prefix} ({viewset.__name__}) must derive from ScopedViewSet"
            )
        rules.require_scoping(viewset.queryset.model, f"API route {prefix}")
