"""Statutory deadlines on the real Chinese holiday calendar (no database).

Calendars used below (W = working day, - = rest day), from the ``chinese_calendar`` package:

2017 National Day: 09-30 Sat W (make-up), 10-01 … 10-08 -, 10-09 Mon W.
2024 Spring Festival: 02-04 Sun W (make-up), 02-09 Fri W, 02-10 … 02-17 -, 02-18 Sun W.
2024 Qingming: 04-04 … 04-06 -, 04-07 Sun W.  2024 Labour Day: 04-28 Sun W, 05-01 … 05-05 -.
"""

import datetime

import chinese_calendar
import pytest

from registers.core.deadlines import (
    Deadline,
    DeadlineInputError,
    DeadlineKey,
    Procedure,
    Regime,
    Unit,
    calendar_period_due,
    check_reconsideration_dates,
    criminal_transfer_deadlines,
    inspection_publication_due,
    litigation_defence_due,
    reconsideration_deadlines,
    regime_for,
    suspension_limit_due,
    transfer_due_at,
    working_period_due,
)

D = datetime.date


class ChineseCalendar:
    """The three calendar methods the deadline module needs, straight from the package."""

    def is_working_day(self, d: datetime.date) -> bool:
        return chinese_calendar.is_workday(d)

    def add_working_days(self, d: datetime.date, n: int) -> datetime.date:
        while n:
            d += datetime.timedelta(days=1)
            n -= self.is_working_day(d)
        return d

    def next_working_day_on_or_after(self, d: datetime.date) -> datetime.date:
        while not self.is_working_day(d):
            d += datetime.timedelta(days=1)
        return d

    def unconfirmed_years(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        return ()  # the package raises for any day it does not know


CAL = ChineseCalendar()


def by_key(deadlines: list[Deadline]) -> dict[DeadlineKey, Deadline]:
    keys = [d.key for d in deadlines]
    assert len(keys) == len(set(keys)), keys
    return {d.key: d for d in deadlines}


def days_range(first: datetime.date, last: datetime.date) -> tuple[datetime.date, ...]:
    return tuple(first + datetime.timedelta(days=i) for i in range((last - first).days + 1))


NATIONAL_DAY_2017 = days_range(D(2017, 10, 1), D(2017, 10, 8))
SPRING_FESTIVAL_2024 = days_range(D(2024, 2, 10), D(2024, 2, 17))


# --- Counting helpers -------------------------------------------------------------------------


def test_calendar_period_ending_on_a_holiday_rolls_to_the_next_working_day():
    # 2017-09-21 + 10 days = 10-01 (National Day) -> first working day after is 10-09.
    assert calendar_period_due(D(2017, 9, 21), 10, CAL) == D(2017, 10, 9)
    # 2024-04-17 + 10 days = 04-27 (Sat, rest) -> 04-28 is a make-up working Sunday.
    assert calendar_period_due(D(2024, 4, 17), 10, CAL) == D(2024, 4, 28)
    # Ending on an ordinary working day: no roll-over (2017-10-09 + 10 = 10-19, Thu).
    assert calendar_period_due(D(2017, 10, 9), 10, CAL) == D(2017, 10, 19)


def test_working_period_counts_make_up_weekend_days_and_skips_holidays():
    # After 2017-09-28: 09-29 (1), 09-30 make-up Sat (2), holidays 10-01..08, 10-09 (3).
    assert working_period_due(D(2017, 9, 28), 3, CAL) == D(2017, 10, 9)
    # After 2024-02-08: 02-09 (1), holidays 02-10..17, 02-18 make-up Sun (2).
    assert working_period_due(D(2024, 2, 8), 2, CAL) == D(2024, 2, 18)


def test_period_length_must_be_positive():
    with pytest.raises(ValueError):
        working_period_due(D(2024, 2, 8), 0, CAL)
    with pytest.raises(ValueError):
        calendar_period_due(D(2024, 2, 8), -1, CAL)


# --- Regime -----------------------------------------------------------------------------------


def test_regime_changes_on_1_january_2024():
    assert regime_for(D(2023, 12, 31)) is Regime.LAW_2017
    assert regime_for(D(2024, 1, 1)) is Regime.LAW_2023


def test_cases_received_either_side_of_the_boundary_get_different_decision_deadlines():
    # 2017 regime, received Sun 2023-12-31: accepted on receipt (2017 art. 17(2));
    # 12-31 + 60 days = 2024-02-29 (Thu, working).
    old = by_key(reconsideration_deadlines(received_on=D(2023, 12, 31), calendar=CAL))
    assert old[DeadlineKey.DECISION].start == D(2023, 12, 31)
    assert old[DeadlineKey.DECISION].due == D(2024, 2, 29)
    # 2023 regime, received Mon 2024-01-01 (holiday): review 5 working days 01-02..01-05, 01-08,
    # deemed accepted 01-08 (art. 30(3)); 01-08 + 60 days = 03-08 (Fri, working).
    new = by_key(reconsideration_deadlines(received_on=D(2024, 1, 1), calendar=CAL))
    assert new[DeadlineKey.ACCEPTANCE_REVIEW].due == D(2024, 1, 8)
    assert new[DeadlineKey.DECISION].start == D(2024, 1, 8)
    assert new[DeadlineKey.DECISION].due == D(2024, 3, 8)
    # The respondent's 10 days: calendar days in 2017 (only 5/7 are working days, art. 40),
    # working days in 2023 (art. 88). Copy served Mon 2024-01-15:
    # 2017: 01-15 + 10 = 01-25 (Thu). 2023: 01-16..19 (4), 01-22..26 (9), 01-29 (10).
    old = by_key(
        reconsideration_deadlines(
            received_on=D(2023, 12, 31), calendar=CAL, copy_served_on=D(2024, 1, 15)
        )
    )
    new = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 1, 1), calendar=CAL, copy_served_on=D(2024, 1, 15)
        )
    )
    assert old[DeadlineKey.RESPONDENT_ANSWER].due == D(2024, 1, 25)
    assert old[DeadlineKey.RESPONDENT_ANSWER].unit is Unit.CALENDAR
    assert new[DeadlineKey.RESPONDENT_ANSWER].due == D(2024, 1, 29)
    assert new[DeadlineKey.RESPONDENT_ANSWER].unit is Unit.WORKING


