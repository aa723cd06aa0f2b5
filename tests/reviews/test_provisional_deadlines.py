"""Deadlines counted across a year whose holiday schedule is not yet confirmed.

Today is Sunday 2026-12-06. 2027 is treated as unknown to the holiday package whatever its
installed version (``open_2027``), so 2027 counts its statutory holidays (元旦 1 January;
春节 from 除夕 5 February to 初三 8 February) and weekends, and is provisional.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from registers.core.calendar import get_calendar
from registers.core.deadlines import DeadlineKey
from registers.core.holiday_notice import parse_lines, parse_notice
from registers.core.models import CalendarDay
from registers.core.roles import Role
from reviews.models import AcceptanceDecision
from tests.factories import make_reconsideration, make_user
from tests.workspace.test_holiday_schedule import NOTICE_2027
from xianan_lawgov.workspace.holidays import confirm_schedule
from xianan_lawgov.workspace.models import Notification
from xianan_lawgov.workspace.notifications import send_deadline_notifications

D = datetime.date
pytestmark = pytest.mark.django_db
REASON = "2027年节假日安排尚未确认，按法定节日暂定"


@pytest.fixture(autouse=True)
def _open_2027(open_2027):
    pass


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield D(2026, 12, 6)


@pytest.fixture
def spring_case(unit_a):
    """Accepted Monday 2026-12-07: 60 days end on 2027-02-05, 除夕."""
    return make_reconsideration(
        unit_a,
        number="咸安复〔2026〕31号",
        received_on=D(2026, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2026, 12, 7),
    )


def test_a_decision_due_on_chuxi_rolls_past_the_spring_festival_and_is_provisional(spring_case):
    decision = spring_case.deadline(DeadlineKey.DECISION, get_calendar())
    # 除夕 (Fri) to 初三 (Mon) are statutory holidays, and 初一 and 初二 fall on the weekend,
    # so Tue 02-09 and Wed 02-10 are made up (补假): the next working day is Thu 02-11, where
    # Monday-to-Friday counting would have said 02-05.
    assert decision.due == D(2027, 2, 11)
    assert decision.provisional
    assert decision.provisional_years == (2027,)
    assert REASON in decision.explain()


def test_five_working_days_across_new_years_day_skip_it(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2026, 12, 28))
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW, get_calendar())
    # 12-29, 12-30, 12-31, (01-01 元旦), 01-04, 01-05.
    assert review.due == D(2027, 1, 5)
    assert D(2027, 1, 1) in review.skipped
    assert review.provisional


def test_a_deadline_within_a_confirmed_year_is_final(unit_a):
    case = make_reconsideration(unit_a, received_on=D(2026, 12, 1))
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW, get_calendar())
    assert review.due.year == 2026
    assert not review.provisional
    assert "尚未确认" not in review.explain()


def test_an_override_day_moves_a_provisional_deadline_and_it_stays_provisional(spring_case):
    CalendarDay.objects.create(date=D(2027, 2, 11), is_working_day=False, note="调休")
    decision = spring_case.deadline(DeadlineKey.DECISION, get_calendar())
    assert decision.due == D(2027, 2, 12)
    assert decision.provisional


def test_the_api_marks_each_deadline_provisional_or_not(client, office, spring_case):
    client.force_login(office)
    response = client.get(f"/api/v1/reconsideration-cases/{spring_case.pk}/")
    assert response.status_code == 200
    deadlines = {d["key"]: d for d in response.json()["deadlines"]}
    decision = deadlines["decision"]
    assert decision["provisional"] is True
    assert decision["provisional_years"] == [2027]
    assert decision["due"] == "2027-02-11"
    assert REASON in decision["explanation"]
    assert deadlines["acceptance_review"]["provisional"] is False


def test_the_board_and_the_case_page_show_provisional_deadlines(client, office, spring_case):
    client.force_login(office)
    page = client.get(reverse("reviews:deadline_board"), {"days": 60}).content.decode()
    assert 'data-testid="provisional"' in page
    assert REASON in page
    admin_page = client.get(
        reverse("admin:reviews_reconsiderationcase_change", args=[spring_case.pk])
    ).content.decode()
    assert "2027-02-11（暂定）" in admin_page
    assert REASON in admin_page


def test_a_deadline_notification_says_it_is_provisional(unit_a):
    liaison = make_user(Role.LIAISON, unit=unit_a)
    # Received 12-31: five working days end 2027-01-08, within 3 working days of 01-05.
    make_reconsideration(unit_a, received_on=D(2026, 12, 31))
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC)):
        assert send_deadline_notifications(D(2027, 1, 5)) >= 1
    notification = Notification.objects.get(user=liaison)
    assert notification.title.endswith("（暂定）")
    assert REASON in notification.body


def test_a_refusal_is_not_held_to_a_provisional_review_and_is_once_the_year_is_confirmed(
    unit_a, office
):
    """复议法(2023)第三十条: five working days to refuse. Received 2027-02-03, the review
    ends 02-16 on the provisional calendar; the notice adds days off and makes it 02-17. A
    refusal on 02-18 is not refused while the year is provisional: the notice may yet move
    the last day past it."""
    case = make_reconsideration(unit_a, received_on=D(2027, 2, 3))
    case.acceptance = AcceptanceDecision.NOT_ACCEPTED
    case.acceptance_on = D(2027, 2, 18)
    assert case.deadline(DeadlineKey.ACCEPTANCE_REVIEW, get_calendar()).provisional
    case.full_clean()

    days = parse_lines("\n".join(parse_notice(NOTICE_2027, 2027)), 2027)
    confirm_schedule(2027, days, notice_text=NOTICE_2027, by=office, today=D(2026, 12, 6))
    review = case.deadline(DeadlineKey.ACCEPTANCE_REVIEW, get_calendar())
    assert (review.due, review.provisional) == (D(2027, 2, 17), False)
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert [e.code for e in refused.value.error_dict["acceptance"]] == ["refused_after_review"]
    assert "2027-02-17" in refused.value.messages[0]
