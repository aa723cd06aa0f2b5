"""A system reading through the API sees private persons' names and telephone numbers masked
unless its token was granted personal data (个人信息保护法: the minimum needed); people see
them as the admin shows them. One rule for lists, records, exports and search."""

import datetime
import io
import json

import openpyxl
import pytest
from rest_framework.test import APIClient

from registers.core.personal import mask_identity_number, mask_name, mask_phone, masked_str
from registers.core.roles import Role
from registers.core.status import Status
from tests.api.conftest import client_for
from tests.factories import (
    make_accountability,
    make_litigation,
    make_reconsideration,
    make_target,
    make_token,
    make_user,
)

CASES = [
    ("reconsideration-cases", make_reconsideration, "applicant", "欧阳娜娜"),
    ("litigation-cases", make_litigation, "plaintiff", "李四光"),
    ("accountability-records", make_accountability, "person", "王五"),
    ("inspection-targets", make_target, "legal_representative", "赵六"),
]


def system_client(grants_personal_data: bool) -> APIClient:
    system = make_user(Role.API_CLIENT, username=f"city{int(grants_personal_data)}")
    client = APIClient()
    key = make_token(system, grants_personal_data=grants_personal_data)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_masks():
    assert mask_name("欧阳娜娜") == "欧**" and mask_name("") == ""
    assert mask_phone("13812345678") == "138****5678" and mask_phone("8123") == "****23"
    assert mask_identity_number("42120219800101123X") == "421202********123X"


@pytest.mark.parametrize(("prefix", "make", "field", "name"), CASES)
def test_a_system_without_the_grant_sees_names_masked_everywhere(prefix, make, field, name, unit_a):
    make(unit_a, **{field: name})
    client = system_client(grants_personal_data=False)
    masked = name[0] + "**"
    listed = client.get(f"/api/v1/{prefix}/").json()["results"][0]
    assert listed[field] == masked
    assert client.get(f"/api/v1/{prefix}/{listed['id']}/").json()[field] == masked
    csv = b"".join(client.get(f"/api/v1/{prefix}/export.csv").streaming_content).decode()
    assert masked in csv and name not in csv
    ndjson = b"".join(client.get(f"/api/v1/{prefix}/export.ndjson").streaming_content)
    assert json.loads(ndjson.splitlines()[0])[field] == masked
    # Searching for the name would tell which record holds it: it finds nothing.
    assert client.get(f"/api/v1/{prefix}/", {"search": name[1:]}).json()["results"] == []


@pytest.mark.parametrize(("prefix", "make", "field", "name"), CASES)
def test_a_granted_system_and_people_see_names_in_full(prefix, make, field, name, unit_a, office):
    make(unit_a, **{field: name})
    for client in (system_client(grants_personal_data=True), client_for(office)):
        assert client.get(f"/api/v1/{prefix}/").json()["results"][0][field] == name
        found = client.get(f"/api/v1/{prefix}/", {"search": name[1:]}).json()["results"]
        assert len(found) == 1


def test_a_telephone_number_is_masked_for_a_system_without_the_grant(unit_a):
    make_target(unit_a, contact="0715-8123456")
    row = system_client(grants_personal_data=False).get("/api/v1/inspection-targets/").json()
    assert row["results"][0]["contact"] == "071****3456"


def _workbook_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.mark.parametrize("grants_personal_data", [False, True], ids=["no-grant", "grant"])
def test_the_annual_reports_workbook_names_cases_as_the_token_may_see_them(
    grants_personal_data, unit_a, run_jobs, django_capture_on_commit_callbacks
):
    make_reconsideration(
        unit_a, applicant="欧阳娜娜", received_on=datetime.date(2017, 3, 1), status=Status.APPROVED
    )
    client = system_client(grants_personal_data)
    unit_file = client.get("/api/v1/reports/2017/report.xlsx", {"unit": unit_a.code})
    assert unit_file.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get("/api/v1/reports/2017/report.xlsx")
    assert started.status_code == 202  # the whole district's file is made in the background
    run_jobs()
    district_file = client.get(client.get(started.json()["url"]).json()["download"])
    assert district_file.status_code == 200

    for response in (unit_file, district_file):
        text = _workbook_text(b"".join(response))
        assert "（欧**）" in text or grants_personal_data
        assert ("欧阳娜娜" in text) is grants_personal_data


def test_a_district_file_with_names_is_not_served_to_a_token_without_the_grant(
    unit_a, run_jobs, django_capture_on_commit_callbacks
):
    """Two systems of one account: the file made for the token granted personal data is
    not downloaded with the other."""
    system = make_user(Role.API_CLIENT, username="city_two_tokens")
    granted, plain = APIClient(), APIClient()
    granted.credentials(HTTP_AUTHORIZATION=f"Token {make_token(system, grants_personal_data=True)}")
    plain.credentials(HTTP_AUTHORIZATION=f"Token {make_token(system)}")
    with django_capture_on_commit_callbacks(execute=True):
        job_url = granted.get("/api/v1/reports/2017/report.xlsx").json()["url"]
    run_jobs()
    download = granted.get(job_url).json()["download"]
    assert granted.get(download).status_code == 200
    assert plain.get(job_url).json()["download"] is None
    assert plain.get(download).status_code == 404


@pytest.mark.parametrize(("prefix", "make", "field", "name"), CASES)
def test_a_record_named_by_a_person_is_named_masked_and_left_as_it_was(
    prefix, make, field, name, unit_a
):
    record = make(unit_a, **{field: name})
    shown = masked_str(record)
    if name in str(record):
        assert name not in shown and name[0] + "**" in shown
    assert getattr(record, field) == name
