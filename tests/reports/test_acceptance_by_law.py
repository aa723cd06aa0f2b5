"""An application not refused within its acceptance review is accepted by law (复议法(2023)
第三十条第三款, (2017)第十七条第二款). Until the register records it, the report's “受理” does
not count it: the report's warnings name it, in the year it was accepted."""

import datetime

import pytest

from registers.core.status import Status
from reviews.models import AcceptanceDecision
from tests.factories import make_reconsideration
from xianan_lawgov.reports.figures import compute_figures

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_january_2027(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 15, 9, 0), tick=False)


def application(unit, number, received_on, **values):
    return make_reconsideration(
        unit, number=number, received_on=received_on, status=Status.APPROVED, **values
    )


def test_an_undecided_application_whose_review_ended_is_named_and_not_counted(unit_a):
    application(unit_a, "咸安复〔2026〕30号", D(2026, 10, 20))  # review ended 10-27

    figures = compute_figures(2026)

    assert figures["reconsideration.received"].value == 1
    assert figures["reconsideration.accepted"].value == 0
    [warning] = figures.warnings
    assert warning.startswith("行政复议：1 件申请（咸安复〔2026〕30号）受理审查期限已届满")
    assert "依法视为受理，但没有计入“受理”" in warning and "记录为“视为受理”" in warning


def test_once_recorded_as_deemed_accepted_it_is_counted_and_no_longer_named(unit_a):
    application(
        unit_a,
        "咸安复〔2026〕30号",
        D(2026, 10, 20),
        acceptance=AcceptanceDecision.DEEMED_ACCEPTED,
        acceptance_on=D(2026, 10, 27),
    )
    figures = compute_figures(2026)
    assert figures["reconsideration.accepted"].value == 1
    assert figures.warnings == []


def test_one_whose_review_ended_in_the_new_year_is_named_in_that_year(unit_a):
    """Received 2026-12-29: five working days (New Year's Day a holiday) end in January."""
    application(unit_a, "咸安复〔2026〕31号", D(2026, 12, 29))
    assert compute_figures(2026).warnings == []
    [warning] = compute_figures(2027).warnings
    assert "（咸安复〔2026〕31号）" in warning


def test_under_the_2017_law_it_is_accepted_on_the_day_it_was_received(unit_a):
    """Received 2023-12-28, before the 2023 law: accepted as of receipt, in 2023."""
    application(unit_a, "咸安复〔2023〕9号", D(2023, 12, 28))
    assert "（咸安复〔2023〕9号）" in compute_figures(2023).warnings[0]
    assert compute_figures(2024).warnings == []


def test_an_application_still_in_review_or_awaiting_its_correction_is_not_named(unit_a):
    application(unit_a, "咸安复〔2027〕1号", D(2027, 1, 13))  # review ends 01-20
    application(
        unit_a,
        "咸安复〔2026〕32号",
        D(2026, 10, 20),
        correction_requested_on=D(2026, 10, 22),
    )
    assert compute_figures(2027).warnings == []
    assert compute_figures(2026).warnings == []


def test_a_unit_s_report_names_only_that_unit_s_applications(unit_a, unit_b):
    application(unit_a, "咸安复〔2026〕30号", D(2026, 10, 20))
    application(unit_b, "咸安复〔2026〕33号", D(2026, 10, 21))
    [warning] = compute_figures(2026, unit_b).warnings
    assert "1 件申请（咸安复〔2026〕33号）" in warning
    assert len(compute_figures(2026).warnings) == 1  # the district's names both
    assert "咸安复〔2026〕30号、咸安复〔2026〕33号" in compute_figures(2026).warnings[0]
