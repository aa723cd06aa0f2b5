"""Administrative litigation: the defence deadline, hearings, head appearance, outcome classes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registers.core.models import CalendarDay
from reviews.models import (
    HeadRank,
    Instance,
    LitigationCase,
    LitigationHearing,
    LitigationOutcome,
    OutcomeClass,
)
from tests.factories import make_hearing, make_litigation

D = datetime.date
pytestmark = pytest.mark.django_db


def test_defence_is_due_fifteen_days_after_service_rolled_over_national_day(unit_a):
    case = make_litigation(unit_a, served_on=D(2017, 9, 18))
    deadline = case.defence_deadline()
    # 09-18 + 15 = 10-03, inside the National Day holiday -> 10-09.
    assert deadline.due == D(2017, 10, 9)
    assert "第六十七条" in str(deadline.rule)
    assert "顺延至2017-10-09" in deadline.explain()


def test_the_defence_deadline_follows_a_calendar_change(unit_a):
    case = make_litigation(unit_a, served_on=D(2026, 11, 24))
    assert case.defence_deadline().due == D(2026, 12, 9)
    CalendarDay.objects.create(date=D(2026, 12, 9), is_working_day=False)
    assert case.defence_deadline().due == D(2026, 12, 10)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (LitigationOutcome.CLAIM_REJECTED, OutcomeClass.WIN),
        (LitigationOutcome.REVOKED, OutcomeClass.LOSS),
        (LitigationOutcome.REVOKED_REDO, OutcomeClass.LOSS),
        (LitigationOutcome.ORDERED_TO_PERFORM, OutcomeClass.LOSS),
        (LitigationOutcome.ORDERED_TO_PAY, OutcomeClass.LOSS),
        (LitigationOutcome.CONFIRMED_ILLEGAL, OutcomeClass.LOSS),
        (LitigationOutcome.CONFIRMED_VOID, OutcomeClass.LOSS),
        (LitigationOutcome.VARIED, OutcomeClass.LOSS),
        (LitigationOutcome.AGREEMENT_LIABILITY, OutcomeClass.LOSS),
        (LitigationOutcome.WITHDRAWN, OutcomeClass.WITHDRAWN),
        (LitigationOutcome.SUIT_DISMISSED, OutcomeClass.OTHER),
        (LitigationOutcome.MEDIATED, OutcomeClass.OTHER),
        (LitigationOutcome.TERMINATED, OutcomeClass.OTHER),
        (LitigationOutcome.OTHER, OutcomeClass.OTHER),
    ],
)
def test_each_outcome_is_classified_for_the_defendant(unit_a, outcome, expected):
    case = make_litigation(unit_a, concluded_on=D(2017, 6, 1), outcome=outcome)
    assert case.outcome_class is expected
    assert list(LitigationCase.objects.with_outcome_class(expected)) == [case]


def test_an_open_case_has_no_outcome_class_and_an_outcome_needs_a_conclusion(unit_a):
    case = make_litigation(unit_a)
    assert case.outcome_class is None
    case.outcome = LitigationOutcome.CLAIM_REJECTED
    with pytest.raises(ValidationError) as info:
        case.full_clean()
    assert info.value.error_dict["outcome"][0].code == "outcome_without_conclusion"
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_a_conclusion_before_service_is_refused(unit_a):
    case = make_litigation(unit_a, served_on=D(2017, 3, 1))
    case.concluded_on, case.outcome = D(2017, 2, 1), LitigationOutcome.WITHDRAWN
    with pytest.raises(ValidationError) as info:
        case.full_clean()
    assert info.value.error_dict["concluded_on"][0].code == "concluded_before_service"


def test_a_lawyer_alone_is_not_a_head_appearance(unit_a):
    case = make_litigation(unit_a)
    hearing = make_hearing(case, head_name="", head_rank="", others="委托律师 张某")
    assert not hearing.head_appeared
    assert not LitigationHearing.objects.with_head().exists()

    hearing.head_rank = HeadRank.PRINCIPAL
    with pytest.raises(ValidationError) as info:
        hearing.full_clean()
    assert info.value.error_dict["head_name"][0].code == "head_name_missing"


def test_a_hearing_cannot_be_at_a_higher_instance_than_the_case_or_before_service(unit_a):
    case = make_litigation(unit_a, served_on=D(2017, 3, 1))
    hearing = LitigationHearing(
        case=case, held_on=D(2017, 2, 1), trial_instance=Instance.SECOND, head_name="", head_rank=""
    )
    with pytest.raises(ValidationError) as info:
        hearing.full_clean()
    codes = {field: errors[0].code for field, errors in info.value.error_dict.items()}
    assert codes == {
        "held_on": "hearing_before_service",
        "trial_instance": "hearing_instance_beyond_case",
    }