# --- 2017 regime ------------------------------------------------------------------------------


def test_2017_case_received_before_national_day():
    # Received Thu 2017-09-28.
    # Review, 5 working days (art. 17 + art. 40): 09-29 (1), 09-30 make-up Sat (2),
    #   10-01..08 holidays, 10-09 (3), 10-10 (4), 10-11 (5).
    # Copy to respondent, 7 working days from acceptance = receipt: ... 10-12 (6), 10-13 (7).
    # Decision, 60 calendar days from 09-28: 09-30 (+2), 10-31 (+33), 11-27 (+60), a Monday.
    result = by_key(reconsideration_deadlines(received_on=D(2017, 9, 28), calendar=CAL))
    assert list(result) == [
        DeadlineKey.ACCEPTANCE_REVIEW,
        DeadlineKey.COPY_DISPATCH,
        DeadlineKey.DECISION,
    ]
    review = result[DeadlineKey.ACCEPTANCE_REVIEW]
    assert (review.due, review.unit, review.days) == (D(2017, 10, 11), Unit.WORKING, 5)
    assert review.skipped == NATIONAL_DAY_2017
    assert "第十七条" in str(review.rule)
    assert result[DeadlineKey.COPY_DISPATCH].due == D(2017, 10, 13)
    decision = result[DeadlineKey.DECISION]
    assert (decision.start, decision.due, decision.skipped) == (D(2017, 9, 28), D(2017, 11, 27), ())
    assert "第三十一条" in str(decision.rule)


