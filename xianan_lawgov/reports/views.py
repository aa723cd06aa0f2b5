"""Report pages: the live report, its editor with preview, drill-down, downloads, publishing."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registers.core import permissions
from registers.core.roles import Role
from registers.models import Unit

from . import figures as engine
from . import outputs
from .docx_output import to_docx
from .models import Part, PublishedReport, Report
from .services import (
    build_live,
    build_preview,
    build_published,
    differences_since,
    get_or_start_report,
    publish,
    save_report_text,
    valid_placeholders,
)
from .text import validate_placeholders

FORMATS = ("docx", "xlsx", "json")
FIRST_YEAR = 2017


def _reader_unit(request: HttpRequest):
    """The unit whose report is asked for (None = district), within what the user may read."""
    role = permissions.role_of(request.user)
    if role is None or not role.uses_admin:
        raise PermissionDenied
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    if role == Role.LIAISON:
        if code and code != request.user.unit.code:
            raise Http404(_("记录不存在。"))
        return request.user.unit
    if not code:
        return None
    return get_object_or_404(Unit, code=code)


def _require_office(request: HttpRequest) -> None:
    if not permissions.is_office(request.user):
        raise PermissionDenied(_("只有法制办工作人员可以编辑和发布年度报告。"))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404(_("没有 %(year)s 年度的报告。") % {"year": year})


def _unit_query(unit) -> str:
    return f"?unit={unit.code}" if unit is not None else ""


def _report(request, year: int):
    _check_year(year)
    unit = _reader_unit(request)
    report = Report.objects.filter(year=year, unit=unit).first()
    if report is None:
        report = get_or_start_report(year, unit, by=request.user)
    return report


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    unit = _reader_unit(request)
    years = list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))
    published = PublishedReport.objects.filter(unit=unit).select_related("published_by")
    by_year: dict[int, list[PublishedReport]] = {}
    for item in published:
        by_year.setdefault(item.year, []).append(item)
    return render(
        request,
        "reports/index.html",
        {
            "unit": unit,
            "rows": [(year, by_year.get(year, [])) for year in years],
            "unit_query": _unit_query(unit),
            "units": Unit.objects.all()
            if permissions.role_of(request.user) != Role.LIAISON
            else [],
        },
    )


@login_required
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    document = build_live(report)
    return render(
        request,
        "reports/detail.html",
        {
            "document": document,
            "report": report,
            "unit_query": _unit_query(report.unit),
            "is_office": permissions.is_office(request.user),
            "versions": PublishedReport.objects.filter(year=year, unit=report.unit),
        },
    )


def _sections_from_post(request) -> list[tuple[str, str, str]]:
    parts = request.POST.getlist("part")
    headings = request.POST.getlist("heading")
    bodies = request.POST.getlist("body")
    valid_parts = set(Part.values)
    sections = []
    for part, heading, body in zip(parts, headings, bodies, strict=False):
        if part not in valid_parts:
            raise ValidationError(_("未知的报告部分。"), code="unknown_part")
        sections.append((part, heading.strip(), body.replace("\r\n", "\n").strip("\n")))
    return sections


@login_required
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    _require_office(request)
    report = _report(request, year)
    title = report.title
    sections = [(s.part, s.heading, s.body) for s in report.sections.all()]
    error = None
    if request.method == "POST":
        title = request.POST.get("title", "").strip()
        try:
            sections = _sections_from_post(request)
            if not title:
                raise ValidationError(_("请填写报告标题。"), code="title_required")
            save_report_text(report, title, sections, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("报告正文已保存。"))
            return redirect(reverse("reports:detail", args=[year]) + _unit_query(report.unit))
    figure_set = engine.compute_figures(report.year, report.unit, with_previous=False)
    return render(
        request,
        "reports/edit.html",
        {
            "report": report,
            "title": title,
            "sections": [
                {"part": part, "part_label": Part(part).label, "heading": heading, "body": body}
                for part, heading, body in sections
            ],
            "parts": Part.choices,
            "error": error,
            "figure_set": figure_set,
            "unit_query": _unit_query(report.unit),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    _require_office(request)
    report = _report(request, year)
    try:
        sections = _sections_from_post(request)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    title = request.POST.get("title", report.title)
    document = build_preview(report, title, [(h, b) for _p, h, b in sections])
    unknown = None
    try:
        validate_placeholders([title, *(b for _p, _h, b in sections)], valid_placeholders())
    except ValidationError as exc:
        unknown = " ".join(exc.messages)
    return render(
        request,
        "reports/_document.html",
        {"document": document, "unit_query": _unit_query(report.unit), "preview_error": unknown},
    )


@login_required
def figure_records(request: HttpRequest, year: int, key: str) -> HttpResponse:
    _check_year(year)
    unit = _reader_unit(request)
    try:
        group, definition = engine.group_for(key)
        queryset = engine.records_behind(key, year, unit)
    except KeyError as exc:
        raise Http404(_("没有这个数字。")) from exc
    queryset = queryset.visible_to(request.user) if hasattr(queryset, "visible_to") else queryset
    if any(f.name == "unit" for f in queryset.model._meta.fields):
        queryset = queryset.select_related("unit")
    opts = queryset.model._meta
    rows = []
    for record in queryset[:2000]:
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            url = None
        rows.append((record, url))
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
            "model_name": opts.verbose_name,
            "unit_query": _unit_query(unit),
        },
    )


def _file_response(document, fmt: str, name: str) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(outputs.to_json(document), ensure_ascii=False, indent=2)
    elif fmt == "xlsx":
        body = outputs.to_xlsx(document, with_records=document.published is None)
    elif fmt == "docx":
        body = to_docx(document)
    else:
        raise Http404(_("不支持的格式。"))
    response = HttpResponse(body, content_type=outputs.CONTENT_TYPES[fmt])
    if fmt != "json":
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.{fmt}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    report = _report(request, year)
    return _file_response(build_live(report), fmt, report.title)


@login_required
@require_POST
def report_publish(request: HttpRequest, year: int) -> HttpResponse:
    _require_office(request)
    report = _report(request, year)
    published = publish(report, by=request.user)
    messages.success(
        request, _("已发布第 %(version)s 版，内容已冻结。") % {"version": published.version}
    )
    return redirect(
        reverse("reports:published", args=[year, published.version]) + _unit_query(report.unit)
    )


def _published(request, year: int, version: int) -> PublishedReport:
    _check_year(year)
    unit = _reader_unit(request)
    return get_object_or_404(
        PublishedReport.objects.select_related("published_by", "unit"),
        year=year,
        unit=unit,
        version=version,
    )


@login_required
def published_detail(request: HttpRequest, year: int, version: int) -> HttpResponse:
    published = _published(request, year, version)
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


@login_required
def published_download(request: HttpRequest, year: int, version: int, fmt: str) -> HttpResponse:
    published = _published(request, year, version)
    return _file_response(build_published(published), fmt, f"{published.title}-v{version}")


@login_required
def published_diff(request: HttpRequest, year: int, version: int) -> HttpResponse:
    published = _published(request, year, version)
    return render(
        request,
        "reports/diff.html",
        {
            "published": published,
            "differences": differences_since(published),
            "unit_query": _unit_query(published.unit),
        },
    )
