"""The job queue: e-mail after commit, a hung mail server, retries, a worker that stopped,
who follows which job, and the daily schedule."""

import datetime
import socket
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings

from registers.core import jobs
from registers.core.models import CalendarDay, Job, JobKind, JobStatus, ScheduledRun
from registers.core.status import Status
from registers.core.workflow import approve, submit
from tests.factories import make_rectification
from tests.workflowapp.models import Memo
from xianan_lawgov.workspace.models import Notification

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int, minute: int = 0):
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def submitted(liaison, unit_a):
    liaison.email = "liaison@example.gov.cn"
    liaison.save()
    record = Memo.objects.create(title="备忘一", unit=unit_a, created_by=liaison)
    return submit(record, by=liaison)


@pytest.fixture
def hung_mail_server():
    """A mail server that accepts connections and never answers (as the one that held an
    approval for 25 seconds did)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


# --- E-mail ----------------------------------------------------------------------------------


def test_an_approval_is_mailed_by_the_worker_after_it_commits(
    office, submitted, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(submitted, by=office)
    assert mail.outbox == []
    job = Job.objects.get(kind=JobKind.MAIL)
    assert job.status == JobStatus.QUEUED and job.user is None
    run_jobs()
    assert [message.to for message in mail.outbox] == [["liaison@example.gov.cn"]]
    assert "备忘一" in mail.outbox[0].subject
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_an_approval_rolled_back_sends_nothing(
    office, submitted, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            approve(submitted, by=office)
            raise RuntimeError("something later in the same request failed")
    run_jobs()
    assert mail.outbox == []
    assert not Job.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_hung_mail_server_fails_the_mail_with_its_reason_and_the_approval_stands(
    office, submitted, django_capture_on_commit_callbacks, run_jobs, settings, hung_mail_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hung_mail_server
    settings.EMAIL_TIMEOUT = 1
    settings.LAWGOV_JOBS = {**settings.LAWGOV_JOBS, "MAIL_ATTEMPTS": 1}
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        approve(submitted, by=office)
    assert time.monotonic() - started < 1  # the approval does not wait for the mail server
    run_jobs()
    job = Job.objects.get(kind=JobKind.MAIL)
    assert job.status == JobStatus.FAILED
    assert job.error == "连接邮件服务器超时（1 秒）。"
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert Notification.objects.filter(user=submitted.created_by).exists()


def test_a_failed_mail_is_tried_again_later_while_it_has_attempts(
    office, submitted, django_capture_on_commit_callbacks, run_jobs, settings, hung_mail_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hung_mail_server
    settings.EMAIL_TIMEOUT = 1
    settings.LAWGOV_JOBS = {**settings.LAWGOV_JOBS, "MAIL_ATTEMPTS": 2, "RETRY_SECONDS": 60}
    with django_capture_on_commit_callbacks(execute=True):
        approve(submitted, by=office)
    run_jobs()
    job = Job.objects.get(kind=JobKind.MAIL)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert job.error == "第 1 次尝试失败：连接邮件服务器超时（1 秒）；60 秒后重试。"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(datetime.timedelta(seconds=61)):
        run_jobs()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (JobStatus.SUCCEEDED, 2, "")
    assert len(mail.outbox) == 1


# --- A worker that stopped -------------------------------------------------------------------


def test_a_job_left_running_by_a_stopped_worker_is_queued_again(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.start(JobKind.DEADLINE_NOTIFICATIONS, "期限提醒", max_attempts=2)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=False):
        assert jobs.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "后台任务进程中断，未写入任何内容" in job.error
    # Interrupted again on its last attempt: failed, with the reason.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2)
    jobs.recover_interrupted()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "后台任务进程中断，未写入任何内容。")


def test_with_no_worker_the_job_page_says_the_job_waits(client, liaison, db):
    job = Job.objects.create(kind=JobKind.REPORT_FILE, title="2017 年度报告（DOCX）", user=liaison)
    client.force_login(liaison)
    text = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "后台任务进程未运行，任务排队等待中" in text
    assert 'http-equiv="refresh"' in text
    jobs.beat()
    text = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "后台任务进程未运行" not in text and "任务排队等待中" in text
    api = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["status"] == "queued" and api["message"] == "任务排队等待中，页面会自动刷新。"


# --- Who follows which job -------------------------------------------------------------------


def test_a_job_is_seen_by_whoever_started_it_and_the_office(client, liaison, liaison2, office):
    mine = Job.objects.create(kind=JobKind.UPLOAD, title="上传随机抽查事项清单", user=liaison)
    system = Job.objects.create(kind=JobKind.MAIL, title="邮件：提醒 → a@example.gov.cn")
    client.force_login(liaison2)
    assert client.get(f"/jobs/{mine.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{mine.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{system.pk}/").status_code == 404
    assert client.get("/api/v1/jobs/").json()["results"] == []
    assert "上传随机抽查事项清单" not in client.get("/jobs/").content.decode()
    client.force_login(liaison)
    assert client.get(f"/jobs/{mine.pk}/").status_code == 200
    assert [row["id"] for row in client.get("/api/v1/jobs/").json()["results"]] == [mine.pk]
    client.force_login(office)
    listed = {row["id"] for row in client.get("/api/v1/jobs/").json()["results"]}
    assert listed == {mine.pk, system.pk}
    assert client.get(f"/jobs/{mine.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/api/v1/jobs/{mine.pk}/").status_code == 401


# --- The schedule ----------------------------------------------------------------------------


def test_the_worker_starts_the_deadline_reminders_once_a_day(
    liaison, unit_a, django_capture_on_commit_callbacks, run_jobs
):
    make_rectification(
        unit_a,
        problem="超期未整改的问题",
        found_on=datetime.date(2017, 5, 1),
        due_on=datetime.date(2017, 6, 9),
        status=Status.APPROVED,
    )
    day = datetime.date(2017, 6, 13)
    with at(day, 7, 59), django_capture_on_commit_callbacks(execute=True):
        assert jobs.run_schedule() == ["prune_jobs"]  # the night's pruning, due at 03:00
    with at(day, 8, 0), django_capture_on_commit_callbacks(execute=True):
        assert jobs.run_schedule() == ["deadline_notifications"]
    with at(day, 15, 0), django_capture_on_commit_callbacks(execute=True):
        assert jobs.run_schedule() == []  # once a day, however often the worker looks
    with at(day, 15, 0):
        run_jobs()
    job = Job.objects.get(kind=JobKind.DEADLINE_NOTIFICATIONS)
    assert (job.status, job.result) == (JobStatus.SUCCEEDED, {"created": 1})
    assert Notification.objects.filter(user=liaison).count() == 1
    with (
        at(day + datetime.timedelta(days=1), 8, 5),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sorted(jobs.run_schedule()) == ["deadline_notifications", "prune_jobs"]
    assert ScheduledRun.objects.count() == 4


def test_the_daily_run_deletes_jobs_finished_long_ago_with_their_files(
    office, django_capture_on_commit_callbacks, run_jobs, settings
):
    settings.LAWGOV_JOBS = {**settings.LAWGOV_JOBS, "KEEP_DAYS": 30, "PRUNE_AT": "03:00"}
    day = datetime.date(2017, 6, 13)

    def finished(title: str, days_ago: int, status=JobStatus.SUCCEEDED) -> Job:
        job = Job.objects.create(
            kind=JobKind.REPORT_FILE,
            title=title,
            user=office,
            status=status,
            finished_at=datetime.datetime(2017, 6, 13, 2, 0, tzinfo=SHANGHAI)
            - datetime.timedelta(days=days_ago),
        )
        job.output_file.save(f"{title}.xlsx", ContentFile(b"made"))
        return job

    old = finished("old-report", 31)
    old_failure = finished("old-failure", 45, JobStatus.FAILED)
    recent = finished("recent-report", 29)
    waiting = Job.objects.create(kind=JobKind.MAIL, title="still-waiting")
    Job.objects.filter(pk=waiting.pk).update(
        created_at=datetime.datetime(2017, 1, 1, tzinfo=SHANGHAI)
    )
    old_path = Path(old.output_file.path)
    assert old_path.exists()

    with at(day, 2, 59), django_capture_on_commit_callbacks(execute=True):
        assert jobs.run_schedule() == []
    assert Job.objects.count() == 4
    with at(day, 3, 0), django_capture_on_commit_callbacks(execute=True):
        assert jobs.run_schedule() == ["prune_jobs"]
    assert set(Job.objects.values_list("title", flat=True)) == {"recent-report", "still-waiting"}
    assert not old_path.exists() and not Path(old_failure.output_file.path).exists()
    assert Path(recent.output_file.path).exists()
    with at(day, 23, 0), django_capture_on_commit_callbacks(execute=True):
        assert "prune_jobs" not in jobs.run_schedule()  # once a day


def test_a_calendar_change_checks_the_deadlines_again(
    office, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=datetime.date(2017, 6, 12), is_working_day=False)
        CalendarDay.objects.create(date=datetime.date(2017, 6, 13), is_working_day=False)
    job = Job.objects.get()  # one check for days entered in a row
    assert job.kind == JobKind.CALENDAR_CHANGED
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


@override_settings(LAWGOV_JOBS={"WORKER_SILENCE_SECONDS": 60})
def test_the_worker_is_taken_as_stopped_once_silent(db):
    with time_machine.travel(datetime.datetime(2017, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        jobs.beat()
    with time_machine.travel(datetime.datetime(2017, 6, 1, 9, 0, 59, tzinfo=SHANGHAI)):
        assert jobs.worker_running()
    with time_machine.travel(datetime.datetime(2017, 6, 1, 9, 1, 1, tzinfo=SHANGHAI)):
        assert not jobs.worker_running()
    assert jobs.last_heartbeat() == datetime.datetime(2017, 6, 1, 1, 0, tzinfo=datetime.UTC)
