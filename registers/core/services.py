"""What every service function does before it writes: lock (``revisions.lock``), check,
validate."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from registers.core import permissions

M = TypeVar("M", bound=models.Model)


def require_change_permission(user, obj) -> None:
    if not permissions.can_change(user, obj):
        raise ValidationError(_("您无权修改这条记录。"), code="not_allowed")


def require_office(user) -> None:
    if not permissions.is_office(user):
        raise ValidationError(_("只有法制办工作人员可以执行此操作。"), code="office_only")


def save_validated(record: M, *, by, reason: str) -> M:
    """Validate ``record`` in full and save it with ``by`` and ``reason`` in its history."""
    record.full_clean()
    record._history_user = by
    record._change_reason = reason
    record.save()
    return record


def copy_fields(source: models.Model, target: models.Model) -> None:
    """Show the saved state on the caller's instance."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
