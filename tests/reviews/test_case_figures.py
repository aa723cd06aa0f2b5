"""Figures of a year for the annual report: counts and rates, each from one query."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from reviews.models import (
    AcceptanceDecision,
    AccountabilityMeasure,
    AccountabilityRecord,
    CriminalTransfer,
    HeadRank,
    Instance,
    LitigationCase,
    LitigationOutcome,
    OutcomeClass,
    ReconsiderationCase,
    ReconsiderationOutcome,
    RectificationProblem,
    TransferDecision,
)
from reviews.models.reconsideration import CorrectionDefinition
from reviews.rates import Rate
from tests.factories import (
    make_accountability,
    make_hearing,
    make_litigation,
    make_reconsideration,
    make_rectification,
    make_transfer,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def denominator(value: str):
    return override_settings(LAWGOV={**settings.LAWGOV, "CORRECTION_RATE_DENOMINATOR": value})


# --- Rate ------------------------------------------------------------------------------------


def test_a_rate_keeps_its_counts_and_has_no_value_without_a_denominator():
    assert Rate(1, 3).value == Decimal("0.3333")
    assert Rate(2, 3).percent == Decimal("66.7")
    assert str(Rate(13, 13)) == "13/13（100%）"  # printed as the report text prints it
    assert str(Rate(0, 3)) == "0/3（0%）"
    empty = Rate(0, 0, basis="审结案件数")
    assert (empty.value, empty.percent, str(empty)) == (None, None, "0/0（—）")


# --- Reconsideration -------------------------------------------------------------------------


def accepted_case(unit, received, accepted, concluded=None, outcome="", **extra):
    return make_reconsideration(
        unit,
        received_on=received,
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=accepted,
        concluded_on=concluded,
        outcome=outcome,
        **extra,
    )


@pytest.fixture
def year_2017(unit_a, unit_b):
    """Five applications in 2017 (one refused, one accepted in 2017 but concluded in 2018),
    and one received in December 2016, accepted and concluded in 2017."""
    Outcome = ReconsiderationOutcome  # noqa: N806
    accepted_case(unit_a, D(2016, 12, 26), D(2017, 1, 3), D(2017, 2, 20), Outcome.UPHELD)
    accepted_case(unit_a, D(2017, 3, 6), D(2017, 3, 8), D(2017, 4, 28), Outcome.REVOKED)
    accepted_case(unit_b, D(2017, 6, 12), D(2017, 6, 14), D(2017, 8, 1), Outcome.MEDIATED)
    accepted_case(
        unit_b,
        D(2017, 7, 3),
        D(2017, 7, 5),
        D(2017, 8, 20),
        Outcome.WITHDRAWN,
        respondent_corrected=True,
    )
    accepted_case(unit_a, D(2017, 12, 1), D(2017, 12, 4))  # concluded only in 2018
    make_reconsideration(
        unit_b,
        received_on=D(2017, 11, 13),
        acceptance=AcceptanceDecision.NOT_ACCEPTED,
        acceptance_on=D(2017, 11, 17),
    )


def test_reconsideration_counts_each_belong_to_the_year_of_their_own_date(year_2017):
    cases = ReconsiderationCase.objects
    assert cases.received_count(2017) == 5
    assert cases.accepted_count(2017) == 5
    assert cases.not_accepted_count(2017) == 1
    assert cases.concluded_count(2017) == 4
    assert cases.outcome_counts(2017) == {
        ReconsiderationOutcome.UPHELD: 1,
        ReconsiderationOutcome.REVOKED: 1,
        ReconsiderationOutcome.MEDIATED: 1,
        ReconsiderationOutcome.WITHDRAWN: 1,
    }


def test_correction_rates_divide_by_concluded_cases_by_default(year_2017):
    cases = ReconsiderationCase.objects
    assert settings.LAWGOV["CORRECTION_RATE_DENOMINATOR"] == "concluded"
    rates = [
        cases.direct_correction_rate(2017),
        cases.comprehensive_correction_rate(2017),
        cases.mediation_settlement_rate(2017),
    ]
    assert [(r.numerator, r.denominator, str(r.basis)) for r in rates] == [
        (1, 4, "审结案件数"),
        (2, 4, "审结案件数"),
        (1, 4, "审结案件数"),
    ]


def test_correction_rates_can_divide_by_accepted_cases_and_say_so(year_2017):
    with denominator("accepted"):
        direct = ReconsiderationCase.objects.direct_correction_rate(2017)
        comprehensive = ReconsiderationCase.objects.comprehensive_correction_rate(2017)
    assert (direct.numerator, direct.denominator, str(direct.basis)) == (1, 5, "受理案件数")
    assert (comprehensive.numerator, comprehensive.denominator) == (2, 5)
    assert comprehensive.value == Decimal("0.4000")


def test_a_withdrawal_without_self_correction_is_not_a_correction(unit_a):
    accepted_case(
        unit_a, D(2017, 3, 6), D(2017, 3, 8), D(2017, 4, 1), ReconsiderationOutcome.WITHDRAWN
    )
    rate = ReconsiderationCase.objects.comprehensive_correction_rate(2017)
    assert (rate.numerator, rate.denominator) == (0, 1)


@pytest.mark.parametrize("base", ["concluded", "accepted"])
def test_a_year_without_cases_has_rates_without_values(db, base):
    cases = ReconsiderationCase.objects
    with denominator(base):
        rates = [
            cases.direct_correction_rate(2017),
            cases.comprehensive_correction_rate(2017),
            cases.mediation_settlement_rate(2017),
        ]
    assert [(rate.numerator, rate.denominator, rate.value) for rate in rates] == [(0, 0, None)] * 3


def test_an_unknown_denominator_setting_is_a_configuration_error(db):
    with denominator("received"), pytest.raises(ImproperlyConfigured):
        ReconsiderationCase.objects.direct_correction_rate(2017)


def test_the_report_counts_only_approved_cases(unit_a):
    draft = make_reconsideration(unit_a, received_on=D(2017, 3, 6))
    assert ReconsiderationCase.objects.received_count(2017) == 1
    assert ReconsiderationCase.objects.approved().received_count(2017) == 0
    draft.status = "approved"
    draft.save()
    assert ReconsiderationCase.objects.approved().received_count(2017) == 1


# --- Litigation ------------------------------------------------------------------------------


@pytest.fixture
def litigation_2017(unit_a, unit_b):
    Outcome = LitigationOutcome  # noqa: N806
    won = make_litigation(
        unit_a, served_on=D(2017, 3, 1), concluded_on=D(2017, 5, 1), outcome=Outcome.CLAIM_REJECTED
    )
    make_hearing(won, held_on=D(2017, 4, 11))
    lost = make_litigation(
        unit_a, served_on=D(2017, 4, 1), concluded_on=D(2017, 7, 1), outcome=Outcome.REVOKED
    )
    make_hearing(lost, held_on=D(2017, 5, 9), head_rank=HeadRank.PRINCIPAL, head_name="黄某")
    withdrawn = make_litigation(
        unit_b, served_on=D(2017, 5, 2), concluded_on=D(2017, 6, 1), outcome=Outcome.WITHDRAWN
    )
    # Only a lawyer went: heard, but no head appeared.
    make_hearing(withdrawn, held_on=D(2017, 5, 30), head_name="", head_rank="", others="律师")
    dismissed = make_litigation(
        unit_b, served_on=D(2017, 6, 1), concluded_on=D(2017, 8, 1), outcome=Outcome.SUIT_DISMISSED
    )
    # Appealed: the head went to the first instance but not the second.
    dismissed.trial_instance = Instance.SECOND
    dismissed.save()
    make_hearing(dismissed, held_on=D(2017, 6, 20))
    make_hearing(
        dismissed,
        held_on=D(2017, 7, 20),
        trial_instance=Instance.SECOND,
        head_name="",
        head_rank="",
    )
    # Served in 2017, not yet heard or concluded.
    make_litigation(unit_a, served_on=D(2017, 12, 20))
    # Served in 2016, heard and concluded in 2017 with the head at one of two hearings.
    old = make_litigation(
        unit_a, served_on=D(2016, 11, 1), concluded_on=D(2017, 3, 1), outcome=Outcome.CLAIM_REJECTED
    )
    make_hearing(old, held_on=D(2016, 12, 20))
    make_hearing(old, held_on=D(2017, 1, 10), head_name="", head_rank="")


def test_litigation_cases_heard_and_head_appearance_per_instance(litigation_2017):
    cases = LitigationCase.objects
    assert cases.case_count(2017) == 5
    assert cases.heard_count(2017) == 5
    # won, lost, and the old case (its head appeared at the same instance's 2016 hearing);
    # not the lawyer-only case, nor the appeal whose second instance had no head.
    assert cases.head_appearance_count(2017) == 3
    assert cases.head_appearance_rate(2017) == Rate(3, 5, basis="开庭审理的案件数")


def test_litigation_outcome_classes_and_rates(litigation_2017):
    cases = LitigationCase.objects
    assert cases.concluded_count(2017) == 5
    assert cases.outcome_class_counts(2017) == {
        OutcomeClass.WIN: 2,
        OutcomeClass.LOSS: 1,
        OutcomeClass.WITHDRAWN: 1,
        OutcomeClass.OTHER: 1,
    }
    assert (cases.win_count(2017), cases.loss_count(2017), cases.withdrawn_count(2017)) == (2, 1, 1)
    assert cases.loss_rate(2017) == Rate(1, 5, basis="审结案件数")
    assert cases.win_rate(2017) == Rate(2, 4, basis="审结案件数（不含撤诉）")


def test_litigation_rates_without_cases_have_no_value(db):
    cases = LitigationCase.objects
    for rate in (cases.head_appearance_rate(2017), cases.loss_rate(2017), cases.win_rate(2017)):
        assert (rate.numerator, rate.denominator, rate.value) == (0, 0, None)


def test_win_rate_of_a_year_with_only_withdrawals_has_no_value(unit_a):
    make_litigation(unit_a, concluded_on=D(2017, 6, 1), outcome=LitigationOutcome.WITHDRAWN)
    cases = LitigationCase.objects
    assert cases.win_rate(2017).value is None
    assert cases.loss_rate(2017) == Rate(0, 1, basis="审结案件数")


# --- Transfers, accountability, rectification ----------------------------------------------


def test_transfers_accountability_and_rectification_figures(unit_a, unit_b):
    make_transfer(
        unit_a,
        decision=TransferDecision.APPROVED,
        decided_on=D(2017, 8, 9),
        transferred_on=D(2017, 8, 10),
    )
    make_transfer(unit_b)  # reported, not transferred
    make_accountability(unit_a, measure=AccountabilityMeasure.NOTICE)
    make_accountability(unit_b, measure=AccountabilityMeasure.NOTICE)
    make_accountability(
        unit_b, measure=AccountabilityMeasure.DISCIPLINARY, decided_on=D(2018, 1, 5)
    )
    make_rectification(unit_a, due_on=D(2017, 5, 31), rectified_on=D(2017, 5, 20))
    make_rectification(unit_a, due_on=D(2017, 12, 31), rectified_on=D(2018, 1, 10))
    make_rectification(unit_b, due_on=D(2018, 3, 1), rectified_on=D(2017, 12, 1))

    assert CriminalTransfer.objects.transferred_count(2017) == 1
    measures = AccountabilityRecord.objects.measure_counts(2017)
    assert measures[AccountabilityMeasure.NOTICE] == 2
    assert measures[AccountabilityMeasure.DISCIPLINARY] == 0
    assert list(measures) == list(AccountabilityMeasure)
    problems = RectificationProblem.objects
    assert (problems.due_count(2017), problems.rectified_count(2017)) == (2, 2)


# --- One query each ------------------------------------------------------------------------


FIGURES = [
    (ReconsiderationCase, "received_count"),
    (ReconsiderationCase, "accepted_count"),
    (ReconsiderationCase, "not_accepted_count"),
    (ReconsiderationCase, "concluded_count"),
    (ReconsiderationCase, "outcome_counts"),
    (ReconsiderationCase, "direct_correction_rate"),
    (ReconsiderationCase, "comprehensive_correction_rate"),
    (ReconsiderationCase, "mediation_settlement_rate"),
    (LitigationCase, "case_count"),
    (LitigationCase, "heard_count"),
    (LitigationCase, "head_appearance_count"),
    (LitigationCase, "head_appearance_rate"),
    (LitigationCase, "concluded_count"),
    (LitigationCase, "outcome_class_counts"),
    (LitigationCase, "win_count"),
    (LitigationCase, "loss_count"),
    (LitigationCase, "withdrawn_count"),
    (LitigationCase, "loss_rate"),
    (LitigationCase, "win_rate"),
    (CriminalTransfer, "transferred_count"),
    (AccountabilityRecord, "measure_counts"),
    (RectificationProblem, "due_count"),
    (RectificationProblem, "rectified_count"),
]


@pytest.mark.parametrize(("model", "method"), FIGURES)
def test_every_figure_is_one_query(
    year_2017, litigation_2017, django_assert_num_queries, model, method
):
    # The reconsideration rates also read the year's definition, once per report (given here).
    rates = ("correction_rate", "mediation_settlement_rate")
    extra = {"definition": CorrectionDefinition()} if method.endswith(rates) else {}
    with django_assert_num_queries(1):
        getattr(model.objects.approved(), method)(2017, **extra)
