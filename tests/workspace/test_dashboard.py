import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.core.status import Status
from registers.core.workflow import approve, submit
from tests.factories import make_comment_draft_reply, make_reconsideration, make_unit
from xianan_lawgov.workspace import dashboard
from xianan_lawgov.workspace.records import overview, report_year

TODAY = datetime.date(2018, 3, 1)


def test_progress_counts_each_units_records_of_the_year_by_status(office, liaison, unit_a, unit_b):
    make_comment_draft_reply(unit_a, status=Status.APPROVED)
    make_comment_draft_reply(unit_a, status=Status.DRAFT)
    submit(make_comment_draft_reply(unit_a, status=Status.DRAFT), by=liaison)
    make_comment_draft_reply(
        unit_a,
        status=Status.APPROVED,
        received_on=datetime.date(2016, 5, 2),
        replied_on=datetime.date(2016, 5, 12),
    )
    # Not replied yet: in no year's report, so in no year's progress.
    make_comment_draft_reply(unit_a, status=Status.DRAFT, replied_on=None, reply="")
    result = overview(office, 2017, TODAY)
    progress = {item.unit: item.counts for item in result.progress}
    assert (progress[unit_a].draft, progress[unit_a].submitted, progress[unit_a].approved) == (
        1,
        1,
        1,
    )
    assert unit_b in result.not_started
    assert [(item.label, item.count) for item in result.awaiting_review] == [("征求意见稿回复", 1)]
    # 2016 has an approved record, but the first year with a report is 2017.
    assert result.years_with_data == [2018, 2017]


def test_progress_costs_one_query_per_kind_whatever_the_number_of_units(
    office, django_assert_num_queries
):
    for _n in range(5):
        make_comment_draft_reply(make_unit(), status=Status.APPROVED)
    baseline = None
    for _round in range(2):
        for _n in range(10):
            make_comment_draft_reply(make_unit(), status=Status.SUBMITTED)
        with CaptureQueriesContext(connection) as queries:
            overview(office, 2017, TODAY)
        if baseline is None:
            baseline = len(queries)
        assert len(queries) == baseline


def test_default_year_is_the_latest_finished_year_most_kinds_reported_for():
    kinds = {2016: {"a"}, 2017: {"a", "b", "c", "d"}, 2018: {"a"}, 2019: {"a", "b"}}
    assert report_year(kinds, datetime.date(2020, 5, 1)) == 2019
    assert report_year({2017: {"a", "b", "c"}, 2018: {"a"}}, datetime.date(2020, 5, 1)) == 2017
    assert report_year({2020: {"a"}}, datetime.date(2020, 5, 1)) == 2020
    assert report_year({}, datetime.date(2020, 5, 1)) == 2020


def test_reconsideration_chart_counts_approved_cases_by_month_and_outcome(office, unit_a):
    make_reconsideration(unit_a, received_on=datetime.date(2017, 3, 6), status=Status.APPROVED)
    make_reconsideration(unit_a, received_on=datetime.date(2017, 3, 20), status=Status.APPROVED)
    make_reconsideration(unit_a, received_on=datetime.date(2017, 7, 1), status=Status.DRAFT)
    chart = dashboard.reconsideration_chart(office, 2017)
    march = chart.rows[2]
    assert march[0] == "3月" and march[-1] == "2"
    assert chart.rows[6][-1] == "0"  # the draft in July does not count
    assert "3月 2件" in chart.summary


@pytest.mark.parametrize("year", ["2017", "abc", "1999"])
def test_office_home_year_select(client, office, year):
    client.force_login(office)
    response = client.get(reverse("workspace:home"), {"year": year})
    assert response.status_code == 200
    shown = response.context["board"].year
    assert shown == 2017 if year == "2017" else shown != 1999


def test_liaison_home_lists_returned_records_with_comments_and_only_their_unit(
    client, liaison, office, unit_a, unit_b
):
    from registers.core.workflow import return_for_revision

    mine = submit(
        make_comment_draft_reply(unit_a, status=Status.DRAFT, title="本单位的稿"), by=liaison
    )
    return_for_revision(mine, by=office, comment="回复意见太简单")
    make_comment_draft_reply(unit_b, status=Status.DRAFT, title="别的单位的稿")
    client.force_login(liaison)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "本单位的稿" in page and "回复意见太简单" in page
    assert "别的单位的稿" not in page


def test_the_office_home_tables_the_units_under_way_and_lists_the_completed_ones(
    client, office, liaison, unit_a, unit_b
):
    """The table is what the office follows up: a unit with a record not yet approved; a unit
    whose records are all approved is named with its count under the table."""
    make_reconsideration(unit_a, status=Status.APPROVED)
    pending = make_reconsideration(unit_a, status=Status.SUBMITTED)
    make_reconsideration(unit_b, status=Status.APPROVED)
    client.force_login(office)
    page = client.get("/?year=2017").content.decode()
    page = page[page.index('id="progress-heading"') :]
    table = page[page.index("<table") : page.index("</table>")]
    assert f'<th scope="row">{unit_a.name}</th>' in table
    assert unit_b.name not in table
    assert "尚未审核完成的单位（1 个）" in table
    completed = page[page.index("记录已全部审核的单位（1 个）") : page.index("</details>")]
    assert f"<li>{unit_b.short_name} 1 条</li>" in completed
    assert unit_a.short_name not in completed

    # Once unit A's last record is approved, no table: every unit is named as complete.
    approve(pending, by=office)
    page = client.get("/?year=2017").content.decode()
    page = page[page.index('id="progress-heading"') :]
    assert "<table" not in page
    assert "已填报单位的2017年度记录均已审核。" in page
    assert "记录已全部审核的单位（2 个）" in page
    assert f"<li>{unit_a.short_name} 2 条</li>" in page
