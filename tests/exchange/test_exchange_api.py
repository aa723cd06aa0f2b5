"""The exchange API: templates and uploads by role, errors as JSON with codes."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from registers.core.status import Status
from registers.models import InspectionItem
from tests.exchange.test_uploads import ITEM_HEADER, item_row
from tests.factories import make_token, make_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "/api/v1/templates/inspection-items.xlsx"
UPLOAD = "/api/v1/uploads/inspection-items/"


def attached(data: bytes, name="items.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def token_client(municipal):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(municipal)}")
    return client


def test_a_liaison_downloads_a_template(liaison):
    response = client_for(liaison).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["数据"][1]][:3] == ["填报单位", "清单年度", "事项编码"]


def test_the_template_is_served_when_asked_for_by_its_media_type(liaison):
    response = client_for(liaison).get(TEMPLATE, HTTP_ACCEPT=XLSX)
    assert response.status_code == 200


def test_the_register_list_gives_each_templates_and_uploads_address(liaison):
    response = client_for(liaison).get("/api/v1/templates/")
    assert response.status_code == 200
    rows = {row["register"]: row for row in response.json()}
    assert rows["inspection-items"]["title"] == "随机抽查事项清单"
    assert rows["inspection-items"]["template"].endswith(TEMPLATE)
    assert rows["inspection-items"]["upload"].endswith(UPLOAD)
    assert "contracts" in rows


def test_a_good_upload_answers_201_with_what_was_created(liaison, unit_a):
    data = make_xlsx([item_row("SJ-1", unit=unit_a.name), item_row("SJ-2")], ITEM_HEADER)
    response = client_for(liaison).post(UPLOAD, {"file": attached(data), "submit": "true"})
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "register": "inspection-items",
        "title": "随机抽查事项清单",
        "rows": 2,
        "created": 2,
        "status": "submitted",
        "status_label": "已报送",
        "unit": unit_a.name,
    }
    assert set(InspectionItem.objects.values_list("unit", "status")) == {
        (unit_a.pk, Status.SUBMITTED)
    }


def test_a_bad_upload_answers_400_with_every_mistake_and_its_code(liaison):
    data = make_xlsx(
        [item_row("SJ-1", 清单年度="今年"), item_row("SJ-2", 事项类别="专项")], ITEM_HEADER
    )
    response = client_for(liaison).post(UPLOAD, {"file": attached(data)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_upload"
    assert "2 处错误" in body["detail"]
    assert body["errors"] == [
        {
            "sheet": "数据",
            "row": 2,
            "column": "清单年度",
            "column_letter": "B",
            "reason": "“今年”不是有效的整数。",
            "code": "invalid_integer",
        },
        {
            "sheet": "数据",
            "row": 3,
            "column": "事项类别",
            "column_letter": "E",
            "reason": "“专项”不是有效的选项，可选：行政检查事项、其他有法律依据的检查事项",
            "code": "invalid_choice",
        },
    ]
    assert not InspectionItem.objects.exists()


def test_a_file_refused_as_a_whole_says_why(liaison):
    response = client_for(liaison).post(UPLOAD, {"file": attached(b"just text", "items.xlsx")})
    assert response.status_code == 400
    assert response.json()["code"] == "not_xlsx"
    assert [error["code"] for error in response.json()["errors"]] == ["not_xlsx"]
    assert response.json()["errors"][0]["row"] is None


def test_an_upload_without_a_file_is_refused(liaison):
    response = client_for(liaison).post(UPLOAD, {"submit": "true"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_a_body_over_the_limit_is_refused_unread(liaison, settings):
    settings.LAWGOV = {**settings.LAWGOV, "UPLOAD_MAX_BYTES": 1024}
    data = make_xlsx([item_row(f"SJ-{n}") for n in range(200)], ITEM_HEADER)
    response = client_for(liaison).post(UPLOAD, {"file": attached(data)})
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"


def test_the_office_uploads_for_a_named_unit_and_may_approve(office, unit_b):
    data = make_xlsx([item_row()], ITEM_HEADER)
    response = client_for(office).post(
        UPLOAD, {"file": attached(data), "unit": unit_b.code, "approve": "true"}
    )
    assert response.status_code == 201, response.json()
    item = InspectionItem.objects.get()
    assert (item.unit, item.status) == (unit_b, Status.APPROVED)


def test_a_liaison_may_not_approve_or_upload_for_another_unit(liaison, unit_b):
    data = make_xlsx([item_row()], ITEM_HEADER)
    api = client_for(liaison)
    approve = api.post(UPLOAD, {"file": attached(data), "approve": "true"})
    other = api.post(UPLOAD, {"file": attached(data), "unit": unit_b.name})
    assert (approve.status_code, approve.json()["code"]) == (400, "office_only")
    assert (other.status_code, other.json()["code"]) == (400, "not_own_unit")
    assert not InspectionItem.objects.exists()


def test_an_unknown_register_is_404(liaison):
    api = client_for(liaison)
    assert api.get("/api/v1/templates/nothing.xlsx").status_code == 404
    assert api.post("/api/v1/uploads/nothing/", {}).status_code == 404


@pytest.mark.parametrize("role", ["leader"])
def test_leaders_can_neither_download_nor_upload(users, role):
    api = client_for(users[role])
    data = make_xlsx([item_row()], ITEM_HEADER)
    assert api.get(TEMPLATE).status_code == 403
    assert api.post(UPLOAD, {"file": attached(data)}).status_code == 403
    assert api.get("/api/v1/templates/").json() == []
    assert not InspectionItem.objects.exists()


def test_the_municipal_token_can_neither_download_nor_upload(token_client):
    data = make_xlsx([item_row()], ITEM_HEADER)
    assert token_client.get(TEMPLATE).status_code == 403
    assert token_client.post(UPLOAD, {"file": attached(data)}).status_code == 403
    assert not InspectionItem.objects.exists()


def test_anonymous_callers_are_refused(db):
    api = APIClient()
    assert api.get(TEMPLATE).status_code in (401, 403)
    assert api.post(UPLOAD, {}).status_code in (401, 403)


def test_the_schema_describes_the_exchange_endpoints(client, office):
    client.force_login(office)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "/api/v1/templates/{register}.xlsx" in paths
    upload = paths["/api/v1/uploads/{register}/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "400", "403"} <= set(upload["responses"])
