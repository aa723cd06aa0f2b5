"""Pages shaped around people's work: home pages, register index, review queue, notifications.

Every page reads through ``registers.core.permissions`` (the one scoping rule) and changes status
only through ``registers.core.workflow.transition``.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registers.core import attachments, permissions, stamps
from registers.core.admin_links import admin_url
from registers.core.calendar import get_calendar, unconfirmed_schedules
from registers.core.holiday_notice import NoticeError
from registers.core.models import Correction, HolidaySchedule
from registers.core.permissions import office_required, pages_required
from registers.core.redirects import local_path
from registers.core.register_order import index_position
from registers.core.revisions import EditConflict
from registers.core.status import Action, Status
from registers.core.text import whole_number
from registers.core.workflow import WorkflowError, transition
from reviews.deadline_board import DEFAULT_HORIZON_WORKING_DAYS, Urgency, open_deadlines

from ..accounts.lockout import attempt_from
from ..reports.access import report_years
from ..reports.services import unit_report_states
from . import dashboard, holidays
from .changes import changes_since_review, field_values, workflow_history
from .forms import AttachmentForm, LoginForm, ReviewForm
from .models import Notification
from .notifications import mark_read
from .records import (
    awaiting_review_page,
    get_record_for_user,
    load_rows,
    model_for_kind,
    overview,
    record_keys,
    workflow_models,
)

#: How many rows the liaison's lists show before pointing to the admin lists.
LIST_LIMIT = 20
NOTIFICATIONS_PER_PAGE = 30

reviewers_only = office_required(gettext_lazy("只有法制办工作人员可以审核。"))


# --- Login ------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Attempts on one name, and from one address, one after another, so the lock after
        # five failures holds.
        with attempt_from(request, request.POST.get("username", "")):
            return super().post(request, *args, **kwargs)


class AdminLoginView(LoginView):
    """The admin's login: the same form, lockout and audit as the site's. A signed-in account
    that may not use the admin is told so; sent back to the admin, it would be sent here
    again, without end."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not admin.site.has_permission(request):
            raise PermissionDenied(_("当前账号不能使用管理后台。"))
        return super().dispatch(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


# --- Home ------------------------------------------------------------------------------------


def _year_from(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if year in report_years() else None


@require_safe
@pages_required
def home(request: HttpRequest) -> HttpResponse:
    if not permissions.reads_every_unit(request.user):
        return liaison_home(request)
    today = timezone.localdate()
    year = _year_from(request)
    # Read once, and only when the kept dashboard or the kept progress table is made again
    # (the year asked for, or the one the overview picks, which is the dashboard's).
    read_overview = functools.cache(lambda: overview(request.user, year, today))
    board = dashboard.build(request.user, year, today, read_overview=read_overview)
    return render(
        request,
        "workspace/home_office.html",
        {
            "board": board,
            "units": SimpleLazyObject(read_overview),
            "today": today,
            "is_office": permissions.is_office(request.user),
            "recent": Notification.objects.for_user(request.user)[:5],
        },
    )


def _liaison_home_keys(user) -> tuple[list, list]:
    """The keys of the liaison home's two lists: the unit's open records, and what the
    liaison submitted (or is waiting)."""
    return (
        record_keys(
            user,
            Q(status__in=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED]),
            order_by="updated_at",
            limit=200,
        ),
        record_keys(
            user,
            Q(submitted_by=user) | Q(status=Status.SUBMITTED),
            order_by="submitted_at",
            limit=LIST_LIMIT,
        ),
    )


def liaison_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    # One query for each list's keys across every kind (kept until the data changes), then
    # one per kind among them.
    open_rows, submitted_by_me = load_rows(
        user,
        *stamps.kept(
            "liaison_home_keys",
            (user.pk, permissions.scope_key(user)),
            lambda: _liaison_home_keys(user),
            as_is=True,  # keys, read only
        ),
    )
    deadlines = open_deadlines(user, today, DEFAULT_HORIZON_WORKING_DAYS)
    return render(
        request,
        "workspace/home_liaison.html",
        {
            "returned": [row for row in open_rows if row.status == Status.RETURNED],
            "drafts": [row for row in open_rows if row.status == Status.DRAFT][:LIST_LIMIT],
            "waiting": [row for row in open_rows if row.status == Status.SUBMITTED],
            "submitted_by_me": submitted_by_me,
            "deadlines": deadlines,
            "overdue_count": sum(row.urgency is Urgency.OVERDUE for row in deadlines),
            "soon_count": sum(row.urgency is Urgency.SOON for row in deadlines),
            "today": today,
            "recent": Notification.objects.for_user(user)[:5],
            "data_url": reverse("registers:exchange"),
            "list_limit": LIST_LIMIT,
            # The year just ended (written in the spring) and the current one.
            "unit_reports": unit_report_states(user.unit, report_years(today)[-2:])
            if user.unit_id
            else [],
        },
    )


# --- Register and case index -----------------------------------------------------------------


def _register_entries(request, app_label: str) -> list[dict]:
    """The app's admin pages the user may open, with their record counts by status, in the
    admin index's order."""
    workflow = set(workflow_models())
    entries = []
    registry = sorted(admin.site._registry.items(), key=lambda item: index_position(item[0]))
    for model, model_admin in registry:
        if model._meta.app_label != app_label or not model_admin.has_view_permission(request):
            continue
        counts = {}
        if model in workflow:
            rows = (
                permissions.scope_queryset(model._default_manager.all(), request.user)
                .order_by()
                .values("status")
                .annotate(count=Count("pk"))
            )
            counts = {row["status"]: row["count"] for row in rows}
        entries.append(
            {
                "label": model._meta.verbose_name_plural,
                "doc": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
                "list_url": admin_url(model, "changelist"),
                "add_url": admin_url(model, "add")
                if model_admin.has_add_permission(request)
                else None,
                "is_workflow": model in workflow,
                "counts": [(status, counts.get(status.value, 0)) for status in Status],
                "total": sum(counts.values()),
            }
        )
    return entries


def _data_exchange_link(request: HttpRequest) -> list[tuple[str, str]]:
    """The upload page, for those who submit data (liaisons and the office)."""
    if not permissions.may_submit(request.user):
        return []
    return [(_("数据报送（模板下载与上传）"), reverse("registers:exchange"))]


def _register_index(
    request: HttpRequest, app_label: str, title: str, intro: str, links: list
) -> HttpResponse:
    """An index of one app's registers, with related pages and, for those who submit data,
    the upload page."""
    return render(
        request,
        "workspace/register_index.html",
        {
            "title": title,
            "intro": intro,
            "entries": _register_entries(request, app_label),
            "extra_links": [*links, *_data_exchange_link(request)],
        },
    )


@require_safe
@pages_required
def registers_index(request: HttpRequest) -> HttpResponse:
    return _register_index(
        request,
        "registers",
        _("台账"),
        _(
            "全年维护的常设台账：权责清单、双随机抽查、执法主体和人员、规范性文件、多证合一。"
            "在管理后台中新增和修改记录，填好后报送法制办审核。"
        ),
        [
            (_("权责清单（公开页面）"), reverse("registers:public_power")),
            (_("规范性文件目录（公开页面）"), reverse("registers:public_documents")),
            (_("执法人员公示（公开页面）"), reverse("registers:public_officers")),
            (_("抽查结果公示（公开页面）"), reverse("registers:public_inspections")),
        ],
    )


@require_safe
@pages_required
def cases_index(request: HttpRequest) -> HttpResponse:
    return _register_index(
        request,
        "reviews",
        _("审查与案件"),
        _(
            "年度内审查、决定和办理的事项：合法性审核与备案、文件清理、政府合同、重大行政决策、"
            "案卷评查、行政复议、行政应诉和监督问责。"
        ),
        [(_("期限提醒"), reverse("reviews:deadline_board"))],
    )


# --- Review queue ----------------------------------------------------------------------------

#: Records on one page of the review queue.
REVIEW_PAGE_SIZE = 50


@require_safe
@reviewers_only
def review_queue(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("page")
    # The listing is kept until the data changes, for the records this user sees.
    listing = stamps.kept(
        "review_queue",
        (permissions.scope_key(request.user), number),
        lambda: _review_listing(request, number),
    )
    return render(request, "workspace/review_queue.html", {**listing, "form": ReviewForm()})


def _review_listing(request: HttpRequest, number) -> dict:
    """The queue's page ``number``, grouped by unit and kind, rendered: all but the form's
    CSRF token, which is the reader's own."""
    page, rows = awaiting_review_page(request.user, number, REVIEW_PAGE_SIZE)
    by_unit: dict[int, dict] = {}
    for row in rows:
        unit = row.record.unit
        group = by_unit.setdefault(unit.pk, {"unit": unit, "kinds": defaultdict(list)})
        group["kinds"][row.kind_label].append(row)
    groups = sorted(by_unit.values(), key=lambda g: (g["unit"].kind, g["unit"].code))
    for group in groups:
        group["kinds"] = sorted(group["kinds"].items())
        group["count"] = sum(len(items) for _label, items in group["kinds"])
    html = render_to_string(
        "workspace/_review_listing.html", {"groups": groups, "page": page}, request
    )
    return {"listing": html, "shown": bool(groups), "total": page.paginator.count}


def _next_in_queue(request) -> str:
    return local_path(request, request.POST.get("next")) or reverse("workspace:review_queue")


@reviewers_only
def review_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, record = get_record_for_user(request.user, kind, pk)
    form = ReviewForm(request.POST or None, initial={"revision": record.revision})
    if request.method == "POST":
        try:
            action = Action(request.POST.get("action", ""))
        except ValueError as exc:
            raise Http404(_("未知的审核操作。")) from exc
        if form.is_valid():
            try:
                transition(
                    record,
                    action,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    revision=form.cleaned_data["revision"],
                )
            except EditConflict as conflict:
                # Changed since the reviewer opened it: show it as it is now, the comment
                # kept; deciding again on this page acts on what it now shows.
                messages.error(request, " ".join(conflict.messages))
                form.add_error(None, " ".join(conflict.messages))
                form.data = form.data.copy()
                form.data["revision"] = conflict.current
                model, record = get_record_for_user(request.user, kind, pk)
            except WorkflowError as error:
                messages.error(request, " ".join(error.messages))
                form.add_error("comment", " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("“%(record)s”已%(action)s。") % {"record": record, "action": action.label},
                )
                return redirect(_next_in_queue(request))
    elif request.method not in ("GET", "HEAD"):
        raise Http404
    changes = changes_since_review(record)
    return render(
        request,
        "workspace/review_detail.html",
        {
            "record": record,
            "kind": kind,
            "kind_label": model._meta.verbose_name,
            "status": Status(record.status),
            "fields": field_values(record),
            "changes": changes,
            "history": workflow_history(record),
            "corrections": Correction.objects.of_record(record).select_related("corrected_by"),
            "actions": permissions.allowed_actions(request.user, record),
            "form": form,
            "admin_url": admin_url(record),
            **_files_context(request, record, changes_since=changes.baseline_date),
        },
        status=400 if form.errors else 200,
    )


def _files_context(request, record, *, changes_since, form=None) -> dict:
    """A record's files on its page: the current ones, what changed since the last review,
    and the upload form where the user may change the record."""
    may_change = permissions.can_change(request.user, record)
    return {
        "files": attachments.current_of(record, request.user),
        "file_changes": (attachments.changes_since(record, changes_since) if changes_since else []),
        "may_change_files": may_change,
        "file_form": (form or AttachmentForm()) if may_change else None,
    }


@require_POST
@reviewers_only
def attachment_upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Add a file to a record from its review page; a refused file is not stored."""
    _model, record = get_record_for_user(request.user, kind, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attachment = attachments.attach(
                record, data["file"], kind=data["kind"], note=data["note"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("已上传附件“%(name)s”。") % {"name": attachment.original_name}
            )
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("workspace:review_detail", kind=kind, pk=pk)


@require_POST
@reviewers_only
def attachment_remove(request: HttpRequest, kind: str, pk: int, file_pk: int) -> HttpResponse:
    """Delete a file from a record (the row and the file are kept, closed)."""
    _model, record = get_record_for_user(request.user, kind, pk)
    try:
        attachment = attachments.get_for_user(request.user, file_pk, record=record)
        attachments.remove(attachment, by=request.user)
    except attachments.Attachment.DoesNotExist as exc:
        raise Http404(_("附件不存在。")) from exc
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
    return redirect("workspace:review_detail", kind=kind, pk=pk)


@require_POST
@reviewers_only
def review_bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the ticked records (values ``app_label.model_name:pk:revision``), each on its
    own; one changed since the queue was shown is refused (registers.core.revisions)."""
    wanted: dict[str, dict[int, int | None]] = defaultdict(dict)
    for value in request.POST.getlist("record"):
        kind, _sep, rest = value.partition(":")
        pk, _sep, revision = rest.partition(":")
        if (key := whole_number(pk)) is not None:
            wanted[kind][key] = whole_number(revision)
    if not wanted:
        messages.error(request, _("请先勾选要审核通过的记录。"))
        return _back_to_queue_page(request)
    approved, refused = 0, []
    for kind, pks in wanted.items():
        model = model_for_kind(kind)
        queryset = permissions.scope_queryset(
            model._default_manager.filter(pk__in=pks), request.user
        )
        for record in queryset:
            try:
                transition(record, Action.APPROVE, by=request.user, revision=pks[record.pk])
            except (WorkflowError, EditConflict) as error:
                refused.append(f"{record}：{' '.join(error.messages)}")
            else:
                approved += 1
    if approved:
        messages.success(request, _("%(count)d 条记录已审核通过。") % {"count": approved})
    for line in refused:
        messages.error(request, line)
    return _back_to_queue_page(request)


def _back_to_queue_page(request: HttpRequest) -> HttpResponse:
    """The queue page the reviewer was on (the last one, if it has emptied meanwhile)."""
    url = reverse("workspace:review_queue")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


# --- Notifications ---------------------------------------------------------------------------


@require_safe
@pages_required
def notification_list(request: HttpRequest) -> HttpResponse:
    queryset = Notification.objects.for_user(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        queryset = queryset.unread()
    page = Paginator(queryset, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/notifications.html",
        {"page": page, "only_unread": only_unread},
    )


@require_POST
@pages_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(request.user, [notification.pk])
    if request.POST.get("open") and local_path(request, notification.url):
        return redirect(notification.url)
    return redirect("workspace:notifications")


@require_POST
@pages_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("workspace:notifications")


# --- Holiday schedules --------------------------------------------------------------------

schedule_keepers_only = office_required(gettext_lazy("只有法制办工作人员可以确认节假日安排。"))


@require_http_methods(["GET", "POST"])
@schedule_keepers_only
def holiday_schedule(request: HttpRequest) -> HttpResponse:
    """Enter a year's schedule: paste the notice, check the lines it gives, confirm."""
    today = timezone.localdate()
    waiting = unconfirmed_schedules(today)
    preview = None
    moves = None
    if request.method == "POST":
        form = holidays.ScheduleForm(request.POST)
        if form.is_valid():
            if "parse" in request.POST:
                lines = form.parsed_lines()
                if lines:
                    data = request.POST.copy()
                    data["lines"] = lines
                    form = holidays.ScheduleForm(data)
                    form.is_valid()
                    preview = form.schedule_days()
            else:
                days = form.schedule_days()
                if days is not None and "confirm" in request.POST:
                    try:
                        moved = holidays.confirm_schedule(
                            form.cleaned_data["year"],
                            days,
                            notice_text=form.cleaned_data["notice_text"],
                            by=request.user,
                            today=today,
                        )
                    except NoticeError as error:
                        # Confirmed meanwhile by someone else: the form says so, no preview.
                        form.add_error("year", error.message)
                        days = None
                    else:
                        return render(
                            request,
                            "workspace/holiday_schedule_done.html",
                            {"year": form.cleaned_data["year"], "moved": moved, "days": days},
                        )
                preview = days
        if preview:
            moves = holidays.preview_moves(
                form.cleaned_data["year"], preview, user=request.user, today=today
            )
    else:
        form = holidays.ScheduleForm(initial={"year": waiting[-1] if waiting else today.year + 1})
    return render(
        request,
        "workspace/holiday_schedule.html",
        {
            "form": form,
            "preview": preview,
            "moves": moves,
            "schedules": _schedules_listed(),
        },
    )


def _schedules_listed() -> list:
    """The latest schedules, withdrawn ones too, each in force with its withdrawal form."""
    schedules = list(HolidaySchedule.objects.select_related("confirmed_by", "withdrawn_by")[:10])
    for schedule in schedules:
        if schedule.withdrawn_at is None:
            schedule.withdrawal_form = holidays.WithdrawalForm(
                initial={"year": schedule.year}, auto_id=f"id_withdraw_{schedule.pk}_%s"
            )
    return schedules


@require_http_methods(["POST"])
@schedule_keepers_only
def holiday_schedule_withdraw(request: HttpRequest) -> HttpResponse:
    """What withdrawing a confirmed schedule would move; then, with a reason, withdraw it and
    list the deadlines that moved back."""
    form = holidays.WithdrawalForm(request.POST)
    if "withdraw" in request.POST and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            moved = holidays.withdraw_schedule(
                year,
                reason=form.cleaned_data["reason"],
                by=request.user,
                today=timezone.localdate(),
            )
        except NoticeError as error:
            messages.error(request, error.message)
            return redirect("workspace:holiday_schedule")
        return render(
            request,
            "workspace/holiday_schedule_withdrawn.html",
            {"year": year, "moved": moved, "provisional": not get_calendar().is_confirmed(year)},
        )
    return _withdrawal_preview(request, form)


def _withdrawal_preview(request: HttpRequest, form) -> HttpResponse:
    """The withdrawal's page: the deadlines it would move, and the form with the reason (its
    error shown when the withdrawal was asked for without one)."""
    form.is_valid()
    year = form.cleaned_data.get("year")
    if year is None:
        messages.error(request, _("请从已确认的节假日安排中选择要撤销的年度。"))
        return redirect("workspace:holiday_schedule")
    try:
        preview = holidays.preview_withdrawal(year, user=request.user, today=timezone.localdate())
    except NoticeError as error:
        messages.error(request, error.message)
        return redirect("workspace:holiday_schedule")
    if "withdraw" not in request.POST:  # a first look: nothing to correct yet
        form = holidays.WithdrawalForm(
            initial={"year": year, "reason": form.data.get("reason", "")}
        )
    return render(
        request,
        "workspace/holiday_schedule_withdrawal.html",
        {"year": year, "moves": preview.moves, "provisional": preview.provisional, "form": form},
        status=400 if form.errors else 200,
    )
