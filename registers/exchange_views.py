"""数据报送: the page where liaisons download templates and upload filled ones.

A liaison exchanges data for their own unit; office staff for any unit (they pick the unit
on the form, or fill the unit column). A file of more rows than ``LAWGOV_JOBS["UPLOAD_ROWS"]``
is handed to the background worker, and the user follows it on its job page. Leaders and
API clients only read and have no page. The admin's import button runs the same upload and
shows the same result (``registers.admin.base.ScopedImportMixin``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registers.core import permissions
from registers.core.exchange import templates, uploads
from registers.core.exchange.reading import XLSX_CONTENT_TYPE
from registers.core.permissions import pages_required
from registers.forms import UploadForm

#: How many mistakes a page lists (the API returns them all).
ERRORS_SHOWN = 2000


def exchangeable_registers(user) -> list:
    return [rc for rc in uploads.resource_classes() if uploads.may_exchange(user, rc)]


def template_response(resource_class, user) -> HttpResponse:
    content = templates.build_template(resource_class, user)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{resource_class.slug}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def body_too_large(request: HttpRequest) -> bool:
    """Whether the request declares a body larger than any acceptable upload, so it is
    refused before Django reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    max_bytes, _unpacked = uploads.upload_limits()
    return length > max_bytes + 64 * 1024


def changelist_url(resource_class) -> str | None:
    opts = resource_class._meta.model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return None


def template_url(resource_class, user) -> str | None:
    """Where ``user`` downloads the register's template, if it has one they may use."""
    if not resource_class.slug or uploads.resource_for(resource_class.slug) is None:
        return None
    if not uploads.may_exchange(user, resource_class):
        return None
    return reverse("registers:exchange_template", args=[resource_class.slug])


def run_upload(
    request: HttpRequest, form: UploadForm, data: bytes | None = None
) -> uploads.UploadResult:
    """The upload a valid form asks for, by the requesting user."""
    return uploads.upload(
        form.resource_class,
        form.cleaned_data["file"].read() if data is None else data,
        user=request.user,
        unit=form.cleaned_data.get("unit"),
        status=form.status,
    )


def queue_upload(request: HttpRequest, form: UploadForm, data: bytes) -> HttpResponse:
    """Hand a large upload to the worker and send the user to its job page."""
    job = uploads.start_upload(
        form.resource_class,
        data,
        user=request.user,
        unit=form.cleaned_data.get("unit"),
        status=form.status,
    )
    messages.info(request, _("文件较大，已交给后台任务处理：完成后在本页查看结果。"))
    return redirect("workspace:job", job.pk)


def result_context(result: uploads.UploadResult | None, resource_class, *, too_large) -> dict:
    """What the result of an upload shows (``exchange/_result.html``), on the data-exchange
    page and the admin's import page alike."""
    max_bytes, _unpacked = uploads.upload_limits()
    return {
        "result": result,
        "changelist_url": changelist_url(resource_class) if resource_class else None,
        "errors_shown": result.errors[:ERRORS_SHOWN] if result else [],
        "errors_hidden": max(len(result.errors) - ERRORS_SHOWN, 0) if result else 0,
        "too_large": too_large,
        "max_megabytes": max_bytes // (1024 * 1024),
    }


def result_status(result: uploads.UploadResult | None, *, too_large: bool) -> int:
    return 400 if (too_large or (result is not None and not result.ok)) else 200


@pages_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_exchange(request: HttpRequest) -> HttpResponse:
    registers = exchangeable_registers(request.user)
    if not registers:
        raise PermissionDenied
    result = resource_class = None
    too_large = request.method == "POST" and body_too_large(request)
    if too_large:
        form = UploadForm(user=request.user)
    else:
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and not too_large and form.is_valid():
        resource_class = form.resource_class
        data = form.cleaned_data["file"].read()
        if uploads.in_background(data):
            return queue_upload(request, form, data)
        result = run_upload(request, form, data)
    context = {
        "form": form,
        "registers": [
            {
                "slug": resource_class.slug,
                "title": uploads.title_of(resource_class),
                "url": reverse("registers:exchange_template", args=[resource_class.slug]),
            }
            for resource_class in registers
        ],
        "is_office": permissions.is_office(request.user),
        **result_context(result, resource_class, too_large=too_large),
    }
    status = result_status(result, too_large=too_large)
    return render(request, "exchange/data_exchange.html", context, status=status)


@pages_required
@require_safe
def download_template(request: HttpRequest, slug: str) -> HttpResponse:
    resource_class = uploads.resource_for(slug)
    if resource_class is None:
        raise Http404(_("没有这个台账。"))
    if not uploads.may_exchange(request.user, resource_class):
        raise PermissionDenied
    return template_response(resource_class, request.user)
