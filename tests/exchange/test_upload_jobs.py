"""Large uploads: above ``LAWGOV_JOBS["UPLOAD_ROWS"]`` rows the worker checks and writes the
file, and the uploader follows the job to the same result (page and API)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from registers.core.models import Job, JobStatus
from registers.core.status import Status
from registers.models import InspectionItem
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from tests.factories import make_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def two_rows_are_many(settings):
    settings.LAWGOV_JOBS = {**settings.LAWGOV_JOBS, "UPLOAD_ROWS": 2}


def attached(data: bytes):
    return SimpleUploadedFile("items.xlsx", data, content_type=XLSX)


def three_items(**changes) -> bytes:
    return make_xlsx([item_row(f"SJ-{n}", **changes) for n in (1, 2, 3)], ITEM_HEADER)


def test_a_large_upload_is_done_by_the_worker_and_its_page_shows_the_result(
    client, liaison, unit_a, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/data/",
            {"register": "inspection-items", "file": attached(three_items()), "submit": "on"},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert not InspectionItem.objects.exists()  # not inside the request
    text = client.get(response.url).content.decode()
    assert "文件较大，已交给后台任务处理" in text and "排队中" in text
    run_jobs()
    text = client.get(response.url).content.decode()
    assert "已完成" in text and "已导入 3 条“随机抽查事项清单”记录（读取 3 行）" in text
    assert 'http-equiv="refresh"' not in text
    assert set(InspectionItem.objects.values_list("unit", "status")) == {
        (unit_a.pk, Status.SUBMITTED)
    }


def test_a_large_bad_upload_fails_its_job_with_every_mistake_and_imports_nothing(
    client, liaison, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/data/",
            {"register": "inspection-items", "file": attached(three_items(清单年度="今年"))},
        )
    run_jobs()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.attempts == 1  # not tried again
    assert job.error == "上传的文件有 3 处错误，没有导入任何记录。"
    text = client.get(response.url).content.decode()
    assert "失败" in text and "“今年”不是有效的整数。" in text
    assert not InspectionItem.objects.exists()


def test_the_api_answers_a_large_upload_with_its_job(
    liaison, liaison2, run_jobs, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/uploads/inspection-items/",
            {"file": attached(three_items())},
            format="multipart",
        )
    assert response.status_code == 202
    url = response.json()["url"]
    assert response["Location"] == url
    assert api.get(url).json()["status"] == "queued"
    run_jobs()
    job = api.get(url).json()
    assert (job["status"], job["result"]["created"], job["result"]["rows"]) == ("succeeded", 3, 3)
    assert job["result"]["status"] == Status.DRAFT
    other = APIClient()
    other.force_authenticate(liaison2)
    assert other.get(url).status_code == 404


def test_a_small_upload_is_still_answered_at_once(client, liaison):
    client.force_login(liaison)
    file = make_xlsx([item_row("SJ-1"), item_row("SJ-2")], ITEM_HEADER)
    response = client.post("/data/", {"register": "inspection-items", "file": attached(file)})
    assert response.status_code == 200
    assert InspectionItem.objects.count() == 2 and not Job.objects.exists()


def test_the_admins_import_button_hands_a_large_file_to_the_worker_too(
    client, office, unit_a, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:registers_inspectionitem_import"),
            {"file": attached(three_items(unit=unit_a.name))},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    run_jobs()
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (JobStatus.SUCCEEDED, 3)
    assert InspectionItem.objects.filter(unit=unit_a).count() == 3
