"""Report pages: the live report, its editor with preview, drill-down, downloads, publishing.

Which report a page shows, and whether the user may read it, is ``access.report_scope``: the
same check as the API's and the command's. Reading never saves anything; the first edit or
the publication starts a year's report. Who may change a report's text is
``services.edit_refusal``; a unit's report is submitted, returned and approved (published)
through the review workflow (``registers.core.workflow.transition``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registers.core import permissions
from registers.core.admin_links import admin_url
from registers.core.files import content_disposition
from registers.core.permissions import office_required, pages_required
from registers.core.revisions import EditConflict
from registers.core.status import Action, Status
from registers.core.text import whole_number
from registers.core.workflow import WorkflowError, approval_of, transition
from registers.models import Unit

from . import figures as engine
from . import jobs as report_jobs
from .access import published_report, report_scope, report_unit, report_years
from .models import Part, PublishedReport
from .outputs import ReportFile, report_file
from .services import (
    build_preview,
    build_published,
    check_placeholders,
    corrections_since,
    differences_since,
    district_only_placeholders,
    edit_refusal,
    get_or_start_report,
    live_document,
    publish,
    report_revision,
    report_text,
    save_report_text,
    unit_report_of,
)

editors_only = office_required(gettext_lazy("只有法制办工作人员可以编辑和发布年度报告。"))


def _unit_code(request: HttpRequest) -> str:
    return request.GET.get("unit") or request.POST.get("unit") or ""


def _scope(request: HttpRequest, year: int) -> engine.Scope:
    return report_scope(request.user, year, _unit_code(request))


def _unit_query(unit) -> str:
    return f"?unit={unit.code}" if unit is not None else ""


def _editable_scope(request: HttpRequest, year: int) -> engine.Scope:
    """The report whose text the user asks to change, if they may (else 403 saying why)."""
    scope = _scope(request, year)
    refusal = edit_refusal(request.user, scope.year, scope.unit)
    if refusal is not None:
        raise PermissionDenied(refusal)
    return scope


def _review_context(request: HttpRequest, scope: engine.Scope) -> dict:
    """What a unit report's page shows of its review: its state, the office's comment, the
    review steps the user may take, and whether they may change its text."""
    if scope.unit is None:
        return {"may_edit": permissions.is_office(request.user)}
    record = unit_report_of(scope.year, scope.unit)
    return {
        "unit_report": record,
        "review_status": Status(record.status) if record is not None else None,
        "review_actions": permissions.allowed_actions(request.user, record) if record else [],
        "may_edit": edit_refusal(request.user, scope.year, scope.unit) is None,
    }


def file_response(file: ReportFile) -> HttpResponse:
    """A report file for the browser: Word and Excel download, the web page and JSON open."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition(file.filename, inline=not file.is_binary)
    return response


@require_safe
@pages_required
def report_index(request: HttpRequest) -> HttpResponse:
    unit = report_unit(request.user, _unit_code(request))
    published = PublishedReport.objects.filter(unit=unit).select_related("published_by")
    by_year: dict[int, list[PublishedReport]] = {}
    for item in published:
        by_year.setdefault(item.year, []).append(item)
    return render(
        request,
        "reports/index.html",
        {
            "unit": unit,
            "rows": [(year, by_year.get(year, [])) for year in reversed(report_years())],
            "unit_query": _unit_query(unit),
            "units": Unit.objects.all() if permissions.reads_every_unit(request.user) else [],
        },
    )


@require_safe
@pages_required
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    scope = _scope(request, year)
    return render(
        request,
        "reports/detail.html",
        {
            "document": live_document(scope),
            "unit_query": _unit_query(scope.unit),
            "is_office": permissions.is_office(request.user),
            "versions": PublishedReport.objects.filter(year=year, unit=scope.unit),
            **_review_context(request, scope),
        },
    )


