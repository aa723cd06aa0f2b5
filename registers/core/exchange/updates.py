"""Updating records from a file: a register's records written into its template (``export``),
corrected, and uploaded again (``preview``, then ``apply``).

Rows are matched with records by the register's number (``ScopedResource.match_key``, one
of the model's unique keys). A row whose number names a record the user may see updates it;
a row whose number is new creates a record, as an upload does; a number held by a record the
user may not see is refused with the neutral message of ``registers.core.uniqueness`` (the
row cannot be saved, and the refusal does not say that record exists). Every row is read and
checked as an upload's row is (``checking``); a matched row is checked as the record it would
make (the stored record with the row's values).

The preview sorts the rows: new, changed (field by field, as ``corrections.field_changes``
reads them), unchanged, refused. A change is refused where the workflow forbids it: an
approved record is never changed this way (its correction goes through the office's reopen
or the record's page, with a reason), nor one the user may not change (``can_change``: a
liaison's submitted record, a record in force). Applying reads the file again and refuses
when anything differs from what the preview showed (the ``fingerprint`` holds the file and
the revision of every record it names), then writes everything in one transaction or
nothing: new records through ``uploads.create_records``, each change through
``workflow.save_edit`` (the record's own fields, a history row carrying the user, the
compare-and-set on its revision). A record keeps its state; with ``submit`` the records of
the file that are drafts or returned are then submitted, through the workflow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from registers.core import jobs, permissions
from registers.core.corrections import field_changes
from registers.core.exchange import templates, uploads
from registers.core.exchange.checking import SheetCheck, UploadError, in_reading_order
from registers.core.exchange.columns import ScopedResource
from registers.core.models import JobKind
from registers.core.revisions import EditConflict
from registers.core.status import Action, Status
from registers.core.uniqueness import UniqueRule, unique_rules
from registers.core.workflow import WorkflowError, save_edit, transition_all


def may_update(user, resource_class: type[ScopedResource]) -> bool:
    """Whether ``user`` may export and update records of the register from a file: it names
    its rows by a number, and the user may upload to it."""
    return bool(resource_class.match_key) and uploads.may_exchange(user, resource_class)


def key_rule(resource_class: type[ScopedResource]) -> UniqueRule:
    """The model's unique key that ``match_key`` names (with its condition, if any)."""
    model = resource_class._meta.model
    for rule in unique_rules(model):
        if tuple(rule.fields) == tuple(resource_class.match_key):
            return rule
    raise ValueError(f"{resource_class.__name__}.match_key is not a unique key of {model}")


# --- Export ---------------------------------------------------------------------------------


def records_to_export(resource_class: type[ScopedResource], user, unit=None) -> models.QuerySet:
    """The records of the register ``user`` may see (the one scoping rule), ``unit``'s only
    when one is named."""
    model = resource_class._meta.model
    records = permissions.scope_queryset(model._default_manager.all(), user)
    if unit is not None:
        records = records.filter(unit=unit)
    return resource_class(user=user).filter_export(records.order_by("pk"))


def export(resource_class: type[ScopedResource], user, unit=None) -> bytes:
    """The register's template for ``user`` with their visible records (``unit``'s only, when
    one is named) on its data sheet."""
    return templates.build_template(
        resource_class, user, records=records_to_export(resource_class, user, unit)
    )


# --- Preview --------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one row of the file does."""

    row: int
    key: str
    instance: Any
    #: The record the row updates (None for a new record).
    record: Any = None
    changes: list[dict[str, str]] = field(default_factory=list)

    @property
    def status(self) -> Status | None:
        status = getattr(self.instance, "status", None)
        return Status(status) if status else None

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "key": self.key,
            "record": self.record.pk if self.record is not None else None,
            "status": self.status.value if self.status else None,
            "status_label": str(self.status.label) if self.status else None,
            "changes": self.changes,
        }


