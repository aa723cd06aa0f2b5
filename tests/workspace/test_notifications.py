import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from registers.core.roles import Role
from registers.core.status import Status
from registers.core.workflow import WorkflowError, approve, return_for_revision, submit
from tests.factories import make_rectification, make_user
from tests.workflowapp.models import Memo
from xianan_lawgov.reports.services import get_or_start_report, publish
from xianan_lawgov.workspace.models import Notification, NotificationKind
from xianan_lawgov.workspace.notifications import send_deadline_notifications


@pytest.fixture
def submitted(liaison, unit_a):
    record = Memo.objects.create(title="备忘一", unit=unit_a, created_by=liaison)
    return submit(record, by=liaison)


def test_returning_notifies_the_liaison_with_the_comment_and_by_mail(
    office, liaison, submitted, django_capture_on_commit_callbacks, run_jobs
):
    liaison.email = "liaison@example.gov.cn"
    liaison.save()
    with django_capture_on_commit_callbacks(execute=True):
        return_for_revision(submitted, by=office, comment="请补充依据")
    assert mail.outbox == []  # the worker sends it
    run_jobs()
    note = Notification.objects.get()
    assert (note.user, note.kind) == (liaison, NotificationKind.RETURNED)
    assert "备忘一" in note.title and "请补充依据" in note.body
    assert note.url == reverse("admin:workflowapp_memo_change", args=[submitted.pk])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["liaison@example.gov.cn"]
    assert "请补充依据" in mail.outbox[0].body


@pytest.mark.parametrize("moved", ["to_another_unit", "to_auditor"])
def test_a_review_is_not_told_to_a_submitter_who_may_no_longer_see_the_record(
    office, liaison, submitted, unit_b, moved, django_capture_on_commit_callbacks
):
    if moved == "to_another_unit":
        liaison.unit = unit_b
    else:
        liaison.role = Role.AUDITOR
    liaison.save()
    with django_capture_on_commit_callbacks(execute=True):
        return_for_revision(submitted, by=office, comment="请补充依据")
    assert not Notification.objects.filter(user=liaison).exists()


def test_approval_notifies_creator_and_submitter_once_each_and_not_the_reviewer(
    office, liaison, unit_a, django_capture_on_commit_callbacks
):
    colleague = make_user(Role.LIAISON, unit=unit_a)
    record = Memo.objects.create(title="备忘二", unit=unit_a, created_by=colleague)
    submit(record, by=liaison)
    with django_capture_on_commit_callbacks(execute=True):
        approve(record, by=office)
    assert sorted(Notification.objects.values_list("user__username", "kind")) == sorted(
        [
            (colleague.username, NotificationKind.APPROVED),
            (liaison.username, NotificationKind.APPROVED),
        ]
    )
    assert mail.outbox == []  # nobody has an e-mail address


def test_submitting_or_a_refused_transition_notifies_nobody(
    office, liaison, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WorkflowError):
            return_for_revision(submitted, by=liaison, comment="自己退回")
    assert not Notification.objects.exists()


def test_publishing_a_report_notifies_office_staff_and_leaders(
    office, leader, liaison, django_capture_on_commit_callbacks
):
    report = get_or_start_report(2017, None, by=office)
    with django_capture_on_commit_callbacks(execute=True):
        publish(report, by=office)
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert recipients == {office.username, leader.username}
    note = Notification.objects.get(user=leader)
    assert note.kind == NotificationKind.REPORT_PUBLISHED
    assert note.url == reverse("reports:published", args=[2017, 1])


@time_machine.travel(datetime.datetime(2017, 6, 12, 9, tzinfo=datetime.UTC))
def test_deadline_notifications_reach_the_unit_once_a_day(liaison, liaison2, unit_a, unit_b):
    make_rectification(
        unit_a,
        problem="超期未整改的问题",
        found_on=datetime.date(2017, 5, 1),
        due_on=datetime.date(2017, 6, 9),
        status=Status.APPROVED,
    )
    make_rectification(
        unit_a,
        problem="快到期的问题",
        found_on=datetime.date(2017, 5, 1),
        due_on=datetime.date(2017, 6, 14),
        status=Status.APPROVED,
    )
    make_rectification(
        unit_a,
        problem="还早的问题",
        found_on=datetime.date(2017, 5, 1),
        due_on=datetime.date(2017, 7, 30),
        status=Status.APPROVED,
    )
    today = datetime.date(2017, 6, 12)
    assert send_deadline_notifications(today) == 2
    kinds = dict(Notification.objects.values_list("kind", "user__username"))
    assert kinds == {
        NotificationKind.OVERDUE: liaison.username,
        NotificationKind.DUE_SOON: liaison.username,
    }
    assert send_deadline_notifications(today) == 0
    out = StringIO()
    call_command("send_deadline_notifications", "--date", "2017-06-13", stdout=out)
    assert "新发出期限提醒 2 条" in out.getvalue()
    assert not Notification.objects.filter(user=liaison2).exists()


def test_notification_pages_mark_read_and_keep_users_apart(client, liaison, liaison2):
    mine = Notification.objects.create(
        user=liaison, kind=NotificationKind.APPROVED, title="我的通知"
    )
    other = Notification.objects.create(
        user=liaison2, kind=NotificationKind.APPROVED, title="别人的通知"
    )
    client.force_login(liaison)
    page = client.get(reverse("workspace:notifications")).content.decode()
    assert "我的通知" in page and "别人的通知" not in page
    assert 'class="bell__count">1<' in page
    assert client.post(reverse("workspace:notification_read", args=[other.pk])).status_code == 404
    assert client.get(reverse("workspace:notification_read", args=[mine.pk])).status_code == 405
    client.post(reverse("workspace:notification_read", args=[mine.pk]))
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_mark_all_read_reads_only_my_notifications(client, liaison, liaison2):
    for n in range(3):
        Notification.objects.create(user=liaison, kind=NotificationKind.APPROVED, title=f"通知{n}")
    Notification.objects.create(user=liaison2, kind=NotificationKind.APPROVED, title="别人的")
    client.force_login(liaison)
    response = client.post(reverse("workspace:notifications_read_all"), follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert Notification.objects.unread().get().user == liaison2


@time_machine.travel(datetime.datetime(2017, 6, 12, 9, tzinfo=datetime.UTC))
def test_deadline_notifications_go_to_the_unit_that_owns_the_deadline_and_overdue_to_the_office(
    office, liaison, liaison2, unit_a, unit_b
):
    leader_of_a = make_user(Role.LEADER, unit=unit_a)
    office_of_b = make_user(Role.OFFICE, unit=unit_b)
    system_of_a = make_user(Role.API_CLIENT, unit=unit_a)
    for unit, problem in ((unit_a, "甲单位逾期的问题"), (unit_b, "乙单位逾期的问题")):
        make_rectification(
            unit,
            problem=problem,
            found_on=datetime.date(2017, 5, 1),
            due_on=datetime.date(2017, 6, 9),
            status=Status.APPROVED,
        )
    # Each unit's people hear of their own; overdue, both reach the office too, once.
    assert send_deadline_notifications(datetime.date(2017, 6, 12)) == 7
    told = {
        (username, "甲单位" in title)
        for username, title in Notification.objects.values_list("user__username", "title")
    }
    assert told == {
        (liaison.username, True),
        (leader_of_a.username, True),
        (liaison2.username, False),
        (office_of_b.username, False),
        (office_of_b.username, True),
        (office.username, True),
        (office.username, False),
    }
    assert not Notification.objects.filter(user=system_of_a).exists()
