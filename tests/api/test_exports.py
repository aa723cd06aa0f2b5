"""Bulk export: the whole filtered resource as CSV or NDJSON, streamed, formulas escaped."""

import csv
import io
import json
import tracemalloc

from registers.core.status import Status
from reviews.models import AccountabilityRecord
from tests.api.conftest import client_for
from tests.factories import make_accountability, make_reconsideration, make_rectification


def _body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_escapes_cells_that_a_spreadsheet_would_run(office, unit_a):
    make_rectification(unit_a, problem='=HYPERLINK("http://x","点我")', campaign="+1+1")
    response = client_for(office).get("/api/v1/rectification-problems/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(_body(response).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert header[:3] == ["编号", "填报单位", "填报单位单位代码"]
    assert row[header.index("存在问题")] == '\'=HYPERLINK("http://x","点我")'
    assert row[header.index("专项治理")] == "'+1+1"


def test_ndjson_keeps_values_as_typed_and_honours_the_filters(office, unit_a):
    kept = make_rectification(unit_a, problem="-5 天未整改", status=Status.APPROVED)
    make_rectification(unit_a, status=Status.DRAFT)
    response = client_for(office).get(
        "/api/v1/rectification-problems/export.ndjson", {"status": "approved"}
    )
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert [line["id"] for line in lines] == [kept.pk]
    assert lines[0]["problem"] == "-5 天未整改"
    assert lines[0]["due_on"] == "2017-05-31"


def _peak_export_memory(client) -> int:
    tracemalloc.start()
    response = client.get("/api/v1/accountability-records/export.csv")
    for _chunk in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_export_memory_does_not_grow_with_the_number_of_rows(office, unit_a):
    template = make_accountability(unit_a)
    client = client_for(office)

    def add(n):
        AccountabilityRecord.objects.bulk_create(
            AccountabilityRecord(
                unit=unit_a,
                person=f"人员{i}-{n}",
                role="执法人员",
                conduct=template.conduct,
                facts="举报件未按期核查" * 10,
                measure=template.measure,
                decided_on=template.decided_on,
            )
            for i in range(n)
        )

    # Rows are read a few thousand at a time: past one batch, memory stays flat.
    add(4000)
    small = _peak_export_memory(client)
    add(12000)
    large = _peak_export_memory(client)
    assert large < small * 1.3, (small, large)


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))


def test_export_writes_codes_by_default_and_labels_on_request(office, unit_a):
    import datetime

    from reviews.models import ReconsiderationOutcome

    make_reconsideration(
        unit_a,
        status=Status.APPROVED,
        concluded_on=datetime.date(2017, 6, 1),
        outcome=ReconsiderationOutcome.UPHELD,
        respondent_corrected=False,
    )
    client = client_for(office)
    url = "/api/v1/reconsideration-cases/export.csv"

    [coded] = _csv_rows(client.get(url))
    assert coded["审核状态"] == "approved"
    assert coded["审结结果"] == "upheld"
    assert coded["被申请人自行纠正后撤回"] == "False"

    [labelled] = _csv_rows(client.get(url, {"labels": "1"}))
    assert labelled["审核状态"] == "已审核"
    assert labelled["审结结果"] == "维持"
    assert labelled["被申请人自行纠正后撤回"] == "否"
    assert labelled["案号"] == coded["案号"]

    ndjson = client.get(url.replace(".csv", ".ndjson"), {"labels": "1"})
    line = json.loads(_body(ndjson).splitlines()[0])
    assert line["outcome"] == "维持" and line["status"] == "已审核"


def test_admin_export_writes_labels(client, office, unit_a):
    from reviews.resources import ReconsiderationCaseResource

    make_reconsideration(unit_a, status=Status.APPROVED, respondent_corrected=False)
    [row] = ReconsiderationCaseResource(user=office).export().dict
    assert row["审核状态"] == "已审核"
    assert row["被申请人自行纠正后撤回"] == "否"
