"""The scoping matrix on the admin: list, change, delete and history for every role."""

import pytest
from django.urls import reverse

from registers.core.status import Status
from tests.workflowapp.models import Memo


@pytest.fixture
def memo_a(unit_a, liaison):
    return Memo.objects.create(title="城管的记录", unit=unit_a, created_by=liaison)


@pytest.fixture
def memo_b(unit_b, liaison2):
    return Memo.objects.create(title="交通的记录", unit=unit_b, created_by=liaison2)


def url(name, *args):
    return reverse(f"admin:workflowapp_memo_{name}", args=args)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


ROLES = ["anonymous", "liaison", "liaison2", "leader", "office", "municipal"]


def actor(users, role):
    return None if role == "anonymous" else users[role]


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [
        ("liaison", True, False),
        ("liaison2", False, True),
        ("leader", True, True),
        ("office", True, True),
    ],
)
def test_changelist_shows_only_what_the_role_may_see(
    client, users, memo_a, memo_b, role, sees_a, sees_b
):
    page = as_user(client, users[role]).get(url("changelist")).content.decode()
    assert ("城管的记录" in page) is sees_a
    assert ("交通的记录" in page) is sees_b


@pytest.mark.parametrize("role", ["anonymous", "municipal"])
def test_admin_is_closed_to_anonymous_users_and_api_clients(client, users, memo_a, role):
    response = as_user(client, actor(users, role)).get(url("changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_liaison_asking_for_another_units_record_gets_404(client, liaison2, memo_a, view):
    response = as_user(client, liaison2).get(url(view, memo_a.pk))
    assert response.status_code == 404
    assert "城管的记录" not in response.content.decode()


def test_liaison_cannot_change_another_units_record_by_posting(client, liaison2, memo_a):
    response = as_user(client, liaison2).post(
        url("change", memo_a.pk), {"title": "篡改", "kind": "notice", "unit": memo_a.unit_id}
    )
    assert response.status_code == 404
    assert Memo.objects.get(pk=memo_a.pk).title == "城管的记录"


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("liaison", Status.DRAFT, True),
        ("liaison", Status.RETURNED, True),
        ("liaison", Status.SUBMITTED, False),
        ("liaison", Status.APPROVED, False),
        ("leader", Status.DRAFT, False),
        ("office", Status.APPROVED, True),
    ],
)
def test_who_may_edit_a_record_in_each_status(client, users, memo_a, role, status, can_edit):
    Memo.objects.filter(pk=memo_a.pk).update(status=status)
    # An approved record's change is a correction, with its reason (ignored otherwise).
    form = {
        "title": "新标题",
        "kind": "notice",
        "unit": memo_a.unit_id,
        "correction_reason": "更正",
    }
    response = as_user(client, users[role]).post(url("change", memo_a.pk), form)
    title = Memo.objects.get(pk=memo_a.pk).title
    if can_edit:
        assert response.status_code == 302
        assert title == "新标题"
    else:
        assert response.status_code == 403
        assert title == "城管的记录"


def test_read_only_roles_see_the_record_without_a_save_button(client, leader, memo_a):
    page = as_user(client, leader).get(url("change", memo_a.pk)).content.decode()
    assert "城管的记录" in page
    assert 'name="_save"' not in page


def test_liaison_adds_a_draft_of_their_own_unit(client, liaison, unit_b):
    response = as_user(client, liaison).post(
        url("add"),
        {"title": "新记录", "kind": "notice", "unit": unit_b.pk, "status": Status.APPROVED},
    )
    assert response.status_code == 302
    memo = Memo.objects.get(title="新记录")
    assert memo.unit == liaison.unit
    assert memo.status == Status.DRAFT
    assert memo.history.get().history_user == liaison


def test_office_adds_a_record_directly_as_approved(client, office, unit_b):
    as_user(client, office).post(
        url("add"),
        {"title": "法制办录入", "kind": "notice", "unit": unit_b.pk, "status": Status.APPROVED},
    )
    memo = Memo.objects.get(title="法制办录入")
    assert (memo.unit, memo.status, memo.reviewed_by) == (unit_b, Status.APPROVED, office)


@pytest.mark.parametrize(
    ("role", "status", "deleted"),
    [
        ("liaison", Status.DRAFT, True),
        ("liaison", Status.SUBMITTED, False),
        ("leader", Status.DRAFT, False),
        ("office", Status.APPROVED, True),
    ],
)
def test_delete_rules_and_history_row(client, users, memo_a, role, status, deleted):
    Memo.objects.filter(pk=memo_a.pk).update(status=status)
    as_user(client, users[role]).post(url("delete", memo_a.pk), {"post": "yes"})
    assert Memo.objects.filter(pk=memo_a.pk).exists() is not deleted
    if deleted:
        row = Memo.history.get(id=memo_a.pk, history_type="-")
        assert row.history_user == users[role]


def test_history_page_shows_who_changed_what(client, liaison, office, memo_a):
    as_user(client, liaison).post(
        url("change", memo_a.pk), {"title": "改过的标题", "kind": "notice"}
    )
    page = as_user(client, office).get(url("history", memo_a.pk)).content.decode()
    assert "改过的标题" in page
    assert "liaison_t" in page


def test_workflow_buttons_submit_return_and_approve(client, liaison, office, memo_a):
    as_user(client, liaison).post(url("workflow", memo_a.pk, "submit"))
    assert Memo.objects.get(pk=memo_a.pk).status == Status.SUBMITTED

    # Liaison trying to approve through the URL is refused with a message; nothing changes.
    response = client.post(url("workflow", memo_a.pk, "approve"), follow=True)
    assert "只有法制办工作人员可以执行" in response.content.decode()
    assert Memo.objects.get(pk=memo_a.pk).status == Status.SUBMITTED

    client.force_login(office)
    form = client.post(url("workflow", memo_a.pk, "return"), {"comment": ""})
    assert form.status_code == 200  # the form again, with its error
    assert Memo.objects.get(pk=memo_a.pk).status == Status.SUBMITTED
    client.post(url("workflow", memo_a.pk, "return"), {"comment": "请补充案号"})
    assert Memo.objects.get(pk=memo_a.pk).review_comment == "请补充案号"

    client.force_login(liaison)
    page = client.get(url("change", memo_a.pk)).content.decode()
    assert "请补充案号" in page


def test_bulk_approve_and_return_from_the_list(client, office, unit_a):
    memos = [
        Memo.objects.create(title=f"记录{i}", unit=unit_a, status=Status.SUBMITTED)
        for i in range(3)
    ]
    as_user(client, office).post(
        url("changelist"),
        {"action": "approve_selected", "_selected_action": [memos[0].pk, memos[1].pk]},
    )
    client.post(
        url("changelist"),
        {"action": "return_selected", "_selected_action": [memos[2].pk], "comment": "不全"},
    )
    statuses = [Memo.objects.get(pk=m.pk).status for m in memos]
    assert statuses == [Status.APPROVED, Status.APPROVED, Status.RETURNED]


def test_admin_is_titled_in_chinese(client, office):
    page = as_user(client, office).get(reverse("admin:index")).content.decode()
    assert "咸安区法治政府建设合规台账" in page
