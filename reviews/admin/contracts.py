from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.admin.base import ImportExportWorkflowAdmin, fields_besides, workflow_fieldset
from reviews.models import GovernmentContract
from reviews.models.contracts import filing_threshold, format_yuan, lawyer_review_threshold
from reviews.resources import GovernmentContractResource


class MissingChecksFilter(admin.SimpleListFilter):
    title = _("缺少必需程序")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            ("any", _("缺律师审核或备案")),
            ("lawyer", _("缺律师审核")),
            ("filing", _("缺备案")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.missing_required_checks()
        if self.value() == "lawyer":
            return queryset.missing_lawyer_review()
        if self.value() == "filing":
            return queryset.missing_filing()
        return queryset


class AmountBandFilter(admin.SimpleListFilter):
    title = _("金额档次")
    parameter_name = "band"

    def lookups(self, request, model_admin):
        lawyer = format_yuan(lawyer_review_threshold())
        filing = format_yuan(filing_threshold())
        return [
            ("lawyer", _("%(amount)s 元及以上（须律师审核和备案）") % {"amount": lawyer}),
            ("filing", _("%(low)s 元至 %(high)s 元（须备案）") % {"low": filing, "high": lawyer}),
            ("below", _("%(amount)s 元以下") % {"amount": filing}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "lawyer":
            return queryset.needing_lawyer_review()
        if self.value() == "filing":
            return queryset.needing_filing().exclude(amount__gte=lawyer_review_threshold())
        if self.value() == "below":
            return queryset.exclude(amount__gte=filing_threshold())
        return queryset


class SignedFilter(admin.SimpleListFilter):
    title = _("签订情况")
    parameter_name = "signed"

    def lookups(self, request, model_admin):
        return [("yes", _("已签订")), ("no", _("未签订"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.signed()
        if self.value() == "no":
            return queryset.filter(signed_on__isnull=True)
        return queryset


# The change form's sections of the checks; the contract's other fields come first.
LAWYER_REVIEW_FIELDS = ["law_firm", "lawyer", "lawyer_reviewed_on", "lawyer_opinion"]
FILING_FIELDS = ["filed_on", "filing_number"]


@admin.register(GovernmentContract)
class GovernmentContractAdmin(ImportExportWorkflowAdmin):
    resource_classes = [GovernmentContractResource]
    list_display = [
        "title",
        "unit",
        "amount_in_yuan",
        "signed_on",
        "lawyer_review_state",
        "filing_state",
        "status_badge",
    ]
    list_filter = [MissingChecksFilter, AmountBandFilter, SignedFilter, "status", "unit__kind"]
    list_select_related = ["unit"]
    search_fields = [
        "title",
        "number",
        "project",
        "counterparty",
        "law_firm",
        "lawyer",
        "unit__name",
    ]
    autocomplete_fields = ["unit"]
    date_hierarchy = "signed_on"

    def get_fieldsets(self, request, obj=None):
        lawyer = format_yuan(lawyer_review_threshold())
        filing = format_yuan(filing_threshold())
        return [
            (
                None,
                {
                    "fields": [
                        "unit",
                        *fields_besides(
                            GovernmentContract.register_fields, LAWYER_REVIEW_FIELDS, FILING_FIELDS
                        ),
                    ]
                },
            ),
            (
                _("律师审核"),
                {
                    "fields": LAWYER_REVIEW_FIELDS,
                    "description": gettext(
                        "金额 %(amount)s 元及以上的合同，须经聘请的律师审核后才能登记签订。"
                    )
                    % {"amount": lawyer},
                },
            ),
            (
                _("备案"),
                {
                    "fields": FILING_FIELDS,
                    "description": gettext("金额 %(amount)s 元及以上的合同，须备案后才能登记签订。")
                    % {"amount": filing},
                },
            ),
            workflow_fieldset(_("审核流程")),
        ]

    @admin.display(description=_("合同金额（元）"), ordering="amount")
    def amount_in_yuan(self, obj):
        return format_yuan(obj.amount)

    @admin.display(description=_("律师审核"))
    def lawyer_review_state(self, obj):
        if obj.is_lawyer_reviewed:
            return obj.lawyer_reviewed_on.isoformat()
        return gettext("缺") if obj.needs_lawyer_review else gettext("不需要")

    @admin.display(description=_("备案"))
    def filing_state(self, obj):
        if obj.is_filed:
            return obj.filed_on.isoformat()
        return gettext("缺") if obj.needs_filing else gettext("不需要")
