"""The figures engine and the report text, on a small figure group over the test model."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.core.status import Status
from tests.workflowapp.models import Memo
from xianan_lawgov.reports import figures as engine
from xianan_lawgov.reports import outputs
from xianan_lawgov.reports.models import Part, PublishedReport, Report
from xianan_lawgov.reports.services import (
    build_live,
    build_published,
    differences_since,
    get_or_start_report,
    publish,
    save_report_text,
)
from xianan_lawgov.reports.text import plain_text


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(datetime.datetime(2018, 3, 1, 9, 0), tick=False)


SECTIONS = [
    (Part.INTRO, "", "{{ report.year }}年，共有备忘{{ memos.total }}件。"),
    (
        Part.MEASURES,
        "一、工作开展情况",
        "(一)抓基础\n其中通知{{ memos.notices }}件、报告{{ memos.reports }}件。",
    ),
]


@pytest.fixture
def report(memo_group, memos, office):
    report = get_or_start_report(2017, by=office)
    save_report_text(report, "测试报告", SECTIONS, by=office)
    return report


def test_figures_count_approved_records_of_the_year_with_previous_year(memo_group, memos):
    figures = engine.compute_figures(2017)
    assert figures["memos.total"].value == 3
    assert figures["memos.notices"].value == 2
    assert figures["memos.total"].previous == 1
    assert figures["memos.total"].change == 2
    assert figures["memos.report_share"].display == "33.3"
    assert figures.warnings == []


def test_a_unit_scoped_report_counts_only_that_unit(memo_group, memos, unit_b):
    assert engine.compute_figures(2017, unit_b)["memos.total"].value == 1


def test_zero_denominator_gives_no_value_not_an_error(memo_group, db):
    figure = engine.compute_figures(2030)["memos.report_share"]
    assert figure.value is None
    assert figure.display == "—"


def test_parts_that_do_not_add_up_are_reported_as_warnings(memo_group, memos, monkeypatch):
    original = memo_group.compute

    def broken(scope):
        values = original(scope)
        values["total"] += 1
        return values

    monkeypatch.setattr(memo_group, "compute", broken)
    warnings = engine.compute_figures(2017).warnings
    assert len(warnings) == 1
    assert "备忘总数 4 ≠ 通知 2 + 报告 1" in warnings[0]


def test_rendered_text_uses_the_figures(report):
    text = plain_text(build_live(report).paragraphs)
    assert text.splitlines() == [
        "2017年，共有备忘3件。",
        "一、工作开展情况",
        "(一)抓基础",
        "其中通知2件、报告1件。",
    ]


def test_changing_a_record_changes_the_report(report, memos):
    Memo.objects.filter(title="草稿不算").update(status=Status.APPROVED)
    assert "其中通知2件、报告2件。" in plain_text(build_live(report).paragraphs)


def test_unknown_placeholder_is_refused_with_the_valid_names_and_nothing_saved(report, office):
    with pytest.raises(ValidationError) as refused:
        save_report_text(
            report, "测试报告", [(Part.INTRO, "", "共{{ memos.totl }}件{{ bad }}")], by=office
        )
    message = refused.value.messages[0]
    assert "{{ memos.totl }}" in message and "{{ bad }}" in message
    assert "memos.total" in message
    assert report.sections.count() == 2
    assert "{{ memos.total }}" in report.sections.get(part=Part.INTRO).body


def test_a_new_year_starts_from_the_previous_years_text(report, office):
    report_2018 = get_or_start_report(2018, by=office)
    assert [s.body for s in report_2018.sections.all()] == [s.body for s in report.sections.all()]
    assert plain_text(build_live(report_2018).paragraphs).startswith("2018年，共有备忘0件。")


def test_a_published_report_is_frozen_and_republishing_makes_a_new_version(report, office):
    first = publish(report, by=office)
    Memo.objects.filter(title="草稿不算").update(status=Status.APPROVED)
    save_report_text(report, "改过的标题", SECTIONS, by=office)

    frozen = build_published(PublishedReport.objects.get(pk=first.pk))
    assert frozen.title == "测试报告"
    assert "报告1件" in plain_text(frozen.paragraphs)
    assert [(d.key, d.published, d.current) for d in differences_since(first)] == [
        ("memos.total", "3", "4"),
        ("memos.reports", "1", "2"),
        ("memos.report_share", "33.3", "50"),
    ]

    second = publish(report, by=office)
    assert (first.version, second.version) == (1, 2)
    assert "报告1件" in plain_text(build_published(first).paragraphs)
    assert "报告2件" in plain_text(build_published(second).paragraphs)


def test_json_and_excel_outputs_carry_the_same_figures(report):
    document = build_live(report)
    data = json.loads(json.dumps(outputs.to_json(document), ensure_ascii=False))
    total = next(f for f in data["figures"] if f["key"] == "memos.total")
    assert (total["value"], total["previous"], total["measure"]) == (3, 1, "件")

    book = openpyxl.load_workbook(io.BytesIO(outputs.to_xlsx(document)))
    sheet = book["备忘"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["指标", "本年", "上年", "增减"]
    assert rows[1][:4] == ["备忘总数", 3, 1, 2]
    records = book["明细-备忘总数"]
    assert sorted(r[1].value for r in records.iter_rows(min_row=2)) == [
        "报告一",
        "通知一",
        "通知二",
    ]


def test_figure_computation_query_count_does_not_grow_with_records(
    memo_group, memos, unit_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        engine.compute_figures(2017)
    Memo.objects.bulk_create(
        Memo(
            title=f"批量{i}",
            kind=Memo.Kind.NOTICE,
            due_on=datetime.date(2017, 6, 1),
            unit=unit_a,
            status=Status.APPROVED,
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(2):
        assert engine.compute_figures(2017)["memos.total"].value == 203


def test_report_pages_for_office(
    client, report, office, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(office)
    page = client.get(reverse("reports:detail", args=[2017])).content.decode()
    assert "测试报告" in page
    assert reverse("reports:records", args=[2017, "memos.total"]) in page

    records = client.get(reverse("reports:records", args=[2017, "memos.total"])).content.decode()
    assert "通知一" in records and "草稿不算" not in records

    response = client.post(
        reverse("reports:edit", args=[2017]),
        {"title": "新标题", "part": ["intro"], "heading": [""], "body": ["{{ memos.nope }}"]},
    )
    assert response.status_code == 400
    assert "未知的数字占位符" in response.content.decode()
    assert Report.objects.get(pk=report.pk).title == "测试报告"

    preview = client.post(
        reverse("reports:preview", args=[2017]),
        {"title": "T", "part": ["intro"], "heading": [""], "body": ["共{{ memos.total }}件"]},
    ).content.decode()
    assert "共" in preview and ">3</a>件" in preview

    response = client.post(reverse("reports:publish", args=[2017]))
    assert response.status_code == 302
    assert PublishedReport.objects.get().version == 1
    download = client.get(reverse("reports:download", args=[2017, "json"]))
    assert download.status_code == 200
    assert download["Content-Type"] == outputs.CONTENT_TYPES["json"]
    # The district's Word and Excel files are made by the background worker.
    for fmt in ("docx", "xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.get(reverse("reports:download", args=[2017, fmt]))
        assert asked.status_code == 302 and asked.url.startswith("/jobs/")
        run_jobs()
        download = client.get(asked.url + "download/")
        assert download.status_code == 200
        assert b"".join(download).startswith(b"PK")


@pytest.mark.parametrize("role", ["leader", "liaison"])
def test_only_office_publishes(client, users, report, role):
    client.force_login(users[role])
    assert client.post(reverse("reports:publish", args=[2017])).status_code in (403, 404)
    assert not PublishedReport.objects.exists()


def test_a_leader_edits_no_report(client, leader, unit_a, report):
    client.force_login(leader)
    assert client.get(reverse("reports:edit", args=[2017])).status_code == 403
    unit_report = reverse("reports:edit", args=[2017]) + f"?unit={unit_a.code}"
    assert client.get(unit_report).status_code == 403


def test_liaison_cannot_open_another_units_report(client, liaison, unit_b, report):
    client.force_login(liaison)
    response = client.get(reverse("reports:detail", args=[2017]) + f"?unit={unit_b.code}")
    assert response.status_code == 404


def test_a_long_record_sheet_is_summarised_by_unit_and_status(report, memos, settings, unit_a):
    settings.LAWGOV = {**settings.LAWGOV, "REPORT_RECORD_SHEET_ROWS": 2}
    book = openpyxl.load_workbook(io.BytesIO(outputs.to_xlsx(build_live(report))))
    rows = [[cell.value for cell in row] for row in book["明细-备忘总数"].iter_rows()]
    assert rows[0] == ["指标", "单位", "审核状态", "记录数"]
    by_unit = {row[1]: row[3] for row in rows[1:-2]}
    assert by_unit == {memos[0].unit.name: 2, memos[1].unit.name: 1}
    assert {row[2] for row in rows[1:-2]} == {"已审核"}
    assert rows[-2][1:] == ["合计", None, 3]
    assert "共 3 条记录，超过 2 条" in rows[-1][0]
    settings.LAWGOV = {**settings.LAWGOV, "REPORT_RECORD_SHEET_ROWS": 3}
    book = openpyxl.load_workbook(io.BytesIO(outputs.to_xlsx(build_live(report))))
    assert [cell.value for cell in next(book["明细-备忘总数"].iter_rows())][:2] == ["指标", "记录"]


def test_the_workbook_takes_as_many_queries_for_many_records(
    report, memos, settings, unit_a, django_assert_max_num_queries
):
    settings.LAWGOV = {**settings.LAWGOV, "REPORT_RECORD_SHEET_ROWS": 5}
    document = build_live(report)
    with CaptureQueriesContext(connection) as few:
        outputs.to_xlsx(document)
    for n in range(40):
        Memo.objects.create(
            title=f"通知{n}",
            kind=Memo.Kind.NOTICE,
            due_on=datetime.date(2017, 6, 1),
            unit=unit_a,
            status=Status.APPROVED,
        )
    document = build_live(report)
    with django_assert_max_num_queries(len(few.captured_queries)):
        outputs.to_xlsx(document)
