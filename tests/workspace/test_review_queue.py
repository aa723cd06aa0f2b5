import pytest
from django.urls import reverse

from registers.core.status import Action, Status
from registers.core.workflow import return_for_revision, submit
from tests.factories import make_comment_draft_reply
from tests.workflowapp.models import Memo

QUEUE = reverse("workspace:review_queue")


def memo(unit, title="备忘一", status=Status.DRAFT, by=None):
    return Memo.objects.create(title=title, unit=unit, status=status, created_by=by)


def detail_url(record):
    return reverse(
        "workspace:review_detail",
        args=[f"{record._meta.app_label}.{record._meta.model_name}", record.pk],
    )


@pytest.fixture
def submitted(liaison, unit_a):
    record = memo(unit_a, by=liaison)
    return submit(record, by=liaison)


def test_queue_lists_submitted_records_grouped_by_unit_and_kind(
    client, office, liaison, liaison2, unit_a, unit_b
):
    submit(memo(unit_a, "城管备忘", by=liaison), by=liaison)
    submit(memo(unit_b, "交通备忘", by=liaison2), by=liaison2)
    memo(unit_a, "草稿不列出")
    client.force_login(office)
    response = client.get(QUEUE)
    groups = response.context["groups"]
    assert [g["unit"] for g in groups] == [unit_a, unit_b]
    assert [label for label, _rows in groups[0]["kinds"]] == ["备忘"]
    html = response.content.decode()
    assert "城管备忘" in html and "交通备忘" in html and "草稿不列出" not in html


def test_queue_and_detail_are_for_office_staff_only(client, leader, liaison, submitted):
    for user in (leader, liaison):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(detail_url(submitted)).status_code == 403


def test_detail_of_a_first_submission_shows_every_field(client, office, submitted):
    client.force_login(office)
    response = client.get(detail_url(submitted))
    assert response.context["changes"].baseline == "none"
    assert "首次报送" in response.content.decode()
    assert ("标题", "备忘一") in [(f.label, f.value) for f in response.context["fields"]]


def test_detail_shows_what_the_unit_changed_since_the_return(client, office, liaison, unit_a):
    record = make_comment_draft_reply(
        unit_a, status=Status.DRAFT, replied_on=None, reply="", created_by=liaison
    )
    submit(record, by=liaison)
    return_for_revision(record, by=office, comment="请补填回复日期")
    record.replied_on, record.reply = record.received_on.replace(day=20), "无意见。"
    record.save()
    submit(record, by=liaison)
    client.force_login(office)
    changes = client.get(detail_url(record)).context["changes"]
    assert changes.baseline == "returned"
    assert [(c.label, c.old, c.new) for c in changes.changes] == [
        ("回复日期", "—", "2017-05-20"),
        ("回复意见", "—", "无意见。"),
    ]


def test_detail_compares_with_the_last_approved_version(client, office, unit_a, unit_b):
    record = make_comment_draft_reply(unit_a, status=Status.APPROVED)
    record.unit, record.status = unit_b, Status.SUBMITTED
    record.save()
    client.force_login(office)
    changes = client.get(detail_url(record)).context["changes"]
    assert changes.baseline == "approved"
    assert [(c.label, c.old, c.new) for c in changes.changes] == [
        ("答复单位", unit_a.name, unit_b.name)
    ]


