from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.models import Conflict, EnforcementBody, Officer
from registers.models.enforcement import certificate_warning_days
from registers.resources import EnforcementBodyResource, OfficerResource

from .base import ImportExportWorkflowAdmin, ScopedAdmin


@admin.register(EnforcementBody)
class EnforcementBodyAdmin(ImportExportWorkflowAdmin):
    resource_classes = [EnforcementBodyResource]
    list_display = ["name", "unit", "kind", "officer_count", "status_badge"]
    list_filter = ["kind", "status", "unit__kind"]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name", "legal_basis"]
    autocomplete_fields = ["unit"]
    fields = ["unit", *EnforcementBody.register_fields, *EnforcementBody.WORKFLOW_FIELDS]

    @admin.display(description=_("执法人员数"))
    def officer_count(self, obj):
        return obj.officers.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("officers")


class CertificateFilter(admin.SimpleListFilter):
    title = _("执法证状态")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("有效")),
            ("expiring", _("%(days)d天内到期") % {"days": certificate_warning_days()}),
            ("expired", _("已过期")),
            ("renewal", _("已过期或即将到期")),
        ]

    def queryset(self, request, queryset):
        # Each state keeps what one of the queryset's methods says about today.
        keep = {
            "valid": queryset.certificate_valid_on,
            "expiring": queryset.certificate_expiring,
            "expired": queryset.certificate_expired_on,
            "renewal": queryset.needing_renewal,
        }.get(self.value())
        return queryset if keep is None else keep(timezone.localdate())


@admin.register(Officer)
class OfficerAdmin(ImportExportWorkflowAdmin):
    resource_classes = [OfficerResource]
    list_display = [
        "name",
        "certificate_number",
        "unit",
        "body",
        "field",
        "issued_on",
        "expires_on",
        "certificate",
        "status_badge",
    ]
    list_filter = [CertificateFilter, "field", "status", "unit__kind"]
    list_select_related = ["unit", "body"]
    search_fields = ["name", "certificate_number", "unit__name", "body__name"]
    autocomplete_fields = ["unit", "body"]
    fields = [
        "unit",
        "body",
        "name",
        "certificate_number",
        "field",
        "issued_on",
        "expires_on",
        *Officer.WORKFLOW_FIELDS,
    ]

    @admin.display(description=_("执法证状态"), ordering="expires_on")
    def certificate(self, obj):
        return obj.certificate_status(timezone.localdate())


@admin.register(Conflict)
class ConflictAdmin(ScopedAdmin):
    list_display = ["officer", "target", "reason", "declared_on", "unit"]
    list_select_related = ["officer__unit", "target"]
    search_fields = ["officer__name", "officer__certificate_number", "target__name", "reason"]
    autocomplete_fields = ["officer", "target"]
    list_filter = ["officer__unit__kind"]
    date_hierarchy = "declared_on"

    def get_changeform_initial_data(self, request):
        return {"declared_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    @admin.display(description=_("所在单位"), ordering="officer__unit__code")
    def unit(self, obj):
        return obj.officer.unit
