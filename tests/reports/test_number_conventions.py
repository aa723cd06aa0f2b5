"""Report number conventions: placeholders that say how to print a rate, the office's
definition of the correction rates, and empty, zero and previous-year values."""

import datetime
import io
import json

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from registers.core.status import Status
from reviews.models import (
    AcceptanceDecision,
    CorrectionRateDefinition,
    CorrectionRateDenominator,
    ReconsiderationOutcome,
)
from reviews.rates import Rate
from tests.api.conftest import client_for
from tests.factories import make_reconsideration
from tests.workflowapp.models import Memo
from xianan_lawgov.reports import figures as engine
from xianan_lawgov.reports import outputs
from xianan_lawgov.reports.docx_output import to_docx
from xianan_lawgov.reports.models import Part
from xianan_lawgov.reports.services import build_live, get_or_start_report, save_report_text
from xianan_lawgov.reports.text import plain_text

D = datetime.date


@pytest.fixture(autouse=True)
def spring_2018(time_machine):
    time_machine.move_to(datetime.datetime(2018, 3, 1, 9, 0), tick=False)


class RateGroup(engine.FigureGroup):
    """Approved memos due in the year, and the share that are reports, as a ``Rate``."""

    key = "memos"
    label = "备忘"
    figures = (
        engine.FigureDef("total", "备忘总数", "件"),
        engine.FigureDef("report_rate", "报告占比", "%"),
    )

    def compute(self, scope):
        counts = (
            Memo.objects.approved()
            .filter(due_on__year=scope.year)
            .aggregate(total=Count("pk"), reports=Count("pk", filter=Q(kind=Memo.Kind.REPORT)))
        )
        return {
            "total": counts["total"],
            "report_rate": Rate(counts["reports"], counts["total"], basis="备忘总数"),
        }


@pytest.fixture
def rate_group():
    saved = list(engine.GROUPS)
    engine.GROUPS[:] = [RateGroup()]
    yield engine.GROUPS[0]
    engine.GROUPS[:] = saved


def make_memos(unit, reports: int, notices: int, year: int = 2017):
    for n in range(reports + notices):
        Memo.objects.create(
            title=f"备忘{n}",
            kind=Memo.Kind.REPORT if n < reports else Memo.Kind.NOTICE,
            due_on=D(year, 5, 1),
            unit=unit,
            status=Status.APPROVED,
        )


THREE_WAYS = (
    "截断{{ memos.report_rate:1位截断 }}%，取整{{ memos.report_rate:0位 }}%，"
    "两位{{ memos.report_rate：2位 }}%，默认{{ memos.report_rate }}%。"
)


def write(report, body, office):
    save_report_text(report, "测试报告", [(Part.INTRO, "", body)], by=office)


def test_the_same_rate_prints_truncated_whole_and_two_decimals_in_page_docx_and_json(
    rate_group, unit_a, office
):
    make_memos(unit_a, reports=17, notices=10)  # 17/27 = 62.96…%
    report = get_or_start_report(2017, by=office)
    write(report, THREE_WAYS, office)
    document = build_live(report)
    expected = "截断62.9%，取整63%，两位62.96%，默认63%。"
    assert plain_text(document.paragraphs) == expected
    word = docx.Document(io.BytesIO(to_docx(document)))
    assert any(p.text == expected for p in word.paragraphs)
    data = json.loads(outputs.render(document, "json").content)
    assert data["paragraphs"][0]["text"] == expected
    rate = next(f for f in data["figures"] if f["key"] == "memos.report_rate")
    assert (rate["numerator"], rate["denominator"], rate["display"]) == (17, 27, "63")
    assert rate["note"] == "17/27（63%）；分母为备忘总数"


