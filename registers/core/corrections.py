"""What a correction of an approved record changed, field by field, as a person reads it.

The rule of when a correction needs a reason and how it is recorded is the workflow's
(``registers.core.workflow.save_edit``, ``Action.REOPEN``); this only reads values.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import revisions


def display(field: models.Field, raw: Any, related: dict | None = None) -> str:
    """How one stored value reads: choice labels, names of related records, 是/否, dates."""
    if raw is None or raw == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if field.many_to_one:
        target = (related or {}).get((field.related_model, raw))
        return str(target) if target is not None else _("（已删除的记录 %(pk)s）") % {"pk": raw}
    if isinstance(raw, bool):
        return _("是") if raw else _("否")
    if isinstance(raw, datetime.datetime):
        return timezone.localtime(raw).strftime("%Y-%m-%d %H:%M")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, Decimal):
        return f"{raw:,}"
    return str(raw)


def edited_fields(model) -> list[models.Field]:
    """The fields an edit writes that a person recognises (not the time of the change)."""
    names = set(revisions.edit_fields(model()))
    return [
        field
        for field in model._meta.concrete_fields
        if field.name in names and not getattr(field, "auto_now", False)
    ]


def field_changes(before: models.Model, after: models.Model) -> list[dict[str, str]]:
    """The fields ``after`` changes from ``before`` (two copies of one record):
    ``[{"field", "label", "old", "new"}]``, values as they read."""
    changed = [
        field
        for field in edited_fields(type(after))
        if getattr(before, field.attname) != getattr(after, field.attname)
    ]
    related = {}
    for field in changed:
        if field.many_to_one:
            keys = {getattr(before, field.attname), getattr(after, field.attname)} - {None}
            for obj in field.related_model._default_manager.filter(pk__in=keys):
                related[(field.related_model, obj.pk)] = obj
    return [
        {
            "field": field.name,
            "label": str(field.verbose_name),
            "old": display(field, getattr(before, field.attname), related),
            "new": display(field, getattr(after, field.attname), related),
        }
        for field in changed
    ]
