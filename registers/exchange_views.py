"""数据报送: the page where liaisons download templates and upload filled ones.

A liaison exchanges data for their own unit; office staff for any unit (they pick the unit
on the form, or fill the unit column). A file of more rows than ``LAWGOV_JOBS["UPLOAD_ROWS"]``
is handed to the background worker, and the user follows it on its job page. Leaders and
API clients only read and have no page. The admin's import button runs the same upload and
shows the same result (``registers.admin.base.ScopedImportMixin``).
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registers.core import permissions
from registers.core.admin_links import admin_url
from registers.core.exchange import templates, updates, uploads
from registers.core.exchange.reading import XLSX_CONTENT_TYPE
from registers.core.files import content_disposition
from registers.core.permissions import pages_required
from registers.forms import ExportForm, UpdateForm, UploadForm

#: How many mistakes a page lists (the API returns them all).
ERRORS_SHOWN = 2000


def exchangeable_registers(user) -> list:
    return [rc for rc in uploads.resource_classes() if uploads.may_exchange(user, rc)]


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def template_response(resource_class, user) -> HttpResponse:
    content = templates.build_template(resource_class, user)
    return xlsx_response(content, f"{resource_class.slug}-template.xlsx")


def export_response(resource_class, user, unit=None) -> HttpResponse:
    """The user's visible records of the register (``unit``'s only, when one is named), in its
    template (to correct and upload again)."""
    name = (
        f"{resource_class.slug}-{unit.code}-records" if unit else f"{resource_class.slug}-records"
    )
    return xlsx_response(updates.export(resource_class, user, unit), f"{name}.xlsx")


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
    return admin_url(resource_class._meta.model, "changelist")


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
        "update_form": UpdateForm(user=request.user),
        "export_form": ExportForm(user=request.user),
        "updatable": updatable_registers(request.user),
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
    # A form sent back with its errors (no file, an empty one) is a refusal like a file's.
    status = 400 if form.errors else result_status(result, too_large=too_large)
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


# --- Updating records by uploading them again -----------------------------------------------

#: How long a preview may be applied (seconds); its file is kept until then.
PREVIEW_MAX_AGE = 2 * 60 * 60
_PREVIEW_SALT = "registers.exchange.update-preview"
#: Where a previewed file waits to be applied.
PREVIEW_FOLDER = "exchange-updates"


def forget_old_previews() -> None:
    """Delete the files of previews too old to be applied (a preview left unapplied)."""
    oldest = timezone.now() - datetime.timedelta(seconds=PREVIEW_MAX_AGE)
    try:
        _folders, names = default_storage.listdir(PREVIEW_FOLDER)
        for name in names:
            path = f"{PREVIEW_FOLDER}/{name}"
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        return  # nothing kept yet, or a storage that cannot list


def updatable_registers(user) -> list[dict]:
    return [
        {
            "slug": resource_class.slug,
            "title": uploads.title_of(resource_class),
            "url": reverse("registers:exchange_export", args=[resource_class.slug]),
        }
        for resource_class in uploads.resource_classes()
        if updates.may_update(user, resource_class)
    ]


def _updatable(user, slug: str):
    resource_class = uploads.resource_for(slug)
    if resource_class is None:
        raise Http404(_("没有这个台账。"))
    if not updates.may_update(user, resource_class):
        raise PermissionDenied
    return resource_class


@pages_required
@require_safe
def export_records(request: HttpRequest, slug: str) -> HttpResponse:
    """A register's records to correct, of one unit with ``?unit=<code>``."""
    _updatable(request.user, slug)
    return _export(request, {"export-register": slug, "export-unit": request.GET.get("unit", "")})


@pages_required
@require_safe
def export_chosen(request: HttpRequest) -> HttpResponse:
    """The export chosen on the data-exchange page (register and unit)."""
    return _export(request, request.GET)


