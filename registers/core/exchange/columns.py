"""A register's columns: how each is named, read from a cell and written to one.

A resource (a django-import-export ``ModelResource``) lists a register's columns in order,
under the fields' Chinese names; choice columns hold the Chinese labels and foreign keys are
written by a readable key (a unit by its name, a document by its number), as the register's
app declares in ``reference_keys``. The same declaration gives the template, the checked
upload (``uploads``, also behind the admin's import button) and the admin's export.

django-import-export stays for two things it does well and nothing here repeats: turning
``Meta.fields`` into typed columns, and the admin's export (format and column choice, the
change list's filters). Its import machinery is not used: every file goes through
``uploads.upload``, so one set of checks, messages and codes applies everywhere.

A file creates records (``uploads``) or, where the register names its rows by a number
(``match_key``), updates the records it names (``updates``). A liaison's rows become records
of their own unit; columns only the legal office fills must stay empty in a liaison's file.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets

from registers.core import permissions
from registers.core.dates import validate_register_date
from registers.core.exchange import reading
from registers.core.labels import yes_no
from registers.core.status import Status
from registers.core.workflow import mark_created


class CellError(ValueError):
    """A cell that cannot be read; ``code`` says why, for machines."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.CharWidget):
    """Text as typed: surrounding spaces dropped, numbers Excel stored as numbers kept whole.

    A cell exported as ``'=…`` (escaped so it never runs as a formula) imports back as ``=…``.
    """

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime.datetime):
            value = value.date() if value.time() == datetime.time() else value
        if isinstance(value, datetime.date):
            return value.isoformat()
        return reading.unescape_formula(str(value).strip())


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its Chinese label (or its stored value) and writes the label."""

    def __init__(self, choices, allow_blank=True, **kwargs):
        super().__init__(**kwargs)
        self.label_of = {str(value): str(label) for value, label in choices}
        self.value_of = {label: value for value, label in self.label_of.items()}
        self._python_value = {str(value): value for value, _label in choices}

    @property
    def labels(self) -> list[str]:
        return list(self.value_of)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text in self.value_of:
            return self._python_value[self.value_of[text]]
        if text in self.label_of:
            return self._python_value[text]
        raise CellError(
            _("“%(value)s”不是有效的选项，可选：%(options)s")
            % {"value": text, "options": "、".join(self.value_of)},
            "invalid_choice",
        )

    def render(self, value, obj=None, **kwargs):
        return self.label_of.get(str(value), "" if value is None else str(value))


AMBIGUOUS = object()


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written by a readable field (a unit's name, a document's number).

    Only what the importing user may see can be named: another unit's document is "not
    found", exactly as if it did not exist. The visible records are read once per import
    into a dict, so a file of 50,000 rows costs one query per column, not one per row.
    """

    def __init__(self, model, field="pk", normalise: Callable[[str], str] | None = None, **kw):
        super().__init__(model, field=field, **kw)
        self.user = None
        self.normalise = normalise
        self._by_key: dict[str, Any] | None = None

    def bind(self, user) -> None:
        self.user = user
        self._by_key = None

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        queryset = self.model._default_manager.all()
        if self.user is not None:
            queryset = permissions.scope_queryset(queryset, self.user)
        return queryset

    def key_of(self, text: str) -> str:
        text = " ".join(str(text).split())
        if self.normalise is not None:
            with contextlib.suppress(ValidationError, ValueError):
                text = self.normalise(text)
        return text

    def choices(self) -> dict[str, Any]:
        """Every visible record by its key; a key shared by two records maps to AMBIGUOUS."""
        if self._by_key is None:
            by_key: dict[str, Any] = {}
            for obj in self.get_queryset():
                key = self.key_of(getattr(obj, self.field))
                by_key[key] = AMBIGUOUS if key in by_key else obj
            self._by_key = by_key
        return self._by_key

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        found = self.choices().get(self.key_of(text))
        name = self.model._meta.verbose_name
        if found is None:
            raise CellError(
                _("找不到%(model)s“%(value)s”。") % {"model": name, "value": text},
                "unknown_reference",
            )
        if found is AMBIGUOUS:
            raise CellError(
                _("%(model)s“%(value)s”不唯一，请联系法制办。") % {"model": name, "value": text},
                "ambiguous_reference",
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(getattr(value, self.field))


class ChineseBooleanWidget(widgets.BooleanWidget):
    TRUE_TEXTS = {"是", "√", "true", "1", "yes", "y"}
    FALSE_TEXTS = {"否", "×", "false", "0", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text in self.TRUE_TEXTS:
            return True
        if text in self.FALSE_TEXTS:
            return False
        raise CellError(_("“%(value)s”应填“是”或“否”。") % {"value": value}, "invalid_boolean")

    def render(self, value, obj=None, **kwargs):
        return yes_no(value)


class LenientDateWidget(widgets.DateWidget):
    """Accepts real Excel dates and the usual written forms (2017-08-01, 2017/8/1, 2017年8月1日)."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        date = self._parse(value)
        try:
            validate_register_date(date)
        except ValidationError as error:
            raise CellError(error.messages[0], error.code) from None
        return date

    def _parse(self, value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(
            _("“%(value)s”不是有效的日期，请写成 2017-08-01。") % {"value": text}, "invalid_date"
        )


def _number_text(value: Any) -> str:
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
    for unit in ("元", "%", "％", "分", "日", "天", "年"):
        text = text.removesuffix(unit)
    return text


class LenientDecimalWidget(widgets.DecimalWidget):
    """A number as Excel stores it or as typed ("2,000,000", "2000000元", "5%")."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, bool):
            raise CellError(_("“%(value)s”不是有效的数字。") % {"value": value}, "invalid_number")
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise CellError(_("“%(value)s”不是有效的数字。") % {"value": value}, "invalid_number")
        return number


#: The most digits a whole-number cell may have: more than any integer column stores (a
#: 64-bit integer has 19).
MAX_INTEGER_DIGITS = 18


class LenientIntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise CellError(_("“%(value)s”不是有效的整数。") % {"value": value}, "invalid_integer")
        # Refused before ``int``, which would write out every digit: "1e999999999" asks for
        # a billion of them (minutes of one core). No column holds 19 digits.
        if number.adjusted() >= MAX_INTEGER_DIGITS:
            raise CellError(
                _("“%(value)s”超出可填写的整数范围（不超过 %(digits)d 位）。")
                % {"value": value, "digits": MAX_INTEGER_DIGITS},
                "integer_out_of_range",
            )
        return int(number)


class ScopedResource(resources.ModelResource):
    """Base resource of a register; subclasses list ``Meta.fields``.

    ``user`` uploads or exports; ``unit`` (office only) makes every row a record of that
    unit, as a liaison's rows always are of theirs.
    """

    #: Short English name in URLs (``/api/v1/templates/<slug>.xlsx``); empty: no templates.
    slug = ""
    #: Example values for the template's example row, by field name.
    example: ClassVar[dict[str, Any]] = {}
    #: How a foreign key is written, by the target model's label: (field, normaliser).
    #: A target not listed is written by its key. Read when a subclass's columns are made.
    reference_keys: ClassVar[dict[str, tuple[str, Callable[[str], str] | None]]] = {}
    #: The fields that identify a row when a file updates records (``updates``): one of
    #: the model's unique keys (its number: a case number, a document number). Empty: the
    #: register has no such number and its records are not updated from a file.
    match_key: ClassVar[tuple[str, ...]] = ()

    @property
    def office_only_fields(self) -> tuple[str, ...]:
        """Columns only the office fills (the model's); a liaison's file must leave them empty."""
        return getattr(self._meta.model, "office_only_fields", ())

    def __init__(self, user=None, unit: models.Model | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fixed_unit = self._fixed_unit(user, unit)
        for field in self.fields.values():
            if isinstance(field.widget, NamedForeignKeyWidget):
                field.widget.bind(user)

    class Meta:
        """Each register names its ``model`` and its ``fields``, in the order of the form."""

    def _fixed_unit(self, user, unit):
        """The unit every row belongs to (a liaison's own, or the one the office chose);
        None where the file says, or where the register has no unit."""
        if not has_unit(self._meta.model):
            return None
        if user is not None and permissions.reads_own_unit_only(user):
            return user.unit
        return unit

    # --- Describing the columns -----------------------------------------------------------

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices and not f.is_relation:
            return lambda **kwargs: ChoiceLabelWidget(f.choices, **kwargs)
        if isinstance(f, models.BooleanField):
            return ChineseBooleanWidget
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return LenientDateWidget
        if isinstance(f, models.DecimalField):
            return LenientDecimalWidget
        if isinstance(f, models.IntegerField):
            return LenientIntegerWidget
        if isinstance(f, models.CharField | models.TextField):
            return TextWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if isinstance(django_field, models.ForeignKey):
            target = django_field.related_model
            name_field, normalise = cls.reference_keys.get(target._meta.label_lower, ("pk", None))
            return cls.DEFAULT_RESOURCE_FIELD(
                attribute=field_name,
                column_name=str(django_field.verbose_name),
                widget=NamedForeignKeyWidget(target, field=name_field, normalise=normalise),
                readonly=readonly or not django_field.editable,
            )
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = str(django_field.verbose_name)
        field.readonly = field.readonly or not django_field.editable
        return field

    def model_field(self, field) -> models.Field | None:
        try:
            return self._meta.model._meta.get_field(field.attribute)
        except Exception:
            return None

    def column_of(self, attribute: str) -> str:
        """The column name of a model field, for error messages."""
        for field in self.fields.values():
            if field.attribute == attribute:
                return str(field.column_name)
        with contextlib.suppress(Exception):
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        return ""

    def input_fields(self, *, office_only: bool | None = None) -> list:
        """The columns a file may fill, in order (export-only columns left out).

        Columns only the office fills are left out for everyone else, unless
        ``office_only`` is True (to check that such a column is left empty).
        """
        fields = [field for field in self.get_import_fields() if not field.readonly]
        if office_only is None:
            office_only = permissions.is_office(self.user)
        if not office_only:
            fields = [f for f in fields if f.attribute not in self.office_only_fields]
        return fields

    def is_required(self, field) -> bool:
        """Whether a file must have the column: the record needs it and has no default."""
        if field.attribute == "unit":
            return self.fixed_unit is None
        model_field = self.model_field(field)
        if model_field is None:
            return False
        return not model_field.blank and not model_field.has_default()

    def ignored_columns(self) -> set[str]:
        """Known columns that an upload does not read (export-only ones, as in an exported
        file brought back)."""
        inputs = {id(field) for field in self.input_fields(office_only=True)}
        return {str(f.column_name) for f in self.fields.values() if id(f) not in inputs}

    def check_headers(self, headers: Iterable[Any]) -> list[CellError]:
        """What is wrong with a header row: unknown, repeated and missing columns."""
        problems: list[CellError] = []
        known = {str(field.column_name) for field in self.fields.values()}
        seen: set[str] = set()
        unknown, repeated = [], []
        for header in headers:
            if is_empty(header):
                continue
            name = str(header).strip()
            if name not in known:
                unknown.append(name)
            elif name in seen:
                repeated.append(name)
            seen.add(name)
        missing = [
            str(field.column_name)
            for field in self.input_fields()
            if self.is_required(field) and str(field.column_name) not in seen
        ]
        unknown_message = _("模板中没有这些列：%(columns)s。请使用下载的模板，不要增加或改名列。")
        found = [
            (unknown, unknown_message, "unknown_column"),
            (repeated, _("这些列出现了不止一次：%(columns)s。"), "duplicate_column"),
            (missing, _("缺少必填的列：%(columns)s。"), "missing_column"),
        ]
        for names, message, code in found:
            if names:
                columns = "、".join(f"“{name}”" for name in names)
                problems.append(CellError(message % {"columns": columns}, code))
        return problems

    # --- Creating -------------------------------------------------------------------------

    def office_only_message(self, field) -> str:
        return _("“%(column)s”由法制办填写，请留空。") % {"column": field.column_name}

    def prepare_instance(self, instance) -> None:
        """Fill what the sheet does not say: the owning unit (and, for workflow records,
        the creator). Runs before the cells are read, so every error of a row is found in
        one pass."""
        if self.fixed_unit is not None:
            instance.unit = self.fixed_unit

    def after_create(self, instances: list) -> None:
        """What must happen once records exist (a register with consequences overrides)."""

    # --- Exporting --------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        related = [
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, NamedForeignKeyWidget) and field.attribute
        ]
        return queryset.select_related(*related) if related else queryset


class WorkflowResource(ScopedResource):
    """Base resource of a ``WorkflowRecord`` register: records are created as drafts of
    their creator; what an upload asks them to become (submitted, approved) is reached
    through the workflow's own transitions (``uploads.upload``)."""

    status = resources.Field(
        attribute="status",
        column_name=gettext_lazy("审核状态"),
        readonly=True,
        widget=ChoiceLabelWidget(Status.choices),
    )

    def prepare_instance(self, instance) -> None:
        mark_created(instance, by=self.user)
        super().prepare_instance(instance)


def has_unit(model) -> bool:
    """Whether records of ``model`` belong to a unit through a ``unit`` field."""
    try:
        return model._meta.get_field("unit").is_relation
    except FieldDoesNotExist:
        return False


# --- Columns as the template and the upload see them ----------------------------------------


@dataclass
class Column:
    """One column of a register's sheet."""

    field: Any  # import_export Field
    name: str
    model_field: models.Field | None
    required: bool
    options: list[str] | None = None

    @property
    def widget(self):
        return self.field.widget

    @property
    def attribute(self) -> str:
        return self.field.attribute

    @property
    def is_relation(self) -> bool:
        return isinstance(self.widget, NamedForeignKeyWidget)


def columns_of(resource: ScopedResource, *, office_only: bool | None = None) -> list[Column]:
    """The columns a file may fill, in order (see ``ScopedResource.input_fields``)."""
    return [
        Column(
            field=resource_field,
            name=str(resource_field.column_name),
            model_field=resource.model_field(resource_field),
            required=resource.is_required(resource_field),
        )
        for resource_field in resource.input_fields(office_only=office_only)
    ]
