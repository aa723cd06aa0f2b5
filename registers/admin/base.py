"""Admin base classes that apply the one scoping rule and the review workflow."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path, unquote
from django.contrib.admin.views.main import IGNORED_PARAMS, ChangeList
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from registers import exchange_views
from registers.admin.filters import HandlerFilter
from registers.core import attachments, permissions, revisions, stamps
from registers.core.corrections import field_changes
from registers.core.dates import RegisterDateFormField, year_in_range
from registers.core.exchange import reading, uploads
from registers.core.models import Attachment, Correction, HandledRecord, WorkflowRecord
from registers.core.status import Action, Status
from registers.core.text import validate_plain_text, whole_number
from registers.core.uniqueness import hide_unseen_clashes
from registers.core.workflow import (
    WorkflowError,
    create,
    require_correction_reason,
    save_edit,
    transition,
)
from registers.forms import UploadForm
from registers.models import Unit


class KeyedAutocompleteSelect(admin_widgets.AutocompleteSelect):
    """Django's autocomplete box, which shows the chosen record again when a form is
    refused: a value that is not a record's key (a form tampered with) is shown as no
    choice, where Django's looked it up and answered 500."""

    def optgroups(self, name, value, attr=None):
        keys = [key for key in value if key == "" or whole_number(str(key)) is not None]
        return super().optgroups(name, keys, attr)


def scope_related_choices(model_admin, db_field, request, kwargs: dict) -> None:
    """Offer only the related records the user may see (another unit's stay unknown).

    The autocomplete list is scoped by the related admin already; this also refuses a
    foreign id posted by hand (and its box, ``KeyedAutocompleteSelect``, one that is not
    a key).
    """
    if "widget" not in kwargs and db_field.name in model_admin.get_autocomplete_fields(request):
        kwargs["widget"] = KeyedAutocompleteSelect(
            db_field, model_admin.admin_site, using=kwargs.get("using")
        )
    related = db_field.related_model
    if "queryset" not in kwargs and permissions.scope_field_of(related) is not None:
        kwargs["queryset"] = permissions.scope_queryset(
            related._default_manager.all(), request.user
        )


def handler_choices(user, record=None):
    """Whom ``user`` may make the person in charge (``permissions.handler_candidates``) of
    ``record`` (of a new record: of any unit, the model's check refusing a wrong one), and
    whoever is in charge of it now, so that an unchanged choice shows as it is and the
    model's check explains why it no longer fits."""
    users = get_user_model()._default_manager.all()
    candidates = permissions.handler_candidates(
        users, user, None if record is None else record.unit_id
    )
    if record is not None and record.handler_id is not None:
        candidates = candidates | users.filter(pk=record.handler_id)
    return candidates.select_related("unit").order_by(
        "unit__name", "last_name", "first_name", "username"
    )


def handler_label(user) -> str:
    """A candidate as the office picks among every unit's people: name and unit."""
    return f"{user}（{user.unit}）" if user.unit_id else str(user)


def _owns_unit_directly(model) -> bool:
    return permissions.scope_field_of(model) == "unit"


#: Dates outside the registers' range are refused in every admin form (registers.core.dates).
DATE_OVERRIDES = {
    models.DateField: {"form_class": RegisterDateFormField, "widget": admin_widgets.AdminDateWidget}
}