def test_2017_answer_period_ending_in_national_day_rolls_over_it():
    # Copy served 2017-09-21; 10 calendar days end on 10-01 (holiday) -> 10-09.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2017, 9, 18), calendar=CAL, copy_served_on=D(2017, 9, 21)
        )
    )
    answer = result[DeadlineKey.RESPONDENT_ANSWER]
    assert answer.due == D(2017, 10, 9)
    assert answer.nominal_end == D(2017, 10, 1)
    assert answer.skipped == NATIONAL_DAY_2017


def test_2017_correction_time_is_not_counted_in_the_decision_period():
    # Received Mon 2017-09-25; correction notice sent 09-27, materials back 10-16.
    # Correction notice, 5 working days: 09-26..29 (4), 09-30 make-up Sat (5).
    # Decision: acceptance = receipt 09-25; 60 days -> 11-24; plus correction time
    #   10-16 - 09-27 = 19 days -> 12-13 (Wed).
    # Copy: 7 working days from 10-16 (the corrected application): 10-17..20 (4),
    #   10-23..25 (7) -> 10-25.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2017, 9, 25),
            calendar=CAL,
            correction_requested_on=D(2017, 9, 27),
            correction_received_on=D(2017, 10, 16),
        )
    )
    assert result[DeadlineKey.CORRECTION_NOTICE].due == D(2017, 9, 30)
    assert result[DeadlineKey.CORRECTION_NOTICE].skipped == ()
    assert result[DeadlineKey.COPY_DISPATCH].due == D(2017, 10, 25)
    decision = result[DeadlineKey.DECISION]
    assert decision.excluded_days == 19
    assert decision.due == D(2017, 12, 13)
    # No statutory applicant deadline in 2017: the notice sets a "reasonable" period.
    assert DeadlineKey.CORRECTION_SUBMISSION not in result


def test_2017_extension_adds_up_to_30_days_on_top_of_excluded_correction_time():
    # As above, 09-25 + 60 + 19 + 30 = 109 days -> 2018-01-12 (Fri, working).
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2017, 9, 25),
            calendar=CAL,
            correction_requested_on=D(2017, 9, 27),
            correction_received_on=D(2017, 10, 16),
            extended=True,
        )
    )
    decision = result[DeadlineKey.DECISION]
    assert (decision.extended_by, decision.excluded_days) == (30, 19)
    assert decision.due == D(2018, 1, 12)


def test_2017_outstanding_correction_stops_the_decision_clock():
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2017, 9, 25), calendar=CAL, correction_requested_on=D(2017, 9, 27)
        )
    )
    assert DeadlineKey.DECISION not in result
    assert DeadlineKey.COPY_DISPATCH not in result


def test_2017_late_acceptance_record_does_not_postpone_the_decision():
    # Art. 17(2): accepted on the day of receipt, whatever date the file records.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2017, 9, 28), calendar=CAL, accepted_on=D(2017, 10, 10)
        )
    )
    decision = result[DeadlineKey.DECISION]
    assert decision.start == D(2017, 9, 28)
    assert decision.due == D(2017, 11, 27)
    assert "2017-10-10" in str(decision.note)


def test_2017_has_no_simple_procedure():
    with pytest.raises(DeadlineInputError) as raised:
        reconsideration_deadlines(received_on=D(2017, 9, 28), calendar=CAL, procedure="simple")
    assert raised.value.code == "simple_procedure_before_2024"


def _calendar_read(*args):
    raise AssertionError("the calendar was read")


class RefusingCalendar:
    """A calendar that fails the test if anyone asks it about a day."""

    is_working_day = add_working_days = next_working_day_on_or_after = _calendar_read


def test_case_dates_are_checked_without_the_calendar():
    dates = {"received_on": D(2024, 2, 8), "correction_requested_on": D(2024, 2, 1)}
    with pytest.raises(DeadlineInputError) as checked:
        check_reconsideration_dates(**dates)
    with pytest.raises(DeadlineInputError) as computed:
        reconsideration_deadlines(calendar=RefusingCalendar(), **dates)
    assert checked.value.code == computed.value.code == "correction_before_receipt"
    check_reconsideration_dates(received_on=D(2024, 2, 8), procedure=Procedure.SIMPLE)


