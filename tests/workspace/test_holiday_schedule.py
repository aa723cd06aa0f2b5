"""Confirming a year's holiday schedule: the office pastes the State Council's notice,
checks the days it gives, and confirms; open deadlines are recomputed, and those that moved
are listed and notified. And the banner that asks for it from 1 November.

2027 is a year the holiday package does not know (``open_2027``).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registers.core.calendar import get_calendar
from registers.core.deadlines import DeadlineKey
from registers.core.holiday_notice import NoticeError, parse_lines, parse_notice
from registers.core.models import HolidaySchedule, HolidayScheduleDay
from registers.core.roles import Role
from reviews.models import AcceptanceDecision
from tests.factories import make_reconsideration, make_user
from xianan_lawgov.workspace import holidays
from xianan_lawgov.workspace.holidays import confirm_schedule, withdraw_schedule
from xianan_lawgov.workspace.models import Notification, NotificationKind

D = datetime.date
URL = reverse("workspace:holiday_schedule")
pytestmark = pytest.mark.django_db

# A schedule in the form of the State Council's notice (its days are made up for the test).
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@pytest.fixture(autouse=True)
def _open_2027(open_2027):
    pass


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield D(2026, 12, 6)


@pytest.fixture
def spring_case(unit_a):
    """Accepted 2026-12-07: the decision is due 60 days on, 2027-02-05 (除夕)."""
    return make_reconsideration(
        unit_a,
        number="咸安复〔2026〕31号",
        received_on=D(2026, 12, 1),
        acceptance=AcceptanceDecision.ACCEPTED,
        acceptance_on=D(2026, 12, 7),
    )


def parse(client, text=NOTICE_2027, year=2027):
    return client.post(URL, {"year": year, "notice_text": text, "lines": "", "parse": "1"})


def lines_of(response) -> str:
    return response.context["form"]["lines"].value()


def test_a_pasted_notice_is_parsed_into_days_shown_for_confirmation(client, office, spring_case):
    client.force_login(office)
    response = parse(client)
    assert response.status_code == 200
    lines = lines_of(response).splitlines()
    assert "元旦 2027-01-01至2027-01-03 放假" in lines
    assert "春节 2027-02-05至2027-02-11 放假" in lines
    assert "春节 2027-02-20 上班" in lines
    assert "国庆节 2027-09-26 上班" in lines and "国庆节 2027-10-09 上班" in lines
    page = response.content.decode()
    assert "请核对：2027年放假和调休上班日期" in page
    # The preview says which open deadline would move, before anything is saved.
    assert 'data-testid="would-move"' in page
    assert "2027-02-12" in page
    assert not HolidaySchedule.objects.exists()


def test_confirming_makes_the_year_final_and_lists_and_notifies_what_moved(
    client, office, spring_case, unit_a
):
    liaison = make_user(Role.LIAISON, unit=unit_a)
    before = spring_case.deadline(DeadlineKey.DECISION, get_calendar())
    assert (before.due, before.provisional) == (D(2027, 2, 11), True)
    client.force_login(office)
    lines = lines_of(parse(client))
    response = client.post(
        URL, {"year": 2027, "notice_text": NOTICE_2027, "lines": lines, "confirm": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年节假日安排已确认" in page
    assert 'data-testid="holiday-banner"' not in page
    assert page.count('data-testid="moved"') == 1
    assert "2027-02-11" in page and "2027-02-12" in page

    schedule = HolidaySchedule.objects.get(year=2027)
    assert schedule.confirmed_by == office
    assert schedule.notice_text == NOTICE_2027.strip()
    makeup = HolidayScheduleDay.objects.filter(schedule=schedule, is_working_day=True)
    assert [day.date for day in makeup] == [
        D(2027, 2, 20),
        D(2027, 4, 25),
        D(2027, 9, 26),
        D(2027, 10, 9),
    ]
    after = spring_case.deadline(DeadlineKey.DECISION, get_calendar())
    # 02-05 to 02-11 are off: the period ends on Friday 02-12, and is final.
    assert (after.due, after.provisional) == (D(2027, 2, 12), False)
    assert "尚未确认" not in after.explain()

    notice = Notification.objects.get(user=liaison, kind=NotificationKind.DEADLINE_MOVED)
    assert "2027-02-11" in notice.title and "2027-02-12" in notice.title
    assert not Notification.objects.filter(user=office, kind=NotificationKind.DEADLINE_MOVED)


def test_the_api_reports_the_confirmed_deadline_as_final(client, office, spring_case):
    client.force_login(office)
    client.post(
        URL,
        {"year": 2027, "notice_text": "", "lines": lines_of(parse(client)), "confirm": "1"},
    )
    deadlines = client.get(f"/api/v1/reconsideration-cases/{spring_case.pk}/").json()["deadlines"]
    decision = next(d for d in deadlines if d["key"] == "decision")
    assert (decision["due"], decision["provisional"]) == ("2027-02-12", False)


@pytest.mark.parametrize(
    ("notice", "message"),
    [
        (
            NOTICE_2027.replace("2月20日（周六）上班", "1月4日（周日）上班"),
            "2027-01-04是星期一，通知写的是星期日",
        ),
        (NOTICE_2027.replace("共7天。2月20日", "共8天。2月20日"), "通知写共8天"),
        (NOTICE_2027.replace("关于2027年", "关于2028年"), "通知是2028年的安排"),
        ("元旦放假一天。", "未能在通知中找到"),
    ],
)
def test_a_notice_that_does_not_add_up_is_refused_and_nothing_is_saved(
    client, office, notice, message
):
    client.force_login(office)
    response = parse(client, notice)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HolidaySchedule.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lines: lines.replace("春节 2027-02-05至2027-02-11 放假", ""),
            "2027-02-05是法定节假日（春节），录入的安排中却是工作日",
        ),
        (
            lambda lines: lines + "\n元旦 2027-01-04 上班",
            "2027-01-04是星期一，本来就是工作日，不能作为调休上班日",
        ),
        (lambda lines: lines + "\n元旦 2028-01-01 放假", "2028-01-01不在2027年内"),
        (lambda lines: lines + "\n元旦放假", "无法识别"),
        (lambda lines: "", "没有录入任何放假或上班日期"),
    ],
)
def test_wrong_lines_are_refused_on_confirmation_and_nothing_is_saved(
    client, office, spring_case, change, message
):
    client.force_login(office)
    lines = change(lines_of(parse(client)))
    response = client.post(URL, {"year": 2027, "notice_text": "", "lines": lines, "confirm": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HolidaySchedule.objects.exists()
    assert not HolidayScheduleDay.objects.exists()
    assert not Notification.objects.exists()


def test_a_year_already_confirmed_is_refused(client, office):
    client.force_login(office)
    response = client.post(URL, {"year": 2026, "lines": "元旦 2026-01-01 放假", "confirm": "1"})
    assert "2026年的节假日安排已确认" in response.content.decode()
    assert not HolidaySchedule.objects.exists()


@pytest.mark.parametrize("role", [Role.LIAISON, Role.LEADER])
def test_only_the_office_confirms_a_schedule(client, role, unit_a):
    client.force_login(make_user(role, unit=unit_a if role == Role.LIAISON else None))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"year": 2027, "lines": "元旦 2027-01-01 放假", "confirm": "1"})
    assert response.status_code == 403
    assert not HolidaySchedule.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("workspace:login") in response["Location"]


# --- The banner ------------------------------------------------------------------------------

BANNER = 'data-testid="holiday-banner"'


def pages(client):
    return [
        client.get(reverse("workspace:home")).content.decode(),
        client.get(reverse("admin:index")).content.decode(),
    ]


@pytest.mark.parametrize(("day", "shown"), [(D(2026, 10, 31), False), (D(2026, 11, 1), True)])
def test_the_office_is_asked_for_next_years_schedule_from_1_november(client, office, day, shown):
    client.force_login(office)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
        for page in pages(client):
            assert (BANNER in page) is shown
            if shown:
                assert "2027年节假日安排尚未确认" in page


def test_the_banner_goes_once_the_schedule_is_confirmed(client, office):
    HolidaySchedule.objects.create(year=2027, confirmed_by=office)
    client.force_login(office)
    for page in pages(client):
        assert BANNER not in page


def test_liaisons_see_no_banner(client, liaison):
    client.force_login(liaison)
    assert BANNER not in client.get(reverse("workspace:home")).content.decode()


def test_the_page_says_when_the_year_was_confirmed_meanwhile_by_someone_else(
    client, office, spring_case, monkeypatch
):
    """Two clerks confirming at the same moment: the second's form passed its check before
    the first's schedule was saved. Its page says so (no server error), and keeps theirs."""
    other = make_user(Role.OFFICE)
    confirm = holidays.confirm_schedule

    def confirmed_meanwhile(year, days, **kwargs):
        HolidaySchedule.objects.create(year=year, confirmed_by=other)
        return confirm(year, days, **kwargs)

    client.force_login(office)
    lines = lines_of(parse(client))
    monkeypatch.setattr(holidays, "confirm_schedule", confirmed_meanwhile)
    response = client.post(
        URL, {"year": 2027, "notice_text": NOTICE_2027, "lines": lines, "confirm": "1"}
    )
    assert response.status_code == 200
    assert "2027年的节假日安排已由他人确认" in response.content.decode()
    assert HolidaySchedule.objects.get().confirmed_by == other