def test_returning_needs_a_comment_and_goes_through_the_workflow(client, office, submitted):
    client.force_login(office)
    response = client.post(detail_url(submitted), {"action": Action.RETURN, "comment": ""})
    assert response.status_code == 400
    assert "必须填写审核意见" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

    response = client.post(detail_url(submitted), {"action": Action.RETURN, "comment": "日期有误"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment, submitted.reviewed_by) == (
        Status.RETURNED,
        "日期有误",
        office,
    )
    latest = submitted.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("退回修改", office)


def test_approving_a_record_that_is_no_longer_submitted_is_refused_with_a_message(
    client, office, submitted
):
    return_for_revision(submitted, by=office, comment="先退回")
    client.force_login(office)
    response = client.post(detail_url(submitted), {"action": Action.APPROVE}, follow=True)
    assert "不能执行“审核通过”" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED


def test_bulk_approve_approves_the_ticked_records_and_reports_refusals(
    client, office, liaison, unit_a
):
    first = submit(memo(unit_a, "甲", by=liaison), by=liaison)
    second = submit(memo(unit_a, "乙", by=liaison), by=liaison)
    draft = memo(unit_a, "丙")
    client.force_login(office)
    response = client.post(
        reverse("workspace:review_bulk_approve"),
        {"record": [f"workflowapp.memo:{r.pk}" for r in (first, second, draft)]},
        follow=True,
    )
    html = response.content.decode()
    assert "2 条记录已审核通过" in html
    assert "丙：“草稿”状态的记录不能执行“审核通过”" in html
    statuses = dict(Memo.objects.values_list("title", "status"))
    assert statuses == {"甲": Status.APPROVED, "乙": Status.APPROVED, "丙": Status.DRAFT}


def test_unknown_kind_or_hidden_record_is_not_found(client, office):
    client.force_login(office)
    assert client.get(reverse("workspace:review_detail", args=["auth.group", 1])).status_code == 404
    assert (
        client.get(reverse("workspace:review_detail", args=["workflowapp.memo", 999])).status_code
        == 404
    )


def test_queue_query_count_does_not_grow_with_records(
    client, office, liaison, unit_a, django_assert_max_num_queries
):
    for n in range(30):
        submit(memo(unit_a, f"备忘{n}", by=liaison), by=liaison)
    client.force_login(office)
    with django_assert_max_num_queries(40):
        assert client.get(QUEUE).status_code == 200


def test_detail_query_count_is_bounded(
    client, office, liaison, unit_a, django_assert_max_num_queries
):
    record = make_comment_draft_reply(
        unit_a, status=Status.DRAFT, replied_on=None, reply="", created_by=liaison
    )
    submit(record, by=liaison)
    return_for_revision(record, by=office, comment="请补填")
    record.reply, record.replied_on = "无意见。", record.received_on
    record.save()
    submit(record, by=liaison)
    client.force_login(office)
    # Session and user, the record with its history and changes, its files, the calendar's
    # overrides and confirmed holiday schedules: a fixed set, whatever the record holds.
    with django_assert_max_num_queries(17):
        assert client.get(detail_url(record)).status_code == 200


@pytest.fixture
def small_pages(monkeypatch):
    from xianan_lawgov.workspace import views

    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 3)
    return 3


def test_queue_is_paginated_in_unit_and_submission_order(
    client, office, liaison, liaison2, unit_a, unit_b, small_pages
):
    for n in range(4):
        submit(memo(unit_a, f"城管备忘{n}", by=liaison), by=liaison)
    submit(memo(unit_b, "交通备忘", by=liaison2), by=liaison2)
    client.force_login(office)

    first = client.get(QUEUE).content.decode()
    assert "待审核 5 条" in first
    assert "第 1 / 2 页" in first
    assert all(f"城管备忘{n}" in first for n in range(3))
    assert "城管备忘3" not in first and "交通备忘" not in first

    second = client.get(QUEUE, {"page": 2}).content.decode()
    assert "城管备忘3" in second and "交通备忘" in second
    assert "城管备忘0" not in second
    # A page past the end shows the last one, not an error.
    assert "交通备忘" in client.get(QUEUE, {"page": 9}).content.decode()


def test_bulk_approve_on_a_later_page_returns_to_that_page(
    client, office, liaison, unit_a, small_pages
):
    records = [submit(memo(unit_a, f"备忘{n}", by=liaison), by=liaison) for n in range(7)]
    client.force_login(office)
    page = client.get(QUEUE, {"page": 2})
    ticked = page.context["groups"][0]["kinds"][0][1]
    assert [row.record.title for row in ticked] == ["备忘3", "备忘4", "备忘5"]

    response = client.post(
        reverse("workspace:review_bulk_approve"),
        {
            "record": [f"workflowapp.memo:{row.record.pk}:{row.record.revision}" for row in ticked],
            "page": "2",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?page=2"
    statuses = dict(Memo.objects.values_list("title", "status"))
    assert [statuses[f"备忘{n}"] for n in range(7)] == [Status.SUBMITTED] * 3 + [
        Status.APPROVED
    ] * 3 + [Status.SUBMITTED]
    remaining = client.get(response["Location"]).content.decode()
    assert "待审核 4 条" in remaining and "3 条记录已审核通过" in remaining
    assert records[6].title in remaining