class RevisionForm(forms.ModelForm):
    """A record's form carrying the revision it was opened at, so that saving over a change
    someone else made in the meantime is refused: the form comes back with the user's input
    and a message naming who changed which fields (``registers.core.revisions``).

    The check locks the record's row, which stays locked until the admin's transaction
    commits the save, so a transition of the same record waits and is not undone. After a
    refusal the form carries the current revision: submitting it again, once checked,
    saves.
    """

    based_on_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, label=gettext_lazy("修订号")
    )
    #: Shown on an approved record's page only (``ScopedAdmin.render_change_form``): its
    #: change is a correction, refused without a reason (``workflow.save_edit``).
    correction_reason = forms.CharField(
        label=gettext_lazy("更正原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "这条记录已审核通过，修改它是一次更正：请写明原因。更正会列在记录的更正记录里，"
            "已发布的年度报告的“数字变化”页也会列出它。"
        ),
    )
    #: A row of an inline form is saved only when changed: an untouched row is not checked.
    check_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and revisions.is_revisioned(type(self.instance)):
            self.fields["based_on_revision"].initial = self.instance.revision

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if (
            instance.pk is not None
            and revisions.is_revisioned(type(instance))
            and (self.check_unchanged or self.has_changed())
        ):
            current = revisions.lock(instance)
            try:
                revisions.check_revision(current, cleaned_data.get("based_on_revision"))
            except revisions.EditConflict as conflict:
                self.data = self.data.copy()
                self.data[self.add_prefix("based_on_revision")] = conflict.current
                raise
            instance.revision = current.revision
            self.stored = current
        return cleaned_data

    def _update_errors(self, errors):
        # The admin's get_form names the user: a clash with a record they may not see is
        # refused without naming it (registers.core.uniqueness).
        user = getattr(self, "user", None)
        if user is not None:
            errors = hide_unseen_clashes(errors, self.instance, user)
        super()._update_errors(errors)

    def _post_clean(self):
        super()._post_clean()  # the instance now carries the form's values
        stored = getattr(self, "stored", None)
        if stored is None or getattr(stored, "status", None) != Status.APPROVED:
            return
        try:
            require_correction_reason(
                stored,
                changed=bool(field_changes(stored, self.instance)),
                reason=self.cleaned_data.get("correction_reason") or "",
            )
        except WorkflowError as error:
            self.add_error("correction_reason", error)


class InlineRevisionForm(RevisionForm):
    check_unchanged = False
    correction_reason = None


def with_revision(fieldsets) -> list:
    """``fieldsets`` with the hidden revision field in the first one (rendered with it)."""
    if "based_on_revision" in flatten_fieldsets(fieldsets):
        return list(fieldsets)
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], "based_on_revision"]}), *rest]


