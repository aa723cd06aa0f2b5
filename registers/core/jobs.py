"""Background jobs: work taken off the request and done by the worker (``manage.py
run_worker``), with its progress and its result kept for the user who asked.

The queue is Django's tasks framework (the ``django-tasks`` backport with its database
backend, so no server beyond the database is needed); the queue holds one task,
``run_job``, with the id of a ``Job`` row that says what to do. Each kind of job has a
handler, registered by the layer that owns the work (``register``).

- ``start`` creates the job in the caller's transaction and queues it when that transaction
  commits: work asked for in a request that is rolled back never runs (no e-mail about an
  approval that did not happen).
- A handler's work runs in one transaction with the job's result: a job that fails (or a
  worker that dies) leaves nothing half-written. A failed job is queued again while it has
  attempts left, else marked failed with its reason.
- The worker records a heartbeat (``beat``); /readyz and the job page read it
  (``last_heartbeat``, ``worker_running``).
- Finished jobs are kept ``LAWGOV_JOBS["KEEP_DAYS"]`` days, then deleted with their files
  by the daily run (``prune``).
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from registers.core.models import Job, JobKind, JobStatus, ScheduledRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

Handler = Callable[[Job], dict]
#: ``check(request, job)``: whether the request may read the file ``job`` made, asked at
#: each download.
FileCheck = Callable[[Any, Job], bool]

_handlers: dict[str, Handler] = {}
_file_checks: dict[str, FileCheck] = {}


class JobError(Exception):
    """A failure whose message is already the reason a user should read, with what the
    job found (``result``: an upload's mistakes). Trying again would fail the same way."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


def register(kind: JobKind, handler: Handler, *, file_check: FileCheck | None = None) -> None:
    """Let the worker run jobs of ``kind`` with ``handler(job) -> result summary``; a kind
    that makes a file says who may read it (``file_check``)."""
    _handlers[JobKind(kind)] = handler
    if file_check is not None:
        _file_checks[JobKind(kind)] = file_check


def may_read_file(request, job: Job) -> bool:
    """Whether ``request`` (its user, and an API client's token) may download the file
    ``job`` made: its kind's access rule, asked again at each download, as the file holds
    what the rule let its maker read when it ran (a role or unit changed since then changes
    the answer). A kind without a rule makes no file anyone reads."""
    check = _file_checks.get(JobKind(job.kind))
    return check is not None and check(request, job)


def config() -> dict:
    return settings.LAWGOV_JOBS


# --- Starting -------------------------------------------------------------------------------


def start(
    kind: JobKind,
    title: str,
    *,
    user=None,
    params: dict | None = None,
    input_file=None,
    max_attempts: int = 1,
) -> Job:
    """Create a job and queue it once the current transaction commits."""
    job = Job(
        kind=kind,
        title=title[:300],
        user=user,
        params=params or {},
        max_attempts=max(max_attempts, 1),
    )
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int, delay_seconds: int = 0) -> None:
    queued = run_job
    if delay_seconds:
        queued = run_job.using(run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds))
    queued.enqueue(job_id)


# --- Running --------------------------------------------------------------------------------


