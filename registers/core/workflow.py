"""Workflow transitions: submit, approve, return with a comment, approve directly.

Every transition locks the row, re-checks the rule on the locked state, writes one history
row carrying the acting user and the change reason, and announces itself (``transitioned``)
once the transaction commits; so two reviewers clicking at once cannot both win, and a
transition that is refused or rolled back announces nothing. Edits lock the same row and
never write the workflow's fields (``registers.core.revisions``), so an edit saved at the
same moment cannot undo a transition; a transition saves a new revision, so an edit based on
the record as it was before is refused. A reviewer's page passes the ``revision`` it showed:
the transition is refused when the record changed after the reviewer read it.

Services that approve on the office's authority go through the same functions: ``create``
enters a record directly as approved (the office's own entry, a power-list version an
adjustment creates, a filing obligation the office opens), and ``transition`` with
``values`` writes a service's own fields with the status (a clean-up's confirmation).

Corrections of an approved record go through here too: ``Action.REOPEN`` sends it back to
its unit with the office's reason (it leaves every report figure until approved again), and
``save_edit``, the one path every edit takes (admin, API), refuses an office's change of an
approved record without a reason. Both record a ``Correction``: who, when, why, and which
fields changed from what to what.

``transition_all`` does the same for a batch of records (an update by re-upload) in a few
statements: its ``QuerySet.update`` sends no ``post_save``, so simple-history writes nothing
by itself and the history rows are written with ``writing.add_history`` (compared with
simple-history's ``bulk_history_create`` in ``tests/registers/test_bulk.py``).
``create_all`` is ``create`` for a batch (an upload): the records written together with
``writing.create_with_history``, each taken to the status asked for as it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.corrections import field_changes
from registers.core.exchange.writing import add_history, create_with_history
from registers.core.models import Correction, CorrectionKind, WorkflowRecord
from registers.core.permissions import (
    can_act,
    can_create,
    is_frozen,
    reads_own_unit_only,
    role_of,
    scope_field_of,
)
from registers.core.revisions import check_revision, edit_fields, lock
from registers.core.status import Action, Status

#: Sent once a transition has been committed, with ``record`` (as saved), ``action``, ``by``
#: and ``comment``; ``sender`` is the record's model. Receivers (notifications) run after the
#: commit, so a refused or rolled-back transition sends nothing. A record entered directly
#: as approved is announced with ``Action.APPROVE_DIRECTLY``.
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
    if action == Action.REOPEN and is_frozen(record):
        return WorkflowError(
            _("该记录已生效，不能重新打开；请通过它自己的调整程序更正。"), code="frozen"
        )
    if action == Action.SUBMIT:
        return WorkflowError(_("只能报送本单位的记录。"), code="not_own_unit")
    return WorkflowError(
        _("只有法制办工作人员可以执行“%(action)s”。") % {"action": action.label},
        code="office_only",
    )


def require(record: WorkflowRecord, action: Action, *, by) -> None:
    """Raise the transition's own ``WorkflowError`` now if ``by`` may not apply ``action``.

    For a service that checks before doing its work; the transition checks again on the
    locked row.
    """
    if not can_act(by, record, action):
        raise _refusal(record, action, by)


def _apply(record: WorkflowRecord, action: Action, by, comment: str, at=None) -> list[str]:
    """Set the new status and who acted on ``record`` (now, or ``at``); return the fields
    written."""
    record.status = action.to_status
    at = at or timezone.now()
    if action == Action.SUBMIT:
        record.submitted_by, record.submitted_at = by, at
        return ["status", "submitted_by", "submitted_at"]
    record.reviewed_by, record.reviewed_at = by, at
    record.review_comment = comment
    return ["status", "reviewed_by", "reviewed_at", "review_comment"]


def _require_comment(action: Action, comment: str) -> None:
    if not action.needs_comment or comment:
        return
    if action == Action.REOPEN:
        raise WorkflowError(
            _("重新打开已审核的记录时必须填写更正原因。"), code="correction_reason_required"
        )
    raise WorkflowError(_("退回修改时必须填写审核意见。"), code="comment_required")


def _correction(record, kind: CorrectionKind, by, reason: str, changes, at=None) -> Correction:
    return Correction(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        record_label=str(record)[:300],
        unit_id=record.unit_id,
        kind=kind,
        reason=reason,
        changes=changes,
        revision=record.revision,
        corrected_by=by,
        corrected_at=at or timezone.now(),
    )


def _reopening(record: WorkflowRecord) -> list[dict[str, str]]:
    return [
        {
            "field": "status",
            "label": str(type(record)._meta.get_field("status").verbose_name),
            "old": str(Status.APPROVED.label),
            "new": str(Action.REOPEN.to_status.label),
        }
    ]


def _record_history(record: WorkflowRecord, by, reason: str) -> None:
    record._history_user = by
    if reason:
        record._change_reason = reason


def _follow_up(record: WorkflowRecord, action: Action, by, comment: str) -> None:
    """What every transition does once the new status is saved, inside its transaction."""
    record.after_transition(action, by=by)
    transaction.on_commit(
        lambda: transitioned.send(
            sender=type(record), record=record, action=action, by=by, comment=comment
        )
    )


def _announce_all(model, records, action: Action, by, comment: str) -> None:
    """``transitioned`` for each record of a batch, once the transaction commits."""

    def announce():
        for record in records:
            transitioned.send(sender=model, record=record, action=action, by=by, comment=comment)

    transaction.on_commit(announce)


def transition(
    record: WorkflowRecord,
    action: Action,
    *,
    by,
    comment: str = "",
    reason: str = "",
    values: Mapping[str, Any] | None = None,
    revision: int | None = None,
) -> WorkflowRecord:
    """Apply ``action`` to ``record`` as user ``by``; raise ``WorkflowError`` if not allowed.

    ``reason`` replaces the action's name as the history row's change reason; ``values``
    are fields of the service performing the transition (a clean-up's confirmation date),
    saved with the status in the same row and the same history row. With ``revision`` (the
    one the acting user saw), a record changed since is refused with ``EditConflict``.
    """
    action = Action(action)
    comment = (comment or "").strip()
    _require_comment(action, comment)
    values = dict(values or {})

    with transaction.atomic():
        locked = lock(record)
        check_revision(locked, revision)
        require(locked, action, by=by)
        fields = _apply(locked, action, by, comment)
        for name, value in values.items():
            setattr(locked, name, value)
        _record_history(locked, by, reason or str(action.label))
        locked.save(update_fields=[*fields, *values, "updated_at"])
        if action == Action.REOPEN:
            _correction(locked, CorrectionKind.REOPEN, by, comment, _reopening(locked)).save()
        _follow_up(locked, action, by, comment)

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
    _require_comment(action, comment)
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    manager = model._default_manager
    owner = model._meta.get_field(scope_field_of(model)).attname
    # What ``_apply`` sets on one record, written on all at once.
    sample = model(status=records[0].status)
    fields = _apply(sample, action, by, comment)
    now = timezone.now()
    values = {name: getattr(sample, name) for name in fields} | {"updated_at": now}
    values |= {name: now for name in ("submitted_at", "reviewed_at") if name in values}
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
                require(record, action, by=by)

            for start in range(0, len(records), BATCH):
                keys = [record.pk for record in records[start : start + BATCH]]
                manager.filter(pk__in=keys).update(**values)
            for record in records:
                for name, value in values.items():
                    setattr(record, name, value)
            add_history(records, model, user=by, change_reason=str(action.label), date=now)
            if action == Action.REOPEN:
                Correction.objects.bulk_create(
                    _correction(r, CorrectionKind.REOPEN, by, comment, _reopening(r), now)
                    for r in records
                )
            for record in records:
                record.after_transition(action, by=by)
    except BaseException:
        # As after a refused ``transition``, the caller's copies are left as they were.
        for record, before in zip(records, held, strict=True):
            for attname, value in zip(attnames, before, strict=True):
                setattr(record, attname, value)
        raise

    _announce_all(model, records, action, by, comment)
    return records


def submit(record: WorkflowRecord, *, by) -> WorkflowRecord:
    return transition(record, Action.SUBMIT, by=by)


def approve(record: WorkflowRecord, *, by, comment: str = "") -> WorkflowRecord:
    return transition(record, Action.APPROVE, by=by, comment=comment)


def return_for_revision(record: WorkflowRecord, *, by, comment: str) -> WorkflowRecord:
    return transition(record, Action.RETURN, by=by, comment=comment)


def reopen(record: WorkflowRecord, *, by, reason: str, revision: int | None = None):
    """Send an approved record back to its unit for correction, with the office's reason."""
    return transition(record, Action.REOPEN, by=by, comment=reason, revision=revision)


def require_correction_reason(stored, *, changed: bool, reason: str) -> None:
    """Refuse a change of an approved record (``stored``, as saved) made without a reason.

    The one rule for every edit path: the admin's form and the API check it before saving,
    to answer on the field; ``save_edit`` checks it again on the locked row.
    """
    if changed and getattr(stored, "status", None) == Status.APPROVED and not reason.strip():
        raise WorkflowError(
            _("这条记录已审核通过，修改它是一次更正：请填写更正原因。修改未保存。"),
            code="correction_reason_required",
        )


def save_edit(record, *, by, reason: str = "") -> Correction | None:
    """Save the edit of an existing ``record`` by user ``by``: its own fields only, never
    the workflow's (``revisions.edit_fields``), with ``by`` in its history row.

    Changing an approved record is a correction: it needs ``reason`` (else
    ``WorkflowError``, nothing saved), its history row carries the reason, and a
    ``Correction`` records which fields changed from what to what. The record stays
    approved (the office, who changed it, is its reviewer). Returns the correction, if any.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        stored = lock(record)
        changes = field_changes(stored, record) if isinstance(record, WorkflowRecord) else []
        require_correction_reason(stored, changed=bool(changes), reason=reason)
        correcting = bool(changes) and stored.status == Status.APPROVED
        record._history_user = by
        if correcting:
            record._change_reason = _("更正：%(reason)s") % {"reason": reason}
        record.save(update_fields=edit_fields(record))
        if not correcting:
            return None
        correction = _correction(record, CorrectionKind.EDIT, by, reason, changes)
        correction.save()
        return correction


def approval_of(record: WorkflowRecord) -> Action:
    """How the office approves ``record`` as it stands: a submission by approving it, a
    draft or a returned record (that no unit has submitted to it) by approving directly."""
    if record.status == Status.SUBMITTED:
        return Action.APPROVE
    return Action.APPROVE_DIRECTLY


def mark_created(record: WorkflowRecord, *, by, approved: bool = False) -> None:
    """Fill the bookkeeping of a new record before its first save; saves nothing.

    A liaison's record always starts as a draft of their own unit; with ``approved`` the
    office's starts approved. This announces nothing: ``create`` saves a record and records
    the approval as a transition, and is what a single new record goes through.
    """
    record.created_by = by
    record.status = Status.DRAFT
    if reads_own_unit_only(by):
        record.unit_id = by.unit_id
    if approved and can_act(by, record, Action.APPROVE_DIRECTLY):
        _apply(record, Action.APPROVE_DIRECTLY, by, "")


def create(
    record: WorkflowRecord, *, by, approved: bool = False, reason: str = ""
) -> WorkflowRecord:
    """Save the new ``record`` entered by user ``by``; raise ``WorkflowError`` if not allowed.

    A liaison's record is a draft of their own unit; the office's is a draft too unless
    ``approved``: then it is approved as it is saved, the transition ``APPROVE_DIRECTLY``
    (office only), in the record's first history row with ``by`` and ``reason``, followed
    by ``after_transition`` and, after commit, ``transitioned``. A row being inserted has no
    earlier state to lock.
    """
    if not can_create(by, type(record)):
        raise WorkflowError(_("您无权新增这类记录。"), code="not_allowed")
    mark_created(record, by=by)
    action = Action.APPROVE_DIRECTLY if approved else None
    if action is not None:
        require(record, action, by=by)
    with transaction.atomic():
        if action is None:
            _record_history(record, by, reason)
            record.save()
        else:
            _apply(record, action, by, "")
            _record_history(record, by, reason or str(action.label))
            record.save()
            _follow_up(record, action, by, "")
    return record


#: The transitions a batch of new records may take as they are saved (``create_all``).
ON_CREATION = (Action.SUBMIT, Action.APPROVE_DIRECTLY)


def create_all(
    records: Sequence[WorkflowRecord], *, by, action: Action | None = None, reason: str
) -> list[WorkflowRecord]:
    """Save the new ``records`` (of one model) entered by user ``by``: all, or none.

    ``create`` for a batch, in a few statements: each record is a draft of its unit as
    ``mark_created`` makes it; with ``action`` (``SUBMIT``, or the office's
    ``APPROVE_DIRECTLY``) each is checked with ``require`` and taken there as it is saved,
    the transition written in its first history row (``reason``, then the action's name),
    followed by ``after_transition`` and, once the transaction commits, ``transitioned``
    for each. Raises ``WorkflowError`` for the first record refused, saving nothing.
    """
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    if not can_create(by, model):
        raise WorkflowError(_("您无权新增这类记录。"), code="not_allowed")
    if action is not None:
        action = Action(action)
        if action not in ON_CREATION:
            raise ValueError(f"{action} is not taken on creation")
    now = timezone.now()
    for record in records:
        mark_created(record, by=by)
        if action is not None:
            require(record, action, by=by)
            _apply(record, action, by, "", at=now)
    if action is not None:
        reason = _("%(reason)s：%(action)s") % {"reason": reason, "action": action.label}
    with transaction.atomic():
        create_with_history(records, model, user=by, change_reason=reason, date=now)
        if action is None:
            return records
        for record in records:
            record.after_transition(action, by=by)

    _announce_all(model, records, action, by, "")
    return records
