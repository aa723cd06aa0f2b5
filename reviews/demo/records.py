"""Idempotent writes for the reviews demo: natural keys, approved records, history by office.

``upsert`` creates a row or corrects the fields that differ, validating it in full either
way, so the demo obeys the same rules as a user and a second run writes nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from registers.core.status import Status
from registers.models import User


def office_user() -> User:
    return User.objects.get(username="office")


def _differs(obj: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


def upsert(model, lookup: dict, values: dict, *, by: User, on_create: dict | None = None):
    """Create or correct one row; save (and so write history) only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            return obj, False
        for name in changed:
            setattr(obj, name, values[name])
    obj.full_clean()
    obj._history_user = by
    created = obj.pk is None
    obj.save()
    return obj, created


def upsert_approved(model, lookup: dict, values: dict, *, by: User):
    """A workflow record entered by the office directly as approved (what the report counts)."""
    return upsert(
        model,
        lookup,
        {**values, "status": Status.APPROVED},
        by=by,
        on_create={"created_by": by, "reviewed_by": by, "reviewed_at": timezone.now()},
    )
