"""Forms of the registers' own pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registers import exchange
from registers.core import permissions
from registers.core.status import Status
from registers.models import Unit


class UploadForm(forms.Form):
    """数据报送: a filled template, what its records become and, for the office, whose."""

    register = forms.ChoiceField(label=_("台账"))
    file = forms.FileField(
        label=_("填好的模板（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
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
        help_text=_("仅法制办：选择后所有行都记为该单位的记录；不选则按表中的单位列。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["register"].choices = [
            (resource_class.slug, exchange.title_of(resource_class))
            for resource_class in exchange.resource_classes()
            if exchange.may_exchange(user, resource_class)
        ]
        if permissions.is_office(user):
            self.fields["unit"].queryset = Unit.objects.order_by("kind", "code")
        else:
            del self.fields["unit"]
            del self.fields["approve"]

    @property
    def resource_class(self):
        return exchange.resource_for(self.cleaned_data["register"])

    @property
    def status(self) -> Status:
        if self.cleaned_data.get("approve"):
            return Status.APPROVED
        return Status.SUBMITTED if self.cleaned_data.get("submit") else Status.DRAFT
