from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registers.admin.base import RevisionForm, ScopedAdmin
from reviews.models import CorrectionRateDefinition, ReconsiderationOutcome


class CorrectionRateDefinitionForm(RevisionForm):
    direct_outcomes = forms.TypedMultipleChoiceField(
        label=_("计为直接纠错的审结结果"),
        choices=ReconsiderationOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种计为直接纠错的审结结果。")},
    )

    class Meta:
        model = CorrectionRateDefinition
        fields = ["year", "direct_outcomes", "counts_corrected_withdrawals", "denominator", "note"]


@admin.register(CorrectionRateDefinition)
class CorrectionRateDefinitionAdmin(ScopedAdmin):
    """Reference data: every role reads it; only the office adds or changes it."""

    form = CorrectionRateDefinitionForm
    list_display = [
        "year",
        "direct_display",
        "counts_corrected_withdrawals",
        "denominator",
        "note",
    ]
    search_fields = ["note"]

    @admin.display(description=_("直接纠错"))
    def direct_display(self, obj) -> str:
        return "、".join(
            str(o.label) for o in ReconsiderationOutcome if o.value in obj.direct_outcomes
        )