def _export(request: HttpRequest, data) -> HttpResponse:
    form = ExportForm(data, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registers:exchange")
    return export_response(form.resource_class, request.user, form.cleaned_data["unit"])


def _preview_token(request: HttpRequest, resource_class, stored: str, fingerprint: str) -> str:
    """What the apply button sends back, signed: the file kept on the server, whose preview
    it is, and what the preview showed."""
    return signing.dumps(
        {
            "file": stored,
            "register": resource_class.slug,
            "user": request.user.pk,
            "fingerprint": fingerprint,
        },
        salt=_PREVIEW_SALT,
    )


def _render_preview(request, resource_class, plan, stored: str, *, status: int = 200):
    context = {
        "plan": plan,
        "title": uploads.title_of(resource_class),
        "token": _preview_token(request, resource_class, stored, plan.fingerprint),
        "workflow": uploads.is_workflow(resource_class),
        "errors_shown": plan.errors[:ERRORS_SHOWN],
        "errors_hidden": max(len(plan.errors) - ERRORS_SHOWN, 0),
    }
    return render(request, "exchange/update_preview.html", context, status=status)


@pages_required
@require_http_methods(["POST"])
def update_preview(request: HttpRequest) -> HttpResponse:
    """The preview of a corrected file: what applying it would do, row by row."""
    if body_too_large(request):
        max_bytes, _unpacked = uploads.upload_limits()
        messages.error(
            request,
            _("文件超过 %(mb)d MB，没有上传。请分成几个文件上传。")
            % {"mb": max_bytes // (1024 * 1024)},
        )
        return redirect("registers:exchange")
    form = UpdateForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        if not form.fields["register"].choices:
            raise PermissionDenied
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registers:exchange")
    resource_class = form.resource_class
    data = form.cleaned_data["file"].read()
    plan = updates.preview(resource_class, data, user=request.user)
    stored = ""
    if plan.ok and plan.has_work:
        forget_old_previews()
        stored = default_storage.save(f"{PREVIEW_FOLDER}/{uuid.uuid4().hex}", ContentFile(data))
    return _render_preview(request, resource_class, plan, stored, status=200 if plan.ok else 400)


@pages_required
@require_http_methods(["POST"])
def update_apply(request: HttpRequest) -> HttpResponse:
    """Apply a preview: all of it or nothing; a fresh preview if anything changed since."""
    try:
        token = signing.loads(
            request.POST.get("token", ""), salt=_PREVIEW_SALT, max_age=PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, _("预览已过期或无效，没有保存任何修改。请重新上传文件。"))
        return redirect("registers:exchange")
    if token["user"] != request.user.pk or not token["file"]:
        raise PermissionDenied
    resource_class = _updatable(request.user, token["register"])
    try:
        with default_storage.open(token["file"], "rb") as file:
            data = file.read()
    except (FileNotFoundError, OSError):
        messages.error(request, _("预览已被应用或已过期，没有保存任何修改。请重新上传文件。"))
        return redirect("registers:exchange")
    plan, job = updates.apply_or_start(
        resource_class,
        data,
        user=request.user,
        fingerprint=token["fingerprint"],
        submit=bool(request.POST.get("submit")),
    )
    if job is not None:
        default_storage.delete(token["file"])  # the job has its own copy; applied once
        messages.info(request, _("文件较大，已交给后台任务处理：完成后在本页查看结果。"))
        return redirect("workspace:job", job.pk)
    if plan.stale:
        messages.error(
            request,
            _(
                "预览之后，文件涉及的记录有了变化（他人修改了记录，或录入了相同编号的记录），"
                "没有保存任何修改。下面是按现在的记录重新生成的预览，请核对后再应用。"
            ),
        )
    if not plan.applied:
        status = 409 if plan.stale else 400
        return _render_preview(request, resource_class, plan, token["file"], status=status)
    default_storage.delete(token["file"])
    messages.success(request, updates.applied_message(plan))
    return redirect("registers:exchange")