@dataclass
class UpdatePlan:
    """A file's rows sorted by what they do; ``errors`` are the refused rows (and whole-file
    refusals). Applied only when there is none."""

    register: str
    title: str
    key_columns: list[str] = field(default_factory=list)
    rows: int = 0
    new: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    unchanged: list[RowPlan] = field(default_factory=list)
    errors: list[UploadError] = field(default_factory=list)
    fingerprint: str = ""
    #: Set by ``apply``: done, or refused because something changed since the preview.
    applied: bool = False
    stale: bool = False
    created: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def refused_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors if error.row is not None})

    @property
    def has_work(self) -> bool:
        return bool(self.new or self.changed)

    def summary(self) -> dict:
        """The plan as the API answers it."""
        return {
            "register": self.register,
            "title": self.title,
            "key_columns": self.key_columns,
            "rows": self.rows,
            "new": [item.as_dict() for item in self.new],
            "changed": [item.as_dict() for item in self.changed],
            "unchanged": [item.as_dict() for item in self.unchanged],
            "refused_rows": self.refused_rows,
            "errors": [error.as_dict() for error in self.errors],
            "fingerprint": self.fingerprint,
            "can_apply": self.ok and self.has_work,
        }


def refusal_of(user, record) -> tuple[str, str] | None:
    """Why ``user`` may not change ``record`` from a file (message, code), or None."""
    status = getattr(record, "status", None)
    if status == Status.APPROVED:
        how = (
            _("如需更正，请在记录页面填写更正原因后修改，或重新打开退回单位。")
            if permissions.is_office(user)
            else _("如需更正，请联系法制办重新打开这条记录。")
        )
        return _("这条记录已审核通过，不能通过上传修改。") + how, "approved"
    if permissions.can_change(user, record):
        return None
    if permissions.is_frozen(record):
        return _("该记录已生效，不能直接修改；请通过它自己的调整程序更正。"), "frozen"
    if status == Status.SUBMITTED:
        return (
            _("这条记录已报送，正在等待法制办审核，不能修改；如需修改，请联系法制办退回。"),
            "submitted",
        )
    return _("您无权修改这条记录。"), "not_allowed"


def _stored_by_key(model, rule: UniqueRule, attnames: list[str], keys: set[tuple]) -> dict:
    """Every record (whoever may see it) holding one of ``keys``, by key."""
    queryset = model._default_manager.all()
    if rule.condition is not None:
        queryset = queryset.filter(rule.condition)
    found = {}
    first_values = sorted({key[0] for key in keys}, key=str)
    for start in range(0, len(first_values), 500):
        chunk = first_values[start : start + 500]
        for record in queryset.filter(**{f"{attnames[0]}__in": chunk}):
            key = tuple(getattr(record, name) for name in attnames)
            if key in keys:
                found[key] = record
    return found


def _fingerprint(data: bytes, plan: UpdatePlan) -> str:
    """What a preview showed: the file, and the revision of every record it names."""
    digest = hashlib.sha256(data)
    for item in sorted(plan.changed + plan.unchanged, key=lambda item: item.record.pk):
        digest.update(f"|{item.record.pk}:{item.record.revision}".encode())
    for item in plan.new:
        digest.update(f"|new:{item.row}".encode())
    return digest.hexdigest()


def _as_stored(instance) -> None:
    """Numbers with the decimal places the record keeps, so a change reads as it will be
    saved (2,500.50, not 2,500.5); the check has refused any with more places."""
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.DecimalField):
            value = getattr(instance, model_field.attname)
            if isinstance(value, Decimal):
                places = Decimal(1).scaleb(-model_field.decimal_places)
                setattr(instance, model_field.attname, value.quantize(places))