def test_an_empty_rate_prints_a_dash_without_a_per_cent_sign_and_a_zero_rate_prints_zero(
    rate_group, unit_a, office
):
    report = get_or_start_report(2017, by=office)
    write(report, "负责人{{ memos.report_rate }}%出庭，{{ memos.report_rate:1位 }}%。", office)
    assert plain_text(build_live(report).paragraphs) == "负责人—出庭，—。"
    figure = engine.compute_figures(2017)["memos.report_rate"]
    assert (figure.display, figure.note) == ("—", "0/0（—）；分母为备忘总数")

    make_memos(unit_a, reports=0, notices=3)
    assert plain_text(build_live(report).paragraphs) == "负责人0%出庭，0.0%。"
    figure = engine.compute_figures(2017)["memos.report_rate"]
    assert (figure.display, figure.note) == ("0", "0/3（0%）；分母为备忘总数")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("{{ memos.report_rate:3位 }}", "无法识别的数字格式：{{ memos.report_rate:3位 }}"),
        ("{{ memos.report_rate:1位向上 }}", "无法识别的数字格式"),
        ("{{ memos.total:1位 }}", "只有百分比可以指定小数位数和取舍方式：{{ memos.total:1位 }}"),
    ],
)
def test_an_unknown_format_is_refused_where_the_office_edits_and_nothing_is_saved(
    rate_group, office, client, body, said
):
    report = get_or_start_report(2017, by=office)
    write(report, "原文{{ memos.total }}", office)
    with pytest.raises(ValidationError) as refused:
        write(report, body, office)
    assert said in " ".join(refused.value.messages)
    assert "1位截断" in " ".join(refused.value.messages) or "百分比" in said

    client.force_login(office)
    response = client.post(
        reverse("reports:edit", args=[2017]),
        {"title": "测试报告", "part": [Part.INTRO], "heading": [""], "body": [body]},
    )
    assert response.status_code == 400
    assert said in response.content.decode()
    assert report.sections.get().body == "原文{{ memos.total }}"


def test_a_group_without_records_last_year_shows_no_previous_value(rate_group, unit_a):
    make_memos(unit_a, reports=1, notices=2)
    figure = engine.compute_figures(2017)["memos.total"]
    assert (figure.previous, figure.previous_display, figure.change_display) == (None, "—", "")
    make_memos(unit_a, reports=0, notices=0, year=2016)  # still nothing in 2016
    make_memos(unit_a, reports=0, notices=1, year=2016)
    figure = engine.compute_figures(2017)["memos.total"]
    assert (figure.previous_display, figure.change_display) == ("1", "+2")


# --- The correction rates' definition ------------------------------------------------------


@pytest.fixture
def cases_2017(unit_a):
    def case(outcome, **extra):
        make_reconsideration(
            unit_a,
            received_on=D(2017, 3, 6),
            acceptance=AcceptanceDecision.ACCEPTED,
            acceptance_on=D(2017, 3, 8),
            concluded_on=D(2017, 4, 28),
            outcome=outcome,
            status=Status.APPROVED,
            **extra,
        )

    case(ReconsiderationOutcome.REVOKED)
    case(ReconsiderationOutcome.CONFIRMED_ILLEGAL)
    case(ReconsiderationOutcome.WITHDRAWN, respondent_corrected=True)
    case(ReconsiderationOutcome.UPHELD)


def test_the_offices_definition_changes_the_rates_and_their_notes(cases_2017, municipal):
    figures = engine.compute_figures(2017)
    direct = figures["reconsideration.direct_correction_rate"]
    comprehensive = figures["reconsideration.comprehensive_correction_rate"]
    assert (direct.numerator, direct.denominator, direct.display) == (2, 4, "50")
    assert (comprehensive.numerator, comprehensive.display) == (3, "75")
    assert "确认违法" in direct.note and "另计被申请人自行纠正后" in comprehensive.note

    CorrectionRateDefinition.objects.create(
        year=2017,
        direct_outcomes=[ReconsiderationOutcome.REVOKED.value],
        counts_corrected_withdrawals=False,
    )
    figures = engine.compute_figures(2017)
    direct = figures["reconsideration.direct_correction_rate"]
    comprehensive = figures["reconsideration.comprehensive_correction_rate"]
    assert (direct.numerator, direct.denominator, direct.display) == (1, 4, "25")
    assert (comprehensive.numerator, comprehensive.display) == (1, "25")
    assert "直接纠错计：撤销；" in direct.note and "确认违法" not in direct.note
    assert "不计被申请人自行纠正后" in comprehensive.note
    # Another year keeps the default definition.
    assert CorrectionRateDefinition.for_year(2018).counts_corrected_withdrawals

    body = client_for(municipal).get("/api/v1/reports/2017/figures/").json()
    rate = next(f for f in body["figures"] if f["key"] == "reconsideration.direct_correction_rate")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 4, 25.0)
    received = next(f for f in body["figures"] if f["key"] == "reconsideration.received")
    assert (received["numerator"], received["denominator"]) == (None, None)


