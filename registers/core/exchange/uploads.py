"""Uploads: one path for every filled sheet, from the data-exchange page, the API and the
admin's import button.

An upload is read (``reading``), checked row by row (``checking``) and, only if every row
is right, written in one transaction (``writing``): records of the uploader's unit (the
office picks a unit or fills the unit column), each with its "created" history row. A
register's records are entered through the workflow (``workflow.create_all``, ``create``
for a batch): what the uploader asked them to become (submitted, or approved by the
office) is a transition each takes as it is saved, under the same permission rule, in its
first history row, and announced by the same ``transitioned`` signal as a record submitted
or approved by hand.

Registers offer themselves for exchange with ``register`` (each app when it is ready).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import jobs, permissions
from registers.core.exchange import reading
from registers.core.exchange.checking import SheetCheck, UploadError, in_reading_order
from registers.core.exchange.columns import ScopedResource, WorkflowResource
from registers.core.exchange.writing import create_with_history
from registers.core.models import JobKind, WorkflowRecord
from registers.core.register_order import index_position
from registers.core.status import Action, Status
from registers.core.workflow import WorkflowError, create_all

Progress = Callable[[int, int], None]

#: How often (in rows) an upload reports progress.
PROGRESS_EVERY = 500


# --- Registry -------------------------------------------------------------------------------

_registry: dict[str, type[ScopedResource]] = {}


def register(*resource_classes: type[ScopedResource]) -> None:
    """Offer these registers on the exchange page (each app calls this when ready)."""
    for resource_class in resource_classes:
        if not resource_class.slug:
            raise ValueError(f"{resource_class.__name__} has no slug")
        _registry[resource_class.slug] = resource_class


def resource_classes() -> list[type[ScopedResource]]:
    """The registers offered, in the registers' order (``register_order``)."""
    return sorted(_registry.values(), key=lambda resource: index_position(resource._meta.model))


def resource_for(slug: str) -> type[ScopedResource] | None:
    return _registry.get(slug)


def title_of(resource_class: type[ScopedResource]) -> str:
    return str(resource_class._meta.model._meta.verbose_name_plural)


def may_exchange(user, resource_class: type[ScopedResource]) -> bool:
    """Liaisons (for their unit) and office staff may download templates and upload."""
    return permissions.may_submit(user) and permissions.can_create(user, resource_class._meta.model)


def is_workflow(resource_class: type[ScopedResource]) -> bool:
    return issubclass(resource_class, WorkflowResource)


def upload_statuses(user, model) -> list[Status]:
    """What uploaded records of ``model`` may become: drafts or submitted; the office may
    approve them, where the register is entered approved at all."""
    statuses = [Status.DRAFT, Status.SUBMITTED]
    if permissions.is_office(user) and getattr(model, "enters_approved", False):
        statuses.append(Status.APPROVED)
    return statuses


#: The transitions that bring a new draft to each status an upload may ask for.
_TRANSITIONS = {
    Status.DRAFT: None,
    Status.SUBMITTED: Action.SUBMIT,
    Status.APPROVED: Action.APPROVE_DIRECTLY,
}


def upload_limits() -> tuple[int, int]:
    """(largest file, largest unpacked content) accepted for an upload, in bytes."""
    config = settings.LAWGOV
    return config["UPLOAD_MAX_BYTES"], config["UPLOAD_MAX_UNCOMPRESSED_BYTES"]


# --- Uploading ------------------------------------------------------------------------------


@dataclass
class UploadResult:
    register: str
    title: str
    errors: list[UploadError] = field(default_factory=list)
    rows: int = 0
    created: list = field(default_factory=list)
    status: Status | None = None
    unit: models.Model | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_count(self) -> int:
        return len(self.created)


def upload(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    unit: models.Model | None = None,
    status: Status | str | None = None,
    progress: Progress | None = None,
) -> UploadResult:
    """Check an uploaded workbook and, if every row is right, create its records.

    ``status``: DRAFT (default) or SUBMITTED; the office may also ask for APPROVED.
    ``unit``: office only; every row becomes a record of that unit (a liaison's rows are
    always their own unit's). ``progress(done_rows, total_rows)`` is called as rows are
    checked (``total_rows`` is the count the file declares, 0 if it declares none).
    """
    status = Status(status) if status else Status.DRAFT
    if status not in upload_statuses(user, resource_class._meta.model):
        status = Status.DRAFT
    resource = resource_class(user=user, unit=unit)
    workflow = is_workflow(resource_class)
    result = UploadResult(
        register=resource_class.slug,
        title=title_of(resource_class),
        status=status if workflow else None,
        unit=resource.fixed_unit,
    )
    check = SheetCheck(resource)

    def refused() -> UploadResult:
        result.errors = in_reading_order(check.errors)
        return result

    sheet = open_sheet(check, data)
    if sheet is None:
        return refused()
    total = max(sheet.estimated_rows - 1, 0)
    rows = sheet.rows

    valid: list[tuple[int, Any]] = []
    done = 0
    for row in rows:
        if row.is_blank:
            continue
        done += 1
        instance = check.read_row(row)
        if instance is not None:
            valid.append((row.number, instance))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done))
    result.rows = done
    if progress is not None:
        progress(done, done)
    if done == 0:
        check.error(_("工作表中没有数据行：请从第 2 行起填写。"), "empty_sheet")
    if valid:
        check.check_uniqueness(valid)
    if check.errors:
        return refused()

    try:
        result.created = create_records(resource, [instance for _number, instance in valid], status)
    except IntegrityError:
        check.error(
            _(
                "保存时与已有记录冲突（可能有人同时录入了相同的记录），没有导入任何记录，请重新上传。"
            ),
            "conflict",
        )
        return refused()
    except WorkflowError as error:
        for item in error.error_list:
            check.error(item.message, item.code)
        return refused()
    return result


