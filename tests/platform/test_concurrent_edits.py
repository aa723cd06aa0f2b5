"""The races that lost approvals and edits, run truly at the same moment: each side in its own
thread with its own database connection, released together by a barrier, many times over.

Whatever the order the database lets them in, an approval that answered 200 sticks (and is
announced once), and of two saves from the same original one is refused. These need row
locks between two connections, so they run on PostgreSQL; the same refusals one step after
another run everywhere in test_edit_conflicts.py.
"""

from functools import partial

import pytest
from django.urls import reverse

from registers.core.roles import Role
from registers.core.status import Status
from registers.core.workflow import submit
from reviews.models import LitigationCase
from tests.api.conftest import client_for
from tests.factories import make_litigation, make_user
from tests.races import at_once, races
from tests.workflowapp.models import Memo
from xianan_lawgov.workspace.models import Notification, NotificationKind

pytestmark = races(
    elsewhere="the same refusals one step after another are in test_edit_conflicts.py"
)

TRIES = 20


@pytest.fixture
def office2(db):
    return make_user(Role.OFFICE, username="office2_t", last_name="刘", first_name="审核")


def json_if_match(etag: str) -> dict:
    return {"format": "json", "HTTP_IF_MATCH": etag}


def case_url(case, action=""):
    return f"/api/v1/litigation-cases/{case.pk}/{action + '/' if action else ''}"


def approvals_announced(user) -> int:
    return Notification.objects.filter(user=user, kind=NotificationKind.APPROVED).count()


#: Saved after the approval, the edit is a correction: it carries its reason.
CHANGE = {"plaintiff": "同时修改", "correction_reason": "原告名称有误"}


def test_office_patch_at_the_same_moment_as_an_approval_never_loses_the_approval(
    office, office2, liaison, unit_a
):
    editor, reviewer = client_for(office), client_for(office2)
    lost = []
    for attempt in range(TRIES):
        case = make_litigation(unit_a, created_by=liaison)
        submit(case, by=liaison)
        # Half the edits say which revision they read (before the approval), half do not.
        headers = {"HTTP_IF_MATCH": editor.get(case_url(case))["ETag"]} if attempt % 2 else {}
        edited, approved = at_once(
            lambda case=case, headers=headers: editor.patch(
                case_url(case), CHANGE, format="json", **headers
            ),
            lambda case=case: reviewer.post(case_url(case, "approve"), {}, format="json"),
        )
        saved = LitigationCase.objects.get(pk=case.pk)
        assert approved.status_code == 200
        assert edited.status_code in (200, 412), edited.content
        if saved.status != Status.APPROVED:
            lost.append(attempt)
        assert (saved.plaintiff == "同时修改") is (edited.status_code == 200)
    assert lost == []
    assert approvals_announced(liaison) == TRIES


def test_admin_form_save_at_the_same_moment_as_an_approval_never_loses_the_approval(
    office, office2, liaison, unit_a
):
    editor, reviewer = client_for(office), client_for(office2)
    lost, outcomes = [], set()
    for _attempt in range(TRIES):
        memo = Memo.objects.create(title="原标题", unit=unit_a, created_by=liaison)
        submit(memo, by=liaison)
        change = reverse("admin:workflowapp_memo_change", args=[memo.pk])
        revision = editor.get(change).context["adminform"].form["based_on_revision"].value()
        form = {"title": "同时修改", "kind": "notice", "unit": unit_a.pk}
        saved_form, _approved = at_once(
            lambda change=change, form=form, revision=revision: editor.post(
                change, {**form, "based_on_revision": revision}
            ),
            lambda memo=memo: reviewer.post(
                reverse("admin:workflowapp_memo_workflow", args=[memo.pk, "approve"])
            ),
        )
        saved = Memo.objects.get(pk=memo.pk)
        outcomes.add(saved_form.status_code)
        if saved.status != Status.APPROVED:
            lost.append(memo.pk)
        if saved_form.status_code == 200:  # refused: the approval came first
            assert "您的修改未保存" in saved_form.content.decode()
            assert saved.title == "原标题"
        else:
            assert saved.title == "同时修改"
    assert lost == []
    assert outcomes <= {200, 302}
    assert approvals_announced(liaison) == TRIES


def test_liaison_edit_at_the_same_moment_as_submit_and_approval_undoes_nothing(
    office, liaison, unit_a
):
    editor, submitter, reviewer = client_for(liaison), client_for(liaison), client_for(office)
    undone = []
    for _attempt in range(TRIES):
        case = make_litigation(unit_a, created_by=liaison)

        def submit_and_approve(case=case):
            submitted = submitter.post(case_url(case, "submit"), {}, format="json")
            approved = reviewer.post(case_url(case, "approve"), {}, format="json")
            return submitted.status_code, approved.status_code

        edited, transitions = at_once(
            lambda case=case: editor.patch(
                case_url(case), {"plaintiff": "联络员修改"}, format="json"
            ),
            submit_and_approve,
        )
        assert transitions == (200, 200)
        assert edited.status_code in (200, 403), edited.content
        if LitigationCase.objects.get(pk=case.pk).status != Status.APPROVED:
            undone.append(case.pk)
    assert undone == []
    assert approvals_announced(liaison) == TRIES


def test_two_office_users_saving_the_same_original_through_the_api_one_is_refused(
    office, office2, unit_a
):
    first, second = client_for(office), client_for(office2)
    for _attempt in range(TRIES):
        case = make_litigation(unit_a)
        etag = first.get(case_url(case))["ETag"]
        responses = at_once(
            partial(first.patch, case_url(case), {"plaintiff": "甲"}, **json_if_match(etag)),
            partial(second.patch, case_url(case), {"plaintiff": "乙"}, **json_if_match(etag)),
        )
        codes = sorted(response.status_code for response in responses)
        assert codes == [200, 412]
        winner = "甲" if responses[0].status_code == 200 else "乙"
        assert LitigationCase.objects.get(pk=case.pk).plaintiff == winner


def test_two_office_users_saving_the_same_admin_form_one_is_refused(office, office2, unit_a):
    first, second = client_for(office), client_for(office2)
    for _attempt in range(TRIES):
        memo = Memo.objects.create(title="原标题", unit=unit_a)
        change = reverse("admin:workflowapp_memo_change", args=[memo.pk])
        revision = first.get(change).context["adminform"].form["based_on_revision"].value()
        form = {"kind": "notice", "unit": unit_a.pk, "based_on_revision": revision}
        responses = at_once(
            partial(first.post, change, {**form, "title": "甲"}),
            partial(second.post, change, {**form, "title": "乙"}),
        )
        codes = sorted(response.status_code for response in responses)
        assert codes == [200, 302]
        winner = "甲" if responses[0].status_code == 302 else "乙"
        assert Memo.objects.get(pk=memo.pk).title == winner
