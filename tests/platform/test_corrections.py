"""Corrections after approval: the office reopens an approved record with a reason, or edits
it with a reason; either is recorded (who, when, why, which fields from what to what) and
listed on the record's pages. A change without a reason is refused and changes nothing."""

import pytest
from django.urls import reverse

from registers.core.models import Correction, CorrectionKind
from registers.core.permissions import can_change
from registers.core.status import Action, Status
from registers.core.workflow import WorkflowError, approve, reopen, submit
from reviews.models import LitigationCase
from tests.api.conftest import client_for
from tests.factories import make_litigation, make_power_item
from tests.workflowapp.models import Memo
from xianan_lawgov.workspace.models import Notification, NotificationKind


@pytest.fixture
def memo(unit_a, liaison, office):
    memo = Memo.objects.create(title="原标题", unit=unit_a, created_by=liaison)
    submit(memo, by=liaison)
    return approve(memo, by=office)


def memo_url(view, *args):
    return reverse(f"admin:workflowapp_memo_{view}", args=args)


def reopen_url(memo):
    return memo_url("workflow", memo.pk, Action.REOPEN.value)


def edit_form(memo, title, reason=""):
    return {
        "title": title,
        "kind": memo.kind,
        "unit": memo.unit_id,
        "based_on_revision": memo.revision,
        "correction_reason": reason,
    }


# --- Reopening --------------------------------------------------------------------------------


def test_office_reopens_an_approved_record_with_a_reason_and_the_unit_may_correct_it(
    client, office, liaison, memo, django_capture_on_commit_callbacks
):
    client.force_login(office)
    page = client.get(memo_url("change", memo.pk)).content.decode()
    assert "重新打开更正" in page
    form = client.get(reopen_url(memo))
    assert "更正原因" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reopen_url(memo), {"comment": "标题录错，应为全称", "revision": memo.revision}
        )
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Status.RETURNED
    assert memo.review_comment == "标题录错，应为全称"
    assert can_change(liaison, memo)
    correction = Correction.objects.of_record(memo).get()
    assert (correction.kind, correction.reason, correction.corrected_by) == (
        CorrectionKind.REOPEN,
        "标题录错，应为全称",
        office,
    )
    told = Notification.objects.get(user=liaison, kind=NotificationKind.RETURNED)
    assert "标题录错，应为全称" in told.body
    page = client.get(memo_url("change", memo.pk)).content.decode()
    assert "更正记录" in page and "标题录错，应为全称" in page


def test_reopening_without_a_reason_is_refused_and_changes_nothing(client, office, memo):
    client.force_login(office)
    response = client.post(reopen_url(memo), {"comment": "  ", "revision": memo.revision})
    assert response.status_code == 200  # the form again, with its error
    assert "请填写更正原因" in response.content.decode()
    memo.refresh_from_db()
    assert memo.status == Status.APPROVED
    assert not Correction.objects.exists()
    with pytest.raises(WorkflowError) as refused:
        reopen(memo, by=office, reason="")
    assert refused.value.code == "correction_reason_required"
    assert "更正原因" in refused.value.messages[0]


def test_only_the_office_reopens_and_nothing_in_force_is_reopened(liaison, office, memo, unit_a):
    with pytest.raises(WorkflowError) as refused:
        reopen(memo, by=liaison, reason="想改")
    assert refused.value.code == "office_only"
    item = make_power_item(unit_a, status=Status.APPROVED)
    with pytest.raises(WorkflowError) as refused:
        reopen(item, by=office, reason="依据变了")
    assert refused.value.code == "frozen"
    assert not Correction.objects.exists()


def test_a_draft_is_not_reopened(office, unit_a):
    memo = Memo.objects.create(title="草稿", unit=unit_a)
    with pytest.raises(WorkflowError) as refused:
        reopen(memo, by=office, reason="更正")
    assert refused.value.code == "invalid_transition"


# --- Editing an approved record in the admin -----------------------------------------------


def test_admin_edit_of_an_approved_record_without_a_reason_is_refused_on_the_field(
    client, office, memo
):
    client.force_login(office)
    page = client.get(memo_url("change", memo.pk)).content.decode()
    assert 'name="correction_reason"' in page
    response = client.post(memo_url("change", memo.pk), edit_form(memo, "新标题"))
    assert response.status_code == 200
    assert "请填写更正原因" in response.content.decode()
    memo.refresh_from_db()
    assert memo.title == "原标题"
    assert not Correction.objects.exists()


