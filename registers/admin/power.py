"""Admin of the power lists: items through the review workflow, adjustments by the office."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registers import power_services
from registers.core import permissions
from registers.models import (
    AdjustmentKind,
    AdjustmentReason,
    ListKind,
    ListLevel,
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    ResponsibilityItem,
    TownshipDuty,
    Unit,
)
from registers.resources import PowerItemResource

from .base import (
    ImportExportWorkflowAdmin,
    ReadOnlyMixin,
    ReadOnlyScopedInline,
    ScopedAdmin,
    ScopedInline,
    workflow_fieldset,
)
from .filters import unit_filter


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _normalise(value):
    """Text as a form posts it back (CRLF, surrounding spaces) compares equal to the stored one."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


class LevelFilter(admin.SimpleListFilter):
    title = gettext_lazy("层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return ListLevel.choices

    def queryset(self, request, queryset):
        if self.value() in ListLevel.values:
            return queryset.at_level(self.value())
        return queryset


class ValidityFilter(admin.SimpleListFilter):
    title = gettext_lazy("效力状态")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("in_force", _("现行有效")),
            ("closed", _("已失效")),
            ("pending", _("尚未生效")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.as_of(today)
        if self.value() == "closed":
            return queryset.filter(closed_on__lte=today)
        if self.value() == "pending":
            return queryset.filter(effective_from__gt=today)
        return queryset


class AsOfFilter(admin.SimpleListFilter):
    """The list as it stood on a day: approved versions in force then (any date via ?as_of=)."""

    title = gettext_lazy("截至日期有效")
    parameter_name = "as_of"

    def lookups(self, request, model_admin):
        first = PowerItem.objects.aggregate(first=Min("effective_from"))["first"]
        this_year = timezone.localdate().year
        years = range(first.year if first else this_year, this_year + 1)
        choices = [(f"{year}-12-31", _("%(year)d年12月31日") % {"year": year}) for year in years]
        value = self.value()
        if value and value not in dict(choices) and _parse_day(value):
            choices.append((value, value))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            day = _parse_day(self.value())
            if day is None:
                # The admin answers this by reloading the list without the bad filter.
                raise IncorrectLookupParameters(_("日期格式应为 年-月-日。"))
            return queryset.as_of(day)
        return queryset


class ResponsibilityInline(ScopedInline):
    model = ResponsibilityItem
    fields = ["stage", "duty"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "duty":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AdjustmentInline(ReadOnlyScopedInline):
    """The item's adjustment log, read-only: adjustments are made on the 调整 page."""

    model = PowerAdjustment
    fk_name = "item"
    fields = ["kind", "adjusted_on", "reason_kind", "reason", "document_number", "changes_text"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("调整记录")

    @admin.display(description=gettext_lazy("调整内容"))
    def changes_text(self, obj):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in obj.change_lines))


@admin.register(PowerItem)
class PowerItemAdmin(ImportExportWorkflowAdmin):
    resource_classes = [PowerItemResource]
    change_list_template = "admin/registers/poweritem/change_list.html"
    change_form_template = "admin/registers/poweritem/change_form.html"
    list_display = [
        "code",
        "name",
        "unit",
        "list_kind",
        "category",
        "level_label",
        "township_duty",
        "effective_from",
        "closed_on",
        "version",
        "status_badge",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "list_kind",
        LevelFilter,
        "category",
        "township_duty",
        unit_filter(),
        ValidityFilter,
        AsOfFilter,
        "status",
    ]
    list_select_related = ["unit"]
    search_fields = ["code", "name", "legal_basis"]
    autocomplete_fields = ["unit", "partner_unit"]
    inlines = [ResponsibilityInline, AdjustmentInline]
    fieldsets = [
        (
            None,
            {"fields": ["unit", "list_kind", "code", "name", "category", "negative_measure"]},
        ),
        (
            gettext_lazy("乡镇（街道）事项"),
            {"fields": ["township_duty", "partner_unit"]},
        ),
        (
            gettext_lazy("依据、承办与监督"),
            {"fields": ["legal_basis", "handling_office", "accountability", "supervision"]},
        ),
        (gettext_lazy("收费清单"), {"fields": ["fee_standard", "fee_basis"]}),
        (
            gettext_lazy("效力与版本"),
            {
                "fields": [
                    "effective_from",
                    "basis_document",
                    "addition_reason",
                    "closed_on",
                    "version",
                    "origin_text",
                    "predecessor_link",
                    "successor_links",
                ]
            },
        ),
        workflow_fieldset(),
    ]

    def get_fieldsets(self, request, obj=None):
        """On a read-only item, leave out the sections its list and level do not use."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        unused = set()
        if obj.list_kind != ListKind.FEE:
            unused |= {"fee_standard", "fee_basis"}
        if obj.list_kind != ListKind.NEGATIVE:
            unused.add("negative_measure")
        if obj.level != ListLevel.TOWNSHIP:
            unused |= {"township_duty", "partner_unit"}
        trimmed = []
        for title, options in fieldsets:
            fields = [name for name in options["fields"] if name not in unused]
            if fields:
                trimmed.append((title, {**options, "fields": fields}))
        return trimmed

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "closed_on",
            "version",
            "origin_text",
            "predecessor_link",
            "successor_links",
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")

    # An approved item is frozen (``PowerItem.is_frozen``, checked by registers.core.permissions):
    # the office adjusts it (取消 / 下放 / 调整) from its page, which keeps the old version.

    def get_actions(self, request):
        # Bulk deletion would skip the per-item rule above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=gettext_lazy("层级"), ordering="unit__kind")
    def level_label(self, obj):
        return obj.level.label

    @admin.display(description=gettext_lazy("生效依据"))
    def origin_text(self, obj):
        if obj is None or obj.origin is None:
            return "—"
        origin = obj.origin
        return f"{origin.get_kind_display()} {origin.adjusted_on:%Y-%m-%d} {origin.document_number}"

    def _item_link(self, item):
        url = reverse("admin:registers_poweritem_change", args=[item.pk])
        return format_html(
            '<a href="{}">{}（第{}版，{}起）</a>',
            url,
            item,
            item.version,
            f"{item.effective_from:%Y-%m-%d}",
        )

    @admin.display(description=gettext_lazy("前一版本"))
    def predecessor_link(self, obj):
        predecessor = obj.predecessor if obj else None
        return self._item_link(predecessor) if predecessor else "—"

    @admin.display(description=gettext_lazy("后续版本"))
    def successor_links(self, obj):
        successors = list(obj.successors.select_related("unit")) if obj and obj.pk else []
        if not successors:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{}（{}）",
            ((self._item_link(item), item.unit) for item in successors),
        )

    # --- Extra pages: adjusting an item, counting the list as of a date ------------------

    def get_urls(self):
        return [
            path(
                "as-of/",
                self.admin_site.admin_view(self.as_of_view),
                name="registers_poweritem_as_of",
            ),
            path(
                "<path:object_id>/adjust/",
                self.admin_site.admin_view(self.adjust_view),
                name="registers_poweritem_adjust",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["can_adjust"] = (
                permissions.is_office(request.user) and obj.is_approved and obj.closed_on is None
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def adjust_view(self, request, object_id):
        item = self._get_visible_object(request, object_id)
        if not permissions.is_office(request.user):
            raise PermissionDenied
        form = AdjustmentForm(item, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                adjustment = power_services.adjust_item(
                    item, **form.service_arguments(), by=request.user
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                self.message_user(
                    request,
                    _("“%(item)s”已%(kind)s，自 %(date)s 起执行。")
                    % {
                        "item": item,
                        "kind": adjustment.get_kind_display(),
                        "date": f"{adjustment.adjusted_on:%Y-%m-%d}",
                    },
                    messages.SUCCESS,
                )
                created = adjustment.created_items.first()
                target = created if adjustment.kind == AdjustmentKind.AMEND else item
                return HttpResponseRedirect(
                    reverse("admin:registers_poweritem_change", args=[target.pk])
                )
        return render(
            request,
            "admin/registers/poweritem/adjust.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": item,
                "form": form,
                "log": item.adjustments.all(),
                "title": _("调整清单事项"),
            },
        )

    def as_of_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        last_year_end = datetime.date(timezone.localdate().year - 1, 12, 31)
        form = AsOfForm(request.GET or {"day": last_year_end.isoformat()})
        day = form.cleaned_data["day"] if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("按日期统计清单事项"),
        }
        if day is not None:
            context.update(as_of_tables(self.get_queryset(request), day))
            context["day"] = day
            context["changelist_url"] = reverse("admin:registers_poweritem_changelist")
        return render(request, "admin/registers/poweritem/as_of.html", context)


class AsOfForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("截至日期"), widget=AdminDateWidget)


def as_of_tables(queryset, day: datetime.date) -> dict:
    """The counts the as-of page shows, from three aggregate queries and one for units."""
    listed = queryset.as_of(day)
    by_kind = {
        (row["list_kind"], row["level"]): row["count"]
        for row in listed.count_by("list_kind", "level")
    }
    by_category = {
        (row["category"], row["level"]): row["count"]
        for row in listed.power_list().count_by("category", "level")
    }
    by_unit_rows = listed.count_by("unit", "list_kind")
    units = Unit.objects.in_bulk({row["unit"] for row in by_unit_rows})
    levels = list(ListLevel)

    kind_rows = [
        {
            "label": kind.label,
            "counts": [by_kind.get((kind.value, level.value), 0) for level in levels],
            "total": sum(by_kind.get((kind.value, level.value), 0) for level in levels),
        }
        for kind in ListKind
    ]
    category_rows = [
        {
            "label": category.label,
            "counts": [by_category.get((category.value, level.value), 0) for level in levels],
            "total": sum(by_category.get((category.value, level.value), 0) for level in levels),
        }
        for category in PowerCategory
    ]
    unit_counts: dict[int, dict[str, int]] = {}
    for row in by_unit_rows:
        unit_counts.setdefault(row["unit"], {})[row["list_kind"]] = row["count"]
    unit_rows = sorted(
        (
            {
                "unit": units[unit_id],
                "counts": [counts.get(kind.value, 0) for kind in ListKind],
                "total": sum(counts.values()),
            }
            for unit_id, counts in unit_counts.items()
        ),
        key=lambda row: (row["unit"].kind, row["unit"].code),
    )
    return {
        "levels": levels,
        "list_kinds": list(ListKind),
        "kind_rows": kind_rows,
        "category_rows": category_rows,
        "category_totals": [
            sum(row["counts"][i] for row in category_rows) for i in range(len(levels))
        ],
        "category_total": sum(row["total"] for row in category_rows),
        "unit_rows": unit_rows,
        "grand_total": sum(row["total"] for row in kind_rows),
    }


class AdjustmentForm(forms.Form):
    """The office's adjustment of one approved item: kind, date, reason, document, changes."""

    kind = forms.ChoiceField(
        label=gettext_lazy("调整方式"),
        choices=[(kind.value, kind.label) for kind in AdjustmentKind if kind.closes_item],
        widget=forms.RadioSelect,
    )
    adjusted_on = forms.DateField(
        label=gettext_lazy("调整日期"),
        widget=AdminDateWidget,
        help_text=gettext_lazy("自当日起按调整后的清单执行；原版本到前一日为止有效。"),
    )
    reason_kind = forms.ChoiceField(
        label=gettext_lazy("调整原因类别"), choices=AdjustmentReason.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("调整理由"), widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
    )
    document_number = forms.CharField(
        label=gettext_lazy("批准文号"),
        max_length=100,
        help_text=gettext_lazy("如 咸安审改办〔2017〕3号。"),
    )
    receiving_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("承接的乡镇（街道）"),
        queryset=Unit.objects.townships().active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("仅“下放”：为所选乡镇（街道）的清单生成该事项；可不选。"),
    )
    receiving_code = forms.CharField(
        label=gettext_lazy("承接事项编码"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("在乡镇（街道）清单中的编码；不填则沿用原编码。"),
    )
    receiving_duty = forms.ChoiceField(
        label=gettext_lazy("承接后的履职类别"),
        choices=TownshipDuty.choices,
        initial=TownshipDuty.BASIC,
        required=False,
    )

    def __init__(self, item: PowerItem, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.amendable = [name for name in power_services.AMENDABLE_FIELDS if self._shows(name)]
        model_fields = forms.fields_for_model(PowerItem, fields=self.amendable)
        for name in self.amendable:
            field = model_fields[name]
            field.initial = getattr(item, f"{name}_id" if name == "partner_unit" else name)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=3, cols=80)
            self.fields[name] = field
        if item.level == ListLevel.TOWNSHIP:
            for name in ("receiving_units", "receiving_code", "receiving_duty"):
                self.fields.pop(name)

    def _shows(self, name: str) -> bool:
        item = self.item
        if name in ("fee_standard", "fee_basis"):
            return item.list_kind == ListKind.FEE
        if name == "negative_measure":
            return item.list_kind == ListKind.NEGATIVE
        if name in ("township_duty", "partner_unit"):
            return item.level == ListLevel.TOWNSHIP
        return True

    @property
    def method_fields(self):
        return [
            self[name]
            for name in ("kind", "adjusted_on", "reason_kind", "reason", "document_number")
        ]

    @property
    def content_fields(self):
        return [self[name] for name in self.amendable]

    @property
    def delegation_fields(self):
        names = ("receiving_units", "receiving_code", "receiving_duty")
        return [self[name] for name in names if name in self.fields]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        changes = {}
        for name in self.amendable:
            value = _normalise(data[name])
            if value != _normalise(getattr(self.item, name)):
                changes[name] = value
        return {
            "kind": data["kind"],
            "on": data["adjusted_on"],
            "reason": data["reason"],
            "reason_kind": data["reason_kind"],
            "document_number": data["document_number"],
            "changes": changes,
            "receiving_units": data.get("receiving_units") or [],
            "receiving_duty": data.get("receiving_duty") or TownshipDuty.BASIC,
            "receiving_code": data.get("receiving_code") or "",
        }

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


@admin.register(PowerAdjustment)
class PowerAdjustmentAdmin(ReadOnlyMixin, ScopedAdmin):
    """The log of every adjustment, read-only; adjustments are made from an item's page."""

    list_display = [
        "adjusted_on",
        "kind",
        "item_link",
        "unit",
        "reason_kind",
        "document_number",
        "created_by",
    ]
    list_filter = ["kind", "reason_kind", "item__list_kind"]
    list_select_related = ["item__unit", "created_by"]
    search_fields = ["item__code", "item__name", "document_number", "reason"]
    date_hierarchy = "adjusted_on"
    fields = [
        "item_link",
        "kind",
        "adjusted_on",
        "reason_kind",
        "reason",
        "document_number",
        "changes_text",
        "created_items_links",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("实施主体"), ordering="item__unit__code")
    def unit(self, obj):
        return obj.item.unit

    @admin.display(description=gettext_lazy("清单事项"), ordering="item__code")
    def item_link(self, obj):
        url = reverse("admin:registers_poweritem_change", args=[obj.item_id])
        return format_html('<a href="{}">{}</a>', url, obj.item)

    @admin.display(description=gettext_lazy("调整内容"))
    def changes_text(self, obj):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in obj.change_lines))

    @admin.display(description=gettext_lazy("由此生效的事项"))
    def created_items_links(self, obj):
        items = obj.created_items.select_related("unit")
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">{}（{}）</a>',
                (
                    (reverse("admin:registers_poweritem_change", args=[item.pk]), item, item.unit)
                    for item in items
                ),
            )
            or "—"
        )
