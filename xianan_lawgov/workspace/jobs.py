"""Job pages: what the background worker is doing for the user, how far it got and what
came out; office staff follow every job. A page whose job is still waiting refreshes itself,
and says so plainly when no worker is running."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registers.core import jobs
from registers.core.files import content_disposition
from registers.core.models import Job, JobKind, JobStatus
from registers.core.permissions import pages_required

#: Seconds between refreshes of a page whose job is not finished.
REFRESH_SECONDS = 2


def get_job_for_user(user, pk: int) -> Job:
    """The job ``pk`` if ``user`` may follow it, else 404."""
    return get_object_or_404(Job.objects.visible_to(user).select_related("user"), pk=pk)


def waiting_message(job: Job) -> str:
    """What a user reads while the job has not finished."""
    status = job.status_enum
    if status == JobStatus.QUEUED and not jobs.worker_running():
        return _("后台任务进程未运行，任务排队等待中。请联系系统管理员启动后台任务进程。")
    if status == JobStatus.QUEUED:
        return _("任务排队等待中，页面会自动刷新。")
    if status == JobStatus.RUNNING:
        return _("任务进行中，页面会自动刷新。")
    return ""


def progress_percent(job: Job) -> tuple[int, int, int] | None:
    reported = jobs.progress(job.pk) if job.status_enum == JobStatus.RUNNING else None
    if not reported or not reported[1]:
        return None
    done, total = reported
    return done, total, min(100, done * 100 // total)


@require_safe
@pages_required
def job_list(request: HttpRequest) -> HttpResponse:
    queryset = Job.objects.visible_to(request.user).select_related("user")
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "workspace/jobs.html", {"page": page})


@require_safe
@pages_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    finished = job.status_enum.is_finished
    context = {
        "job": job,
        "finished": finished,
        "waiting": waiting_message(job),
        "progress": progress_percent(job),
        "refresh": None if finished else REFRESH_SECONDS,
        "is_upload": job.kind == JobKind.UPLOAD,
        "downloadable": has_file_for(request, job),
        "errors": job.result.get("errors", []) if isinstance(job.result, dict) else [],
    }
    return render(request, "workspace/job_detail.html", context)


def has_file_for(request, job: Job) -> bool:
    """Whether ``job`` made a file and ``request`` may read it (``jobs.may_read_file``)."""
    return (
        job.status_enum == JobStatus.SUCCEEDED
        and bool(job.output_file)
        and jobs.may_read_file(request, job)
    )


def file_response(job: Job, request) -> FileResponse:
    if not has_file_for(request, job):
        raise Http404(_("这个任务没有可下载的文件。"))
    response = FileResponse(job.output_file.open("rb"))
    response["Content-Disposition"] = content_disposition(job.output_name)
    return response


@require_safe
@pages_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    return file_response(get_job_for_user(request.user, pk), request)