@task()
def run_job(job_id: int) -> str:
    """The one task the queue holds: run the job ``job_id`` by its kind's handler."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), finished_at=None
    )
    if not claimed:
        return "skipped"  # already run, or gone
    job = Job.objects.get(pk=job_id)
    job.attempts += 1
    Job.objects.filter(pk=job_id).update(attempts=job.attempts)
    try:
        handler = _handlers[JobKind(job.kind)]
        with transaction.atomic():
            result = handler(job) or {}
            job.status = JobStatus.SUCCEEDED
            job.result = result
            job.error = ""
            job.finished_at = timezone.now()
            job.save()
    except Exception as error:  # every failure is recorded on the job, with its reason
        logger.warning("Job %s (%s) failed: %r", job_id, job.kind, error)
        if isinstance(error, JobError):
            job.max_attempts = job.attempts
        _failed(job, reason_for(error, JobKind(job.kind)), getattr(error, "result", None))
    finally:
        clear_progress(job_id)
    return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def _failed(job: Job, reason: str, result: dict | None = None) -> None:
    retry = job.attempts < job.max_attempts
    delay = config()["RETRY_SECONDS"] * job.attempts
    if retry:
        reason = _("第 %(n)d 次尝试失败：%(reason)s；%(seconds)d 秒后重试。") % {
            "n": job.attempts,
            "reason": reason.rstrip("。"),
            "seconds": delay,
        }
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED if retry else JobStatus.FAILED,
        error=reason,
        result=result or {},
        finished_at=None if retry else timezone.now(),
    )
    if retry:
        transaction.on_commit(lambda: _enqueue(job.pk, delay))


def reason_for(error: BaseException, kind: JobKind) -> str:
    """What a user reads about a failure (the details go to the log)."""
    if isinstance(error, JobError):
        return str(error)
    if kind == JobKind.MAIL and _timed_out(error):
        return _("连接邮件服务器超时（%(seconds)s 秒）。") % {"seconds": settings.EMAIL_TIMEOUT}
    if kind == JobKind.MAIL and isinstance(error, smtplib.SMTPException | OSError):
        return _("邮件服务器出错：%(error)s") % {"error": error or type(error).__name__}
    return _("任务出错（%(error)s）。") % {"error": type(error).__name__}


def _timed_out(error: BaseException | None) -> bool:
    """Whether a time-out lies behind ``error`` (smtplib reports one as a disconnection)."""
    while error is not None:
        if isinstance(error, TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


def recover_interrupted() -> int:
    """Jobs left running by a worker that stopped mid-way: their transaction was rolled
    back, so each is queued again (or failed when out of attempts). Run as a worker starts;
    with several workers, a job running on another one is left alone while its worker beats.
    """
    if worker_running(exclude_self=True):
        return 0
    interrupted = list(Job.objects.filter(status=JobStatus.RUNNING))
    for job in interrupted:
        _failed(job, _("后台任务进程中断，未写入任何内容。"))
    return len(interrupted)


# --- Progress -------------------------------------------------------------------------------
# Progress is written beside the shared files, not in the database: the job's own writes sit
# in an open transaction until it ends, and a progress row written there would not be seen.


def _progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "progress" / str(job_id)


def report_progress(job_id: int, done: int, total: int) -> None:
    path = _progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{done} {total}")


def progress(job_id: int) -> tuple[int, int] | None:
    """(done, total) of a running job, when it has reported any."""
    try:
        done, total = _progress_path(job_id).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return None


def clear_progress(job_id: int) -> None:
    _progress_path(job_id).unlink(missing_ok=True)


# --- The worker's heartbeat -----------------------------------------------------------------


def worker_name() -> str:
    """This process, as its heartbeat names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat() -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker_name(), defaults={"seen_at": timezone.now()}
    )


def last_heartbeat() -> datetime.datetime | None:
    """When a worker was last heard from (``settings.HEALTH_WORKER_HEARTBEAT``)."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def worker_running(*, exclude_self: bool = False) -> bool:
    """Whether some worker beat recently enough to be taken as running."""
    limit = timezone.now() - datetime.timedelta(seconds=config()["WORKER_SILENCE_SECONDS"])
    beats = WorkerHeartbeat.objects.filter(seen_at__gte=limit)
    if exclude_self:
        beats = beats.exclude(worker=worker_name())
    return beats.exists()


# --- The schedule ---------------------------------------------------------------------------

_schedule: dict[str, tuple[Callable[[], datetime.time], Callable[[], object]]] = {}


def schedule(name: str, at: Callable[[], datetime.time], start_job: Callable[[], object]) -> None:
    """Start ``start_job()`` once a day, at the first look after ``at()`` (local time)."""
    _schedule[name] = (at, start_job)


def run_schedule(now: datetime.datetime | None = None) -> list[str]:
    """Start what is due today and not yet started: a day missed while no worker ran is
    made up at the next look that day. Returns the names started."""
    now = timezone.localtime(now)
    started = []
    for name, (at, start_job) in _schedule.items():
        if now.time() < at():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, day=now.date())
                start_job()
        except IntegrityError:
            continue  # started today already (by this worker or another)
        started.append(name)
    return started


# --- Pruning --------------------------------------------------------------------------------


def prune(now: datetime.datetime | None = None) -> int:
    """Delete the jobs finished more than ``KEEP_DAYS`` days ago, their uploaded and made
    files (once the deletion commits) and the queue's finished entries as old. Jobs waiting
    or running are kept whatever their age. Returns how many jobs were deleted."""
    limit = (now or timezone.now()) - datetime.timedelta(days=config()["KEEP_DAYS"])
    old = Job.objects.filter(
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], finished_at__lt=limit
    )
    files = [
        (field.storage, field.name)
        for job in old.only("id", "input_file", "output_file")
        for field in (job.input_file, job.output_file)
        if field
    ]
    deleted, _by_model = old.delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=limit).delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return deleted


def connect() -> None:
    schedule("prune_jobs", lambda: datetime.time.fromisoformat(config()["PRUNE_AT"]), prune)
