"""Idempotent bulk loading for the larger demo registers (hundreds of rows).

Like ``units._upsert`` but for many rows at once: one query reads what exists, missing rows
are created in bulk (with their history rows), and only rows that differ are saved again,
so a second run writes nothing.
"""

from __future__ import annotations

from django.db import models
from simple_history.utils import bulk_create_with_history


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