# --- 2023 regime ------------------------------------------------------------------------------


def test_2024_case_across_spring_festival_is_deemed_accepted_when_review_expires():
    # Received Thu 2024-02-08, no acceptance recorded.
    # Review, 5 working days: 02-09 (1), 02-10..17 holidays, 02-18 make-up Sun (2),
    #   02-19 (3), 02-20 (4), 02-21 (5) -> deemed accepted 02-21 (art. 30(3)).
    # Copy, 7 working days after 02-21: 02-22, 23, 26, 27, 28, 29, 03-01.
    # Answer, copy served Mon 03-04: 10 working days 03-05..08 (4), 03-11..15 (9), 03-18 (10).
    # Decision: 02-21 + 60 days: 02-29 (+8), 03-31 (+39), 04-21 (+60) is a Sunday -> 04-22.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 2, 8), calendar=CAL, copy_served_on=D(2024, 3, 4)
        )
    )
    review = result[DeadlineKey.ACCEPTANCE_REVIEW]
    assert review.due == D(2024, 2, 21)
    assert review.skipped == SPRING_FESTIVAL_2024
    assert "第三十条" in str(review.rule)
    copy = result[DeadlineKey.COPY_DISPATCH]
    assert copy.start == D(2024, 2, 21)
    assert copy.due == D(2024, 3, 1)
    assert copy.skipped == (D(2024, 2, 24), D(2024, 2, 25))
    answer = result[DeadlineKey.RESPONDENT_ANSWER]
    assert (answer.days, answer.unit, answer.due) == (10, Unit.WORKING, D(2024, 3, 18))
    decision = result[DeadlineKey.DECISION]
    assert decision.start == D(2024, 2, 21)
    assert decision.due == D(2024, 4, 22)
    assert decision.skipped == (D(2024, 4, 21),)
    assert "第六十二条" in str(decision.rule)
    assert "2024-04-22" in decision.explain()


def test_2024_recorded_acceptance_before_expiry_starts_the_decision_period():
    # Accepted Fri 2024-02-09: 02-29 (+20), 03-31 (+51), 04-09 (+60, Tue).
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 2, 8), calendar=CAL, accepted_on=D(2024, 2, 9)
        )
    )
    assert result[DeadlineKey.DECISION].start == D(2024, 2, 9)
    assert result[DeadlineKey.DECISION].due == D(2024, 4, 9)
    assert result[DeadlineKey.DECISION].note == ""


def test_2024_acceptance_recorded_after_review_expiry_counts_from_deemed_acceptance():
    # Review expired 02-21, so the case was deemed accepted then; a notice dated 02-26 does not
    # give the office five more days. Decision as in the deemed case: 04-22.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 2, 8), calendar=CAL, accepted_on=D(2024, 2, 26)
        )
    )
    decision = result[DeadlineKey.DECISION]
    assert decision.start == D(2024, 2, 21)
    assert decision.due == D(2024, 4, 22)
    assert "2024-02-26" in str(decision.note)


def test_2024_correction_restarts_the_review_and_deemed_acceptance():
    # Received 2024-02-08; notice sent and served 02-09, materials back Mon 02-26.
    # Notice due: 5 working days after 02-08 = 02-21.
    # Applicant: 10 working days after 02-09: 02-18 (1), 02-19..23 (6), 02-26..29 (10).
    # Review again: 5 working days after 02-26: 02-27, 28, 29, 03-01, 03-04 -> deemed 03-04.
    # Decision: 03-04 + 60 days: 03-31 (+27), 04-30 (+57), 05-03 (+60) is in the Labour Day
    #   holiday (05-01..05) -> 05-06.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 2, 8),
            calendar=CAL,
            correction_requested_on=D(2024, 2, 9),
            correction_notice_served_on=D(2024, 2, 9),
            correction_received_on=D(2024, 2, 26),
        )
    )
    assert list(result) == [
        DeadlineKey.ACCEPTANCE_REVIEW,
        DeadlineKey.CORRECTION_NOTICE,
        DeadlineKey.CORRECTION_SUBMISSION,
        DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION,
        DeadlineKey.COPY_DISPATCH,
        DeadlineKey.DECISION,
    ]
    assert result[DeadlineKey.CORRECTION_NOTICE].due == D(2024, 2, 21)
    submission = result[DeadlineKey.CORRECTION_SUBMISSION]
    assert (submission.days, submission.due) == (10, D(2024, 2, 29))
    assert submission.note == ""
    assert result[DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION].due == D(2024, 3, 4)
    decision = result[DeadlineKey.DECISION]
    assert decision.start == D(2024, 3, 4)
    assert decision.excluded_days == 0
    assert decision.due == D(2024, 5, 6)
    assert decision.skipped == (D(2024, 5, 3), D(2024, 5, 4), D(2024, 5, 5))


