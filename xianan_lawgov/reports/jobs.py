"""Report files made by the background worker: the whole district's report as Word or
Excel reads every unit's records (the Excel file lists them all), so it is not made inside a
request. The access rule is checked again when the job runs, as the user who asked, and at
each download, as the user who downloads (``may_read_report_file``)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from registers.core import jobs
from registers.core.models import Job, JobKind, JobStatus
from registers.core.permissions import may_see_personal_data

from .access import ReportNotFound, report_scope
from .figures import Scope
from .outputs import check_format, report_file

#: Formats whose whole-district file is made in the background.
BACKGROUND_FORMATS = ("xlsx", "docx")


def in_background(scope: Scope, fmt: str) -> bool:
    return (
        settings.LAWGOV_JOBS["DISTRICT_REPORT_FILES"]
        and scope.unit is None
        and fmt in BACKGROUND_FORMATS
    )


def start_report_file(
    user, scope: Scope, fmt: str, version: int | None = None, *, personal: bool = True
) -> Job:
    """The job making this file (``personal`` as ``outputs.render`` takes it); one already
    waiting for the same file is reused, so following the download link twice makes one
    file."""
    check_format(fmt)
    params = {
        "year": scope.year,
        "unit": scope.unit.code if scope.unit is not None else "",
        "format": fmt,
        "version": version,
        "personal": personal,
    }
    waiting = (
        Job.objects.filter(kind=JobKind.REPORT_FILE, user=user, params=params)
        .filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .first()
    )
    if waiting is not None:
        return waiting
    title = _("%(year)d 年度报告（%(format)s）") % {"year": scope.year, "format": fmt.upper()}
    if version:
        title += _("第 %(version)d 版") % {"version": version}
    return jobs.start(JobKind.REPORT_FILE, title, user=user, params=params, max_attempts=2)


def make_report_file(job: Job) -> dict:
    params = job.params
    scope = report_scope(job.user, params["year"], params["unit"])
    file = report_file(
        scope, params["format"], params["version"], personal=params.get("personal", True)
    )
    content = file.content if isinstance(file.content, bytes) else file.content.encode()
    job.output_file.save(f"job-{job.pk}.{params['format']}", ContentFile(content), save=False)
    job.output_name = file.filename
    return {"filename": file.filename, "bytes": len(content)}


def may_read_report_file(request, job: Job) -> bool:
    """Whether the report the request's user may read of the job's year and unit is the one
    the job made (a leader made a liaison since reads their unit's report, not the
    district's), and, for a file naming records with personal data, whether the user (or
    the API client's token) may see it."""
    params = job.params
    try:
        scope = report_scope(request.user, params["year"], params["unit"])
    except ReportNotFound:
        return False
    if (scope.unit.code if scope.unit is not None else "") != params["unit"]:
        return False
    token = getattr(request, "auth", None)
    return not params.get("personal", True) or may_see_personal_data(request.user, token)


def connect() -> None:
    jobs.register(JobKind.REPORT_FILE, make_report_file, file_check=may_read_report_file)
