"""Publication of inspection results (一公开): the deadline, counted in working days from the
end of the check (``settings.LAWGOV["PUBLICATION_DAYS"]``, 20 by default), wherever it is
shown, and the public page."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from registers.core.models import CalendarDay
from registers.core.status import Status
from registers.inspection_services import make_draw
from registers.models import DrawnTarget, InspectionDraw, ResultKind
from tests.api.conftest import client_for
from tests.factories import make_draw_record, make_item, make_officer, make_target

URL = "/public/inspections/"
ENDED = datetime.date(2017, 9, 25)


def publication_days(days: int):
    return override_settings(LAWGOV={**settings.LAWGOV, "PUBLICATION_DAYS": days})


def admin_url(view, *args):
    return reverse(f"admin:registers_inspectiondraw_{view}", args=args)


@pytest.fixture
def draw(unit_a, office):
    item = make_item(unit_a, name="企业公示信息的检查", sub_item="企业年度报告公示信息")
    for n in range(3):
        make_target(unit_a, name=f"咸宁市抽中{n}号商贸有限公司")
    for n in range(4):
        make_officer(unit_a, name=f"检查员{n}号")
    return make_draw(item, batch="第一批", by=office, count=3, on=datetime.date(2017, 9, 4))


def record_results(draw, *, ended=datetime.date(2017, 9, 25), published=None, status=None):
    for row in draw.drawn_targets.all():
        row.checked_on = datetime.date(2017, 9, 12)
        row.result = ResultKind.NO_PROBLEM
        row.findings = "内部记录：经营场所与登记一致"
        row.save()
    draw.check_ended_on = ended
    draw.published_on = published
    if status:
        draw.status = status
    draw.save()
    return draw


def test_publication_is_due_20_working_days_after_the_check_across_national_day(draw):
    record_results(draw, ended=datetime.date(2017, 9, 25))
    # 26-29 Sep and the make-up Saturday 30 Sep are 5 working days; 1-8 Oct are holidays;
    # the remaining 15 run from 9 Oct to 27 Oct.
    assert draw.publication_due == datetime.date(2017, 10, 27)


@publication_days(10)
def test_the_number_of_working_days_is_a_setting(draw):
    record_results(draw, ended=ENDED)
    # 26-29 Sep and the make-up Saturday 30 Sep are 5; after the holiday, 9-13 Oct are 10.
    deadline = draw.publication_deadline()
    assert (deadline.days, deadline.due) == (10, datetime.date(2017, 10, 13))
    assert draw.publication_due == datetime.date(2017, 10, 13)
    assert "10个工作日" in str(deadline.rule)


def test_the_deadline_follows_a_calendar_correction(draw):
    record_results(draw, ended=datetime.date(2017, 9, 25))
    CalendarDay.objects.create(date=datetime.date(2017, 10, 16), is_working_day=False)
    assert InspectionDraw.objects.get(pk=draw.pk).publication_due == datetime.date(2017, 10, 30)


def test_no_deadline_before_the_check_has_ended(draw):
    assert draw.publication_due is None
    assert draw not in InspectionDraw.objects.awaiting_publication()


def test_awaiting_publication_lists_ended_checks_until_they_are_published(draw):
    record_results(draw)
    assert list(InspectionDraw.objects.awaiting_publication()) == [draw]
    draw.published_on = datetime.date(2017, 10, 20)
    draw.save()
    assert not InspectionDraw.objects.awaiting_publication().exists()
    assert not draw.published_late


def test_publishing_after_the_deadline_is_marked_late(draw):
    record_results(draw, published=datetime.date(2017, 10, 30))
    assert draw.published_late


@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_public_page_shows_published_results_to_anyone(client, draw):
    record_results(draw, published=datetime.date(2017, 10, 20), status=Status.APPROVED)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "企业公示信息的检查——企业年度报告公示信息" in page
    assert "咸宁市抽中0号商贸有限公司" in page
    assert "未发现问题" in page and "2017-09-12" in page
    assert draw.unit.name in page


@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_public_page_reveals_no_inspector_credit_code_address_or_findings(client, draw):
    record_results(draw, published=datetime.date(2017, 10, 20), status=Status.APPROVED)
    page = client.get(URL).content.decode()
    row = DrawnTarget.objects.filter(draw=draw).select_related("target").first()
    assert "检查员" not in page
    assert row.target.credit_code not in page
    assert row.target.address not in page
    assert row.target.legal_representative not in page
    assert "内部记录" not in page
    assert draw.seed not in page


@pytest.mark.parametrize(
    ("status", "published"),
    [
        (Status.SUBMITTED, datetime.date(2017, 10, 20)),  # not yet approved
        (Status.APPROVED, None),  # approved, not published
        (Status.APPROVED, datetime.date(2018, 2, 1)),  # publication date still to come
    ],
)
@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_unapproved_or_unpublished_results_stay_off_the_public_page(
    client, draw, status, published
):
    record_results(draw, published=published, status=status)
    page = client.get(URL).content.decode()
    assert "咸宁市抽中0号商贸有限公司" not in page
    assert "目前还没有公示的抽查检查结果" in page


@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_public_page_filters_by_unit_and_year(client, draw, unit_b, office):
    record_results(draw, published=datetime.date(2017, 10, 20), status=Status.APPROVED)
    item_b = make_item(unit_b, name="道路货物运输经营者的检查")
    make_target(unit_b, name="咸宁市交通测试物流有限公司")
    make_officer(unit_b), make_officer(unit_b)
    other = make_draw(item_b, batch="一", by=office, count=1, on=datetime.date(2017, 9, 4))
    record_results(other, published=datetime.date(2017, 10, 20), status=Status.APPROVED)

    by_unit = client.get(URL, {"unit": unit_b.pk}).content.decode()
    assert "咸宁市交通测试物流有限公司" in by_unit
    assert "咸宁市抽中0号商贸有限公司" not in by_unit

    other_year = client.get(URL, {"year": 2016}).content.decode()
    assert "没有符合条件的已公示检查结果" in other_year

    assert "咸宁市抽中0号商贸有限公司" in client.get(URL, {"year": 2017}).content.decode()
    assert client.get(URL, {"unit": "abc"}).status_code == 200


@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_public_page_query_count_does_not_grow_with_results(
    client, draw, django_assert_max_num_queries
):
    record_results(draw, published=datetime.date(2017, 10, 20), status=Status.APPROVED)
    with django_assert_max_num_queries(5):
        client.get(URL)


def test_public_page_url_name(db):
    assert reverse("registers:public_inspections") == URL


# --- The same deadline in the admin, the API, the deadline board and the report -------------


@pytest.mark.parametrize(
    ("days", "due", "on_time", "late"),
    [
        (20, datetime.date(2017, 10, 27), 1, 0),
        # 10 working days end on 13 October, before the results went out on the 20th.
        (10, datetime.date(2017, 10, 13), 0, 1),
    ],
)
@time_machine.travel(datetime.datetime(2017, 10, 16, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_configured_period_shows_alike_in_admin_api_board_and_report(
    client, office, unit_a, days, due, on_time, late
):
    waiting = make_draw_record(unit_a, drawn_by=office, check_ended_on=ENDED)
    make_draw_record(
        unit_a,
        drawn_by=office,
        check_ended_on=ENDED,
        published_on=datetime.date(2017, 10, 20),
        status=Status.APPROVED,
    )
    client.force_login(office)
    explanation = f"自2017-09-25次日起算{days}个工作日，届满于{due.isoformat()}"

    with publication_days(days):
        changelist = client.get(admin_url("changelist")).content.decode()
        change_page = client.get(admin_url("change", waiting.pk)).content.decode()
        api = client_for(office).get(f"/api/v1/inspection-draws/{waiting.pk}/").json()
        board = client.get(reverse("reviews:deadline_board")).content.decode()
        figures = client_for(office).get("/api/v1/reports/2017/figures/").json()["figures"]

    assert f"{due.year}年{due.month}月{due.day}日" in changelist
    assert explanation in change_page
    assert api["publication_due"] == api["publication_deadline"]["due"] == due.isoformat()
    assert api["publication_deadline"]["days"] == days
    assert api["publication_deadline"]["explanation"].startswith(explanation)
    assert f"{days}个工作日内向社会公示" in api["publication_deadline"]["rule"]
    assert explanation in board and str(waiting) in board
    by_key = {figure["key"]: figure for figure in figures}
    assert by_key["draws.published_on_time"]["value"] == on_time
    assert by_key["draws.published_late"]["value"] == late
    assert f"{days}个工作日内" in by_key["draws.published_on_time"]["label"]


@publication_days(10)
@time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0))
def test_the_public_page_states_the_configured_period(client, draw):
    record_results(draw, published=datetime.date(2017, 10, 20), status=Status.APPROVED)
    assert "检查结束之日起10个工作日内向社会公示" in client.get(URL).content.decode()


def test_the_api_gives_no_deadline_before_the_check_has_ended(office, unit_a):
    draw = make_draw_record(unit_a, drawn_by=office)
    body = client_for(office).get(f"/api/v1/inspection-draws/{draw.pk}/").json()
    assert body["publication_due"] is None
    assert body["publication_deadline"] is None


@time_machine.travel(datetime.datetime(2017, 10, 16, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_overdue_filter_lists_unpublished_results_past_their_deadline(client, office, unit_a):
    overdue = make_draw_record(unit_a, drawn_by=office, check_ended_on=datetime.date(2017, 9, 1))
    on_track = make_draw_record(unit_a, drawn_by=office, check_ended_on=ENDED)
    client.force_login(office)
    page = client.get(admin_url("changelist"), {"publication": "overdue"}).content.decode()
    assert overdue.batch in page and on_track.batch not in page


@time_machine.travel(datetime.datetime(2017, 10, 16, 9, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("publication", [None, "overdue"])
def test_draw_changelist_queries_do_not_grow_with_rows(
    client, office, unit_a, publication, django_assert_max_num_queries
):
    """The page's deadlines are counted on one reading of the calendar, not one per row."""
    client.force_login(office)
    query = {"publication": publication} if publication else {}
    make_draw_record(unit_a, drawn_by=office, check_ended_on=datetime.date(2017, 9, 1))
    with django_assert_max_num_queries(40) as one_row:
        assert client.get(admin_url("changelist"), query).status_code == 200
    for _ in range(15):
        make_draw_record(unit_a, drawn_by=office, check_ended_on=datetime.date(2017, 9, 1))
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        page = client.get(admin_url("changelist"), query).content.decode()
    assert page.count("2017年9月29日") == 16