def test_2024_outstanding_correction_leaves_acceptance_open():
    # Without the served date the applicant's period is estimated from the notice date.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 2, 8), calendar=CAL, correction_requested_on=D(2024, 2, 9)
        )
    )
    assert result[DeadlineKey.CORRECTION_SUBMISSION].due == D(2024, 2, 29)
    assert str(result[DeadlineKey.CORRECTION_SUBMISSION].note) != ""
    assert DeadlineKey.COPY_DISPATCH not in result
    assert DeadlineKey.DECISION not in result


def test_2024_ordinary_extension_adds_30_days():
    # Deemed accepted 02-21 (as above): 02-21 + 90 days = 05-21 (Tue, working).
    result = by_key(
        reconsideration_deadlines(received_on=D(2024, 2, 8), calendar=CAL, extended=True)
    )
    assert result[DeadlineKey.DECISION].extended_by == 30
    assert result[DeadlineKey.DECISION].due == D(2024, 5, 21)


def test_2024_simple_procedure_has_shorter_periods():
    # Received Wed 2024-03-27, accepted Thu 03-28, copy served Tue 04-02.
    # Copy, 3 working days (art. 54): 03-29 (1), 04-01 (2), 04-02 (3).
    # Answer, 5 working days: 04-03 (1), 04-04..06 Qingming, 04-07 make-up Sun (2),
    #   04-08 (3), 04-09 (4), 04-10 (5).
    # Decision, 30 days (art. 62(2)): 03-31 (+3), 04-27 (+30) is a Saturday -> 04-28, a make-up
    #   working Sunday.
    result = by_key(
        reconsideration_deadlines(
            received_on=D(2024, 3, 27),
            calendar=CAL,
            procedure=Procedure.SIMPLE,
            accepted_on=D(2024, 3, 28),
            copy_served_on=D(2024, 4, 2),
        )
    )
    assert result[DeadlineKey.COPY_DISPATCH].due == D(2024, 4, 2)
    answer = result[DeadlineKey.RESPONDENT_ANSWER]
    assert (answer.days, answer.due) == (5, D(2024, 4, 10))
    assert answer.skipped == (D(2024, 4, 4), D(2024, 4, 5), D(2024, 4, 6))
    decision = result[DeadlineKey.DECISION]
    assert (decision.days, decision.due) == (30, D(2024, 4, 28))
    assert decision.skipped == (D(2024, 4, 27),)


def test_2024_simple_procedure_cannot_be_extended():
    with pytest.raises(DeadlineInputError) as raised:
        reconsideration_deadlines(
            received_on=D(2024, 3, 27), calendar=CAL, procedure="simple", extended=True
        )
    assert raised.value.code == "simple_procedure_no_extension"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"extended": True, "extension_days": 31}, "extension_too_long"),
        ({"correction_received_on": D(2024, 2, 20)}, "correction_without_request"),
        ({"accepted_on": D(2024, 2, 7)}, "accepted_before_receipt"),
        (
            {"correction_requested_on": D(2024, 2, 19), "correction_received_on": D(2024, 2, 18)},
            "correction_received_before_notice",
        ),
    ],
)
def test_inconsistent_case_data_is_rejected_with_a_code(kwargs, code):
    with pytest.raises(DeadlineInputError) as raised:
        reconsideration_deadlines(received_on=D(2024, 2, 8), calendar=CAL, **kwargs)
    assert raised.value.code == code