def test_a_schedule_confirmed_meanwhile_by_someone_else_is_not_overwritten(office, spring_case):
    days = parse_lines("\n".join(parse_notice(NOTICE_2027, 2027)), 2027)
    other = make_user(Role.OFFICE)
    HolidaySchedule.objects.create(year=2027, confirmed_by=other)  # after the form's check
    with pytest.raises(NoticeError, match="2027年的节假日安排已由他人确认"):
        confirm_schedule(2027, days, notice_text="", by=office, today=D(2026, 12, 6))
    assert HolidaySchedule.objects.get().confirmed_by == other
    assert not HolidayScheduleDay.objects.exists()
    assert not Notification.objects.exists()


# --- Withdrawing a schedule confirmed by mistake ---------------------------------------------

WITHDRAW = reverse("workspace:holiday_schedule_withdraw")


def confirmed_2027(office):
    days = parse_lines("\n".join(parse_notice(NOTICE_2027, 2027)), 2027)
    confirm_schedule(2027, days, notice_text=NOTICE_2027, by=office, today=D(2026, 12, 6))
    return days


def test_withdrawing_makes_the_year_provisional_again_and_lists_and_notifies_what_moved(
    client, office, spring_case, unit_a
):
    liaison = make_user(Role.LIAISON, unit=unit_a)
    days = confirmed_2027(office)
    assert spring_case.deadline(DeadlineKey.DECISION, get_calendar()).due == D(2027, 2, 12)
    client.force_login(office)
    assert "核对撤销后变动的期限" in client.get(URL).content.decode()

    # First what it would move, nothing changed yet; the reason typed is kept.
    response = client.post(WITHDRAW, {"year": 2027, "reason": "误录了春节放假日期", "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "撤销2027年节假日安排的确认：请核对" in page
    assert page.count('data-testid="would-move"') == 1
    assert "2027-02-12" in page and "2027-02-11" in page and "标为“暂定”" in page
    assert "误录了春节放假日期</textarea>" in page
    assert HolidaySchedule.objects.confirmed().filter(year=2027).exists()
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_MOVED).count() == 1

    response = client.post(
        WITHDRAW, {"year": 2027, "reason": "误录了春节放假日期", "withdraw": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年节假日安排的确认已撤销" in page and "标为“暂定”" in page
    assert page.count('data-testid="moved"') == 1
    assert "2027-02-12" in page and "2027-02-11" in page
    assert 'data-testid="holiday-banner"' in page  # the office is asked for 2027 again

    after = spring_case.deadline(DeadlineKey.DECISION, get_calendar())
    assert (after.due, after.provisional) == (D(2027, 2, 11), True)
    schedule = HolidaySchedule.objects.get(year=2027)  # kept, with who and why
    assert (schedule.withdrawn_by, schedule.withdrawal_reason) == (office, "误录了春节放假日期")
    assert schedule.days.count() == len(days)
    notices = Notification.objects.filter(user=liaison, kind=NotificationKind.DEADLINE_MOVED)
    withdrawn = notices.get(body__contains="确认已撤销")
    assert "2027-02-12" in withdrawn.title and "2027-02-11" in withdrawn.title
    assert "误录了春节放假日期" in withdrawn.body
    listed = client.get(URL).content.decode()
    assert "撤销" in listed and "误录了春节放假日期" in listed
    assert "核对撤销后变动的期限" not in listed

    # The year can be confirmed again; its moves are notified again.
    response = client.post(
        URL, {"year": 2027, "notice_text": "", "lines": lines_of(parse(client)), "confirm": "1"}
    )
    assert "2027年节假日安排已确认" in response.content.decode()
    assert HolidaySchedule.objects.confirmed().get().pk != schedule.pk
    assert spring_case.deadline(DeadlineKey.DECISION, get_calendar()).due == D(2027, 2, 12)
    assert notices.count() == 3


def test_a_withdrawal_without_a_reason_is_refused_and_changes_nothing(client, office, spring_case):
    confirmed_2027(office)
    client.force_login(office)
    response = client.post(WITHDRAW, {"year": 2027, "reason": "  ", "withdraw": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写撤销原因" in page and 'data-testid="would-move"' in page  # asked again
    assert HolidaySchedule.objects.confirmed().filter(year=2027).exists()
    assert spring_case.deadline(DeadlineKey.DECISION, get_calendar()).due == D(2027, 2, 12)


def test_a_year_the_holiday_package_knows_has_nothing_to_withdraw(client, office):
    with pytest.raises(NoticeError, match="2026年没有已确认的节假日安排可撤销"):
        withdraw_schedule(2026, reason="误录", by=office, today=D(2026, 12, 6))
    assert get_calendar().is_confirmed(2026)
    client.force_login(office)
    for step in ("preview", "withdraw"):
        response = client.post(WITHDRAW, {"year": 2026, "reason": "误录", step: "1"}, follow=True)
        assert "2026年没有已确认的节假日安排可撤销" in response.content.decode()
    response = client.post(WITHDRAW, {"year": "二〇二七", "preview": "1"}, follow=True)
    assert "请从已确认的节假日安排中选择要撤销的年度。" in response.content.decode()


def test_a_withdrawal_that_moves_nothing_says_so_and_keeps_the_year_confirmed_by_the_package(
    client, office
):
    confirm_schedule(2026, [], notice_text="", by=office, today=D(2026, 12, 6))
    client.force_login(office)
    page = client.post(WITHDRAW, {"year": 2026, "preview": "1"}).content.decode()
    assert "没有未结期限的届满日会因此变动。" in page
    assert "按节假日数据包中的安排计算" in page and "标为“暂定”" not in page


def test_a_schedule_withdrawn_meanwhile_by_someone_else_is_not_withdrawn_twice(office):
    confirmed_2027(office)
    withdraw_schedule(2027, reason="误录", by=office, today=D(2026, 12, 6))
    with pytest.raises(NoticeError, match="可能已由他人撤销"):
        withdraw_schedule(2027, reason="误录", by=office, today=D(2026, 12, 6))
    assert HolidaySchedule.objects.get().withdrawal_reason == "误录"


@pytest.mark.parametrize("role", [Role.LIAISON, Role.LEADER])
def test_only_the_office_withdraws_a_schedule(client, office, role, unit_a):
    confirmed_2027(office)
    client.force_login(make_user(role, unit=unit_a if role == Role.LIAISON else None))
    for step in ("preview", "withdraw"):
        assert client.post(WITHDRAW, {"year": 2027, "reason": "误录", step: "1"}).status_code == 403
    assert HolidaySchedule.objects.confirmed().filter(year=2027).exists()


def test_a_new_year_holiday_beginning_the_december_before_is_entered_with_the_notice(office):
    """As in the notices for 2019 and 2024: the holiday begins on 30 December, and the
    Saturday before is worked. The December days come from the next year's notice."""
    notice = "一、元旦：2029年12月30日至2030年1月1日放假调休，共3天。2029年12月29日（周六）上班。"
    lines = "\n".join(parse_notice(notice, 2030))
    days = parse_lines(lines, 2030)
    assert [(day.date, day.is_working_day) for day in days] == [
        (D(2029, 12, 29), True),
        (D(2029, 12, 30), False),
        (D(2029, 12, 31), False),
        (D(2030, 1, 1), False),
    ]
    calendar = get_calendar()
    assert calendar.is_working_day(D(2029, 12, 31)) and not calendar.is_working_day(D(2029, 12, 29))
    confirm_schedule(2030, days, notice_text=notice, by=office, today=D(2026, 12, 6))
    calendar = get_calendar()
    assert not calendar.is_working_day(D(2029, 12, 31))
    assert calendar.is_working_day(D(2029, 12, 29))
    assert calendar.add_working_days(D(2029, 12, 28), 1) == D(2029, 12, 29)
    assert calendar.add_working_days(D(2029, 12, 29), 1) == D(2030, 1, 2)


def test_only_the_december_before_may_come_with_a_years_notice():
    with pytest.raises(NoticeError) as refused:
        parse_lines("国庆节 2029-10-01 放假", 2030)
    assert refused.value.code == "outside_year"


@pytest.mark.parametrize("festival", ["元" * 21, "元\x01旦", "元\x7f旦"])
def test_a_festival_name_longer_than_kept_or_with_a_control_character_is_refused(festival):
    with pytest.raises(NoticeError) as refused:
        parse_lines(f"{festival} 2027-01-01 放假", 2027)
    assert refused.value.code == "bad_line"
    assert [day.festival for day in parse_lines("元" * 20 + " 2027-01-01 放假", 2027)] == [
        "元" * 20
    ]
