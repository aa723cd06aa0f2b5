"""Inspection results by class: counts and shares of the year's checked targets, in the
report's figures and outputs, on the dashboard and on the public page."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from registers.core.status import Status
from registers.models import DrawnTarget, ResultKind
from tests.factories import make_draw_record, make_reconsideration, make_target
from xianan_lawgov.reports import figures as engine
from xianan_lawgov.reports import outputs
from xianan_lawgov.reports.models import Part
from xianan_lawgov.reports.services import build_live, get_or_start_report, save_report_text
from xianan_lawgov.reports.text import plain_text

D = datetime.date
#: Seven checked targets in three classes (3 : 2 : 2, shares 42.86 + 28.57 + 28.57 = 100),
#: one target not checked yet.
RESULTS = [ResultKind.NO_PROBLEM] * 3 + [ResultKind.RECTIFICATION_ORDERED] * 2
RESULTS += [ResultKind.CASE_FILED] * 2


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(datetime.datetime(2018, 3, 1, 9, 0), tick=False)


@pytest.fixture
def checked(unit_a, office):
    draw = make_draw_record(
        unit_a,
        drawn_by=office,
        drawn_on=D(2017, 6, 5),
        check_ended_on=D(2017, 6, 30),
        published_on=D(2017, 7, 10),
        status=Status.APPROVED,
    )
    for position, result in enumerate([*RESULTS, ""], start=1):
        target = make_target(unit_a)
        DrawnTarget.objects.create(
            draw=draw,
            position=position,
            target=target,
            target_name=target.name,
            checked_on=D(2017, 6, 20) if result else None,
            result=result,
        )
    # A draft draw's results are not counted.
    draft = make_draw_record(unit_a, drawn_by=office, drawn_on=D(2017, 8, 1))
    target = make_target(unit_a)
    DrawnTarget.objects.create(
        draw=draft,
        position=1,
        target=target,
        target_name=target.name,
        checked_on=D(2017, 8, 2),
        result=ResultKind.CLOSED,
    )
    return draw


def test_each_result_class_is_counted_with_its_share_of_the_checked_targets(checked):
    figures = engine.compute_figures(2017)
    assert figures["draws.targets"].value == 8
    assert figures["draws.checked"].value == 7
    assert [figures[f"draws.result_{k.value}"].value for k in ResultKind] == [3, 2, 2, 0, 0, 0, 0]
    shares = [figures[f"draws.result_{k.value}_share"] for k in ResultKind]
    assert [s.display for s in shares[:4]] == ["42.86", "28.57", "28.57", "0.00"]
    assert sum(s.value for s in shares) == Decimal("100.00")
    assert (shares[0].numerator, shares[0].denominator) == (3, 7)
    assert shares[0].note == "3/7（42.86%）；分母为已记录检查结果的对象数"
    assert figures.warnings == []


def test_shares_add_up_to_a_hundred_where_rounding_each_would_not(unit_a, office):
    draw = make_draw_record(unit_a, drawn_by=office, status=Status.APPROVED)
    for position, result in enumerate(
        [ResultKind.NO_PROBLEM, ResultKind.CASE_FILED, ResultKind.CLOSED], start=1
    ):
        target = make_target(unit_a)
        DrawnTarget.objects.create(
            draw=draw,
            position=position,
            target=target,
            target_name=target.name,
            checked_on=D(2017, 6, 20),
            result=result,
        )
    figures = engine.compute_figures(2017)
    shares = [figures[f"draws.result_{k.value}_share"].value for k in ResultKind]
    assert sum(shares) == Decimal("100.00")  # 33.34 + 33.33 + 33.33, not 99.99
    assert sorted(s for s in shares if s) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_the_figures_lead_to_their_records_and_reach_every_output(checked, client, office):
    client.force_login(office)
    page = client.get(reverse("reports:records", args=[2017, "draws.result_rectification_ordered"]))
    assert page.status_code == 200
    assert page.context["count"] == 2
    share_page = client.get(
        reverse("reports:records", args=[2017, "draws.result_no_problem_share"])
    )
    assert share_page.context["count"] == 3

    report = get_or_start_report(2017, by=office)
    body = (
        "抽查{{ draws.checked }}户，未发现问题{{ draws.result_no_problem }}户，"
        "占{{ draws.result_no_problem_share }}%（{{ draws.result_no_problem_share:1位截断 }}%）。"
    )
    save_report_text(report, "测试报告", [(Part.INTRO, "", body)], by=office)
    document = build_live(report)
    assert plain_text(document.paragraphs) == "抽查7户，未发现问题3户，占42.86%（42.8%）。"

    data = json.loads(outputs.render(document, "json").content)
    share = next(f for f in data["figures"] if f["key"] == "draws.result_no_problem_share")
    assert (share["value"], share["display"], share["numerator"], share["denominator"]) == (
        42.86,
        "42.86",
        3,
        7,
    )
    book = openpyxl.load_workbook(io.BytesIO(outputs.render(document, "xlsx").content))
    sheet = book["双随机一公开：抽查与公示"]
    rows = {row[5].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["draws.result_no_problem_share"][1].value == pytest.approx(42.86)
    assert rows["draws.result_case_filed"][1].value == 2
    assert "明细-检查结果：发现问题已立案查处" in book.sheetnames

    detail = client.get(reverse("reports:detail", args=[2017])).content.decode()
    assert "检查结果占比：未发现问题" in detail and "42.86" in detail


def test_the_dashboard_shows_the_results_with_their_shares(checked, client, office):
    client.force_login(office)
    page = client.get(reverse("workspace:home"), {"year": 2017}).content.decode()
    assert "2017年双随机抽查检查结果" in page
    assert "3个（42.86%）" in page
    assert "2个（28.57%）" in page


def test_the_public_page_counts_published_results_by_class(checked, client):
    page = client.get(reverse("registers:public_inspections")).content.decode()
    summary = page[page.index('id="result-summary"') :]
    assert '未发现问题</th><td class="num">3</td><td class="num">42.86</td>' in summary
    assert "检查对象已注销或歇业" not in summary  # the draft draw's result is not public


def test_no_previous_year_shows_a_dash_and_no_arrow_on_the_dashboard(unit_a, client, office):
    make_reconsideration(unit_a, received_on=D(2017, 3, 6), status=Status.APPROVED)
    client.force_login(office)
    page = client.get(reverse("workspace:home"), {"year": 2017}).content.decode()
    card = page[page.index("收到复议申请") :][:600]
    assert "上年 —" in card
    assert "▲" not in page and "▼" not in page
    assert "上年 0" not in page

    make_reconsideration(unit_a, received_on=D(2016, 5, 6), status=Status.APPROVED)
    make_reconsideration(unit_a, received_on=D(2017, 5, 6), status=Status.APPROVED)
    page = client.get(reverse("workspace:home"), {"year": 2017}).content.decode()
    card = page[page.index("收到复议申请") :][:600]
    assert "上年 1" in card and "▲ +1" in card


def test_a_publication_held_to_a_provisional_due_day_is_warned_of(
    unit_a, office, open_2027, time_machine
):
    """Checked until 2027-01-20: 20 working days run into February 2027, whose holiday
    schedule is not confirmed yet. Whether the draw was published on time may change."""
    time_machine.move_to(datetime.datetime(2027, 2, 25, 9, 0), tick=False)
    # (drawn, check ended, published): one across the new year, one within 2017.
    for drawn, ended, published in [
        (D(2026, 12, 15), D(2027, 1, 20), D(2027, 2, 22)),
        (D(2017, 6, 5), D(2017, 6, 30), D(2017, 7, 10)),
    ]:
        make_draw_record(
            unit_a,
            drawn_by=office,
            drawn_on=drawn,
            check_ended_on=ended,
            published_on=published,
            status=Status.APPROVED,
        )
    result = engine.compute_figures(2026, with_previous=False)
    assert result.figures["draws.published"].value == 1
    warnings = [w for w in result.warnings if "公示期限" in w]
    assert warnings == [
        "1 次抽查的结果公示期限跨越节假日安排尚未确认的年度（2027年），“按期公示”“逾期公示”"
        "暂按法定节日计算，确认该年度的节假日安排后可能变动。"
    ]
    assert not [w for w in engine.compute_figures(2017).warnings if "公示期限" in w]
