"""Idempotent writes for the reviews demo: natural keys, approved records, history by office.

``upsert`` creates a row or corrects the fields that differ, validating it in full either
way, so the demo obeys the same rules as a user and a second run writes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from registers.core.status import Status
from registers.demo import writes
from registers.models import User


def upsert(model, lookup: dict, values: dict, *, by: User, on_create: dict | None = None):
    """Create or correct one row, validated in full, with ``by`` in its history."""
    return writes.upsert(model, lookup, values, on_create, by=by, validate=True)


def upsert_approved(model, lookup: dict, values: dict, *, by: User):
    """A workflow record entered by the office directly as approved (what the report counts)."""
    return upsert(
        model,
        lookup,
        {**values, "status": Status.APPROVED},
        by=by,
        on_create={"created_by": by, "reviewed_by": by, "reviewed_at": timezone.now()},
    )
