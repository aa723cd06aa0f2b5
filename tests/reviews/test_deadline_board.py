"""The deadline board page: what is due soon or overdue, coloured, sorted and scoped.

Today is Monday 2026-11-30 in every test. Working days after it: 12-01 (1), 12-02 (2),
12-03 (3), 12-04 (4), 12-07 (5) … 12-14 (10).
"""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.core.models import CalendarDay
from reviews import deadline_board
from reviews.deadline_board import DeadlineEntry, Urgency, board_rows
from reviews.models import AcceptanceDecision, SuspensionGround, TransferDecision
from tests.factories import (
    make_litigation,
    make_reconsideration,
    make_rectification,
    make_suspension,
    make_transfer,
)

D = datetime.date
URL = reverse("reviews:deadline_board")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield D(2026, 11, 30)


@pytest.fixture
def open_items(unit_a, unit_b):
    """One open deadline of each kind, due at different distances from today."""
    return {
        # Rectification due 11-20, not done: overdue.
        "overdue": make_rectification(
            unit_a, problem="处罚决定未按期公示", found_on=D(2026, 10, 12), due_on=D(2026, 11, 20)
        ),
        # Transfer reported Friday 11-27: decision due Monday 11-30, today.
        "today": make_transfer(unit_b, case_name="某药店销售假药案", reported_on=D(2026, 11, 27)),
        # Application received 11-26: acceptance review due 12-03 (3 working days).
        "soon": make_reconsideration(
            unit_a, number="咸安复〔2026〕21号", received_on=D(2026, 11, 26)
        ),
        # Accepted 10-09: decision due 12-08 (6 working days).
        "later": make_reconsideration(
            unit_b,
            number="咸安复〔2026〕18号",
            received_on=D(2026, 9, 29),
            acceptance=AcceptanceDecision.ACCEPTED,
            acceptance_on=D(2026, 10, 9),
        ),
        # Complaint served 11-24: defence due 12-09 (7 working days).
        "defence": make_litigation(
            unit_a, number="（2026）鄂1202行初58号", served_on=D(2026, 11, 24)
        ),
        # Accepted 11-25: decision due 2027-01-25, beyond 10 working days.
        "far": make_reconsideration(
            unit_b,
            number="咸安复〔2026〕25号",
            received_on=D(2026, 11, 20),
            acceptance=AcceptanceDecision.ACCEPTED,
            acceptance_on=D(2026, 11, 25),
        ),
    }


def board(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def rows_of(page: str) -> list[tuple[str, str]]:
    """(urgency, due date) of each row, in page order."""
    return re.findall(r'data-urgency="(\w+)">.*?<td class="num">([\d-]+)</td>', page, re.S)


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))


def test_api_clients_are_refused(client, municipal):
    assert board(client, municipal).status_code == 403


def test_office_sees_every_open_deadline_sorted_and_coloured(client, office, open_items):
    page = board(client, office).content.decode()
    assert rows_of(page) == [
        ("overdue", "2026-11-20"),
        ("soon", "2026-11-30"),
        ("soon", "2026-12-03"),
        ("upcoming", "2026-12-08"),
        ("upcoming", "2026-12-09"),
    ]
    assert "row--bad" in page and "row--warn" in page
    assert "逾期 10 天" in page
    assert "今天到期" in page
    assert "咸安复〔2026〕25号" not in page  # due beyond the horizon


def test_each_row_says_how_its_deadline_was_computed_and_links_to_the_record(
    client, office, open_items
):
    page = board(client, office).content.decode()
    assert "自2026-11-26次日起算5个工作日，届满于2026-12-03" in page
    assert "第三十条" in page  # the rule, with its article
    review_case = open_items["soon"]
    assert reverse("admin:reviews_reconsiderationcase_change", args=[review_case.pk]) in page


def test_a_longer_horizon_shows_later_deadlines(client, office, open_items):
    page = board(client, office, days=40).content.decode()
    assert "咸安复〔2026〕25号" in page
    assert rows_of(page)[-1] == ("upcoming", "2027-01-25")


def test_an_invalid_horizon_falls_back_to_ten_working_days(client, office, open_items):
    page = board(client, office, days=0).content.decode()
    assert "已按 10 个工作日显示" in page
    assert len(rows_of(page)) == 5


@pytest.mark.parametrize(
    ("user", "visible", "hidden"),
    [
        (
            "liaison",
            ["处罚决定未按期公示", "咸安复〔2026〕21号", "（2026）鄂1202行初58号"],
            ["某药店", "〔2026〕18号"],
        ),
        (
            "liaison2",
            ["某药店销售假药案", "咸安复〔2026〕18号"],
            ["处罚决定未按期公示", "〔2026〕21号"],
        ),
    ],
)
def test_liaisons_see_only_their_units_deadlines(client, users, open_items, user, visible, hidden):
    page = board(client, users[user]).content.decode()
    assert "只显示本单位" in page
    for text in visible:
        assert text in page
    for text in hidden:
        assert text not in page