class UnscopedAdmin:
    """Mixin, first among an admin's bases, for what belongs to no unit and is not reference
    data (accounts, tokens): closed to liaisons whatever the admin's own rules, which decide
    for everyone else. ``require_scoped_admins`` accepts an admin only with this mixin or
    derived from ``ScopedAdmin``."""

    def _closed(self, request) -> bool:
        return permissions.reads_own_unit_only(request.user)

    def has_module_permission(self, request):
        return not self._closed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return not self._closed(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return not self._closed(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return not self._closed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed(request) and super().has_delete_permission(request, obj)


def fields_besides(declared: Iterable[str], *shown: Iterable[str]) -> list[str]:
    """The fields of a model's declared list (``register_fields``…), in its order, but those
    ``shown`` in other sections of the form: the section that holds the rest."""
    taken = {name for section in shown for name in section}
    return [name for name in declared if name not in taken]


def workflow_fieldset(title: str = gettext_lazy("审核"), *, collapsed: bool = False) -> tuple:
    """The change form's section of the review workflow's own fields (``WORKFLOW_FIELDS``,
    which only a transition writes), ``collapsed`` where the form puts it out of the way."""
    options: dict = {"fields": list(WorkflowRecord.WORKFLOW_FIELDS)}
    if collapsed:
        options["classes"] = ["collapse"]
    return (title, options)


class ReadOnlyMixin:
    """Mixin, before the admin or inline it closes, for what is shown and never added,
    changed or deleted by hand (a log, rows another page makes)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DutyAdmin(UnscopedAdmin, ReadOnlyMixin, admin.ModelAdmin):
    """The pages of one administrator duty (三员分立): seen by its holders only
    (``holds_duty``, a gate of ``registers.core.permissions``), read-only unless a subclass
    opens one change."""

    @staticmethod
    def holds_duty(user) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.holds_duty(request.user)

    def has_view_permission(self, request, obj=None):
        return self.holds_duty(request.user)


class CountedAdmin:
    """Mixin, before the admin's base, for a list that shows how many rows of a reverse
    relation (``counted``) each record has, counted in the list's own query; show it with a
    ``counted_column``. A list every unit reads (a campaign, a catalogue) counts the rows
    the user may see: a liaison's count is their unit's, other units' drafts untold."""

    counted: str = ""

    def get_queryset(self, request):
        related = self.model._meta.get_field(self.counted).related_model
        visible = permissions.scope_queryset(related._default_manager.all(), request.user)
        seen = None
        if not permissions.reads_every_unit(request.user):
            seen = models.Q(**{f"{self.counted}__in": visible.values("pk")})
        queryset = (
            super().get_queryset(request).annotate(counted_total=Count(self.counted, filter=seen))
        )
        # Aggregating drops the default ordering; keep it for pagination and autocomplete.
        return queryset.order_by(*self.model._meta.ordering)


def counted_column(description):
    """The list column of a ``CountedAdmin``'s count, sortable."""

    @admin.display(description=description, ordering="counted_total")
    def column(self, obj):
        return obj.counted_total

    return column


class PageRows:
    """The rows of a list's page when they are kept (templates/admin/change_list.html): how
    many there are is known without reading them (the slice's length, or the list's count
    where one page holds every row), so that the admin's "0 of N selected" reads no row;
    they are read only where they are shown."""

    def __init__(self, queryset, list_count: int):
        # Not ``count``: the queryset's own methods (``count()``…) pass through unchanged.
        self.queryset = queryset
        self.list_count = list_count

    def __len__(self) -> int:
        if self.queryset._result_cache is not None:
            return len(self.queryset)
        query = self.queryset.query
        if query.high_mark is not None:
            return query.high_mark - query.low_mark
        return self.list_count

    def __iter__(self):
        return iter(self.queryset)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


class KeptChangeList(ChangeList):
    """Django's list, whose page of rows is ``PageRows`` unless the rows are forms
    (``list_editable``: always rendered), and whose filters refuse a number out of range
    as a bad filter (``_out_of_range``)."""

    def get_filters(self, request):
        for name, value in self.params.items():
            if name not in IGNORED_PARAMS and _out_of_range(name, value):
                raise IncorrectLookupParameters  # the list's "bad filter" redirect
        return super().get_filters(request)

    def get_results(self, request):
        super().get_results(request)
        if not self.list_editable:
            self.result_list = PageRows(self.result_list, self.result_count)


def _out_of_range(name: str, value) -> bool:
    """Whether a filter's value is a number no column can hold (10**30 as a key: SQLite
    refuses to bind it), or a year (``…__year``: the date drill-down, which computes the next
    year's first day) outside the registers' years."""
    if not isinstance(value, str):
        return False
    digits = value.removeprefix("-")
    if digits.isascii() and digits.isdigit() and whole_number(digits) is None:
        return True
    return name.endswith("__year") and year_in_range(whole_number(value)) is None


class KeptCountPaginator(Paginator):
    """A list's paginator whose count (a full scan of a searched table) is kept until the
    data changes, under ``key``."""

    def __init__(self, *args, key: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    @cached_property
    def count(self) -> int:
        return stamps.kept("admin_count", self.key, lambda: Paginator.count.func(self))


class ScopedAdmin(SimpleHistoryAdmin):
    """List, change, delete and history all follow ``registers.core.permissions``.

    A liaison never picks the unit of a record: it is always their own, fixed in the form so
    that checks depending on the unit (uniqueness within the unit…) run before saving.

    A change is saved over the revision the form was opened at (``RevisionForm``) and
    writes the record's own fields only, never the workflow's.
    """

    formfield_overrides = DATE_OVERRIDES
    form = RevisionForm
    # A filtered or searched list does not count every row besides the matching ones.
    show_full_result_count = False

    def action_checkbox(self, obj):
        """Django's checkbox of a list's row, written at once instead of through the form
        widget's templates (a hundred rows' checkboxes cost more than the rest of a row)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def get_queryset(self, request):
        return permissions.scope_queryset(super().get_queryset(request), request.user)

    def response_action(self, request, queryset):
        """Django's action on the ticked rows; a tick whose value is not a record's key (a
        form tampered with) does nothing but say so, where Django answered 500."""
        if any(whole_number(v) is None for v in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(request, _("勾选的记录编号无效，没有执行任何操作。"), messages.ERROR)
            return None  # back to the list
        return super().response_action(request, queryset)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return KeptCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            key=(self.opts.label, *stamps.page_key(request)),
        )

    def get_changelist(self, request, **kwargs):
        return KeptChangeList

    def page_key(self, request) -> tuple | None:
        """What this admin's list and form content is kept for until the data changes
        (templates/admin/change_list.html, change_form.html), or None: never kept, for a
        model whose changes the stamp does not follow. (Admins of anything else, the audit
        log, the accounts' tokens, users with their last login, are not ``ScopedAdmin``.)"""
        return stamps.page_key(request) if stamps.follows(self.model) else None

    # A register with a person in charge (承办人) can be filtered to the reader's own records or
    # to nobody's. (Not a column: the widest lists, the cases', would no longer fit 1366 px;
    # the record's page names the person.)

    def get_list_filter(self, request):
        shown = list(super().get_list_filter(request))
        if issubclass(self.model, HandledRecord):
            shown.append(HandlerFilter)
        return shown

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request (RevisionForm._update_errors)
        if obj is not None and "handler" in form.base_fields:
            form.base_fields["handler"].queryset = handler_choices(request.user, obj)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not issubclass(self.model, HandledRecord) or any(
            "handler" in options.get("fields", ()) for _name, options in fieldsets
        ):
            return fieldsets
        # The person in charge stands beside the unit the record belongs to.
        fieldsets = [(name, {**options}) for name, options in fieldsets]
        for _name, options in fieldsets:
            fields = list(options.get("fields", ()))
            if "unit" in fields:
                fields.insert(fields.index("unit") + 1, "handler")
                options["fields"] = fields
                return fieldsets
        fieldsets[0][1]["fields"] = [*fieldsets[0][1].get("fields", ()), "handler"]
        return fieldsets

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            db_field.name == "unit"
            and permissions.reads_own_unit_only(request.user)
            and _owns_unit_directly(self.model)
        ):
            # A liaison's records belong to their unit. The field is fixed but stays in the
            # form (not read-only), so validation that depends on the unit (a code unique
            # within the unit…) runs before saving instead of failing in the database.
            return db_field.formfield(
                queryset=Unit.objects.filter(pk=request.user.unit_id),
                initial=request.user.unit_id,
                disabled=True,
            )
        if db_field.name == "handler" and issubclass(self.model, HandledRecord):
            kwargs["queryset"] = handler_choices(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = handler_label
            return field
        scope_related_choices(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return permissions.uses_pages(request.user)

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or permissions.can_view(request.user, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and permissions.can_create(
            request.user, self.model
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return permissions.can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return permissions.can_delete(request.user, obj)

    def get_fields(self, request, obj=None):
        # The revision and the correction's reason are placed by render_change_form, only
        # where the record may change.
        hidden = {"based_on_revision", "correction_reason"}
        return [name for name in super().get_fields(request, obj) if name not in hidden]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Here rather than in get_fieldsets, which admins override with their own layout.
        adminform = context.get("adminform")
        if (
            change
            and adminform is not None
            and revisions.is_revisioned(self.model)
            and self.has_change_permission(request, obj)
        ):
            adminform.fieldsets = with_revision(adminform.fieldsets)
            if getattr(obj, "status", None) == Status.APPROVED:
                adminform.fieldsets = [
                    *adminform.fieldsets,
                    (_("更正"), {"fields": ["correction_reason"], "classes": ["correction"]}),
                ]
        context["page_key"] = self.page_key(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "page_key": self.page_key(request)}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        save_edit(obj, by=request.user, reason=form.cleaned_data.get("correction_reason") or "")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except revisions.EditConflict:
            # Saved by someone else between the form's check and its save (where the
            # database cannot lock the row): all rolled back; the form's check, run again,
            # now explains what changed, the user's input kept.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another unit's record must look exactly like one that does not exist.
        raise Http404(_("记录不存在。"))

    def _get_visible_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("记录不存在。"))
        return obj

    def delete_view(self, request, object_id, extra_context=None):
        self._get_visible_object(request, object_id)  # 404 before "may not delete" (403)
        return super().delete_view(request, object_id, extra_context)

    def _keeps_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_view(self, request, object_id, extra_context=None):
        self._get_visible_object(request, object_id)
        if not self._keeps_history():  # a frozen record (a published report): the admin log
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_visible_object(request, object_id)
        if whole_number(version_id) is None:
            raise Http404(_("记录不存在。"))
        if not self._keeps_history():
            raise Http404(_("记录不存在。"))
        if request.method not in ("GET", "HEAD"):
            # A past version is only read: saving it would bypass the change rules and the
            # workflow (its old status) and overwrite the changes made since.
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)


class SystemSettingsMixin:
    """Settings the system administrator keeps as well as the office (units, the working-day
    calendar: 三员分立 gives them settings, never records). Put it before ``ScopedAdmin``."""

    def _system_administrator(self, request) -> bool:
        return permissions.manages_accounts(request.user)

    def get_queryset(self, request):
        if self._system_administrator(request) and permissions.role_of(request.user) is None:
            return super(ScopedAdmin, self).get_queryset(request)  # unscoped: reference data
        return super().get_queryset(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._system_administrator(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._system_administrator(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._system_administrator(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._system_administrator(request)


def require_scoped_admins(site: admin.AdminSite) -> None:
    """Refuse to serve an admin site with a page outside the one scoping rule.

    Every registered admin derives from ``ScopedAdmin`` over a model that says whose it is
    or that it is reference data (``permissions.require_scoping``), or has ``UnscopedAdmin``
    (accounts, tokens: closed to liaisons); so a model added later cannot show a liaison
    another unit's records by being registered with a plain ``ModelAdmin``.
    """
    for model, model_admin in site._registry.items():
        if isinstance(model_admin, UnscopedAdmin):
            continue
        if not isinstance(model_admin, ScopedAdmin):
            raise ImproperlyConfigured(
                f"admin of {model._meta.label} ({type(model_admin).__name__}) must derive "
                "from ScopedAdmin, or have UnscopedAdmin first among its bases"
            )
        permissions.require_scoping(model, f"admin {type(model_admin).__name__}")
        _require_scoped_filters(model, model_admin)
        for inline in model_admin.inlines:
            if not issubclass(inline, ScopedInlineMixin):
                raise ImproperlyConfigured(
                    f"inline {inline.__name__} of {model._meta.label} must derive from "
                    "ScopedInlineMixin"
                )


def _require_scoped_filters(model, model_admin) -> None:
    """A list filter on a relation lists the related rows as its choices: Django's own
    filter lists them all, so on a relation to another unit's records it would name them to
    a liaison. Such a filter offers only the rows the list's own (scoped) rows refer to
    (``RelatedOnlyFieldListFilter``) or is written for the purpose."""
    for entry in model_admin.list_filter:
        path, filter_class = entry if isinstance(entry, tuple) else (entry, None)
        if not isinstance(path, str):
            continue  # a filter class of its own (SimpleListFilter) chooses its choices
        field = get_fields_from_path(model, path)[-1]
        if not field.is_relation or permissions.is_reference_data(field.related_model):
            continue
        if filter_class is None or not issubclass(filter_class, RelatedOnlyFieldListFilter):
            raise ImproperlyConfigured(
                f"admin {type(model_admin).__name__}: the list filter {path!r} would list every "
                f"{field.related_model._meta.label}; use ({path!r}, RelatedOnlyFieldListFilter)"
            )


class ScopedInlineMixin:
    """Child rows edited on their parent's page: they change exactly when the parent may.

    So a liaison cannot add, edit or delete the rows of an approved parent, and nobody can
    change the rows of a parent the parent's admin keeps read-only.
    """

    extra = 0
    show_change_link = False
    formfield_overrides = DATE_OVERRIDES
    form = InlineRevisionForm

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != "based_on_revision"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not revisions.is_revisioned(self.model) or not self.has_change_permission(request, obj):
            return fieldsets
        return with_revision(fieldsets)

    def get_queryset(self, request):
        # Rows of the user's own unit only: a reference record's page (a reform batch)
        # lists rows that belong to many units.
        return permissions.scope_queryset(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def _parent_may_change(self, request, obj) -> bool:
        parent = self._parent_admin()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_may_change(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_related_choices(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInline(ScopedInlineMixin, admin.TabularInline):
    pass


ScopedTabularInline = ScopedInline


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    pass


class ReadOnlyScopedInline(ReadOnlyMixin, ScopedInline):
    """Rows shown on a record's page and changed elsewhere (an item's adjustment log)."""

    can_delete = False


class AttachmentInlineForm(forms.ModelForm):
    """A file row: its kind and note, and a file (a new one on a saved row replaces it)."""

    class Meta:
        model = Attachment
        fields = ["kind", "note", "file"]
        # No link to the stored file: it is served only through the checked download.
        widgets = {"file": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" not in self.fields:  # read-only rows
            return
        self.fields["file"].help_text = attachments.help_text()
        if self.instance.pk is not None:
            self.fields["file"].label = gettext_lazy("上传新版本替换")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            attachments.check_upload(upload)
        return upload


class AttachmentFormSet(BaseGenericInlineFormSet):
    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data:
            # A form posted without the file rows at all (a script, an older page) changes
            # no file; it is not refused for the rows it did not show.
            self._non_form_errors = self.error_class(error_class="nonform", renderer=self.renderer)


class AttachmentInline(ScopedInlineMixin, GenericTabularInline):
    """A record's evidence files on its page. They change when the record may; a new file
    on a saved row is a new version (the old one is kept), a deleted row is closed."""

    model = Attachment
    form = AttachmentInlineForm
    formset = AttachmentFormSet
    fields = ["kind", "note", "file", "download", "size_display", "uploaded"]
    readonly_fields = ["download", "size_display", "uploaded"]
    verbose_name = gettext_lazy("附件")
    verbose_name_plural = gettext_lazy("附件（证明材料）")

    def get_queryset(self, request):
        return super().get_queryset(request).current().select_related("uploaded_by")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            # Read-only rows show the checked download link, never the stored file's path.
            fields = [name for name in fields if name != "file"]
        return fields

    @admin.display(description=gettext_lazy("文件名"))
    def download(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("registers:attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description=gettext_lazy("大小"))
    def size_display(self, obj):
        return "—" if obj.pk is None else filesizeformat(obj.size)

    @admin.display(description=gettext_lazy("上传"))
    def uploaded(self, obj):
        if obj.pk is None:
            return "—"
        return f"{obj.uploaded_by or '—'} {obj.uploaded_at:%Y-%m-%d %H:%M}"


def save_attachment_formset(formset, user) -> None:
    """Save the file rows through the attachment services (a replacement keeps the old
    version, a deletion closes the row), as the admin's change message expects."""
    record = formset.instance
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        existing = Attachment.objects.get(pk=form.instance.pk)
        if formset.can_delete and formset._should_delete_form(form):
            attachments.remove(existing, by=user)
            formset.deleted_objects.append(existing)
        elif form.has_changed():
            data = form.cleaned_data
            if "file" in form.changed_data and isinstance(data.get("file"), UploadedFile):
                new = attachments.attach(
                    record,
                    data["file"],
                    kind=data["kind"],
                    note=data["note"],
                    by=user,
                    replaces=existing,
                )
            else:
                new = attachments.update_details(
                    existing, kind=data["kind"], note=data["note"], by=user
                )
            formset.changed_objects.append((new, form.changed_data))
    for form in formset.extra_forms:
        if not form.has_changed() or formset._should_delete_form(form):
            continue
        data = form.cleaned_data
        formset.new_objects.append(
            attachments.attach(record, data["file"], kind=data["kind"], note=data["note"], by=user)
        )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("请写明需要修改的内容，联络员将看到这段意见。"),
        validators=[validate_plain_text],
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    @staticmethod
    def revision_from(request) -> int | None:
        """The revision a transition's button or link carried (None if it carried none)."""
        field = forms.IntegerField(required=False, min_value=1)
        try:
            return field.clean(request.POST.get("revision") or request.GET.get("revision"))
        except ValidationError:
            return None


class ReopenForm(ReturnForm):
    comment = forms.CharField(
        label=gettext_lazy("更正原因"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        error_messages={"required": gettext_lazy("请填写更正原因：记录错在哪里、需要怎样更正。")},
        help_text=gettext_lazy(
            "请写明这条已审核的记录错在哪里、需要怎样更正。记录退回填报单位（状态“已退回”），"
            "重新审核通过前不计入年度报告的数字；填报单位会看到这段原因。"
        ),
    )


#: The transitions that ask for a text first, with their form and page.
COMMENTED = {
    Action.RETURN: (
        ReturnForm,
        gettext_lazy("以下记录将退回填报单位修改："),
        gettext_lazy("确认退回"),
    ),
    Action.REOPEN: (
        ReopenForm,
        gettext_lazy("以下已审核的记录将重新打开，退回填报单位更正："),
        gettext_lazy("确认重新打开"),
    ),
}


class WorkflowAdmin(ScopedAdmin):
    """Admin for a ``WorkflowRecord``: status is changed only through the workflow; its
    evidence files are rows at the end of its page (``AttachmentInline``)."""

    change_form_template = "admin/workflow_change_form.html"
    actions = ["submit_selected", "approve_selected", "return_selected"]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), AttachmentInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Attachment:
            save_attachment_formset(formset, request.user)
            return
        super().save_formset(request, form, formset, change)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        office_adding = obj is None and permissions.is_office(request.user)
        # The office picks the status of a new record: a draft, or directly approved.
        chooses_status = office_adding and self.model.enters_approved
        readonly += [
            name
            for name in WorkflowRecord.WORKFLOW_FIELDS
            if not (chooses_status and name == "status")
        ]
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # The office enters a record as a draft or directly as approved, nothing else.
            kwargs["choices"] = [
                (Status.APPROVED, Status.APPROVED.label),
                (Status.DRAFT, Status.DRAFT.label),
            ]
            kwargs["initial"] = Status.APPROVED
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Only the office chooses the status (a read-only field for everyone else).
        approved = form.cleaned_data.get("status") == Status.APPROVED
        create(obj, by=request.user, approved=approved)

    # --- Saving, and saving and submitting ----------------------------------------------

    #: The button that saves a record and submits it for review in one step.
    SUBMIT_BUTTON = "_submit_for_review"

    def offers_save_and_submit(self, request, obj=None) -> bool:
        """A unit's user saving a draft or a returned record may submit it with the save:
        the office, being the reviewer, has its own steps."""
        if permissions.is_office(request.user) or not permissions.may_submit(request.user):
            return False
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj) and permissions.can_act(
            request.user, obj, Action.SUBMIT
        )

    def _submit_after_save(self, request, obj) -> None:
        if self.SUBMIT_BUTTON not in request.POST or not self.offers_save_and_submit(request, obj):
            return
        try:
            transition(obj, Action.SUBMIT, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("已保存，但未能报送：%(reason)s") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        saved = getattr(request, "_workflow_saved", None)
        if saved is not None and level == messages.SUCCESS:
            # Django's "changed successfully" does not say whether the office has the
            # record: a returned record saved again stays returned until it is submitted.
            message = _("“%(obj)s”已保存，当前状态：%(status)s。") % {
                "obj": saved,
                "status": Status(saved.status).standing,
            }
            if self.offers_save_and_submit(request, saved):
                message += _("要交法制办审核，请点“保存并报送”（或在记录页点“报送审核”）。")
        super().message_user(request, message, level, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        self._submit_after_save(request, obj)
        request._workflow_saved = obj
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._submit_after_save(request, obj)
        request._workflow_saved = obj
        return super().response_change(request, obj)

    # --- Transitions from the change page ------------------------------------------------

    def _admin_url_name(self, view: str) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["offers_save_and_submit"] = self.offers_save_and_submit(request, obj)
        context["submit_button"] = self.SUBMIT_BUTTON
        if obj is not None:
            context["workflow_actions"] = permissions.allowed_actions(request.user, obj)
            context["workflow_status"] = Status(obj.status)
            context["workflow_url_name"] = self._admin_url_name("workflow")
            context["corrections"] = Correction.objects.of_record(obj).select_related(
                "corrected_by"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_view(self, request, object_id, action):
        obj = self._get_visible_object(request, object_id)
        try:
            action = Action(action)
        except ValueError as exc:
            raise Http404(_("未知的审核操作。")) from exc
        change_url = reverse(self._admin_url_name("change"), args=[obj.pk])
        # The revision the reviewer was shown: acting on a record changed since is refused.
        revision = ReturnForm.revision_from(request)
        if action in COMMENTED:
            form_class, intro, submit_label = COMMENTED[action]
            form = form_class(request.POST or None, initial={"revision": revision})
            if request.method != "POST" or not form.is_valid():
                return render(
                    request,
                    "admin/workflow_return.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.opts,
                        "objects": [obj],
                        "form": form,
                        "title": action.label,
                        "intro": intro,
                        "submit_label": submit_label,
                        "cancel_url": change_url,
                    },
                )
            comment = form.cleaned_data["comment"]
        elif request.method != "POST":
            return HttpResponseRedirect(change_url)
        else:
            comment = ""
        try:
            transition(obj, action, by=request.user, comment=comment, revision=revision)
        except ValidationError as error:  # refused by the workflow, or changed meanwhile
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%(obj)s”已%(action)s。") % {"obj": obj, "action": action.label},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    # --- Bulk transitions ----------------------------------------------------------------

    def _apply_to_selected(self, request, queryset, action, comment=""):
        done, refused = 0, []
        for obj in queryset:
            try:
                transition(obj, action, by=request.user, comment=comment)
            except WorkflowError as error:
                refused.append(f"{obj}：{' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                _("%(count)d 条记录已%(action)s。") % {"count": done, "action": action.label},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=gettext_lazy("报送所选记录"))
    def submit_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, Action.SUBMIT)

    @admin.action(description=gettext_lazy("审核通过所选记录"))
    def approve_selected(self, request, queryset):
        self._apply_to_selected(request, queryset, Action.APPROVE)

    @admin.action(description=gettext_lazy("退回所选记录"))
    def return_selected(self, request, queryset):
        form = ReturnForm(request.POST if "comment" in request.POST else None)
        if form.is_valid():
            self._apply_to_selected(
                request, queryset, Action.RETURN, comment=form.cleaned_data["comment"]
            )
            return None
        return render(
            request,
            "admin/workflow_return.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "objects": queryset,
                "form": form,
                "title": _("退回修改"),
                "bulk_action": "return_selected",
                "cancel_url": request.get_full_path(),
            },
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_office(request.user):
            actions.pop("approve_selected", None)
            actions.pop("return_selected", None)
        if not permissions.may_submit(request.user):
            actions.pop("submit_selected", None)
        return actions

    @admin.display(description=gettext_lazy("审核状态"), ordering="status")
    def status_badge(self, obj):
        return Status(obj.status).label


class ColumnNamesExportForm(SelectableFieldsExportForm):
    """The export's column checkboxes labelled with the columns' Chinese names."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None else field_name


def _escape_cells(dataset) -> None:
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers and
    dates are left as they are."""
    for _row in range(len(dataset)):
        row = dataset.lpop()
        dataset.append([reading.escape_formula(cell) for cell in row])


class SafeXLSX(base_formats.XLSX):
    """xlsx export with formula-looking text escaped."""

    def _escape_formulae(self, dataset):
        _escape_cells(dataset)


class SafeCSV(base_formats.CSV):
    """csv export with formula-looking text escaped."""

    def _escape_formulae(self, dataset):
        _escape_cells(dataset)


class ScopedExportMixin(ExportMixin):
    """xlsx/csv export of what the user sees in the list (the changelist's scoping and
    filters), formula-looking text escaped.

    django-import-export's admin export is kept for what it gives here and nothing else in
    the project does: the choice of format and of columns, under the resources' Chinese
    names, of the change list as filtered. Imports do not use it (``ScopedImportMixin``).
    """

    export_formats = [SafeXLSX, SafeCSV]
    export_form_class = ColumnNamesExportForm

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # A filter the list does not offer (a hand-edited address): back to the list.
            messages.error(request, _("导出链接中的筛选条件无效，已返回列表，请重新筛选后再导出。"))
            info = self.opts.app_label, self.opts.model_name
            return redirect(reverse("admin:{}_{}_changelist".format(*info)))


class ScopedImportMixin:
    """The change list's import button: the upload of the data-exchange page
    (``registers.core.exchange.uploads.upload``) for this register, with the same form,
    checks, messages and result page. Create only, all or nothing, a liaison's rows for
    their own unit.
    """

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    #: False where records are made by a service, not typed in (draws): export only.
    import_allowed = True

    def has_import_permission(self, request) -> bool:
        return self.import_allowed and self.has_add_permission(request)

    def import_resource_class(self):
        """The resource the import reads: the register's (its first, as for the export)."""
        return self.resource_classes[0]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.import_resource_class()
        too_large = request.method == "POST" and exchange_views.body_too_large(request)
        # The office's entries in the admin are approved unless it says otherwise, as on
        # the add form.
        initial = {"approve": getattr(self.model, "enters_approved", False)}
        if request.method == "POST" and not too_large:
            form = UploadForm(
                request.POST, request.FILES, user=request.user, resource_class=resource_class
            )
        else:
            form = UploadForm(user=request.user, resource_class=resource_class, initial=initial)
        result = None
        if request.method == "POST" and not too_large and form.is_valid():
            data = form.cleaned_data["file"].read()
            if uploads.in_background(data):
                return exchange_views.queue_upload(request, form, data)
            result = exchange_views.run_upload(request, form, data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入%(title)s") % {"title": self.opts.verbose_name_plural},
            "form": form,
            "template_url": exchange_views.template_url(resource_class, request.user),
            **exchange_views.result_context(result, resource_class, too_large=too_large),
        }
        status = exchange_views.result_status(result, too_large=too_large)
        return TemplateResponse(request, "admin/exchange_import.html", context, status=status)


class ImportExportWorkflowAdmin(ScopedImportMixin, ScopedExportMixin, WorkflowAdmin):
    """A workflow admin with xlsx import (the checked upload) and xlsx/csv export."""


class ImportExportScopedAdmin(ScopedImportMixin, ScopedExportMixin, ScopedAdmin):
    """Import and export for unit-owned or reference records outside the workflow."""


class ExportScopedAdmin(ScopedExportMixin, ScopedAdmin):
    """Export only, for reference data kept by the office."""