def _cell_text(values: list, index: int) -> str:
    value = values[index] if index < len(values) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def preview(resource_class: type[ScopedResource], data: bytes, *, user) -> UpdatePlan:
    """What uploading ``data`` as an update would do, row by row; writes nothing.

    A liaison's rows are their unit's; the office's follow the file's unit column (which
    the export fills).
    """
    resource = resource_class(user=user)
    model = resource._meta.model
    plan = UpdatePlan(register=resource_class.slug, title=uploads.title_of(resource_class))
    check = SheetCheck(resource)

    def done() -> UpdatePlan:
        plan.errors = in_reading_order(check.errors)
        plan.fingerprint = _fingerprint(data, plan) if plan.ok else ""
        return plan

    if not resource_class.match_key:
        check.error(
            _("“%(title)s”没有编号列，不能按编号更新；新记录请用“上传填好的模板”导入。")
            % {"title": plan.title},
            "no_match_key",
        )
        return done()
    key_fields = [
        name
        for name in resource_class.match_key
        if not (name == "unit" and resource.fixed_unit is not None)
    ]
    plan.key_columns = [resource.column_of(name) for name in key_fields]
    sheet = uploads.open_sheet(check, data)
    if sheet is None:
        return done()
    missing = [resource.column_of(name) for name in key_fields if name not in check.index_of]
    if missing:
        check.error(
            _("缺少用来对应已有记录的列：%(columns)s。请使用“导出本单位记录”得到的文件。")
            % {"columns": "、".join(f"“{name}”" for name in missing)},
            "missing_key_column",
        )
        return done()

    rows = [row for row in sheet.rows if not row.is_blank]
    plan.rows = len(rows)
    if not rows:
        check.error(_("工作表中没有数据行：请从第 2 行起填写。"), "empty_sheet")
        return done()
    rule = key_rule(resource_class)
    attnames = [model._meta.get_field(name).attname for name in rule.fields]
    keys = {row.number: check.read_key(row, rule.fields) for row in rows}
    stored = _stored_by_key(model, rule, attnames, {key for key in keys.values() if key})
    visible = set(
        permissions.scope_queryset(
            model._default_manager.filter(pk__in=[record.pk for record in stored.values()]), user
        ).values_list("pk", flat=True)
    )
    key_column = resource.column_of(key_fields[-1])
    key_index = check.index_of.get(key_fields[-1])

    valid: list[tuple[int, Any]] = []
    updating: dict[int, int] = {}
    for row in rows:
        key = keys[row.number]
        record = stored.get(key) if key is not None else None
        base = record if record is not None and record.pk in visible else None
        instance = check.read_row(row, base=base)
        if instance is None:
            continue
        if key is None:
            check.error(
                _("请填写“%(column)s”：按编号更新时，每一行都靠它对应已有记录。")
                % {"column": key_column},
                "missing_key",
                row.number,
                key_column,
                key_index,
            )
            continue
        _as_stored(instance)
        valid.append((row.number, instance))
        label = " / ".join(_cell_text(row.values, check.index_of[name]) for name in key_fields)
        if base is None:
            plan.new.append(RowPlan(row.number, label, instance))
            continue
        updating[row.number] = base.pk
        # A change a person cannot see (nothing stored → empty text) is no change.
        changes = [c for c in field_changes(base, instance) if c["old"] != c["new"]]
        item = RowPlan(row.number, label, instance, base, changes)
        if not item.changes:
            plan.unchanged.append(item)
            continue
        refusal = refusal_of(user, base)
        if refusal is not None:
            check.error(refusal[0], refusal[1], row.number, key_column, key_index)
            continue
        plan.changed.append(item)
    if valid:
        check.check_uniqueness(valid, updating, matched_by=tuple(rule.fields))
    return done()


# --- Applying -------------------------------------------------------------------------------


def apply(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    fingerprint: str,
    submit: bool = False,
) -> UpdatePlan:
    """Do what the preview of ``data`` showed (``fingerprint``): all of it, or nothing.

    Returns the plan as read now: ``applied`` when done; not applied when a row is refused,
    or ``stale`` when anything differs from the preview (the plan is then the fresh one,
    to show again).
    """
    plan = preview(resource_class, data, user=user)
    if not plan.ok:
        return plan
    if plan.fingerprint != fingerprint:
        plan.stale = True
        return plan
    resource = resource_class(user=user)
    try:
        with transaction.atomic():
            status = Status.SUBMITTED if submit and uploads.is_workflow(resource_class) else None
            plan.created = uploads.create_records(
                resource, [item.instance for item in plan.new], status or Status.DRAFT
            )
            updated = []
            for item in plan.changed:
                item.instance._change_reason = _("Excel 上传更新")
                save_edit(item.instance, by=user)
                updated.append(item.instance)
            if status is not None:
                waiting = [r for r in updated if Status(r.status).editable_by_liaison]
                if waiting:
                    transition_all(waiting, Action.SUBMIT, by=user)
    except EditConflict:
        plan = preview(resource_class, data, user=user)
        plan.stale = True
        return plan
    except IntegrityError:
        plan.errors.append(
            UploadError(
                _(
                    "保存时与已有记录冲突（可能有人同时录入了相同的记录），没有保存任何修改，请重新上传。"
                ),
                "conflict",
            )
        )
        return plan
    except WorkflowError as error:
        plan.errors.extend(UploadError(str(item.message), item.code) for item in error.error_list)
        return plan
    plan.applied = True
    return plan