def test_a_calendar_change_moves_a_deadline_on_the_board(client, office, open_items):
    CalendarDay.objects.create(date=D(2026, 12, 3), is_working_day=False, note="调休")
    page = board(client, office).content.decode()
    # Five working days after 11-26 now end on Friday 12-04, still within 3 working days.
    assert ("soon", "2026-12-04") in rows_of(page)
    assert ("soon", "2026-12-03") not in rows_of(page)
    assert "2026-12-03" in page  # listed among the rest days the period skipped


def test_closed_steps_leave_the_board(client, office, open_items):
    open_items["overdue"].rectified_on = D(2026, 11, 25)
    open_items["overdue"].save()
    transfer = open_items["today"]
    transfer.decision, transfer.decided_on = TransferDecision.APPROVED, D(2026, 11, 30)
    transfer.save()
    open_items["defence"].defence_submitted_on = D(2026, 12, 1)
    open_items["defence"].save()
    page = board(client, office).content.decode()
    # The approved transfer now has its 24-hour transfer deadline, due tomorrow.
    assert rows_of(page) == [
        ("soon", "2026-12-01"),
        ("soon", "2026-12-03"),
        ("upcoming", "2026-12-08"),
    ]
    assert "向公安机关移送期限" in page


def test_the_board_has_an_empty_state(client, office):
    page = board(client, office).content.decode()
    assert "没有逾期事项，今后 10 个工作日内也没有到期的法定期限" in page
    assert "<table" not in page


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(client, office, unit_a):
    def add_one_of_each():
        make_rectification(unit_a, found_on=D(2026, 11, 1), due_on=D(2026, 12, 2))
        make_transfer(unit_a, reported_on=D(2026, 11, 27))
        make_reconsideration(unit_a, received_on=D(2026, 11, 26))
        make_litigation(unit_a, served_on=D(2026, 11, 24))

    add_one_of_each()
    client.force_login(office)
    client.get(URL)  # the session's end pushed on (at most once a minute)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(5):
        add_one_of_each()
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert len(rows_of(page)) == 24
    assert len(many) == len(few)


def test_query_bound_on_the_board(client, office, open_items, django_assert_max_num_queries):
    # Session, user, calendar and the liaison's unit, then at most two queries per source.
    client.force_login(office)
    with django_assert_max_num_queries(4 + 2 * len(deadline_board.SOURCES)):
        client.get(URL)


def test_another_register_adds_a_source_with_one_function(office, unit_a, today, monkeypatch):
    def filings(user, today, calendar):
        yield DeadlineEntry(
            kind="规范性文件报备",
            title="咸安政规〔2026〕3号",
            unit=unit_a,
            due=D(2026, 12, 2),
            explanation="自2026-11-17印发次日起算15日",
            url="/admin/",
        )

    monkeypatch.setattr(deadline_board, "SOURCES", [*deadline_board.SOURCES, filings])
    from registers.core.calendar import get_calendar

    rows = board_rows(office, today, get_calendar())
    assert [(row.entry.title, row.urgency) for row in rows] == [
        ("咸安政规〔2026〕3号", Urgency.SOON)
    ]


def test_an_application_whose_review_ran_out_shows_its_decision_deadline(client, office, unit_a):
    """Received 10-20, nothing recorded since: the review ended 10-27, so the application is
    accepted by law and its decision (60 days from then) is what runs."""
    make_reconsideration(unit_a, number="咸安复〔2026〕30号", received_on=D(2026, 10, 20))
    page = board(client, office, days=30).content.decode()
    assert [due for _urgency, due in rows_of(page)] == ["2026-12-28"]
    assert "咸安复〔2026〕30号" in page and "视为受理" in page


def test_a_case_suspended_on_a_ground_that_can_end_it_shows_its_sixty_days(client, office, unit_a):
    """Suspended 10-15 because the applicant died: sixty days on (12-14) the case is to be
    terminated if the cause remains. A case suspended to await another case has no such
    limit; neither case's decision runs while it is suspended."""
    for number, ground in (
        ("咸安复〔2026〕40号", SuspensionGround.APPLICANT_DIED),
        ("咸安复〔2026〕41号", SuspensionGround.OTHER_CASE),
    ):
        case = make_reconsideration(
            unit_a,
            number=number,
            received_on=D(2026, 9, 1),
            acceptance=AcceptanceDecision.ACCEPTED,
            acceptance_on=D(2026, 9, 7),
        )
        make_suspension(case, suspended_on=D(2026, 10, 15), ground=ground)
    page = board(client, office, days=30).content.decode()
    assert [due for _urgency, due in rows_of(page)] == ["2026-12-14"]
    assert "咸安复〔2026〕40号" in page and "咸安复〔2026〕41号" not in page
    assert "中止满60日" in page and "第四十一条第（五）项" in page


def test_a_deadline_on_a_later_rest_day_is_not_due_today(client, office, unit_a):
    """Friday 2026-12-04: a rectification due on Sunday has no working day left, yet two
    days."""
    make_rectification(
        unit_a, problem="执法记录仪未按规定使用", found_on=D(2026, 11, 6), due_on=D(2026, 12, 6)
    )
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)):
        page = board(client, office).content.decode()
    assert rows_of(page) == [("soon", "2026-12-06")]
    assert "还有 2 天（其间没有工作日）" in page
    assert "今天到期" not in page
