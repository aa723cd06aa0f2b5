"""Streamed CSV and NDJSON exports: what the text says, and that it comes in pieces."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from registers.core.api import exports
from registers.core.api.exports import streaming_export
from registers.core.roles import Role
from registers.models import Unit
from reviews.models import GovernmentContract
from tests.factories import make_contract, make_token, make_unit, make_user

FIELDS = [
    "id",
    "unit__name",
    "title",
    "amount",
    "signed_on",
    "filed_on",
    "created_at",
    "status",
]
HEADER = ["编号", "单位", "合同名称", "金额", "签订日期", "备案日期", "录入时间", "状态"]


@pytest.fixture
def contracts(unit_a):
    first = make_contract(
        unit_a,
        title='=HYPERLINK("http://example.com")',
        amount=Decimal("1234567.50"),
        signed_on=datetime.date(2017, 3, 1),
        filed_on=datetime.date(2017, 2, 20),
    )
    second = make_contract(unit_a, title='普通合同，含"引号"和逗号', amount=Decimal("20000"))
    return [first, second]


def text_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def export(fmt: str) -> str:
    queryset = GovernmentContract.objects.order_by("pk")
    return text_of(streaming_export(queryset, FIELDS, HEADER, fmt, "contract"))


def test_csv_has_a_byte_order_mark_and_the_header_then_one_line_per_record(contracts):
    text = export("csv")
    assert text.startswith("\ufeff编号,单位,合同名称,金额,签订日期,备案日期,录入时间,状态\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[:6] == [
        str(contracts[0].pk),
        "区城管执法局（测试）",
        '\'=HYPERLINK("http://example.com")',
        "1234567.50",
        "2017-03-01",
        "2017-02-20",
    ]
    assert datetime.datetime.fromisoformat(first[6]) == contracts[0].created_at
    assert first[6].endswith("+08:00")  # local time, as in the rest of the system
    assert first[7] == "draft"
    assert second[2] == '普通合同，含"引号"和逗号'
    assert second[4:6] == ["", ""]


def test_ndjson_has_one_object_per_line_with_nulls_and_iso_dates(contracts):
    lines = export("ndjson").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert list(first) == FIELDS
    assert first["title"] == '=HYPERLINK("http://example.com")'  # JSON is not a spreadsheet
    assert first["amount"] == "1234567.50"
    assert first["signed_on"] == "2017-03-01"
    assert datetime.datetime.fromisoformat(first["created_at"]) == contracts[0].created_at
    assert first["created_at"].endswith("+08:00")
    assert second["signed_on"] is None
    assert "普通合同" in lines[1]  # Chinese as it is, not \\u escapes


def test_every_text_cell_that_could_be_a_formula_is_guarded(unit_a):
    for start in ("=", "+", "-", "@"):
        make_contract(unit_a, title=f"{start}1+1", counterparty=f"{start}cmd")
    queryset = GovernmentContract.objects.order_by("pk")
    text = text_of(streaming_export(queryset, ["title", "counterparty"], ["a", "b"], "csv", "x"))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert rows == [[f"'{s}1+1", f"'{s}cmd"] for s in ("=", "+", "-", "@")]


def test_a_large_export_comes_in_pieces_with_every_row_in_order(unit_a, monkeypatch):
    monkeypatch.setattr(exports, "ROWS_PER_CHUNK", 7)
    for n in range(30):
        make_unit(name=f"分块单位{n:02d}", code=f"K{n:02d}")
    queryset = Unit.objects.filter(code__startswith="K").order_by("code")
    pieces = list(streaming_export(queryset, ["code"], ["代码"], "csv", "unit").streaming_content)
    assert len(pieces) == 1 + 5  # the header, then 30 rows in pieces of 7
    lines = b"".join(pieces).decode().split("\r\n")[1:-1]
    assert lines == [f"K{n:02d}" for n in range(30)]


def test_the_units_endpoint_streams_its_export(client, office):
    make_unit(name="=恶意单位", code="Z99")
    client.force_login(office)
    response = client.get("/api/v1/units/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "'=恶意单位" in text_of(response)
    response = client.get("/api/v1/units/export.ndjson")
    assert {"code": "Z99"}.items() <= json.loads(
        next(line for line in text_of(response).splitlines() if "Z99" in line)
    ).items()


def test_an_api_client_downloads_the_units_export_with_its_token(client, db):
    key = make_token(make_user(Role.API_CLIENT, username="city"))
    response = client.get("/api/v1/units/export.ndjson", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_dates_far_from_today_are_written_as_iso_dates(unit_a):
    make_contract(unit_a, signed_on=datetime.date(999, 1, 2), filed_on=datetime.date(9999, 12, 31))
    queryset = GovernmentContract.objects.all()
    fields = ["signed_on", "filed_on"]
    csv_text = text_of(streaming_export(queryset, fields, ["a", "b"], "csv", "x"))
    assert csv_text.splitlines()[1] == "0999-01-02,9999-12-31"
    line = text_of(streaming_export(queryset, fields, ["a", "b"], "ndjson", "x"))
    assert json.loads(line) == {"signed_on": "0999-01-02", "filed_on": "9999-12-31"}


@pytest.mark.parametrize("microsecond", [0, 120000, 123456, 5])
def test_times_read_exactly_as_the_rest_of_the_system_writes_them(unit_a, microsecond):
    moment = datetime.datetime(2017, 6, 5, 2, 3, 4, microsecond, tzinfo=datetime.UTC)
    contract = make_contract(unit_a)
    GovernmentContract.objects.filter(pk=contract.pk).update(created_at=moment)
    expected = timezone.localtime(moment).isoformat()  # 2017-06-05T10:03:04…+08:00
    queryset = GovernmentContract.objects.all()
    csv_text = text_of(streaming_export(queryset, ["created_at"], ["a"], "csv", "x"))
    assert csv_text.splitlines()[1] == expected
    line = text_of(
        streaming_export(queryset, ["created_at", "submitted_at"], ["a", "b"], "ndjson", "x")
    )
    assert json.loads(line) == {"created_at": expected, "submitted_at": None}