def _sections_from_post(request) -> list[tuple[str, str, str]]:
    parts = request.POST.getlist("part")
    headings = request.POST.getlist("heading")
    bodies = request.POST.getlist("body")
    if not len(parts) == len(headings) == len(bodies):
        # Paired by position, a missing field would move every text after it to the wrong
        # section, and the last one would be lost.
        raise ValidationError(
            _("提交的正文不完整：各部分的标题和正文数目不一致，没有保存。请重新打开编辑页。"),
            code="sections_incomplete",
        )
    valid_parts = set(Part.values)
    sections = []
    for part, heading, body in zip(parts, headings, bodies, strict=True):
        if part not in valid_parts:
            raise ValidationError(_("未知的报告部分。"), code="unknown_part")
        sections.append((part, heading.strip(), body.replace("\r\n", "\n").strip("\n")))
    return sections


@require_http_methods(["GET", "HEAD", "POST"])
@pages_required
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    scope = _editable_scope(request, year)
    saved_title, sections = report_text(scope.year, scope.unit)
    title = saved_title
    # The revision of the text the editor was opened at: saving over someone else's save
    # since is refused, with who and when, the text typed kept on the page.
    revision = report_revision(scope.year, scope.unit)
    error = None
    if request.method == "POST":
        title = request.POST.get("title", "").strip()
        based_on = whole_number(request.POST.get("revision", ""))
        try:
            sections = _sections_from_post(request)
            if not title:
                raise ValidationError(_("请填写报告标题。"), code="title_required")
            # The first edit starts the report; an edit that is refused starts nothing.
            with transaction.atomic():
                if revision == 0:
                    based_on = None if based_on == 0 else based_on
                report = get_or_start_report(scope.year, scope.unit, by=request.user)
                save_report_text(report, title, sections, by=request.user, revision=based_on)
        except EditConflict as conflict:
            error = " ".join(conflict.messages)
            revision = conflict.current  # saving again, once checked, saves this text
        except ValidationError as exc:
            error = " ".join(exc.messages)
            revision = based_on if based_on is not None else revision
        else:
            messages.success(request, _("报告正文已保存。"))
            return redirect(reverse("reports:detail", args=[year]) + _unit_query(scope.unit))
    figure_set = engine.compute_figures(scope.year, scope.unit, with_previous=False)
    # A unit's text offers the figures of one unit only, and its name.
    hidden = district_only_placeholders() if scope.unit is not None else {}
    figure_groups = [
        (key, label, [f for f in figures if f.key not in hidden])
        for key, label, figures in figure_set.by_group()
    ]
    return render(
        request,
        "reports/edit.html",
        {
            "year": scope.year,
            "saved_title": saved_title,
            "title": title,
            "sections": [
                {"part": part, "part_label": Part(part).label, "heading": heading, "body": body}
                for part, heading, body in sections
            ],
            "parts": Part.choices,
            "error": error,
            "revision": revision,
            "figure_groups": figure_groups,
            "unit": scope.unit,
            "unit_query": _unit_query(scope.unit),
            **_review_context(request, scope),
        },
        status=400 if error else 200,
    )


@require_POST
@pages_required
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    scope = _editable_scope(request, year)
    try:
        sections = _sections_from_post(request)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    title = request.POST.get("title") or report_text(scope.year, scope.unit)[0]
    document = build_preview(scope, title, [(h, b) for _p, h, b in sections])
    unknown = None
    try:
        check_placeholders(
            [title, *(h for _p, h, _b in sections), *(b for _p, _h, b in sections)],
            for_unit=scope.unit is not None,
        )
    except ValidationError as exc:
        unknown = " ".join(exc.messages)
    return render(
        request,
        "reports/_document.html",
        {"document": document, "unit_query": _unit_query(scope.unit), "preview_error": unknown},
    )


@require_safe
@pages_required
def figure_records(request: HttpRequest, year: int, key: str) -> HttpResponse:
    unit = _scope(request, year).unit
    try:
        group, definition = engine.group_for(key)
        queryset = engine.records_behind(key, year, unit)
    except KeyError as exc:
        raise Http404(_("没有这个数字。")) from exc
    queryset = queryset.visible_to(request.user) if hasattr(queryset, "visible_to") else queryset
    if any(f.name == "unit" for f in queryset.model._meta.fields):
        queryset = queryset.select_related("unit")
    rows = [(record, admin_url(record)) for record in queryset[:2000]]
    return render(
        request,
        "reports/records.html",
        {
            "year": year,
            "unit": unit,
            "key": key,
            "label": definition.label,
            "group_label": group.label,
            "rows": rows,
            "count": queryset.count(),
            "model_name": queryset.model._meta.verbose_name,
            "unit_query": _unit_query(unit),
        },
    )


