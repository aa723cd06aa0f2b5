"""Crime transfers with their 3-day / 24-hour deadlines, rectification and accountability."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registers.core.deadlines import DeadlineKey, Unit
from reviews.models import (
    AccountabilityMeasure,
    PoliceDecision,
    RectificationProblem,
    TransferDecision,
)
from tests.factories import make_accountability, make_rectification, make_transfer

D = datetime.date
pytestmark = pytest.mark.django_db


def by_key(transfer):
    return {deadline.key: deadline for deadline in transfer.deadlines()}


def test_the_head_decides_within_three_days_rolled_over_national_day(unit_a):
    transfer = make_transfer(unit_a, reported_on=D(2017, 9, 29))
    deadlines = by_key(transfer)
    # 09-29 + 3 = 10-02, a holiday -> 10-09; nothing else is due before the decision.
    assert list(deadlines) == [DeadlineKey.TRANSFER_DECISION]
    assert deadlines[DeadlineKey.TRANSFER_DECISION].due == D(2017, 10, 9)


def test_an_approved_transfer_goes_to_the_police_within_24_hours_even_on_a_holiday(unit_a):
    transfer = make_transfer(
        unit_a,
        reported_on=D(2017, 9, 28),
        decision=TransferDecision.APPROVED,
        decided_on=D(2017, 9, 30),
    )
    transfer_deadline = by_key(transfer)[DeadlineKey.TRANSFER]
    assert transfer_deadline.unit is Unit.HOURS
    assert transfer_deadline.due == D(2017, 10, 1)
    assert "24小时" in transfer_deadline.explain()


def test_a_refused_transfer_has_no_transfer_deadline(unit_a):
    transfer = make_transfer(unit_a, decision=TransferDecision.REFUSED, decided_on=D(2017, 8, 9))
    assert DeadlineKey.TRANSFER not in by_key(transfer)


def test_police_review_and_evidence_handover_follow_the_police_dates(unit_a):
    transfer = make_transfer(
        unit_a,
        reported_on=D(2017, 8, 7),
        decision=TransferDecision.APPROVED,
        decided_on=D(2017, 8, 9),
        transferred_on=D(2017, 8, 10),
        police_accepted_on=D(2017, 8, 10),
        police_decision=PoliceDecision.FILED,
        police_notice_received_on=D(2017, 8, 12),
    )
    deadlines = by_key(transfer)
    assert deadlines[DeadlineKey.POLICE_REVIEW].due == D(2017, 8, 14)  # 08-13 is a Sunday
    assert deadlines[DeadlineKey.EVIDENCE_HANDOVER].due == D(2017, 8, 15)
    assert DeadlineKey.POLICE_RECONSIDERATION_REQUEST not in deadlines


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"decision": TransferDecision.APPROVED}, "decided_on", "decision_without_date"),
        (
            {"decision": TransferDecision.APPROVED, "decided_on": D(2017, 8, 6)},
            "decided_on",
            "decided_before_report",
        ),
        (
            {
                "decision": TransferDecision.REFUSED,
                "decided_on": D(2017, 8, 8),
                "transferred_on": D(2017, 8, 9),
            },
            "transferred_on",
            "transferred_without_approval",
        ),
        ({"police_accepted_on": D(2017, 8, 9)}, "police_accepted_on", "police_without_transfer"),
    ],
)
def test_transfer_steps_out_of_order_are_refused(unit_a, values, field, code):
    transfer = make_transfer(unit_a, reported_on=D(2017, 8, 7))
    for name, value in values.items():
        setattr(transfer, name, value)
    with pytest.raises(ValidationError) as info:
        transfer.full_clean()
    assert info.value.error_dict[field][0].code == code


def test_a_rectification_cannot_be_due_or_done_before_the_problem_was_found(unit_a):
    problem = make_rectification(unit_a, found_on=D(2017, 4, 10))
    problem.due_on = D(2017, 4, 1)
    problem.rectified_on = D(2017, 4, 2)
    with pytest.raises(ValidationError) as info:
        problem.full_clean()
    codes = {field: errors[0].code for field, errors in info.value.error_dict.items()}
    assert codes == {"due_on": "due_before_found", "rectified_on": "rectified_before_found"}


def test_outstanding_problems_are_those_not_yet_rectified(unit_a):
    done = make_rectification(unit_a, rectified_on=D(2017, 5, 20))
    open_ = make_rectification(unit_a)
    assert list(RectificationProblem.objects.outstanding()) == [open_]
    assert done not in RectificationProblem.objects.outstanding()


def test_accountability_records_name_the_measure(unit_a):
    record = make_accountability(unit_a, person="江某某", measure=AccountabilityMeasure.ADMONITION)
    assert str(record) == "江某某（诫勉谈话）"
