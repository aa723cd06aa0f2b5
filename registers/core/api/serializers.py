"""Serializer bases: related records scoped to the user, validation by the model's own
``full_clean`` (the admin's rules, messages and codes), the workflow's fields, and the
shapes every resource shares (comments, tombstones, deadlines)."""

from __future__ import annotations

from functools import cache, cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import DateField
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils import model_meta
from rest_framework.validators import UniqueValidator

from registers.core import permissions as rules
from registers.core import revisions
from registers.core.api.attachments import AttachmentSerializer
from registers.core.api.errors import django_error_to_drf
from registers.core.api.labels import ChoiceLabelField
from registers.core.calendar import get_calendar
from registers.core.dates import RegisterDateField
from registers.core.models import HandledRecord
from registers.core.personal import mask_representation
from registers.core.text import validate_plain_text
from registers.core.uniqueness import hide_unseen_clashes
from registers.core.workflow import require_correction_reason, save_edit


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


class RegisterFieldsMixin:
    """A model serializer whose ``Meta`` names no ``fields`` shows its ``lead_fields``, the
    model's ``register_fields`` (what the register records, in the admin form's order), then
    the fields the serializer declares itself, in the order it declares them."""

    @classmethod
    def lead_fields(cls, model) -> list[str]:
        return ["id"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = vars(cls).get("Meta")
        if meta is None or not hasattr(meta, "model"):
            return
        if hasattr(meta, "fields") or hasattr(meta, "exclude"):
            return
        inherited = set().union(
            *(getattr(base, "_declared_fields", {}) for base in cls.__mro__[1:])
        )
        own = [name for name in cls._declared_fields if name not in inherited]
        meta.fields = [*cls.lead_fields(meta.model), *meta.model.register_fields, *own]


class RowSerializer(serializers.ModelSerializer, RegisterFieldsMixin):
    # A row shown (read only) inside the record it belongs to. No docstring, and the mixin
    # after DRF's base: the API documentation would show it as every such row's description.
    pass


class ScopedRequestSerializer(serializers.Serializer):
    """The input of an action (a draw, an adjustment), its related records scoped."""

    def get_fields(self):
        request = self.context.get("request")
        return scope_related_fields(super().get_fields(), getattr(request, "user", None))


class ModelCleanSerializer(RegisterFieldsMixin, serializers.ModelSerializer):
    """Validates through the model's own ``full_clean``: the same rules, messages and codes
    as the admin.

    Related records offered to a user are scoped like the admin's choices (another unit's
    record is "not found"); a record owned directly by a unit gets the liaison's unit; fields
    in the model's ``office_only_fields`` are read-only for everyone but the office; a private
    person's data is masked for those who may not see it (``registers.core.personal``).

    A record that carries a revision shows it as ``revision``; a client may send back the
    revision it read, and the viewset refuses the write if the record has moved on (409).
    An update writes the record's own fields only (``revisions.edit_fields``).
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

    @cached_property
    def shows_personal_data(self) -> bool:
        request = self.context.get("request")
        if request is None:
            return True  # used inside the system, not answering anyone
        return rules.may_see_personal_data(request.user, getattr(request, "auth", None))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.shows_personal_data:
            mask_representation(self.Meta.model, data)
        return data

    def get_fields(self):
        fields = scope_related_fields(super().get_fields(), self.user)
        if revisions.is_revisioned(self.Meta.model):
            fields["revision"] = serializers.IntegerField(
                required=False,
                min_value=1,
                label=gettext_lazy("修订号"),
                help_text=gettext_lazy(
                    "每保存一次加一（与 ETag 相同）。修改时可带上读到的修订号（或使用请求头 "
                    "If-Match）：记录在此期间被他人修改则拒绝（409，代码 edit_conflict），"
                    "不会覆盖他人的修改。新增时忽略。"
                ),
            )
        office = rules.is_office(self.user)
        if self._owned_by_unit() and not office and "unit" in fields:
            fields["unit"].read_only = True
        if not office:
            for name in getattr(self.Meta.model, "office_only_fields", ()):
                if name in fields:
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
            request = self.context.get("request")
            if request is not None:
                error = hide_unseen_clashes(error, instance, request.user)
            raise django_error_to_drf(error) from None
        finally:
            if self.instance is not None:
                for name, value in originals.items():
                    setattr(self.instance, model._meta.get_field(name).attname, value)
        return attrs

    def update(self, instance, validated_data):
        validated_data.pop("revision", None)  # checked by the viewset on the locked row
        reason = validated_data.pop("correction_reason", "")
        relations = model_meta.get_field_info(type(instance)).relations
        many = {}
        for name, value in validated_data.items():
            if name in relations and relations[name].to_many:
                many[name] = value
            else:
                setattr(instance, name, value)
        try:
            save_edit(instance, by=self.user, reason=reason)
        except DjangoValidationError as error:
            raise django_error_to_drf(error) from None
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def clean_exclude(self) -> list[str]:
        return [
            f.name for f in self.Meta.model._meta.get_fields() if f.many_to_many or f.one_to_many
        ]

    def prepare_instance(self, instance) -> None:
        """Set what the server decides (a liaison's unit) before validation."""
        if self._owned_by_unit() and rules.reads_own_unit_only(self.user):
            instance.unit_id = self.user.unit_id


def register_serializer(
    model, base: type, parent_field: str | None = None, *, name: str = ""
) -> type:
    """The serializer of a register that shows its fields and declares none of its own:
    ``base``'s default fields (``RegisterFieldsMixin``), or, for a row that belongs to a
    record (``parent_field``), the parent, its id and its ``register_fields``. Named
    ``<name>Serializer`` (the API documentation's component ``name``), by default after
    the model, as a written one would be."""
    meta = {"model": model}
    if parent_field:
        meta["fields"] = [parent_field, "id", *model.register_fields]
    name = f"{name or model.__name__}Serializer"
    return type(base)(name, (base,), {"Meta": type("Meta", (), meta)})


def rows_of(model, label, *, name: str) -> serializers.ListSerializer:
    """The rows of ``model`` shown (read only) inside the record they belong to, by a
    ``RowSerializer`` (component ``name`` in the API documentation)."""
    return register_serializer(model, RowSerializer, name=name)(
        many=True, read_only=True, label=label
    )


class HandlerField(serializers.PrimaryKeyRelatedField):
    """A record's person in charge, written by user id: only those the requesting user may
    choose (``permissions.handler_candidates``: a liaison names no other unit's people), or
    the one in charge now. Whether the person fits the record's unit is the model's check."""

    def get_queryset(self):
        users = get_user_model()._default_manager.all()
        request = self.context.get("request")
        candidates = rules.handler_candidates(users, getattr(request, "user", None))
        current = getattr(self.parent.instance, "handler_id", None)
        if current is not None:
            candidates = candidates | users.filter(pk=current)
        return candidates


class WorkflowSerializer(ModelCleanSerializer):
    """Base of every workflow record's serializer; subclasses list their own fields."""

    # (The docstring above is also the API documentation's description of every subclass
    # that has none.) A subclass that lists no fields shows the ``WORKFLOW_FIELDS``, its
    # person in charge (``HandledRecord``), then its register fields and its own
    # (``RegisterFieldsMixin``).

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
        "attachments",
        "correction_reason",
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
    correction_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        label=gettext_lazy("更正原因"),
        help_text=gettext_lazy(
            "修改已审核通过的记录时必填（代码 correction_reason_required）：这次修改记为一次"
            "更正，连同修改人、时间和改动的字段一并保存。"
        ),
    )
    status_label = ChoiceLabelField("status", label=gettext_lazy("审核状态名称"))
    attachments = serializers.SerializerMethodField(label=gettext_lazy("附件（现行版本）"))
    # The person in charge, where a register has one (``HandledRecord``).
    handler = HandlerField(
        allow_null=True,
        required=False,
        label=gettext_lazy("承办人"),
        help_text=gettext_lazy(
            "承办人的用户编号：法制办工作人员或本记录所属单位的联络员（代码 "
            "handler_not_of_unit、handler_inactive）；null 表示未指定。"
        ),
    )
    handler_name = serializers.CharField(
        source="handler", read_only=True, allow_null=True, label=gettext_lazy("承办人姓名")
    )

    @classmethod
    def lead_fields(cls, model) -> list[str]:
        handler = ["handler", "handler_name"] if issubclass(model, HandledRecord) else []
        return [*cls.WORKFLOW_FIELDS, *handler]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, record) -> list:
        files = getattr(record, "current_files", None)
        if files is None:  # not read through a workflow viewset (prefetched there)
            files = record.attachments.current().select_related("uploaded_by")
        return [self._attachment_serializer.to_representation(file) for file in files]

    @cached_property
    def _attachment_serializer(self) -> AttachmentSerializer:
        # One for every record of a list: making one per record copies its fields each time.
        return AttachmentSerializer(context=self.context)

    def validate(self, attrs):
        reason = attrs.pop("correction_reason", "")
        attrs = super().validate(attrs)
        if self.instance is not None:
            changed = any(
                getattr(self.instance, name) != value
                for name, value in attrs.items()
                if name != "revision" and not self.Meta.model._meta.get_field(name).many_to_many
            )
            try:
                require_correction_reason(self.instance, changed=changed, reason=reason)
            except DjangoValidationError as error:
                raise serializers.ValidationError(
                    {"correction_reason": [ErrorDetail(error.messages[0], code=error.code)]}
                ) from None
            attrs["correction_reason"] = reason
        return attrs

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
        validators=[validate_plain_text],
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
    """One statutory deadline with how it was computed (``registers.core.deadlines.Deadline``)."""

    key = serializers.CharField(source="key.value", label=gettext_lazy("期限代码"))
    label = serializers.CharField(label=gettext_lazy("期限名称"))
    start = serializers.DateField(label=gettext_lazy("起算日"))
    days = serializers.IntegerField(label=gettext_lazy("法定期间"))
    unit = serializers.CharField(source="unit.value", label=gettext_lazy("期间单位"))
    due = serializers.DateField(label=gettext_lazy("届满日"))
    rule = serializers.CharField(label=gettext_lazy("法律依据"))
    explanation = serializers.CharField(source="explain", label=gettext_lazy("计算过程"))
    note = serializers.CharField(label=gettext_lazy("说明"))
    provisional = serializers.BooleanField(
        label=gettext_lazy("暂定"),
        help_text=gettext_lazy("计算跨越节假日安排尚未确认的年度，按法定节日暂定，确认后可能变动"),
    )
    provisional_years = serializers.ListField(
        child=serializers.IntegerField(), label=gettext_lazy("尚未确认节假日安排的年度")
    )


@cache
def _deadline_serializer() -> DeadlineSerializer:
    return DeadlineSerializer()


def deadline_data(deadline) -> dict:
    """``deadline`` as the API shows it (``DeadlineSerializer``), written by one serializer
    made once: making one per record copies its fields each time, which cost a list of 50
    cases more than the cases themselves."""
    return _deadline_serializer().to_representation(deadline)


def deadlines_data(deadlines) -> list[dict]:
    return [deadline_data(deadline) for deadline in deadlines]
