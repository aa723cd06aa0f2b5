"""No lost update, one step after another: a save based on a record as it was before someone
else's save (or a transition) is refused with who changed which fields, on every path that
edits: the model, the admin (forms and inline rows), the API (If-Match, the body's
revision), the admin's and the review page's approve buttons, the report editor.

The same races run truly at the same moment on PostgreSQL in test_concurrent_edits.py.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from registers.core.revisions import EditConflict, edit_fields
from registers.core.roles import Role
from registers.core.status import Status
from registers.core.workflow import approve, submit
from reviews.models import LitigationCase, LitigationHearing
from tests.api.conftest import client_for
from tests.factories import make_hearing, make_litigation, make_user
from tests.workflowapp.models import Memo
from xianan_lawgov.reports.models import Report
from xianan_lawgov.workspace.models import Notification, NotificationKind

NOON = datetime.datetime(2018, 1, 31, 10, 2, 11, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def office2(db):
    return make_user(Role.OFFICE, username="office2_t", last_name="刘", first_name="审核")


@pytest.fixture
def memo(unit_a, liaison):
    return Memo.objects.create(title="原标题", unit=unit_a, created_by=liaison)


def memo_url(view, *args):
    return reverse(f"admin:workflowapp_memo_{view}", args=args)


def shown_revision(page: str, prefix: str = "") -> int:
    match = re.search(rf'name="{prefix}based_on_revision" value="(\d+)"', page)
    assert match, "the change form carries no revision"
    return int(match.group(1))


def memo_form(memo, title, revision):
    return {
        "title": title,
        "kind": "notice",
        "unit": memo.unit_id,
        "based_on_revision": revision,
    }


# --- The model ------------------------------------------------------------------------------


def test_every_save_counts_a_new_revision(memo):
    assert memo.revision == 1
    memo.title = "改一次"
    memo.save()
    assert memo.revision == 2
    assert Memo.objects.get(pk=memo.pk).revision == 2
    assert memo.history.latest("history_id").revision == 2


def test_saving_a_stale_copy_is_refused_naming_who_changed_which_field(memo, office2):
    stale = Memo.objects.get(pk=memo.pk)
    memo.title = "先保存的标题"
    memo._history_user = office2
    with time_machine.travel(NOON, tick=False):
        memo.save()
    stale.title = "后保存的标题"
    with pytest.raises(EditConflict) as refused, transaction.atomic():
        stale.save()
    assert refused.value.messages == [
        "该记录已于 2018-01-31 10:02:11 被 刘审核 修改（字段：标题），您的修改未保存；"
        "请核对后重新提交。"
    ]
    assert Memo.objects.get(pk=memo.pk).title == "先保存的标题"


def test_an_edit_never_writes_back_the_status_it_read(memo, liaison, office):
    read_before = Memo.objects.get(pk=memo.pk)
    submit(memo, by=liaison)
    approve(memo, by=office)
    # Even an edit allowed to save over the current revision leaves the status alone.
    read_before.revision = Memo.objects.get(pk=memo.pk).revision
    read_before.title = "审核后修改"
    read_before.save(update_fields=edit_fields(read_before))
    saved = Memo.objects.get(pk=memo.pk)
    assert (saved.title, saved.status, saved.reviewed_by) == ("审核后修改", Status.APPROVED, office)


# --- The admin ------------------------------------------------------------------------------


def test_second_office_user_saving_the_same_original_in_the_admin_is_refused(
    client, office, office2, memo
):
    first, second = client_for(office), client_for(office2)
    opened = shown_revision(first.get(memo_url("change", memo.pk)).content.decode())
    assert shown_revision(second.get(memo_url("change", memo.pk)).content.decode()) == opened

    assert (
        first.post(memo_url("change", memo.pk), memo_form(memo, "甲的标题", opened)).status_code
        == 302
    )
    refused = second.post(memo_url("change", memo.pk), memo_form(memo, "乙的标题", opened))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "被 office_t 修改（字段：标题），您的修改未保存；请核对后重新提交。" in page
    assert 'value="乙的标题"' in page  # what the second user typed is still there
    assert Memo.objects.get(pk=memo.pk).title == "甲的标题"

    # Reloading shows the first user's change; submitting the kept form again, once checked,
    # saves it (it now carries the current revision).
    assert "甲的标题" in second.get(memo_url("change", memo.pk)).content.decode()
    again = second.post(
        memo_url("change", memo.pk), memo_form(memo, "乙的标题", shown_revision(page))
    )
    assert again.status_code == 302
    assert Memo.objects.get(pk=memo.pk).title == "乙的标题"


def test_admin_save_based_on_the_record_before_its_approval_is_refused_and_approval_stays(
    client, office, office2, liaison, memo
):
    submit(memo, by=liaison)
    editor = client_for(office)
    opened = shown_revision(editor.get(memo_url("change", memo.pk)).content.decode())
    approve(memo, by=office2)
    refused = editor.post(memo_url("change", memo.pk), memo_form(memo, "审核前打开的修改", opened))
    assert "被 刘审核 修改（字段：审核状态）" in refused.content.decode()
    saved = Memo.objects.get(pk=memo.pk)
    assert (saved.title, saved.status) == ("原标题", Status.APPROVED)


def test_admin_approve_button_refuses_a_record_changed_since_the_page_was_shown(
    client, office, office2, liaison, memo
):
    submit(memo, by=liaison)
    reviewer = client_for(office)
    page = reviewer.get(memo_url("change", memo.pk)).content.decode()
    shown = int(re.search(r'name="revision" value="(\d+)"', page).group(1))
    memo.refresh_from_db()
    memo.title = "审核前被改"
    memo._history_user = office2
    memo.save()
    response = reviewer.post(
        memo_url("workflow", memo.pk, "approve"), {"revision": shown}, follow=True
    )
    assert "被 刘审核 修改（字段：标题）" in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).status == Status.SUBMITTED


def test_admin_save_of_a_hearing_changed_since_the_page_was_opened_is_refused(
    client, office, office2, unit_a
):
    from tests.reviews.test_case_admin import hearing_form, url

    case = make_litigation(unit_a)
    hearing = make_hearing(case, head_name="", head_rank="")
    editor = client_for(office)
    page = editor.get(url("litigationcase", "change", case.pk)).content.decode()
    case_revision = shown_revision(page)
    hearing_revision = shown_revision(page, "hearings-0-")
    response = client_for(office2).patch(
        f"/api/v1/litigation-hearings/{hearing.pk}/", {"others": "另一位改的"}, format="json"
    )
    assert response.status_code == 200
    form = hearing_form(case, hearing) | {
        "based_on_revision": case_revision,
        "hearings-0-based_on_revision": hearing_revision,
        "hearings-0-others": "我改的",
    }
    refused = editor.post(url("litigationcase", "change", case.pk), form)
    assert refused.status_code == 200
    assert "被 刘审核 修改（字段：其他出庭人员）" in refused.content.decode()
    assert LitigationHearing.objects.get(pk=hearing.pk).others == "另一位改的"


# --- The API --------------------------------------------------------------------------------


@pytest.fixture
def case(unit_a, liaison):
    return make_litigation(unit_a, created_by=liaison)


def case_url(case, action=""):
    return f"/api/v1/litigation-cases/{case.pk}/{action + '/' if action else ''}"


def test_api_record_answers_with_its_revision_as_a_weak_etag(office, case):
    response = client_for(office).get(case_url(case))
    assert response["ETag"] == 'W/"1"'
    assert response.json()["revision"] == 1


def test_api_patch_with_a_stale_if_match_is_refused_with_412_naming_who_changed_what(
    office, office2, case
):
    first, second = client_for(office), client_for(office2)
    etag = first.get(case_url(case))["ETag"]
    changed = second.patch(case_url(case), {"plaintiff": "乙改的原告"}, format="json")
    assert changed.status_code == 200
    assert changed["ETag"] == 'W/"2"'
    refused = first.patch(
        case_url(case), {"plaintiff": "甲改的原告"}, format="json", HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 412
    assert refused.json()["code"] == "precondition_failed"
    assert "被 刘审核 修改（字段：原告）" in refused.json()["detail"]
    assert refused["ETag"] == 'W/"2"'
    assert LitigationCase.objects.get(pk=case.pk).plaintiff == "乙改的原告"


def test_api_patch_with_a_stale_body_revision_is_refused_with_409(office, office2, case):
    client_for(office2).patch(case_url(case), {"plaintiff": "乙改的原告"}, format="json")
    refused = client_for(office).patch(
        case_url(case), {"plaintiff": "甲改的原告", "revision": 1}, format="json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "edit_conflict"
    assert LitigationCase.objects.get(pk=case.pk).plaintiff == "乙改的原告"


def test_api_patch_with_the_current_revision_or_none_saves(office, case):
    client = client_for(office)
    assert (
        client.patch(
            case_url(case), {"plaintiff": "一"}, format="json", HTTP_IF_MATCH='W/"1"'
        ).status_code
        == 200
    )
    assert (
        client.patch(case_url(case), {"plaintiff": "二", "revision": 2}, format="json").status_code
        == 200
    )
    assert (
        client.patch(
            case_url(case), {"plaintiff": "三"}, format="json", HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )
    response = client.patch(case_url(case), {"plaintiff": "四"}, format="json")
    assert response.status_code == 200
    assert response.json()["revision"] == 5


def test_api_patch_read_before_an_approval_is_refused_and_the_approval_stays(
    office, office2, liaison, case, django_capture_on_commit_callbacks
):
    submit(case, by=liaison)
    editor, reviewer = client_for(office), client_for(office2)
    etag = editor.get(case_url(case))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        approved = reviewer.post(case_url(case, "approve"), {}, format="json")
    assert approved.status_code == 200
    refused = editor.patch(
        case_url(case), {"plaintiff": "审核前读取的修改"}, format="json", HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 412
    assert "字段：审核状态" in refused.json()["detail"]
    saved = LitigationCase.objects.get(pk=case.pk)
    assert saved.status == Status.APPROVED
    assert Notification.objects.filter(user=liaison, kind=NotificationKind.APPROVED).count() == 1


def test_api_patch_without_a_revision_after_an_approval_keeps_the_status(
    office, office2, liaison, case
):
    submit(case, by=liaison)
    assert client_for(office2).post(case_url(case, "approve"), {}, format="json").status_code == 200
    # A change of an approved record is a correction: it needs its reason.
    response = client_for(office).patch(
        case_url(case),
        {"plaintiff": "审核后修改", "correction_reason": "原告姓名录错"},
        format="json",
    )
    assert response.status_code == 200
    saved = LitigationCase.objects.get(pk=case.pk)
    assert (saved.plaintiff, saved.status) == ("审核后修改", Status.APPROVED)


def test_api_liaison_edit_read_before_submit_and_approval_undoes_nothing(liaison, office, case):
    editor = client_for(liaison)
    revision = editor.get(case_url(case)).json()["revision"]
    assert editor.post(case_url(case, "submit"), {}, format="json").status_code == 200
    assert client_for(office).post(case_url(case, "approve"), {}, format="json").status_code == 200
    refused = editor.patch(
        case_url(case), {"plaintiff": "报送前的修改", "revision": revision}, format="json"
    )
    assert refused.status_code == 403
    assert LitigationCase.objects.get(pk=case.pk).status == Status.APPROVED


def test_api_approve_with_a_stale_if_match_is_refused_and_announces_nothing(
    office, office2, liaison, case, django_capture_on_commit_callbacks
):
    submit(case, by=liaison)
    reviewer = client_for(office)
    etag = reviewer.get(case_url(case))["ETag"]
    client_for(office2).patch(case_url(case), {"plaintiff": "审核前被改"}, format="json")
    with django_capture_on_commit_callbacks(execute=True) as announced:
        refused = reviewer.post(case_url(case, "approve"), {}, format="json", HTTP_IF_MATCH=etag)
    assert announced == []
    assert refused.status_code == 412
    assert "字段：原告" in refused.json()["detail"]
    assert LitigationCase.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert not Notification.objects.filter(kind=NotificationKind.APPROVED).exists()


def test_api_detail_row_with_a_stale_revision_is_refused(office, office2, case):
    hearing = make_hearing(case)
    url = f"/api/v1/litigation-hearings/{hearing.pk}/"
    client_for(office2).patch(url, {"others": "乙"}, format="json")
    refused = client_for(office).patch(url, {"others": "甲", "revision": 1}, format="json")
    assert refused.status_code == 409
    assert LitigationHearing.objects.get(pk=hearing.pk).others == "乙"


def test_api_delete_with_a_stale_if_match_is_refused(office, office2, case):
    client_for(office2).patch(case_url(case), {"plaintiff": "乙"}, format="json")
    refused = client_for(office).delete(case_url(case), HTTP_IF_MATCH='W/"1"')
    assert refused.status_code == 412
    assert LitigationCase.objects.filter(pk=case.pk).exists()


# --- The review page ------------------------------------------------------------------------


def review_url(record):
    kind = f"{record._meta.app_label}.{record._meta.model_name}"
    return reverse("workspace:review_detail", args=[kind, record.pk])


def test_reviewer_approving_a_record_changed_since_it_was_shown_is_refused(
    client, office, office2, liaison, memo
):
    submit(memo, by=liaison)
    reviewer = client_for(office)
    shown = reviewer.get(review_url(memo)).context["form"]["revision"].value()
    memo.refresh_from_db()
    memo.title = "审核前被改"
    memo._history_user = office2
    memo.save()
    refused = reviewer.post(
        review_url(memo), {"action": "approve", "comment": "同意", "revision": shown}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "被 刘审核 修改（字段：标题）" in page
    assert "审核前被改" in page  # the page now shows the record as it is
    assert "同意" in page  # the comment typed is kept
    assert Memo.objects.get(pk=memo.pk).status == Status.SUBMITTED

    again = reviewer.post(
        review_url(memo),
        {
            "action": "approve",
            "comment": "同意",
            "revision": refused.context["form"]["revision"].value(),
        },
    )
    assert again.status_code == 302
    assert Memo.objects.get(pk=memo.pk).status == Status.APPROVED


def test_bulk_approval_skips_a_record_changed_since_the_queue_was_shown(
    client, office, office2, liaison, memo
):
    submit(memo, by=liaison)
    memo.refresh_from_db()
    shown = memo.revision
    memo.title = "排队时被改"
    memo._history_user = office2
    memo.save()
    response = client_for(office).post(
        reverse("workspace:review_bulk_approve"),
        {"record": f"workflowapp.memo:{memo.pk}:{shown}"},
        follow=True,
    )
    assert "被 刘审核 修改（字段：标题）" in response.content.decode()
    assert Memo.objects.get(pk=memo.pk).status == Status.SUBMITTED


# --- The report editor ----------------------------------------------------------------------


def report_form(page_context, title):
    return {
        "title": title,
        "revision": page_context["revision"],
        "part": ["intro"],
        "heading": [""],
        "body": [f"{title}的正文"],
    }


@time_machine.travel(datetime.datetime(2018, 2, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
def test_second_office_user_saving_the_same_report_text_is_refused(office, office2):
    first, second = client_for(office), client_for(office2)
    edit = reverse("reports:edit", args=[2017])
    first_page, second_page = first.get(edit).context, second.get(edit).context
    assert first.post(edit, report_form(first_page, "甲的标题")).status_code == 302
    refused = second.post(edit, report_form(second_page, "乙的标题"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "被 office_t 修改" in page
    assert "乙的标题的正文" in page
    assert Report.objects.get(year=2017, unit=None).title == "甲的标题"
    again = second.post(edit, report_form(refused.context, "乙的标题"))
    assert again.status_code == 302
    assert Report.objects.get(year=2017, unit=None).title == "乙的标题"
