"""Excel import and export of the registers, with Chinese headers and the one scoping rule.

``WorkflowResource`` turns any ``WorkflowRecord`` model into a spreadsheet whose header row
is the fields' Chinese names, whose choice columns hold the Chinese labels and whose
foreign keys are written by name. An import only ever creates records: a liaison's rows
become drafts of their own unit whatever the sheet says, and a sheet with any bad row
imports nothing (the admin shows every bad row with its column and reason).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets

from registers import permissions
from registers.models import Role, Status
from registers.workflow import mark_created


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its Chinese label (or its stored value) and writes the label."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.label_of = {str(value): str(label) for value, label in choices}
        self.value_of = {label: value for value, label in self.label_of.items()}

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        text = str(value).strip()
        if text in self.label_of:
            return text
        if text in self.value_of:
            return self.value_of[text]
        raise ValueError(
            _("“%(value)s”不是有效的选项，可选：%(options)s")
            % {"value": text, "options": "、".join(self.value_of)}
        )

    def render(self, value, obj=None, **kwargs):
        return self.label_of.get(str(value), "" if value is None else str(value))


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written by a readable field (e.g. a unit's name)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("找不到%(model)s“%(value)s”。")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("%(model)s“%(value)s”不唯一。")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class ChineseBooleanWidget(widgets.BooleanWidget):
    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "是", "√"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "否", "×"]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("是") if value else _("否")


class LenientDateWidget(widgets.DateWidget):
    """Accepts real Excel dates and the usual written forms (2017-08-01, 2017/8/1, 2017年8月1日)."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
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
        raise ValueError(_("“%(value)s”不是有效的日期，请写成 2017-08-01。") % {"value": text})


# Natural names for foreign keys, by target model label.
FOREIGN_KEY_NAMES = {"registers.unit": "name"}


class WorkflowResource(resources.ModelResource):
    """Base resource for every register; subclasses only list ``Meta.fields``."""

    status = resources.Field(
        attribute="status",
        column_name=gettext_lazy("审核状态"),
        readonly=True,
        widget=ChoiceLabelWidget(Status.choices),
    )

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True
        # Records are only ever created by an import; see get_instance.
        import_id_fields = ()

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.choices and not f.is_relation:
            return lambda **kwargs: ChoiceLabelWidget(f.choices, **kwargs)
        if isinstance(f, models.BooleanField):
            return ChineseBooleanWidget
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return LenientDateWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if isinstance(django_field, models.ForeignKey):
            target = django_field.related_model
            name_field = FOREIGN_KEY_NAMES.get(target._meta.label_lower, "pk")
            return cls.DEFAULT_RESOURCE_FIELD(
                attribute=field_name,
                column_name=str(django_field.verbose_name),
                widget=NamedForeignKeyWidget(target, field=name_field),
                readonly=readonly,
            )
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = str(django_field.verbose_name)
        return field

    def get_instance(self, instance_loader, row):
        return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A liaison's rows belong to their unit whatever the unit column says.
        if field.attribute == "unit" and self._is_liaison():
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def _is_liaison(self) -> bool:
        return permissions.role_of(self.user) == Role.LIAISON

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Before validation, so a liaison's row is checked as the record it will become.
        mark_created(instance, by=self.user, approved=permissions.is_office(self.user))
        if self._is_liaison():
            instance.unit = self.user.unit