def open_sheet(check: SheetCheck, data: bytes) -> reading.DataSheet | None:
    """The checked file's data sheet, its header read (its rows after the header to come);
    None when the file or its header is refused (the reasons in ``check.errors``)."""
    try:
        max_bytes, max_unpacked = upload_limits()
        kind = reading.check_workbook(
            data, max_bytes=max_bytes, max_uncompressed_bytes=max_unpacked
        )
        sheet = reading.read_data_sheet(data, kind)
    except reading.SpreadsheetError as error:
        check.error(error.message, error.code)
        return None
    check.sheet_title = sheet.title
    header_row = next(sheet.rows, None)
    if header_row is None or header_row.is_blank:
        check.error(_("工作表是空的：第 1 行应为表头。"), "empty_sheet")
        return None
    if not check.read_header(header_row.values):
        return None
    return sheet


def create_records(resource: ScopedResource, instances: list, status: Status) -> list:
    """Write the checked rows, a register's as ``status`` (draft, submitted or approved);
    all or nothing."""
    model = resource._meta.model
    user = resource.user
    reason = _("Excel 上传")
    with transaction.atomic():
        if is_workflow(type(resource)):
            created = create_all(instances, by=user, action=_TRANSITIONS[status], reason=reason)
        else:
            created = create_with_history(
                instances, model, user=user, change_reason=reason, date=timezone.now()
            )
        resource.after_create(created)
    return created


# --- In the background ----------------------------------------------------------------------


def declared_rows(data: bytes) -> int:
    """The data rows a workbook declares (0 if it cannot tell, or the file will be refused:
    such a file is answered at once)."""
    try:
        max_bytes, max_unpacked = upload_limits()
        kind = reading.check_workbook(
            data, max_bytes=max_bytes, max_uncompressed_bytes=max_unpacked
        )
        return max(reading.read_data_sheet(data, kind).estimated_rows - 1, 0)
    except reading.SpreadsheetError:
        return 0


def in_background(data: bytes) -> bool:
    """Whether an upload is large enough to be done by the worker
    (``LAWGOV_JOBS["UPLOAD_ROWS"]``)."""
    return declared_rows(data) > settings.LAWGOV_JOBS["UPLOAD_ROWS"]


def start_upload(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    unit: models.Model | None = None,
    status: Status | str | None = None,
):
    """Queue the upload ``upload`` would do; the job's result is what it would return."""
    return jobs.start(
        JobKind.UPLOAD,
        _("上传%(title)s（%(rows)d 行）")
        % {"title": title_of(resource_class), "rows": declared_rows(data)},
        user=user,
        params={
            "register": resource_class.slug,
            "unit": unit.pk if unit is not None else None,
            "status": Status(status).value if status else None,
        },
        input_file=ContentFile(data, name=f"{resource_class.slug}.xlsx"),
        # Once more if the worker stopped mid-way (a mistake in the file is not tried again).
        max_attempts=2,
    )


def result_summary(result: UploadResult) -> dict:
    """An upload's result as the API answers it and a job keeps it."""
    return {
        "register": result.register,
        "title": result.title,
        "rows": result.rows,
        "created": result.created_count,
        "status": result.status.value if result.status else None,
        "status_label": str(result.status.label) if result.status else None,
        "unit": result.unit.name if result.unit else None,
        "errors": [error.as_dict() for error in result.errors],
    }


def refusal_reason(result: UploadResult) -> str:
    if len(result.errors) == 1 and result.errors[0].row is None:
        return result.errors[0].reason
    return _("上传的文件有 %(n)d 处错误，没有导入任何记录。") % {"n": len(result.errors)}


def job_input(job) -> tuple[type[ScopedResource], bytes]:
    """The register and the file of a job that works on an uploaded file (an upload, an
    update); a job whose register or user is gone fails with the reason."""
    resource_class = resource_for(job.params["register"])
    if resource_class is None or job.user is None:
        raise jobs.JobError(_("没有这个台账。"))
    with job.input_file.open("rb") as file:
        return resource_class, file.read()


def _run_upload_job(job) -> dict:
    params = job.params
    resource_class, data = job_input(job)
    unit = None
    if params.get("unit"):
        unit_model = WorkflowRecord._meta.get_field("unit").related_model
        unit = unit_model.objects.filter(pk=params["unit"]).first()
    result = upload(
        resource_class,
        data,
        user=job.user,
        unit=unit,
        status=params.get("status"),
        progress=lambda done, total: jobs.report_progress(job.pk, done, total),
    )
    summary = result_summary(result)
    if not result.ok:
        raise jobs.JobError(refusal_reason(result), summary)
    return summary


def connect_jobs() -> None:
    jobs.register(JobKind.UPLOAD, _run_upload_job)