def test_only_the_office_keeps_the_definition_in_the_admin(client, users):
    add = reverse("admin:reviews_correctionratedefinition_add")
    form = {
        "year": "2017",
        "direct_outcomes": [ReconsiderationOutcome.REVOKED.value],
        "counts_corrected_withdrawals": "",
        "denominator": CorrectionRateDenominator.ACCEPTED.value,
        "note": "",
    }
    for role in ("liaison", "leader"):
        client.force_login(users[role])
        assert client.post(add, form).status_code == 403
    assert not CorrectionRateDefinition.objects.exists()

    client.force_login(users["office"])
    refused = client.post(add, {**form, "direct_outcomes": []})
    assert "请至少选择一种计为直接纠错的审结结果" in refused.content.decode()
    assert client.post(add, form).status_code == 302
    setting = CorrectionRateDefinition.objects.get()
    assert (setting.direct_outcomes, setting.counts_corrected_withdrawals) == (["revoked"], False)
    assert setting.denominator == CorrectionRateDenominator.ACCEPTED


def test_the_offices_denominator_changes_the_rates_and_their_notes(cases_2017, unit_a, municipal):
    # One more case accepted in 2017 and concluded only in 2018: 5 accepted, 4 concluded.
    make_reconsideration(
        unit_a,
        received_on=D(2017, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 12, 4),
        status=Status.APPROVED,
    )
    figures = engine.compute_figures(2017)
    direct = figures["reconsideration.direct_correction_rate"]
    agreed = figures["reconsideration.mediation_settlement_rate"]
    assert (direct.numerator, direct.denominator, direct.display) == (2, 4, "50")
    assert "分母为审结案件数" in direct.note and agreed.denominator == 4

    CorrectionRateDefinition.objects.create(
        year=2017,
        denominator=CorrectionRateDenominator.ACCEPTED,
    )
    figures = engine.compute_figures(2017)
    direct = figures["reconsideration.direct_correction_rate"]
    comprehensive = figures["reconsideration.comprehensive_correction_rate"]
    agreed = figures["reconsideration.mediation_settlement_rate"]
    assert (direct.numerator, direct.denominator, direct.display) == (2, 5, "40")
    assert (comprehensive.numerator, comprehensive.denominator) == (3, 5)
    assert agreed.denominator == 5
    assert "分母为受理案件数" in direct.note and "审结案件数" not in direct.note
    # Another year still divides by the configured base.
    assert (
        CorrectionRateDefinition.for_year(2018).denominator is CorrectionRateDenominator.CONCLUDED
    )

    body = client_for(municipal).get("/api/v1/reports/2017/figures/").json()
    rate = next(f for f in body["figures"] if f["key"] == "reconsideration.direct_correction_rate")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (2, 5, 40.0)
    assert "分母为受理案件数" in rate["note"]


def test_a_new_years_setting_starts_from_the_configured_denominator(settings, db):
    settings.LAWGOV = {**settings.LAWGOV, "CORRECTION_RATE_DENOMINATOR": "accepted"}
    setting = CorrectionRateDefinition(year=2019)
    assert setting.denominator == CorrectionRateDenominator.ACCEPTED
    assert CorrectionRateDefinition.for_year(2019).denominator is CorrectionRateDenominator.ACCEPTED
