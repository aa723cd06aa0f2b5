from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registers.admin.base import (
    CountedAdmin,
    ImportExportWorkflowAdmin,
    ScopedAdmin,
    counted_column,
    workflow_fieldset,
)
from registers.admin.filters import unit_filter
from registers.core import permissions
from registers.core.status import Action
from registers.models import Document, DocumentKind, Unit
from reviews.models import CleanupCampaign, CleanupItem, CleanupOutcome
from reviews.resources import CleanupCampaignResource
from reviews.services.documents import (
    add_documents_to_cleanup,
    cleanup_problems,
    confirm_cleanup,
    set_cleanup_outcome,
)


def tally_table(tally) -> str:
    """The campaign's counts by kind and outcome as a small HTML table."""
    rows = []
    for kind, count, outcomes in tally.rows():
        parts = "，".join(f"{outcome.label} {n}" for outcome, n in outcomes)
        rows.append((kind.label, count, parts))
    body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
    footer = format_html(
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        _("合计"),
        tally.total,
        _("尚未填写结论 %(n)d 份") % {"n": tally.undecided} if tally.undecided else "",
    )
    return format_html('<table class="cleanup-tally">{}{}</table>', body, footer)


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(
        label=gettext_lazy("确认日期"),
        help_text=gettext_lazy("废止、宣布失效自该日起生效。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AddDocumentsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("制定机关"),
        queryset=Unit.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("文件类别"),
        choices=[("", gettext_lazy("全部"))] + DocumentKind.choices,
        required=False,
    )
    issued_from = forms.DateField(
        label=gettext_lazy("印发日期自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = forms.DateField(
        label=gettext_lazy("印发日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@admin.register(CleanupCampaign)
class CleanupCampaignAdmin(CountedAdmin, ImportExportWorkflowAdmin):
    resource_classes = [CleanupCampaignResource]
    change_form_template = "admin/reviews/cleanupcampaign/change_form.html"
    list_display = [
        "name",
        "year",
        "unit",
        "started_on",
        "item_count",
        "confirmed_on",
        "status_badge",
    ]
    list_filter = ["year", "status", unit_filter()]
    list_select_related = ["unit"]
    search_fields = ["name", "basis"]
    autocomplete_fields = ["unit", "result_document"]
    counted = "items"
    item_count = counted_column(gettext_lazy("文件数"))
    fieldsets = [
        (None, {"fields": ["name", "year", "unit", "basis"]}),
        (gettext_lazy("日期"), {"fields": ["started_on", "ended_on", "result_document"]}),
        (gettext_lazy("清理情况"), {"fields": ["summary", "confirmed_on", "confirmed_by"]}),
        workflow_fieldset(),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "summary", "confirmed_on", "confirmed_by"]

    @admin.display(description=gettext_lazy("清理结论汇总"))
    def summary(self, obj):
        if obj is None or obj.pk is None:
            return _("保存后加入文件。")
        return tally_table(obj.items.tally())

    # --- Confirmation replaces approval -------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("approve_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None:
            context["workflow_actions"] = [
                action for action in context.get("workflow_actions", []) if action != Action.APPROVE
            ]
            context["can_confirm"] = permissions.is_office(request.user) and not obj.is_confirmed
            context["can_add_documents"] = not obj.is_confirmed and permissions.can_change(
                request.user, obj
            )
            context["items_url"] = (
                reverse("admin:reviews_cleanupitem_changelist") + f"?campaign__id__exact={obj.pk}"
            )
            context["item_total"] = obj.items.count()
        return response

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="{}_{}_confirm".format(*info),
            ),
            path(
                "<path:object_id>/add-documents/",
                self.admin_site.admin_view(self.add_documents_view),
                name="{}_{}_add_documents".format(*info),
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id, action):
        if action == Action.APPROVE:
            return HttpResponseRedirect(
                reverse("admin:reviews_cleanupcampaign_confirm", args=[object_id])
            )
        return super().workflow_view(request, object_id, action)

    def _page(self, request, campaign, template, **context):
        return render(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": campaign,
                "change_url": reverse("admin:reviews_cleanupcampaign_change", args=[campaign.pk]),
                **context,
            },
        )

    def confirm_view(self, request, object_id):
        campaign = self._get_visible_object(request, object_id)
        change_url = reverse("admin:reviews_cleanupcampaign_change", args=[campaign.pk])
        if not permissions.is_office(request.user):
            raise PermissionDenied
        if campaign.is_confirmed:
            self.message_user(request, _("清理结果已确认。"), messages.WARNING)
            return HttpResponseRedirect(change_url)
        form = ConfirmForm(request.POST or None, initial={"confirmed_on": timezone.localdate()})
        on = (
            form.cleaned_data["confirmed_on"]
            if form.is_bound and form.is_valid()
            else (timezone.localdate())
        )
        if request.method == "POST" and form.is_valid():
            try:
                confirm_cleanup(campaign, by=request.user, on=on)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("“%(campaign)s”清理结果已确认，已写入规范性文件登记。")
                    % {"campaign": campaign},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            campaign,
            "admin/reviews/cleanupcampaign/confirm.html",
            title=_("确认清理结果"),
            form=form,
            summary=tally_table(campaign.items.tally()),
            problems=cleanup_problems(campaign, on),
            confirm_on=on,
        )

    def add_documents_view(self, request, object_id):
        campaign = self._get_visible_object(request, object_id)
        change_url = reverse("admin:reviews_cleanupcampaign_change", args=[campaign.pk])
        if campaign.is_confirmed or not permissions.can_change(request.user, campaign):
            raise PermissionDenied
        form = AddDocumentsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            documents = (
                Document.objects.approved().visible_to(request.user).filter(unit__in=data["units"])
            )
            if data["kind"]:
                documents = documents.filter(kind=data["kind"])
            if data["issued_from"]:
                documents = documents.filter(issued_on__gte=data["issued_from"])
            if data["issued_to"]:
                documents = documents.filter(issued_on__lte=data["issued_to"])
            try:
                added = add_documents_to_cleanup(campaign, documents, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("已加入 %(count)d 份文件（已在清理中的不重复加入）。") % {"count": added},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            campaign,
            "admin/reviews/cleanupcampaign/add_documents.html",
            title=_("加入清理文件"),
            form=form,
        )


def _outcome_action(outcome: CleanupOutcome):
    def action(modeladmin, request, queryset):
        try:
            count = set_cleanup_outcome(queryset, outcome, by=request.user)
        except ValidationError as error:
            modeladmin.message_user(
                request, _("未作任何修改：") + "；".join(error.messages), messages.ERROR
            )
        else:
            modeladmin.message_user(
                request,
                _("%(count)d 份文件的清理结论已设为“%(outcome)s”。")
                % {"count": count, "outcome": outcome.label},
                messages.SUCCESS,
            )

    name = f"set_outcome_{outcome.value}"
    description = _("清理结论设为“%(outcome)s”（%(kind)s）") % {
        "outcome": outcome.label,
        "kind": outcome.document_kind.label,
    }
    return action, name, description


@admin.register(CleanupItem)
class CleanupItemAdmin(ScopedAdmin):
    list_display = ["number", "title", "kind", "issued_on", "issuer", "outcome", "campaign"]
    list_display_links = ["number", "title"]
    list_filter = [
        ("campaign", admin.RelatedOnlyFieldListFilter),
        "document__kind",
        "outcome",
        unit_filter("document__unit"),
    ]
    list_select_related = ["campaign", "document", "document__unit"]
    search_fields = ["document__title", "document__number", "note"]
    autocomplete_fields = ["campaign", "document"]
    fields = ["campaign", "document", "outcome", "note"]
    list_per_page = 100

    def get_actions(self, request):
        actions = super().get_actions(request)
        if permissions.may_submit(request.user):
            for outcome in CleanupOutcome:
                action, name, description = _outcome_action(outcome)
                actions[name] = (action, name, description)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "campaign":
            field.queryset = field.queryset.unconfirmed()
        return field

    @admin.display(description=gettext_lazy("文号"), ordering="document__number")
    def number(self, obj):
        return obj.document.number

    @admin.display(description=gettext_lazy("标题"), ordering="document__title")
    def title(self, obj):
        return obj.document.title

    @admin.display(description=gettext_lazy("文件类别"), ordering="document__kind")
    def kind(self, obj):
        return DocumentKind(obj.document.kind).label

    @admin.display(description=gettext_lazy("印发日期"), ordering="document__issued_on")
    def issued_on(self, obj):
        return obj.document.issued_on

    @admin.display(description=gettext_lazy("制定机关"), ordering="document__unit")
    def issuer(self, obj):
        return obj.document.unit.short_name
