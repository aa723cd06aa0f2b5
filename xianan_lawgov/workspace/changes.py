"""A record's fields as a reviewer reads them, and what changed since its last approval.

The versions come from django-simple-history: the baseline is the newest history row with
status approved; when the record was never approved but was returned, the version as it was
returned (so the reviewer sees what the unit fixed since); otherwise it is a first submission.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

from registers.core.corrections import display
from registers.core.models import WorkflowRecord
from registers.core.status import Action, Status


class Baseline(models.TextChoices):
    APPROVED = "approved", gettext_lazy("上次审核通过的版本")
    RETURNED = "returned", gettext_lazy("上次退回时的版本")
    NONE = "none", gettext_lazy("首次报送")


@dataclass(frozen=True)
class FieldValue:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    baseline: Baseline
    baseline_date: datetime.datetime | None
    baseline_user: str
    changes: list[FieldChange]


def content_fields(model) -> list[models.Field]:
    """The fields a unit fills in: everything but the id and the workflow's bookkeeping."""
    skip = set(WorkflowRecord.WORKFLOW_FIELDS)
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skip and f.editable
    ]


def field_values(record: WorkflowRecord) -> list[FieldValue]:
    """The record's fields in model order; related records come from ``select_related``."""
    values = []
    for field in content_fields(type(record)):
        if field.many_to_one:
            target = getattr(record, field.name)
            text = str(target) if target is not None else "—"
        else:
            text = display(field, getattr(record, field.attname))
        values.append(FieldValue(field.name, str(field.verbose_name), text))
    return values


def _baseline_row(record: WorkflowRecord):
    history = record.history.order_by("-history_date", "-history_id")
    approved = history.filter(status=Status.APPROVED).first()
    if approved is not None:
        return Baseline.APPROVED, approved
    # The version as the reviewer returned it, not the unit's later edits while returned.
    returned = history.filter(
        status=Status.RETURNED, history_change_reason=str(Action.RETURN.label)
    ).first()
    if returned is not None:
        return Baseline.RETURNED, returned
    return Baseline.NONE, None


def changes_since_review(record: WorkflowRecord) -> Changes:
    """What differs between the record now and its baseline version, field by field."""
    baseline, row = _baseline_row(record)
    if row is None:
        return Changes(baseline, None, "", [])
    fields = content_fields(type(record))
    changed = [
        field
        for field in fields
        if getattr(row, field.attname, None) != getattr(record, field.attname)
    ]
    # Names of the related records on either side, one query per related model.
    wanted: dict[type, set] = {}
    for field in changed:
        if field.many_to_one:
            for raw in (getattr(row, field.attname, None), getattr(record, field.attname)):
                if raw is not None:
                    wanted.setdefault(field.related_model, set()).add(raw)
    related = {
        (model, obj.pk): obj
        for model, pks in wanted.items()
        for obj in model._default_manager.filter(pk__in=pks)
    }
    user = row.history_user
    return Changes(
        baseline,
        row.history_date,
        str(user) if user is not None else "",
        [
            FieldChange(
                field.name,
                str(field.verbose_name),
                display(field, getattr(row, field.attname, None), related),
                display(field, getattr(record, field.attname), related),
            )
            for field in changed
        ]
        + [
            FieldChange(f"elsewhere-{position}", label, old, new)
            for position, (label, old, new) in enumerate(
                record.changes_kept_elsewhere(row.history_date)
            )
        ],
    )


@dataclass(frozen=True)
class HistoryStep:
    when: datetime.datetime
    who: str
    what: str
    comment: str


def workflow_history(record: WorkflowRecord, limit: int = 20) -> list[HistoryStep]:
    """The record's workflow steps (submitted, returned, approved), newest first."""
    rows = (
        record.history.exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return [
        HistoryStep(
            row.history_date,
            str(row.history_user) if row.history_user is not None else "",
            row.history_change_reason,
            row.review_comment if row.status in (Status.RETURNED, Status.APPROVED) else "",
        )
        for row in rows
    ]
