"""Workflow transitions: submit, approve, return with a comment.

Every transition locks the row, re-checks the rule on the locked state and writes one
history row carrying the acting user, so two reviewers clicking at once cannot both win.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.models import WorkflowRecord
from registers.core.permissions import can_act, role_of
from registers.core.roles import Role
from registers.core.status import Action, Status

#: Sent once a transition has been committed, with ``record`` (as saved), ``action``, ``by``
#: and ``comment``; ``sender`` is the record's model. Receivers (notifications) run after the
#: commit, so a refused or rolled-back transition sends nothing.
transitioned = Signal()


class WorkflowError(ValidationError):
    """A refused transition; the record is left exactly as it was."""


def _refusal(record: WorkflowRecord, action: Action, user) -> WorkflowError:
    status = Status(record.status)
    if status not in action.from_statuses:
        return WorkflowError(
            _("“%(status)s”状态的记录不能执行“%(action)s”。")
            % {"status": status.label, "action": action.label},
            code="invalid_transition",
        )
    if role_of(user) is None:
        return WorkflowError(_("请先登录。"), code="not_authenticated")
    if action == Action.SUBMIT:
        return WorkflowError(_("只能报送本单位的记录。"), code="not_own_unit")
    return WorkflowError(
        _("只有法制办工作人员可以执行“%(action)s”。") % {"action": action.label},
        code="office_only",
    )


def transition(record: WorkflowRecord, action: Action, *, by, comment: str = "") -> WorkflowRecord:
    """Apply ``action`` to ``record`` as user ``by``; raise ``WorkflowError`` if not allowed."""
    action = Action(action)
    comment = (comment or "").strip()
    if action == Action.RETURN and not comment:
        raise WorkflowError(_("退回修改时必须填写审核意见。"), code="comment_required")

    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if not can_act(by, locked, action):
            raise _refusal(locked, action, by)

        now = timezone.now()
        locked.status = action.to_status
        fields = ["status", "updated_at"]
        if action == Action.SUBMIT:
            locked.submitted_by, locked.submitted_at = by, now
            fields += ["submitted_by", "submitted_at"]
        else:
            locked.reviewed_by, locked.reviewed_at = by, now
            locked.review_comment = comment
            fields += ["reviewed_by", "reviewed_at", "review_comment"]
        locked._history_user = by
        locked._change_reason = str(action.label)
        locked.save(update_fields=fields)
        locked.after_transition(action, by=by)
        transaction.on_commit(
            lambda: transitioned.send(
                sender=type(locked), record=locked, action=action, by=by, comment=comment
            )
        )

    # The caller's copy follows the saved row, including what ``after_transition`` wrote.
    record.refresh_from_db()
    return record


def submit(record: WorkflowRecord, *, by) -> WorkflowRecord:
    return transition(record, Action.SUBMIT, by=by)


def approve(record: WorkflowRecord, *, by, comment: str = "") -> WorkflowRecord:
    return transition(record, Action.APPROVE, by=by, comment=comment)


def return_for_revision(record: WorkflowRecord, *, by, comment: str) -> WorkflowRecord:
    return transition(record, Action.RETURN, by=by, comment=comment)


def mark_created(record: WorkflowRecord, *, by, approved: bool = False) -> None:
    """Fill the bookkeeping of a new record before its first save.

    A liaison's record always starts as a draft of their own unit; the office may enter a
    record directly as approved.
    """
    record.created_by = by
    role = role_of(by)
    if role == Role.OFFICE and approved:
        record.status = Status.APPROVED
        record.reviewed_by, record.reviewed_at = by, timezone.now()
    else:
        record.status = Status.DRAFT
    if role == Role.LIAISON:
        record.unit_id = by.unit_id