@require_safe
@pages_required
def report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    scope = _scope(request, year)
    if report_jobs.in_background(scope, fmt):
        job = report_jobs.start_report_file(request.user, scope, fmt)
        return redirect("workspace:job", job.pk)
    return file_response(report_file(scope, fmt))


@require_POST
@editors_only
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    scope = _scope(request, year)
    with transaction.atomic():
        report = get_or_start_report(scope.year, scope.unit, by=request.user)
        record = unit_report_of(scope.year, scope.unit) if scope.unit is not None else None
        if record is not None and record.status != Status.APPROVED:
            # A unit's report is published by approving it (its review's last step).
            try:
                transition(record, approval_of(record), by=request.user)
            except WorkflowError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("reports:detail", args=[year]) + _unit_query(scope.unit))
            published = PublishedReport.objects.filter(year=year, unit=scope.unit).first()
        else:
            published = publish(report, by=request.user)
    messages.success(
        request, _("已发布第 %(version)s 版，内容已冻结。") % {"version": published.version}
    )
    return redirect(
        reverse("reports:published", args=[year, published.version]) + _unit_query(scope.unit)
    )


@require_POST
@pages_required
def unit_report_action(request: HttpRequest, year: int) -> HttpResponse:
    """A review step on a unit's report: its liaison submits it; the office returns it with
    a comment, approves (and so publishes) it, or reopens it with a reason."""
    scope = _scope(request, year)
    back = redirect(reverse("reports:detail", args=[year]) + _unit_query(scope.unit))
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError as exc:
        raise Http404(_("未知的审核操作。")) from exc
    record = unit_report_of(scope.year, scope.unit) if scope.unit is not None else None
    if record is None:
        messages.error(request, _("该单位报告尚未开始撰写：请先编辑并保存报告正文。"))
        return back
    revision = request.POST.get("revision", "")
    try:
        transition(
            record,
            action,
            by=request.user,
            comment=request.POST.get("comment", ""),
            revision=whole_number(revision),
        )
    except (WorkflowError, EditConflict) as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request, _("“%(record)s”已%(action)s。") % {"record": record, "action": action.label}
    )
    if record.status == Status.APPROVED:
        published = PublishedReport.objects.filter(year=year, unit=scope.unit).first()
        return redirect(
            reverse("reports:published", args=[year, published.version]) + _unit_query(scope.unit)
        )
    return back


@require_safe
@pages_required
def published_detail(request: HttpRequest, year: int, version: int) -> HttpResponse:
    published = published_report(_scope(request, year), version)
    return render(
        request,
        "reports/detail.html",
        {
            "document": build_published(published),
            "published": published,
            "unit_query": _unit_query(published.unit),
            "is_office": permissions.is_office(request.user),
            "versions": PublishedReport.objects.filter(year=year, unit=published.unit),
        },
    )


@require_safe
@pages_required
def published_download(request: HttpRequest, year: int, version: int, fmt: str) -> HttpResponse:
    scope = _scope(request, year)
    if report_jobs.in_background(scope, fmt):
        published_report(scope, version)  # 404 before a job is started for nothing
        job = report_jobs.start_report_file(request.user, scope, fmt, version)
        return redirect("workspace:job", job.pk)
    return file_response(report_file(scope, fmt, version))


@require_safe
@pages_required
def published_diff(request: HttpRequest, year: int, version: int) -> HttpResponse:
    published = published_report(_scope(request, year), version)
    differences = differences_since(published)
    return render(
        request,
        "reports/diff.html",
        {
            "published": published,
            "differences": differences,
            "corrections": corrections_since(published, differences),
            "unit_query": _unit_query(published.unit),
        },
    )
