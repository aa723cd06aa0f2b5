"""Reconsideration cases: regime, deadlines through the model, stages and their validation.

Calendars used (W = working day, - = rest day):
2017 National Day: 09-30 Sat W (make-up), 10-01 … 10-08 -, 10-09 Mon W.
2024 Spring Festival: 02-04 Sun W, 02-09 Fri W, 02-10 … 02-17 -, 02-18 Sun W.
2024 Qingming 04-04 … 04-06 -, 04-07 Sun W; Labour Day 04-28 Sun W, 05-01 … 05-05 -.
2026 National Day: 10-01 … 10-07 -, 10-10 Sat W.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registers.core.deadlines import DeadlineKey, Procedure, Regime
from registers.core.models import CalendarDay
from reviews.models import (
    AcceptanceDecision,
    ReconsiderationCase,
    ReconsiderationOutcome,
    ReconsiderationProcedure,
    ReconsiderationStage,
    ReconsiderationSuspension,
    SuspensionGround,
)
from tests.factories import make_reconsideration, make_suspension

D = datetime.date
pytestmark = pytest.mark.django_db


def due(case, key):
    return case.deadline(key).due


def unsaved_case(unit, **dates) -> ReconsiderationCase:
    return ReconsiderationCase(
        unit=unit, number="咸安复〔测试〕9号", applicant="甲", matter="处罚", **dates
    )


def refusal_codes(case) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        case.full_clean()
    return {field: [e.code for e in errors] for field, errors in info.value.error_dict.items()}


# --- The 2017 law ---------------------------------------------------------------------------


def test_a_2017_case_is_reviewed_in_five_working_days_across_national_day(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2017, 9, 28))
    assert case.regime is Regime.LAW_2017
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW)
    # 09-29, 09-30 (make-up Saturday), then 10-09, 10-10, 10-11.
    assert review.due == D(2017, 10, 11)
    assert D(2017, 10, 1) in review.skipped and D(2017, 9, 30) not in review.skipped
    assert "不计休息日" in review.explain()


def test_a_2017_decision_period_ending_in_national_day_rolls_to_9_october(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 8, 2),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 8, 4),
    )
    decision = case.deadline(DeadlineKey.DECISION)
    # Accepted on receipt (2017 law art. 17(2)): 08-02 + 60 days = 10-01, a holiday.
    assert decision.start == D(2017, 8, 2)
    assert decision.due == D(2017, 10, 9)
    assert "第三十一条" in str(decision.rule)
    assert "顺延至2017-10-09" in decision.explain()


def test_correction_time_is_not_counted_under_the_2017_regulation(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 7, 24),
        correction_requested_on=D(2017, 7, 25),
        correction_received_on=D(2017, 8, 4),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 8, 4),
    )
    decision = case.deadline(DeadlineKey.DECISION)
    # 07-24 + 60 would be 09-22; ten days of correction make it 10-02, in the holiday.
    assert decision.excluded_days == 10
    assert decision.due == D(2017, 10, 9)
    assert "另加不计入期间10日" in decision.explain()


def test_an_approved_extension_adds_up_to_thirty_days(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 8, 2),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 8, 2),
        extension_days=30,
    )
    assert due(case, DeadlineKey.DECISION) == D(2017, 10, 31)
    case.extension_days = 31
    assert "extension_days" in refusal_codes(case)


def test_the_procedures_offered_are_the_deadline_engines(unit_a):
    field = ReconsiderationCase._meta.get_field("procedure")
    assert field.choices == Procedure.choices == [("ordinary", "普通程序"), ("simple", "简易程序")]
    for value, _label in field.choices:
        case = make_reconsideration(unit_a, received_on=D(2024, 2, 7), procedure=value)
        assert case.deadline(DeadlineKey.ACCEPTANCE_REVIEW).due == D(2024, 2, 20)


def test_case_dates_are_checked_without_reading_the_database(unit_a, django_assert_num_queries):
    case = unsaved_case(unit_a, received_on=D(2024, 2, 7), correction_requested_on=D(2024, 2, 1))
    with django_assert_num_queries(0), pytest.raises(ValidationError) as info:
        case.clean()
    assert [e.code for e in info.value.error_dict["correction_requested_on"]] == [
        "correction_before_receipt"
    ]


def test_a_2017_case_cannot_use_the_simple_procedure(unit_a):
    case = unsaved_case(
        unit_a, received_on=D(2017, 12, 29), procedure=ReconsiderationProcedure.SIMPLE
    )
    assert refusal_codes(case) == {"procedure": ["simple_procedure_before_2024"]}


# --- The 2023 law ---------------------------------------------------------------------------


def test_a_2024_case_is_reviewed_in_five_working_days_across_spring_festival(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2024, 2, 7))
    assert case.regime is Regime.LAW_2023
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW)
    # 02-08, 02-09, 02-18 (make-up Sunday), 02-19, 02-20.
    assert review.due == D(2024, 2, 20)
    assert review.skipped == tuple(D(2024, 2, day) for day in range(10, 18))


def test_a_2024_case_not_decided_in_time_is_deemed_accepted_and_its_decision_follows(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2024, 2, 7))
    decision = case.deadline(DeadlineKey.DECISION)
    # Deemed accepted on 02-20 (art. 30(3)); + 60 days = Saturday 04-20 -> Monday 04-22.
    assert decision.start == D(2024, 2, 20)
    assert decision.due == D(2024, 4, 22)
    assert "视为受理" in decision.explain()


def test_a_2024_ordinary_case_accepted_before_spring_festival(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2024, 2, 7),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2024, 2, 8),
        copy_served_on=D(2024, 2, 9),
    )
    # Copy within 7 working days of 02-08: 02-09, 02-18, 19, 20, 21, 22, 23.
    assert due(case, DeadlineKey.COPY_DISPATCH) == D(2024, 2, 23)
    # 10 working days after 02-09: 02-18, 19, 20, 21, 22, 23, 26, 27, 28, 29.
    assert due(case, DeadlineKey.RESPONDENT_ANSWER) == D(2024, 2, 29)
    assert due(case, DeadlineKey.DECISION) == D(2024, 4, 8)


def test_simple_procedure_has_thirty_days_and_shorter_working_day_periods(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2024, 2, 7),
        procedure=ReconsiderationProcedure.SIMPLE,
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2024, 2, 8),
        copy_served_on=D(2024, 2, 9),
    )
    # Copy within 3 working days: 02-09, 02-18, 02-19.
    assert due(case, DeadlineKey.COPY_DISPATCH) == D(2024, 2, 19)
    # Answer within 5 working days of 02-09: 02-18, 19, 20, 21, 22.
    assert due(case, DeadlineKey.RESPONDENT_ANSWER) == D(2024, 2, 22)
    # 02-08 + 30 days = Saturday 03-09 -> Monday 03-11.
    assert due(case, DeadlineKey.DECISION) == D(2024, 3, 11)
    case.extension_days = 10
    assert refusal_codes(case) == {"extension_days": ["simple_procedure_no_extension"]}


def test_a_2024_correction_restarts_the_review_instead_of_being_excluded(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2024, 2, 1),
        correction_requested_on=D(2024, 2, 5),
        correction_notice_served_on=D(2024, 2, 6),
    )
    assert case.stage is ReconsiderationStage.CORRECTING
    # The applicant has 10 working days from receiving the notice (art. 31(2)).
    assert due(case, DeadlineKey.CORRECTION_SUBMISSION) == D(2024, 2, 26)
    assert case.deadline(DeadlineKey.DECISION) is None

    case.correction_received_on = D(2024, 2, 23)
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION)
    assert review.due == D(2024, 3, 1)
    decision = case.deadline(DeadlineKey.DECISION)
    assert (decision.start, decision.excluded_days, decision.due) == (
        D(2024, 3, 1),
        0,
        D(2024, 4, 30),
    )


# --- Suspension and the calendar -------------------------------------------------------------


def open_2026_case(unit):
    return make_reconsideration(
        unit,
        received_on=D(2026, 9, 29),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2026, 10, 9),
    )


def test_editing_the_holiday_calendar_moves_an_open_cases_deadline(unit_a):
    case = open_2026_case(unit_a)
    assert due(case, DeadlineKey.DECISION) == D(2026, 12, 8)

    CalendarDay.objects.create(date=D(2026, 12, 8), is_working_day=False, note="测试调休")

    decision = ReconsiderationCase.objects.get(pk=case.pk).deadline(DeadlineKey.DECISION)
    assert decision.due == D(2026, 12, 9)
    assert decision.skipped == (D(2026, 12, 8),)


def test_time_suspended_is_added_to_the_decision_period(unit_a):
    case = open_2026_case(unit_a)
    suspension = ReconsiderationSuspension.objects.create(
        case=case, suspended_on=D(2026, 10, 20), reason="需以其他案件审理结果为依据"
    )
    case = ReconsiderationCase.objects.get(pk=case.pk)
    assert case.stage is ReconsiderationStage.SUSPENDED
    assert "案件中止中" in case.deadline(DeadlineKey.DECISION).explain()

    suspension.resumed_on = D(2026, 10, 30)
    suspension.save()
    case = ReconsiderationCase.objects.get(pk=case.pk)
    decision = case.deadline(DeadlineKey.DECISION)
    assert case.stage is ReconsiderationStage.UNDER_REVIEW
    assert decision.due == D(2026, 12, 18)
    assert "2026-10-20至2026-10-30" in decision.explain()


def test_a_suspension_because_the_applicant_died_has_sixty_days_until_it_is_resumed(unit_a):
    """复议法(2023)第四十一条第（五）项: sixty days suspended on grounds (1), (2) or (4), the
    cause remaining, end the case. 10-20 + 60 days is Saturday 12-19: Monday 12-21."""
    case = open_2026_case(unit_a)
    suspension = make_suspension(
        case, suspended_on=D(2026, 10, 20), ground=SuspensionGround.APPLICANT_DIED
    )
    limit = ReconsiderationCase.objects.get(pk=case.pk).deadline(DeadlineKey.SUSPENSION_LIMIT)
    assert limit.due == D(2026, 12, 21)
    assert "原因仍未消除的，决定终止行政复议" in str(limit.rule)

    suspension.resumed_on = D(2026, 11, 2)
    suspension.save()
    case = ReconsiderationCase.objects.get(pk=case.pk)
    assert case.deadline(DeadlineKey.SUSPENSION_LIMIT) is None


@pytest.mark.parametrize(
    "ground", [SuspensionGround.APPLICANT_MISSING, SuspensionGround.OTHER_CASE]
)
def test_a_suspension_on_another_ground_has_no_limit(unit_a, ground):
    case = open_2026_case(unit_a)
    make_suspension(case, suspended_on=D(2026, 10, 20), ground=ground)
    case = ReconsiderationCase.objects.get(pk=case.pk)
    assert case.deadline(DeadlineKey.SUSPENSION_LIMIT) is None


def test_a_suspension_ground_the_case_s_law_does_not_have_is_refused(unit_a):
    """Suspension for mediation came with the 2023 law (第三十九条第一款第（六）项)."""
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 3, 6),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 3, 8),
    )
    suspension = ReconsiderationSuspension(
        case=case, suspended_on=D(2017, 3, 20), ground=SuspensionGround.MEDIATION, reason="x"
    )
    with pytest.raises(ValidationError) as info:
        suspension.full_clean()
    [error] = info.value.error_dict["ground"]
    assert error.code == "ground_not_in_regime"
    assert "“进行调解、和解，双方同意中止”不是《行政复议法》(2017)" in error.messages[0]
    suspension.ground = SuspensionGround.OTHER_CASE
    suspension.full_clean()


def test_a_suspension_must_follow_acceptance_and_end_before_conclusion(unit_a):
    case = open_2026_case(unit_a)
    early = ReconsiderationSuspension(case=case, suspended_on=D(2026, 10, 1), reason="x")
    with pytest.raises(ValidationError) as info:
        early.full_clean()
    assert info.value.error_dict["suspended_on"][0].code == "suspended_before_acceptance"

    case.concluded_on = D(2026, 11, 20)
    case.outcome = ReconsiderationOutcome.UPHELD
    still_open = ReconsiderationSuspension(case=case, suspended_on=D(2026, 10, 20), reason="x")
    with pytest.raises(ValidationError) as info:
        still_open.full_clean()
    assert info.value.error_dict["resumed_on"][0].code == "concluded_while_suspended"


def suspend(case, start, end=None) -> ReconsiderationSuspension:
    suspension = ReconsiderationSuspension(
        case=case,
        suspended_on=start,
        resumed_on=end,
        ground=SuspensionGround.OTHER_CASE,
        reason="需以其他案件审理结果为依据",
    )
    suspension.full_clean()
    suspension.save()
    return suspension


def test_overlapping_suspensions_are_refused_and_one_after_another_counted(unit_a):
    case = open_2026_case(unit_a)
    suspend(case, D(2026, 10, 20), D(2026, 10, 30))
    for start, end in ((D(2026, 10, 25), D(2026, 11, 5)), (D(2026, 10, 20), D(2026, 10, 30))):
        twice = ReconsiderationSuspension(case=case, suspended_on=start, resumed_on=end, reason="x")
        with pytest.raises(ValidationError) as info:
            twice.full_clean()
        refusal = info.value.error_dict["suspended_on"][0]
        assert refusal.code == "suspensions_overlap"
        assert "2026-10-20至2026-10-30" in refusal.messages[0]
    suspend(case, D(2026, 10, 30), D(2026, 11, 2))  # resumed, then suspended again that day
    case = ReconsiderationCase.objects.get(pk=case.pk)
    assert case.suspended_days() == 13
    assert due(case, DeadlineKey.DECISION) == D(2026, 12, 21)  # 12-08 + 13 days


def test_a_suspension_begun_after_the_decision_period_ran_out_does_not_extend_it(unit_a):
    case = open_2026_case(unit_a)  # the decision is due on 2026-12-08
    suspend(case, D(2026, 12, 10), D(2026, 12, 20))
    case = ReconsiderationCase.objects.get(pk=case.pk)
    decision = case.deadline(DeadlineKey.DECISION)
    assert decision.due == D(2026, 12, 8) and case.suspended_days() == 0
    assert "2026-12-10至2026-12-20的中止开始于审理期限届满之后" in decision.explain()


def test_a_suspension_counts_when_it_begins_within_the_period_the_earlier_ones_extended(unit_a):
    case = open_2026_case(unit_a)
    suspend(case, D(2026, 10, 20), D(2026, 10, 30))  # the decision now due 2026-12-18
    suspend(case, D(2026, 12, 15), D(2026, 12, 17))  # after 12-08, before 12-18: counts
    case = ReconsiderationCase.objects.get(pk=case.pk)
    assert case.suspended_days() == 12
    assert due(case, DeadlineKey.DECISION) == D(2026, 12, 21)  # 12-20 is a Sunday


# --- Stages and their validation -----------------------------------------------------------


def test_stage_follows_the_recorded_dates(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2017, 6, 12))
    assert case.stage is ReconsiderationStage.RECEIVED
    case.correction_requested_on = D(2017, 6, 14)
    assert case.stage is ReconsiderationStage.CORRECTING
    case.correction_received_on = D(2017, 6, 21)
    case.acceptance, case.acceptance_on = AcceptanceDecision.ACCEPTED, D(2017, 6, 22)
    assert case.stage is ReconsiderationStage.UNDER_REVIEW
    case.concluded_on, case.outcome = D(2017, 8, 18), ReconsiderationOutcome.REVOKED
    case.full_clean()
    assert case.stage is ReconsiderationStage.CONCLUDED


def test_queryset_stage_filter_agrees_with_the_stage_property(unit_a):
    received = make_reconsideration(unit_a)
    refused = make_reconsideration(
        unit_a, acceptance=AcceptanceDecision.NOT_ACCEPTED, acceptance_on=D(2017, 3, 8)
    )
    accepted = open_2026_case(unit_a)
    suspended = open_2026_case(unit_a)
    ReconsiderationSuspension.objects.create(
        case=suspended, suspended_on=D(2026, 11, 2), reason="x"
    )
    for case in (received, refused, accepted, suspended):
        case = ReconsiderationCase.objects.get(pk=case.pk)
        assert list(ReconsiderationCase.objects.in_stage(case.stage)) == [case]


def test_a_conclusion_before_acceptance_is_refused_in_chinese_with_a_code(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 3, 6),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 3, 8),
    )
    case.concluded_on = D(2017, 3, 7)
    case.outcome = ReconsiderationOutcome.UPHELD
    with pytest.raises(ValidationError) as info:
        case.full_clean()
    error = info.value.error_dict["concluded_on"][0]
    assert error.code == "concluded_before_accepted"
    assert error.messages == ["审结日期早于受理日期"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"outcome": ReconsiderationOutcome.UPHELD}, {"outcome": ["outcome_without_conclusion"]}),
        ({"concluded_on": D(2017, 4, 28)}, {"outcome": ["conclusion_without_outcome"]}),
        (
            {
                "acceptance": "",
                "acceptance_on": None,
                "concluded_on": D(2017, 4, 28),
                "outcome": "upheld",
            },
            {"concluded_on": ["concluded_without_acceptance"]},
        ),
        ({"acceptance_on": None}, {"acceptance_on": ["acceptance_date_missing"]}),
        ({"acceptance_on": D(2017, 3, 1)}, {"acceptance_on": ["accepted_before_receipt"]}),
        (
            {"concluded_on": D(2017, 4, 28), "outcome": ReconsiderationOutcome.CONFIRMED_VOID},
            {"outcome": ["outcome_not_in_regime"]},
        ),
        (
            {
                "concluded_on": D(2017, 4, 28),
                "outcome": ReconsiderationOutcome.UPHELD,
                "respondent_corrected": True,
            },
            {"respondent_corrected": ["self_correction_without_withdrawal"]},
        ),
        (
            {"correction_requested_on": D(2017, 3, 7)},
            {"acceptance": ["accepted_with_correction_pending"]},
        ),
        ({"copy_served_on": D(2017, 3, 7)}, {"copy_served_on": ["copy_served_before_acceptance"]}),
    ],
)
def test_inconsistent_stage_changes_are_refused_and_change_nothing(unit_a, changes, expected):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 3, 6),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2017, 3, 8),
    )
    for name, value in changes.items():
        setattr(case, name, value)
    assert refusal_codes(case) == expected
    stored = ReconsiderationCase.objects.get(pk=case.pk)
    assert (stored.concluded_on, stored.outcome) == (None, "")


def test_outcomes_are_offered_by_regime_with_their_articles():
    assert ReconsiderationOutcome.CONFIRMED_VOID.regimes == {Regime.LAW_2023}
    assert ReconsiderationOutcome.CLAIM_REJECTED.regimes == {Regime.LAW_2023}
    assert ReconsiderationOutcome.CONFIRMED_ILLEGAL_REDO.regimes == {Regime.LAW_2017}
    assert ReconsiderationOutcome.UPHELD.regimes == {Regime.LAW_2017, Regime.LAW_2023}
    assert "第六十八条" in ReconsiderationOutcome.UPHELD.basis(Regime.LAW_2023)
    assert "第四十八条" in ReconsiderationOutcome.APPLICATION_REJECTED.basis(Regime.LAW_2017)
    assert ReconsiderationOutcome.PARTLY_REVOKED.basis(Regime.LAW_2017) == ""


def test_a_2024_case_may_end_with_claim_rejected_and_a_withdrawal_after_self_correction(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2024, 3, 4),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2024, 3, 5),
        concluded_on=D(2024, 4, 1),
        outcome=ReconsiderationOutcome.CLAIM_REJECTED,
    )
    case.full_clean()
    case.outcome, case.respondent_corrected = ReconsiderationOutcome.WITHDRAWN, True
    case.full_clean()


def test_a_refused_application_keeps_only_its_review_deadline(unit_a):
    case = make_reconsideration(
        unit_a,
        received_on=D(2017, 11, 13),
        acceptance=AcceptanceDecision.NOT_ACCEPTED,
        acceptance_on=D(2017, 11, 17),
    )
    assert [d.key for d in case.deadlines()] == [DeadlineKey.ACCEPTANCE_REVIEW]
    assert case.stage is ReconsiderationStage.NOT_ACCEPTED


@pytest.mark.parametrize(
    ("dates", "last_day"),
    [
        ({"received_on": D(2017, 3, 1)}, D(2017, 3, 8)),
        ({"received_on": D(2024, 3, 1)}, D(2024, 3, 8)),
        # After a correction, the review restarts when the materials arrive.
        (
            {
                "received_on": D(2024, 3, 1),
                "correction_requested_on": D(2024, 3, 4),
                "correction_received_on": D(2024, 3, 20),
            },
            D(2024, 3, 27),
        ),
    ],
)
def test_an_application_not_refused_in_its_review_is_accepted_by_law(unit_a, dates, last_day):
    """复议法(2017)第十七条第二款, (2023)第三十条第三款: a refusal after the review's last
    day is refused; on that day it is still in time."""
    case = unsaved_case(unit_a, acceptance=AcceptanceDecision.NOT_ACCEPTED, **dates)
    case.acceptance_on = last_day
    case.full_clean()
    case.acceptance_on = last_day + datetime.timedelta(days=1)
    assert refusal_codes(case) == {"acceptance": ["refused_after_review"]}