def test_admin_edit_of_an_approved_record_with_a_reason_is_a_listed_correction(
    client, office, memo
):
    client.force_login(office)
    response = client.post(memo_url("change", memo.pk), edit_form(memo, "新标题", "标题有错字"))
    assert response.status_code == 302
    memo.refresh_from_db()
    assert (memo.title, memo.status) == ("新标题", Status.APPROVED)
    correction = Correction.objects.of_record(memo).get()
    assert correction.kind == CorrectionKind.EDIT
    assert correction.reason == "标题有错字"
    assert correction.changes == [
        {"field": "title", "label": "标题", "old": "原标题", "new": "新标题"}
    ]
    assert memo.history.latest("history_id").history_change_reason == "更正：标题有错字"
    page = client.get(memo_url("change", memo.pk)).content.decode()
    assert "标题有错字" in page and "原标题" in page


def test_saving_an_approved_record_unchanged_needs_no_reason(client, office, memo):
    client.force_login(office)
    response = client.post(memo_url("change", memo.pk), edit_form(memo, "原标题"))
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_a_draft_edited_by_its_unit_is_no_correction(client, liaison, unit_a):
    memo = Memo.objects.create(title="草稿", unit=unit_a, created_by=liaison)
    client.force_login(liaison)
    response = client.post(memo_url("change", memo.pk), edit_form(memo, "草稿二"))
    assert response.status_code == 302
    assert not Correction.objects.exists()


# --- The API ---------------------------------------------------------------------------------


@pytest.fixture
def case(unit_a, liaison, office):
    case = make_litigation(unit_a, created_by=liaison, plaintiff="张三")
    submit(case, by=liaison)
    return approve(case, by=office)


def case_url(case, action=""):
    return f"/api/v1/litigation-cases/{case.pk}/{action + '/' if action else ''}"


def test_api_edit_of_an_approved_record_needs_a_correction_reason(office, case):
    api = client_for(office)
    refused = api.patch(case_url(case), {"plaintiff": "张珊"}, format="json")
    assert refused.status_code == 400
    error = refused.json()
    assert "correction_reason_required" in str(error)
    assert "请填写更正原因" in str(error)
    assert LitigationCase.objects.get(pk=case.pk).plaintiff == "张三"
    assert not Correction.objects.exists()

    saved = api.patch(
        case_url(case), {"plaintiff": "张珊", "correction_reason": "原告姓名录错"}, format="json"
    )
    assert saved.status_code == 200
    assert "correction_reason" not in saved.json()
    correction = Correction.objects.of_record(case).get()
    assert (correction.reason, correction.changes[0]["old"], correction.changes[0]["new"]) == (
        "原告姓名录错",
        "张三",
        "张珊",
    )


def test_api_reopen_needs_a_reason_and_only_the_office_may(office, liaison, case):
    refused = client_for(office).post(case_url(case, "reopen"), {}, format="json")
    assert refused.status_code == 400
    assert "correction_reason_required" in str(refused.json())
    assert client_for(liaison).post(
        case_url(case, "reopen"), {"comment": "想改"}, format="json"
    ).status_code in (403, 404)
    assert LitigationCase.objects.get(pk=case.pk).status == Status.APPROVED
    reopened = client_for(office).post(
        case_url(case, "reopen"), {"comment": "案号有误"}, format="json"
    )
    assert reopened.status_code == 200
    assert reopened.json()["status"] == Status.RETURNED


# --- The workspace's record page -------------------------------------------------------------


def test_workspace_record_page_reopens_with_a_reason_and_lists_the_correction(client, office, memo):
    client.force_login(office)
    url = reverse("workspace:review_detail", args=["workflowapp.memo", memo.pk])
    page = client.get(url).content.decode()
    assert 'value="reopen"' in page
    refused = client.post(url, {"action": "reopen", "comment": "", "revision": memo.revision})
    assert refused.status_code == 400
    assert "必须填写更正原因" in refused.content.decode()
    assert Memo.objects.get(pk=memo.pk).status == Status.APPROVED
    client.post(url, {"action": "reopen", "comment": "期限填错", "revision": memo.revision})
    assert Memo.objects.get(pk=memo.pk).status == Status.RETURNED
    page = client.get(url).content.decode()
    assert "更正记录" in page and "期限填错" in page