def applied_message(plan: UpdatePlan) -> str:
    """What the user is told once ``plan`` is applied."""
    message = _("已更新 %(changed)d 条、新建 %(new)d 条“%(title)s”记录。") % {
        "changed": len(plan.changed),
        "new": len(plan.new),
        "title": plan.title,
    }
    standing = "、".join(
        _("%(status)s %(n)d 条") % {"status": status, "n": n} for status, n in standing_counts(plan)
    )
    if standing:
        message += _("当前状态：%(standing)s。") % {"standing": standing}
    return message


def standing_counts(plan: UpdatePlan) -> list[tuple[str, int]]:
    """How many of the records the file changed or created are in each state, as their
    owner needs to hear it (``Status.standing``)."""
    counts: dict[Status, int] = {}
    for record in [item.instance for item in plan.changed] + list(plan.created):
        status = getattr(record, "status", None)
        if status:
            counts[Status(status)] = counts.get(Status(status), 0) + 1
    return [(str(status.standing), counts[status]) for status in Status if status in counts]


# --- In the background ----------------------------------------------------------------------


def apply_or_start(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    fingerprint: str,
    submit: bool = False,
):
    """``(plan, None)`` once ``apply`` has run, or ``(None, job)`` when the file is large
    enough to be left to the worker (the same size rule as an upload's,
    ``uploads.in_background``)."""
    arguments = {"user": user, "fingerprint": fingerprint, "submit": submit}
    if uploads.in_background(data):
        return None, start_apply(resource_class, data, **arguments)
    return apply(resource_class, data, **arguments), None


def start_apply(
    resource_class: type[ScopedResource],
    data: bytes,
    *,
    user,
    fingerprint: str,
    submit: bool = False,
):
    """Queue the ``apply`` of a previewed file; the job's result says what was done, or why
    nothing was (rows refused, records changed since the preview)."""
    return jobs.start(
        JobKind.UPDATE,
        _("按编号更新%(title)s（%(rows)d 行）")
        % {"title": uploads.title_of(resource_class), "rows": uploads.declared_rows(data)},
        user=user,
        params={"register": resource_class.slug, "fingerprint": fingerprint, "submit": submit},
        input_file=ContentFile(data, name=f"{resource_class.slug}-update.xlsx"),
        # Once more if the worker stopped mid-way: the preview's fingerprint still decides.
        max_attempts=2,
    )


def _run_apply_job(job) -> dict:
    params = job.params
    resource_class, data = uploads.job_input(job)
    if not may_update(job.user, resource_class):  # the user's role changed since
        raise jobs.JobError(_("无权按编号更新这个台账。"))
    plan = apply(
        resource_class,
        data,
        user=job.user,
        fingerprint=params["fingerprint"],
        submit=params.get("submit", False),
    )
    summary = {
        "register": plan.register,
        "title": plan.title,
        "rows": plan.rows,
        "new": len(plan.new),
        "changed": len(plan.changed),
        "errors": [error.as_dict() for error in plan.errors],
    }
    if plan.stale:
        raise jobs.JobError(
            _(
                "预览之后，文件涉及的记录有了变化（他人修改了记录，或录入了相同编号的记录），"
                "没有保存任何修改。请重新上传文件，核对新的预览后再应用。"
            ),
            summary,
        )
    if not plan.applied:
        raise jobs.JobError(
            _("文件有 %(n)d 处错误，没有保存任何修改。") % {"n": len(plan.errors)}, summary
        )
    return {**summary, "message": applied_message(plan)}


def connect_jobs() -> None:
    jobs.register(JobKind.UPDATE, _run_apply_job)
