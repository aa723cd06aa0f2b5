"""Results kept between requests (``registers/core/stamps.py``): the same data gives them
without asking the database again, and any change is seen by the very next request."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings

from registers.core.stamps import data_stamp, follows, forget
from registers.core.status import Status
from registers.models import CalendarDay, Document, Job
from reviews.deadline_board import open_deadlines
from reviews.models import ReconsiderationCase
from tests.factories import make_reconsideration
from xianan_lawgov.audit.models import SecurityEvent
from xianan_lawgov.reports.figures import compute_figures
from xianan_lawgov.workspace.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2017, 3, 8)


def received() -> int:
    return compute_figures(2017)["reconsideration.received"].value


def test_figures_are_kept_for_the_same_data_and_follow_every_change(
    unit_a, django_assert_num_queries
):
    first = make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 1
    with django_assert_num_queries(1):  # the stamp only
        assert received() == 1
    second = make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 2
    second.status = Status.RETURNED
    second.save()
    assert received() == 1
    first.delete()
    assert received() == 0


def test_a_login_keeps_what_is_kept(unit_a, office, django_assert_num_queries):
    """A login sets the user's last login, which no kept result shows: it changes no stamp."""
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 1
    Client().force_login(office)
    with django_assert_num_queries(1):  # the stamp only
        assert received() == 1


def test_nothing_is_kept_inside_a_transaction(unit_a):
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 1
    with transaction.atomic():
        make_reconsideration(unit_a, status=Status.APPROVED)
        assert received() == 2  # its own write, not yet committed
        transaction.set_rollback(True)
    assert received() == 1


def test_open_deadlines_are_kept_per_scope_and_follow_changes(
    office, liaison, liaison2, unit_a, unit_b
):
    make_reconsideration(unit_a, received_on=datetime.date(2017, 3, 6))
    assert len(open_deadlines(office, TODAY)) == 1
    assert len(open_deadlines(liaison, TODAY)) == 1
    assert open_deadlines(liaison2, TODAY) == []  # another unit's case, kept or not
    # The same rows for the same data, not copied (they are frozen).
    assert open_deadlines(office, TODAY) is open_deadlines(office, TODAY)
    make_reconsideration(unit_b, received_on=datetime.date(2017, 3, 7))
    assert len(open_deadlines(office, TODAY)) == 2
    assert [row.entry.unit for row in open_deadlines(liaison2, TODAY)] == [unit_b]
    assert [row.entry.unit for row in open_deadlines(liaison, TODAY)] == [unit_a]


def test_a_holiday_schedule_withdrawn_in_place_is_seen_at_once(office, unit_a, open_2027):
    """A schedule is withdrawn by changing its row (it keeps no history): the kept open
    deadlines still follow it on the next request."""
    from registers.core.holiday_notice import parse_lines, parse_notice
    from reviews.models import AcceptanceDecision
    from tests.workspace.test_holiday_schedule import NOTICE_2027
    from xianan_lawgov.workspace.holidays import confirm_schedule, withdraw_schedule

    today = datetime.date(2026, 12, 6)
    make_reconsideration(
        unit_a,
        received_on=datetime.date(2026, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=datetime.date(2026, 12, 7),
    )
    days = parse_lines("\n".join(parse_notice(NOTICE_2027, 2027)), 2027)
    confirm_schedule(2027, days, notice_text=NOTICE_2027, by=office, today=today)

    def decision_due():
        rows = open_deadlines(office, today, horizon=200)
        return {(row.entry.due, row.entry.provisional) for row in rows}

    assert (datetime.date(2027, 2, 12), False) in decision_due()
    assert (datetime.date(2027, 2, 12), False) in decision_due()  # kept
    withdraw_schedule(2027, reason="误录", by=office, today=today)
    assert (datetime.date(2027, 2, 11), True) in decision_due()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lawgov_cache_never_made",
        }
    }
)
def test_a_shared_cache_that_cannot_keep_results_still_gives_them(unit_a, caplog):
    """Its table not made (``createcachetable``), as on a database restored from an older
    backup: the report's figures are computed and given all the same."""
    forget()
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 1
    assert "the shared cache cannot keep a result" in caplog.text
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert received() == 2


def test_a_result_kept_under_other_rules_settings_is_not_taken(unit_a, settings):
    """A server started with another threshold (``LAWGOV``) does not take what one with the
    old setting kept in the shared cache: the figures follow the setting at once."""
    make_reconsideration(unit_a, status=Status.APPROVED)

    def threshold() -> float:
        return compute_figures(2017)["contracts.lawyer_review_threshold_wan"].value

    assert threshold() == 200
    settings.LAWGOV = {**settings.LAWGOV, "CONTRACT_LAWYER_REVIEW_THRESHOLD": 3000000}
    forget()  # a new process: only the shared cache holds the old result
    assert threshold() == 300


def test_the_stamp_is_read_again_on_a_new_database_connection(unit_a):
    """On PostgreSQL the stamp's query is prepared once per database session: a new
    connection (after a restart of the database, say) prepares it again."""
    make_reconsideration(unit_a, status=Status.APPROVED)
    first = data_stamp()
    connection.close()
    assert data_stamp() == first
    make_reconsideration(unit_a, status=Status.APPROVED)
    assert data_stamp() != first


def test_the_stamp_follows_the_registers_and_not_the_logs():
    """What may be kept under the stamp: pages of the registers (and their reference data),
    never of the audit log, the notifications or the jobs, whose changes it does not see."""
    assert follows(Document) and follows(ReconsiderationCase) and follows(CalendarDay)
    assert not follows(SecurityEvent) and not follows(Notification) and not follows(Job)
