"""Workflow transitions: submit, approve, return with a comment.

Every transition locks the row, re-checks the rule on the locked state and writes one
history row carrying the acting user, so two reviewers clicking at once cannot both win.
``transition_all`` does the same for a batch of records (an upload) in a few statements:
its ``QuerySet.update`` sends no ``post_save``, so simple-history writes nothing by itself
and the history rows are written with ``writing.add_history`` (compared with
simple-history's ``bulk_history_create`` in ``tests/registers/test_bulk.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.exchange.writing import add_history
from registers.core.models import WorkflowRecord
from registers.core.permissions import can_act, role_of, scope_field_of
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


#: Records locked, updated and read back per statement by ``transition_all``.
BATCH = 500


def transition_all(
    records: Sequence[WorkflowRecord], action: Action, *, by, comment: str = ""
) -> list[WorkflowRecord]:
    """Apply ``action`` to every record (of one model) as user ``by``: all, or none.

    The same rule, fields, history and signal as ``transition`` for each record, in a few
    statements for the whole batch (an upload of thousands of rows): the rows are locked a
    batch at a time and each is checked with ``can_act`` on its saved status and unit,
    then all are updated together, each gets its history row carrying ``by``,
    ``after_transition`` runs for each, and ``transitioned`` is sent for each once the
    transaction commits. Raises ``WorkflowError`` for the first record refused, leaving
    every record as it was.

    The records are taken as the caller holds them, so that a batch just created is not
    read back: a record whose saved status or unit differ from the copy held is read
    again before it is checked. They come back with their new state.
    """
    action = Action(action)
    comment = (comment or "").strip()
    if action == Action.RETURN and not comment:
        raise WorkflowError(_("退回修改时必须填写审核意见。"), code="comment_required")
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    manager = model._default_manager
    owner = model._meta.get_field(scope_field_of(model)).attname
    now = timezone.now()
    values = {"status": action.to_status, "updated_at": now}
    if action == Action.SUBMIT:
        values |= {"submitted_by": by, "submitted_at": now}
    else:
        values |= {"reviewed_by": by, "reviewed_at": now, "review_comment": comment}
    attnames = [model._meta.get_field(name).attname for name in values]
    held = [[getattr(record, attname) for attname in attnames] for record in records]
    try:
        with transaction.atomic():
            saved = {}
            for start in range(0, len(records), BATCH):
                keys = [record.pk for record in records[start : start + BATCH]]
                locked = manager.select_for_update().filter(pk__in=keys)
                saved.update((pk, rest) for pk, *rest in locked.values_list("pk", "status", owner))
            for record in records:
                if record.pk not in saved:
                    raise model.DoesNotExist(_("记录不存在。"))
                if [record.status, getattr(record, owner)] != saved[record.pk]:
                    record.refresh_from_db()
                if not can_act(by, record, action):
                    raise _refusal(record, action, by)

            for start in range(0, len(records), BATCH):
                keys = [record.pk for record in records[start : start + BATCH]]
                manager.filter(pk__in=keys).update(**values)
            for record in records:
                for name, value in values.items():
                    setattr(record, name, value)
            add_history(records, model, user=by, change_reason=str(action.label), date=now)
            for record in records:
                record.after_transition(action, by=by)
    except BaseException:
        # As after a refused ``transition``, the caller's copies are left as they were.
        for record, before in zip(records, held, strict=True):
            for attname, value in zip(attnames, before, strict=True):
                setattr(record, attname, value)
        raise

    def announce():
        for record in records:
            transitioned.send(sender=model, record=record, action=action, by=by, comment=comment)

    transaction.on_commit(announce)
    return records


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
