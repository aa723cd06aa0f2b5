"""Large updates by re-upload: the preview is shown at once; applying a file of more than
``LAWGOV_JOBS["UPLOAD_ROWS"]`` rows is done by the worker, all or nothing as in the request,
and the user follows the job to its result (page and API)."""

import pytest
from rest_framework.test import APIClient

from registers.core.models import Job, JobStatus
from registers.core.roles import Role
from registers.core.status import Status
from registers.models import Document, User
from tests.exchange import test_update_api as api_flow
from tests.exchange.test_update_page import PAGE, apply, corrected, preview
from tests.factories import make_document


@pytest.fixture(autouse=True)
def one_row_is_many(settings):
    settings.LAWGOV_JOBS = {**settings.LAWGOV_JOBS, "UPLOAD_ROWS": 0}


@pytest.fixture
def draft(unit_a):
    return make_document(
        unit_a, title="咸安区示例管理办法", number="咸安政规〔2017〕1号", status=Status.DRAFT
    )


def title_of(record) -> str:
    return Document.objects.get(pk=record.pk).title


def test_a_large_update_is_applied_by_the_worker_and_its_page_says_what_was_done(
    client, liaison, draft, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    previewed = preview(client, corrected(client))
    assert previewed.status_code == 200  # the preview is answered at once
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, previewed, submit="on")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert title_of(draft) == "咸安区示例管理办法"  # not inside the request
    text = client.get(response.url).content.decode()
    assert "文件较大，已交给后台任务处理" in text and "排队中" in text

    run_jobs()

    text = client.get(response.url).content.decode()
    assert "已完成" in text
    assert (
        "已更新 1 条、新建 0 条“规范性文件登记”记录。当前状态：已报送（等待法制办审核） 1 条。"
        in text
    )
    record = Document.objects.get(pk=draft.pk)
    assert (record.title, record.status) == ("咸安区示例管理办法（修订）", Status.SUBMITTED)
    # The preview is used up: applying it again does nothing.
    again = apply(client, previewed)
    assert again.status_code == 302 and again.url == PAGE
    assert Job.objects.count() == 1


def test_a_record_changed_before_the_worker_applies_fails_the_job_and_changes_nothing(
    client, liaison, draft, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    previewed = preview(client, corrected(client))
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, previewed)
    record = Document.objects.get(pk=draft.pk)
    record.note = "同事刚补充的备注"
    record.save()

    run_jobs()

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.attempts == 1  # not tried again
    assert "预览之后，文件涉及的记录有了变化" in job.error
    assert "预览之后，文件涉及的记录有了变化" in client.get(response.url).content.decode()
    record.refresh_from_db()
    assert (record.title, record.note) == ("咸安区示例管理办法", "同事刚补充的备注")


def test_the_api_answers_a_large_update_with_its_job(
    liaison, liaison2, draft, run_jobs, django_capture_on_commit_callbacks
):
    client = api_flow.client_for(liaison)
    data = api_flow.corrected(client)
    fingerprint = api_flow.upload(client, api_flow.PREVIEW, data).json()["fingerprint"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_flow.upload(client, api_flow.APPLY, data, fingerprint=fingerprint)
    assert response.status_code == 202
    url = response.json()["url"]
    assert response["Location"] == url and client.get(url).json()["status"] == "queued"

    run_jobs()

    job = client.get(url).json()
    assert job["status"] == "succeeded"
    assert (job["result"]["changed"], job["result"]["new"]) == (1, 0)
    assert title_of(draft) == "咸安区示例管理办法（修订）"
    other = APIClient()
    other.force_authenticate(liaison2)
    assert other.get(url).status_code == 404


def test_a_job_whose_user_may_no_longer_update_fails_and_changes_nothing(
    client, liaison, draft, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    previewed = preview(client, corrected(client))
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, previewed)
    User.objects.filter(pk=liaison.pk).update(role=Role.LEADER)  # moved to reading only

    run_jobs()

    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, "无权按编号更新这个台账。")
    assert title_of(draft) == "咸安区示例管理办法"