# --- Litigation, crime transfers, inspections -------------------------------------------------


def test_litigation_defence_is_15_calendar_days_rolled_over_holidays():
    # Served 2024-02-01: + 15 days = 02-16 (holiday); 02-17 rest; 02-18 is a working Sunday.
    defence = litigation_defence_due(D(2024, 2, 1), CAL)
    assert (defence.days, defence.unit) == (15, Unit.CALENDAR)
    assert defence.due == D(2024, 2, 18)
    assert defence.skipped == (D(2024, 2, 16), D(2024, 2, 17))
    assert "第六十七条" in str(defence.rule)
    # Served 2017-09-21: + 15 = 10-06 (National Day) -> 10-09.
    assert litigation_defence_due(D(2017, 9, 21), CAL).due == D(2017, 10, 9)


def test_a_suspension_that_can_end_the_case_runs_60_calendar_days_by_its_regime_s_rule():
    # Suspended 2024-03-02: + 60 days = 05-01 (Labour Day, rest to 05-05) -> 05-06.
    limit = suspension_limit_due(D(2024, 3, 2), Regime.LAW_2023, CAL)
    assert (limit.key, limit.days, limit.unit) == (DeadlineKey.SUSPENSION_LIMIT, 60, Unit.CALENDAR)
    assert limit.due == D(2024, 5, 6)
    assert "第四十一条第（五）项" in str(limit.rule)
    # Under the 2007 regulation the same sixty days are art. 42(2)'s.
    earlier = suspension_limit_due(D(2017, 8, 2), Regime.LAW_2017, CAL)
    assert earlier.due == D(2017, 10, 9)  # 10-01 falls in National Day
    assert "第四十二条第二款" in str(earlier.rule)


def test_criminal_transfer_deadlines():
    # Report Fri 2017-09-29: + 3 days = 10-02 (holiday) -> 10-09 (art. 5(2), calendar days).
    # Decision Sat 09-30: 24 hours, never rolled -> 10-01 even though it is a holiday.
    # Police accepted Wed 2024-02-07: + 3 = 02-10 (holiday) -> 02-18 (art. 8).
    result = by_key(
        criminal_transfer_deadlines(
            reported_on=D(2017, 9, 29),
            calendar=CAL,
            decided_on=D(2017, 9, 30),
            police_accepted_on=D(2024, 2, 7),
        )
    )
    assert result[DeadlineKey.TRANSFER_DECISION].due == D(2017, 10, 9)
    transfer = result[DeadlineKey.TRANSFER]
    assert (transfer.unit, transfer.days, transfer.due) == (Unit.HOURS, 24, D(2017, 10, 1))
    assert result[DeadlineKey.POLICE_REVIEW].due == D(2024, 2, 18)
    assert DeadlineKey.EVIDENCE_HANDOVER not in result
    assert transfer_due_at(datetime.datetime(2017, 9, 30, 16, 30)) == datetime.datetime(
        2017, 10, 1, 16, 30
    )


def test_inspection_results_are_published_within_20_working_days():
    # Check ended Thu 2024-02-01: 02-02 (1), 02-04 make-up Sun (2), 02-05..09 (7),
    # 02-18 (8), 02-19..23 (13), 02-26..03-01 (18), 03-04 (19), 03-05 (20).
    due = inspection_publication_due(D(2024, 2, 1), CAL, days=20)
    assert (due.days, due.unit, due.due) == (20, Unit.WORKING, D(2024, 3, 5))
    assert due.skipped == (
        (D(2024, 2, 3),)
        + SPRING_FESTIVAL_2024
        + (D(2024, 2, 24), D(2024, 2, 25), D(2024, 3, 2), D(2024, 3, 3))
    )
