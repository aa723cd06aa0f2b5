"""The annual report through the API: figures with previous-year values, live and published
files, and what each role may read."""

import datetime
import json

import pytest

from registers.core.models import Job
from registers.core.status import Status
from tests.api.conftest import client_for
from tests.factories import make_reconsideration
from xianan_lawgov.reports.models import Report
from xianan_lawgov.reports.services import get_or_start_report, publish


@pytest.fixture
def cases(unit_a, unit_b):
    for unit, day in (
        (unit_a, datetime.date(2017, 3, 6)),
        (unit_b, datetime.date(2017, 5, 8)),
        (unit_a, datetime.date(2016, 4, 1)),
    ):
        make_reconsideration(unit, received_on=day, status=Status.APPROVED)
    make_reconsideration(unit_a, received_on=datetime.date(2017, 6, 1))  # a draft: not counted


def _figure(body, key):
    return next(figure for figure in body["figures"] if figure["key"] == key)


def test_figures_come_with_measure_and_previous_year(municipal, cases):
    body = client_for(municipal).get("/api/v1/reports/2017/figures/").json()
    received = _figure(body, "reconsideration.received")
    assert (received["value"], received["previous"], received["change"]) == (2, 1, 1)
    assert received["measure"] == "件" and received["label"] == "收到复议申请"


def test_a_unit_report_counts_that_units_records_and_a_liaison_reads_only_their_own(
    clients, cases, unit_a, unit_b
):
    body = clients["office"].get("/api/v1/reports/2017/figures/", {"unit": unit_b.code}).json()
    assert body["unit"] == unit_b.code
    assert _figure(body, "reconsideration.received")["value"] == 1
    own = clients["liaison"].get("/api/v1/reports/2017/figures/").json()
    assert own["unit"] == unit_a.code
    other = clients["liaison"].get("/api/v1/reports/2017/figures/", {"unit": unit_b.code})
    assert other.status_code == 404
    assert clients["anonymous"].get("/api/v1/reports/2017/figures/").status_code == 401
    assert clients["office"].get("/api/v1/reports/1990/figures/").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml", b"PK"),
    ],
)
def test_the_districts_office_files_are_made_by_the_worker(
    municipal, cases, fmt, content_type, magic, run_jobs, django_capture_on_commit_callbacks
):
    client = client_for(municipal)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.get(f"/api/v1/reports/2017/report.{fmt}")
    assert queued.status_code == 202
    assert queued["Location"] == queued.json()["url"]
    assert queued.json()["status"] == "queued"
    run_jobs()
    job = client.get(queued.json()["url"]).json()
    assert job["status"] == "succeeded"
    response = client.get(job["download"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert b"".join(response).startswith(magic)


def test_a_units_office_file_is_made_in_the_request(municipal, cases, unit_a):
    response = client_for(municipal).get("/api/v1/reports/2017/report.xlsx", {"unit": unit_a.code})
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_no_job_is_started_for_a_version_that_does_not_exist(municipal, cases):
    response = client_for(municipal).get("/api/v1/reports/2017/versions/9/report.docx")
    assert (response.status_code, response.json()["code"]) == (404, "version_not_found")
    assert not Job.objects.exists()


def test_published_versions_are_listed_and_stay_as_published(municipal, office, cases, unit_a):
    report = get_or_start_report(2017, None, by=office)
    publish(report, by=office)
    make_reconsideration(unit_a, received_on=datetime.date(2017, 9, 1), status=Status.APPROVED)
    client = client_for(municipal)

    versions = client.get("/api/v1/reports/2017/versions/").json()
    assert [v["version"] for v in versions] == [1]
    frozen = json.loads(client.get(versions[0]["files"]["json"]).content)
    live = json.loads(client.get("/api/v1/reports/2017/report.json").content)
    assert _figure(frozen, "reconsideration.received")["value"] == 2
    assert _figure(live, "reconsideration.received")["value"] == 3
    assert client.get("/api/v1/reports/2017/versions/2/report.json").status_code == 404
    assert Report.objects.filter(year=2017, unit=None).count() == 1


def test_a_year_or_format_that_does_not_exist_is_named_in_the_answer(municipal):
    municipal = client_for(municipal)
    response = municipal.get("/api/v1/reports/2031/figures/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("没有 2031 年度的报告：年度须在")
    assert response.json()["code"] == "year_out_of_range"
    response = municipal.get("/api/v1/reports/2017/report.pdf")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "不支持的格式“pdf”：可选 html、docx、xlsx、json。", "code": "unknown_format"},
    )
