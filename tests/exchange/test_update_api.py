"""The API of updates by re-upload: export, preview, apply (all or nothing, 409 when stale)."""

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from registers.core.status import Status
from registers.models import Document
from tests.exchange.test_updates import TITLE, saved, set_cell
from tests.factories import make_document

EXPORT = "/api/v1/records/documents.xlsx"
PREVIEW = "/api/v1/updates/documents/preview/"
APPLY = "/api/v1/updates/documents/"


@pytest.fixture
def draft(unit_a):
    return make_document(
        unit_a, title="咸安区示例管理办法", number="咸安政规〔2017〕1号", status=Status.DRAFT
    )


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def corrected(client) -> bytes:
    response = client.get(EXPORT)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    set_cell(book, "咸安政规〔2017〕1号", TITLE, "咸安区示例管理办法（修订）")
    return saved(book)


def upload(client, url, data: bytes, **fields):
    return client.post(url, {"file": io.BytesIO(data), **fields}, format="multipart")


def test_preview_then_apply_changes_the_record(liaison, draft):
    client = client_for(liaison)
    data = corrected(client)
    preview = upload(client, PREVIEW, data)
    body = preview.json()
    assert preview.status_code == 200 and body["can_apply"]
    [changed] = body["changed"]
    assert changed["key"] == "咸安政规〔2017〕1号" and changed["status_label"] == "草稿"
    assert changed["changes"] == [
        {
            "field": "title",
            "label": "标题",
            "old": "咸安区示例管理办法",
            "new": "咸安区示例管理办法（修订）",
        }
    ]

    applied = upload(client, APPLY, data, fingerprint=body["fingerprint"], submit="true")

    assert applied.status_code == 200 and applied.json()["applied"]
    record = Document.objects.get(pk=draft.pk)
    assert (record.title, record.status) == ("咸安区示例管理办法（修订）", Status.SUBMITTED)


def test_a_change_since_the_preview_answers_409_and_saves_nothing(liaison, draft):
    client = client_for(liaison)
    data = corrected(client)
    fingerprint = upload(client, PREVIEW, data).json()["fingerprint"]
    Document.objects.filter(pk=draft.pk).update(revision=draft.revision + 1)

    response = upload(client, APPLY, data, fingerprint=fingerprint)

    assert response.status_code == 409
    assert response.json()["code"] == "changed_since_preview"
    assert response.json()["fingerprint"] != fingerprint
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"


def test_another_units_liaison_neither_exports_nor_updates_the_record(liaison2, draft):
    client = client_for(liaison2)
    book = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT).content))
    assert book["数据"].max_row == 1  # the header only
    header = [cell.value for cell in book["数据"][1]]
    row = {name: None for name in header} | {
        "标题": "改掉别人的文件",
        "文号": "咸安政规〔2017〕1号",
        "文件类别": "规范性文件",
        "印发日期": "2017-03-20",
    }
    book["数据"].append([row[name] for name in header])

    response = upload(client, PREVIEW, saved(book))

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "文号")
    assert error["reason"] == "该编号已被使用，请核对编号或联系法制办。"
    assert Document.objects.get(pk=draft.pk).title == "咸安区示例管理办法"


@pytest.mark.parametrize("role", ["leader", "municipal"])
def test_readers_get_403(request, role, draft):
    client = client_for(request.getfixturevalue(role))
    assert client.get(EXPORT).status_code == 403
    assert upload(client, PREVIEW, b"x").status_code == 403


def test_a_register_without_a_number_cannot_be_exported(liaison):
    assert client_for(liaison).get("/api/v1/records/enforcement-bodies.xlsx").status_code == 403


def test_the_register_list_gives_the_update_addresses_of_numbered_registers(liaison):
    rows = {row["register"]: row for row in client_for(liaison).get("/api/v1/templates/").json()}
    assert rows["documents"]["records"].endswith(EXPORT)
    assert rows["documents"]["update"].endswith(PREVIEW)
    assert rows["enforcement-bodies"]["records"] is None


def test_an_export_may_be_of_one_unit(office, liaison, draft, unit_b):
    other = make_document(unit_b, number="咸安交规〔2017〕1号", status=Status.DRAFT)

    def numbers(response):
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["数据"]
        column = [cell.value for cell in sheet[1]].index("文号")
        return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}

    client = client_for(office)
    assert numbers(client.get(EXPORT, {"unit": unit_b.code})) == {other.number}
    assert {draft.number, other.number} <= numbers(client.get(EXPORT))
    refused = client.get(EXPORT, {"unit": "NOPE"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_choice"
    assert "unit" in refused.json()["errors"]
    # A liaison names no other unit than their own.
    other = client_for(liaison).get(EXPORT, {"unit": unit_b.code})
    assert (other.status_code, other.json()["code"]) == (400, "other_unit")
    assert "只能导出本单位的记录。" in other.json()["detail"]
