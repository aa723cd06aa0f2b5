"""The review workflow: every transition, allowed and refused, and who did what."""

import pytest

from registers.core import permissions
from registers.core.status import Action, Status
from registers.core.workflow import (
    WorkflowError,
    approve,
    create_all,
    mark_created,
    return_for_revision,
    submit,
    transition,
    transition_all,
    transitioned,
)
from tests.workflowapp.models import Memo


@pytest.fixture
def draft(liaison):
    memo = Memo(title="2017年执法案卷", unit=liaison.unit)
    mark_created(memo, by=liaison)
    memo.save()
    return memo


def refresh(memo):
    return Memo.objects.get(pk=memo.pk)


def test_liaison_record_starts_as_draft_of_own_unit_even_if_another_unit_was_given(liaison, unit_b):
    memo = Memo(title="x", unit=unit_b)
    mark_created(memo, by=liaison, approved=True)
    memo.save()
    assert memo.status == Status.DRAFT
    assert memo.unit == liaison.unit
    assert memo.created_by == liaison


def test_office_may_create_a_record_directly_as_approved(office, unit_a):
    memo = Memo(title="x", unit=unit_a)
    mark_created(memo, by=office, approved=True)
    memo.save()
    assert memo.status == Status.APPROVED
    assert memo.reviewed_by == office


def test_full_cycle_draft_submit_return_resubmit_approve(draft, liaison, office):
    submit(draft, by=liaison)
    assert refresh(draft).status == Status.SUBMITTED
    assert refresh(draft).submitted_by == liaison

    return_for_revision(draft, by=office, comment="请补充案号")
    memo = refresh(draft)
    assert memo.status == Status.RETURNED
    assert memo.review_comment == "请补充案号"
    assert memo.reviewed_by == office

    submit(memo, by=liaison)
    approve(memo, by=office)
    memo = refresh(draft)
    assert memo.status == Status.APPROVED
    assert Memo.objects.approved().get() == memo


