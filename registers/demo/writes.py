"""Idempotent writes for the demo data: rows are found by natural key and saved (so their
history written) only when something differs, so a second run writes nothing.

``upsert`` writes one row, ``upsert_approved`` one workflow record the office entered as
approved, and ``upsert_many`` many rows at once: one query reads what exists, missing rows
are created in bulk (with their history rows), and only rows that differ are saved again.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from registers.core.status import Status


def _differs(obj: models.Model, name: str, value) -> bool:
    # A foreign key is compared by id, without loading the related row.
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


def upsert(
    model,
    lookup: dict,
    values: dict,
    on_create: dict | None = None,
    *,
    by=None,
    validate: bool = False,
):
    """Create or correct one row (``on_create`` is set only on a new row); returns the row
    and whether it was created. ``by`` is named in its history; ``validate`` checks the row
    in full (``full_clean``) before it is saved, as a user's would be."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            return obj, False
        for name in changed:
            setattr(obj, name, values[name])
    if validate:
        obj.full_clean()
    if by is not None:
        obj._history_user = by
    created = obj.pk is None
    obj.save()
    return obj, created


def defaults(model, *, leaving: tuple[str, ...] = ()) -> dict:
    """What a new ``model`` row holds in each field of its register (``register_fields``)
    but ``leaving`` (the row's key): the value a demo row that leaves a field out is
    written, and corrected back to."""
    return {
        name: model._meta.get_field(name).get_default()
        for name in model.register_fields
        if name not in leaving
    }


def upsert_approved(
    model, lookup: dict, values: dict, *, by, reviewed_at: datetime.datetime | None = None
):
    """``upsert`` of a workflow record the office ``by`` entered and approved, reviewed at
    ``reviewed_at`` or, when not given, at the time the row is first created."""
    values = {**values, "status": Status.APPROVED, "created_by": by, "reviewed_by": by}
    if reviewed_at is None:
        return upsert(model, lookup, values, on_create={"reviewed_at": timezone.now()})
    return upsert(model, lookup, {**values, "reviewed_at": reviewed_at})


def upsert_many(
    queryset: models.QuerySet, key: tuple[str, ...], rows: list[dict], *, user=None
) -> int:
    """Create or correct ``rows`` (dicts of attribute values) matched on ``key``.

    ``queryset`` is where existing rows are looked up; values are compared by attribute
    name, so foreign keys are given as ``<name>_id``. Returns how many rows were created.
    """
    model = queryset.model
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in queryset}
    new = []
    for row in rows:
        obj = existing.get(tuple(row[name] for name in key))
        if obj is None:
            new.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            obj._history_user = user
            obj.save()
    bulk_create_with_history(new, model, default_user=user)
    return len(new)
