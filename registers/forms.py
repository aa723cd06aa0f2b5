"""Forms of the registers' own pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registers.core import permissions
from registers.core.exchange import updates, uploads
from registers.core.exchange.columns import has_unit
from registers.core.status import Status
from registers.models import Unit

#: What a workbook file input offers to pick (the content decides what is accepted).
WORKBOOK_TYPES = (
    ".xlsx,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet"
)


class UploadForm(forms.Form):
    """数据报送 and the admin's import: a filled template, what its records become and, for
    the office, whose. The admin's import names its register (``resource_class``); the
    data-exchange page lets the user choose one."""

    register = forms.ChoiceField(label=_("台账"))
    file = forms.FileField(
        label=_("填好的模板（.xlsx，也可 .xls、.ods）"),
        widget=forms.ClearableFileInput(attrs={"accept": WORKBOOK_TYPES}),
    )
    submit = forms.BooleanField(
        label=_("直接报送"),
        required=False,
        help_text=_("勾选后导入的记录直接报送法制办审核；不勾选则为草稿，可在后台修改后再报送。"),
    )
    approve = forms.BooleanField(
        label=_("直接审核通过"),
        required=False,
        help_text=_("仅法制办：导入的记录直接作为已审核记录。"),
    )
    unit = forms.ModelChoiceField(
        label=_("记为哪个单位的记录"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("不指定（按表中的单位列）"),
        help_text=_(
            "仅法制办：选择后所有行都记为该单位的记录（表中单位列须留空或填该单位）；"
            "不选则按表中的单位列。"
        ),
    )

    def __init__(self, *args, user, resource_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_resource_class = resource_class
        if resource_class is None:
            self.fields["register"].choices = [
                (choice.slug, uploads.title_of(choice))
                for choice in uploads.resource_classes()
                if uploads.may_exchange(user, choice)
            ]
        else:
            del self.fields["register"]
            if not uploads.is_workflow(resource_class):
                del self.fields["submit"], self.fields["approve"]
            elif Status.APPROVED not in uploads.upload_statuses(user, resource_class._meta.model):
                self.fields.pop("approve")
            if not has_unit(resource_class._meta.model):
                del self.fields["unit"]
        if permissions.is_office(user):
            if "unit" in self.fields:
                self.fields["unit"].queryset = Unit.objects.order_by("kind", "code")
        else:
            self.fields.pop("unit", None)
            self.fields.pop("approve", None)

    @property
    def resource_class(self):
        if self.fixed_resource_class is not None:
            return self.fixed_resource_class
        return uploads.resource_for(self.cleaned_data["register"])

    @property
    def status(self) -> Status:
        if self.cleaned_data.get("approve"):
            return Status.APPROVED
        return Status.SUBMITTED if self.cleaned_data.get("submit") else Status.DRAFT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approve") and (self.fixed_resource_class or cleaned.get("register")):
            model = self.resource_class._meta.model
            if Status.APPROVED not in uploads.upload_statuses(self.user, model):
                self.add_error(
                    "approve",
                    ValidationError(
                        _("“%(title)s”不能直接审核通过，须按其审核程序办理。")
                        % {"title": model._meta.verbose_name_plural},
                        code="not_entered_approved",
                    ),
                )
        return cleaned


class UpdatableRegisterForm(forms.Form):
    """A register whose records the user may export and update by number (按编号更新)."""

    register = forms.ChoiceField(label=_("台账"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [
            (choice.slug, uploads.title_of(choice))
            for choice in uploads.resource_classes()
            if updates.may_update(user, choice)
        ]

    @property
    def resource_class(self):
        return uploads.resource_for(self.cleaned_data["register"])


class ExportForm(UpdatableRegisterForm):
    """The records to correct: a register's, of one unit or of every unit the user sees."""

    prefix = "export"  # beside the upload and update forms on one page

    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.order_by("kind", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("全部单位"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if unit is not None and not permissions.may_read_unit(self.user, unit.pk):
            raise ValidationError(_("只能导出本单位的记录。"), code="other_unit")
        return unit


class UpdateForm(UpdatableRegisterForm):
    """按编号更新: a register's exported records, corrected, uploaded again for a preview."""

    prefix = "update"  # beside the upload form on one page

    file = forms.FileField(
        label=_("改好的导出文件（.xlsx，也可 .xls、.ods）"),
        widget=forms.ClearableFileInput(attrs={"accept": WORKBOOK_TYPES}),
    )