@pytest.mark.parametrize(
    ("status", "action", "actor", "code"),
    [
        (Status.SUBMITTED, Action.APPROVE, "liaison", "office_only"),
        (Status.SUBMITTED, Action.RETURN, "liaison", "office_only"),
        (Status.SUBMITTED, Action.APPROVE, "leader", "office_only"),
        (Status.SUBMITTED, Action.APPROVE, "municipal", "office_only"),
        (Status.DRAFT, Action.SUBMIT, "liaison2", "not_own_unit"),
        (Status.DRAFT, Action.SUBMIT, "leader", "not_own_unit"),
        (Status.DRAFT, Action.APPROVE, "office", "invalid_transition"),
        (Status.DRAFT, Action.RETURN, "office", "invalid_transition"),
        (Status.APPROVED, Action.SUBMIT, "liaison", "invalid_transition"),
        (Status.APPROVED, Action.RETURN, "office", "invalid_transition"),
        (Status.APPROVED, Action.APPROVE, "office", "invalid_transition"),
        (Status.RETURNED, Action.APPROVE, "office", "invalid_transition"),
        (Status.SUBMITTED, Action.SUBMIT, "liaison", "invalid_transition"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    draft, users, status, action, actor, code
):
    Memo.objects.filter(pk=draft.pk).update(status=status)
    memo = refresh(draft)
    history_before = memo.history.count()

    with pytest.raises(WorkflowError) as refused:
        transition(memo, action, by=users[actor], comment="意见")

    assert refused.value.code == code
    assert refused.value.messages[0]  # a translated sentence, not an empty error
    after = refresh(draft)
    assert after.status == status
    assert after.reviewed_by is None and after.submitted_by is None
    assert after.history.count() == history_before


def test_refusal_message_is_in_chinese(draft, liaison):
    submit(draft, by=liaison)
    with pytest.raises(WorkflowError) as refused:
        approve(draft, by=liaison)
    assert "只有法制办工作人员可以执行" in refused.value.messages[0]


def test_returning_without_a_comment_is_refused(draft, liaison, office):
    submit(draft, by=liaison)
    with pytest.raises(WorkflowError) as refused:
        return_for_revision(draft, by=office, comment="   ")
    assert refused.value.code == "comment_required"
    assert refresh(draft).status == Status.SUBMITTED


def test_office_can_submit_on_behalf_of_a_unit(draft, office):
    submit(draft, by=office)
    assert refresh(draft).status == Status.SUBMITTED


def test_each_transition_writes_a_history_row_with_the_acting_user(draft, liaison, office):
    submit(draft, by=liaison)
    return_for_revision(draft, by=office, comment="补充材料")
    rows = list(refresh(draft).history.order_by("history_date", "history_id"))
    assert [(row.status, row.history_user) for row in rows[-2:]] == [
        (Status.SUBMITTED, liaison),
        (Status.RETURNED, office),
    ]
    assert rows[-1].history_change_reason == "退回修改"
    delta = rows[-1].diff_against(rows[-2])
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed["status"] == (Status.SUBMITTED, Status.RETURNED)
    assert changed["review_comment"] == ("", "补充材料")


def test_deleting_a_record_leaves_a_history_row(draft, office):
    pk = draft.pk
    draft._history_user = office
    draft.delete()
    deleted = Memo.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == office
    assert deleted.title == "2017年执法案卷"


def test_approving_directly_is_the_offices_but_never_offered_as_a_review_step(
    draft, office, liaison
):
    assert permissions.can_act(office, draft, Action.APPROVE_DIRECTLY)
    assert not permissions.can_act(liaison, draft, Action.APPROVE_DIRECTLY)
    assert permissions.allowed_actions(office, draft) == [Action.SUBMIT]


# --- A batch at once (uploads) ----------------------------------------------------------------


def drafts(user, count=3):
    memos = []
    for n in range(count):
        memo = Memo(title=f"备忘{n}", unit=user.unit)
        mark_created(memo, by=user)
        memo.save()
        memos.append(memo)
    return memos


def test_a_batch_moves_together_each_with_a_history_row_by_the_acting_user(liaison, office):
    memos = drafts(liaison)

    transition_all(memos, Action.SUBMIT, by=liaison)
    transition_all(memos, Action.RETURN, by=office, comment="补充材料")

    for memo in memos:
        saved = refresh(memo)
        assert (saved.status, saved.submitted_by, saved.reviewed_by) == (
            Status.RETURNED,
            liaison,
            office,
        )
        assert saved.review_comment == "补充材料"
        assert (memo.status, memo.updated_at) == (saved.status, saved.updated_at)
        rows = list(saved.history.order_by("history_id"))
        assert [(row.history_type, row.status, row.history_user) for row in rows[-2:]] == [
            ("~", Status.SUBMITTED, liaison),
            ("~", Status.RETURNED, office),
        ]
        assert rows[-1].history_change_reason == "退回修改"


def test_a_batch_is_refused_whole_if_one_record_may_not_move(liaison, liaison2):
    memos = [*drafts(liaison, 2), *drafts(liaison2, 1)]

    with pytest.raises(WorkflowError) as refused:
        transition_all(memos, Action.SUBMIT, by=liaison)

    assert refused.value.code == "not_own_unit"
    assert {refresh(memo).status for memo in memos} == {Status.DRAFT}
    assert {memo.status for memo in memos} == {Status.DRAFT}  # the copies held too
    assert Memo.history.filter(history_type="~").count() == 0


def test_a_batch_is_checked_on_what_is_saved_not_on_stale_copies(liaison, office):
    memos = drafts(liaison)
    stale = Memo.objects.get(pk=memos[1].pk)
    submit(memos[1], by=liaison)
    approve(memos[1], by=office)

    with pytest.raises(WorkflowError) as refused:
        transition_all([memos[0], stale, memos[2]], Action.SUBMIT, by=liaison)

    assert refused.value.code == "invalid_transition"
    assert [refresh(memo).status for memo in memos] == [
        Status.DRAFT,
        Status.APPROVED,
        Status.DRAFT,
    ]


def test_a_batch_is_announced_record_by_record_once_committed(
    liaison, office, django_capture_on_commit_callbacks
):
    memos = drafts(liaison)
    transition_all(memos, Action.SUBMIT, by=liaison)
    heard = []

    def listener(sender, record, action, by, comment, **kwargs):
        heard.append((sender, record.pk, action, by, comment))

    transitioned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            transition_all(memos, Action.APPROVE, by=office)
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        transitioned.disconnect(listener)

    assert heard == [(Memo, memo.pk, Action.APPROVE, office, "") for memo in memos]


def new_memos(unit, count=3):
    return [Memo(title=f"上传{n}", unit=unit) for n in range(count)]


def test_a_new_batch_is_submitted_as_it_is_saved_in_its_first_history_row(
    liaison, unit_b, django_capture_on_commit_callbacks
):
    memos = new_memos(unit_b)  # another unit asked for: a liaison's records are their own
    heard = []

    def listener(sender, record, action, by, **kwargs):
        heard.append((record.pk, action, by))

    transitioned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            create_all(memos, by=liaison, action=Action.SUBMIT, reason="Excel 上传")
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        transitioned.disconnect(listener)

    for memo in memos:
        saved = refresh(memo)
        assert (saved.unit, saved.status, saved.submitted_by) == (
            liaison.unit,
            Status.SUBMITTED,
            liaison,
        )
        [row] = saved.history.all()
        assert (row.history_type, row.status, row.history_user) == ("+", Status.SUBMITTED, liaison)
        assert row.history_change_reason == "Excel 上传：报送审核"
    assert heard == [(memo.pk, Action.SUBMIT, liaison) for memo in memos]


def test_a_new_batch_is_refused_whole_by_the_transitions_own_rule(liaison):
    with pytest.raises(WorkflowError) as refused:
        create_all(
            new_memos(liaison.unit), by=liaison, action=Action.APPROVE_DIRECTLY, reason="上传"
        )

    assert refused.value.code == "office_only"
    assert not Memo.objects.exists()
    assert not Memo.history.exists()


def test_a_new_batch_takes_no_transition_but_those_of_entry(office, unit_a):
    with pytest.raises(ValueError):
        create_all(new_memos(unit_a), by=office, action=Action.RETURN, reason="上传")
    assert not Memo.objects.exists()
