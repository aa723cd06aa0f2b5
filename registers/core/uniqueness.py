"""Uniqueness: which values no two records share, and what a refusal may tell the user.

A number (a case number, a document number, an enforcement certificate) is unique across
the district, so a liaison's record can clash with another unit's record they may not see.
The record still cannot be saved, but the refusal must not tell them that record exists:
``hide_unseen_clashes`` turns it into a neutral message. Whoever may see the clashing
record (the office, or a liaison whose own unit holds it) keeps the specific message.
Used by the API's serializers, the admin's forms and the Excel uploads' check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registers.core import permissions as rules
from registers.core.constraints import message_text, refused_field, violation_message

NEUTRAL_MESSAGE = _("该编号已被使用，请核对编号或联系法制办。")
UNIQUE_CODES = ("unique", "unique_together")


@dataclass
class UniqueRule:
    """Fields whose values no two records share (where ``condition`` holds)."""

    fields: tuple[str, ...]
    condition: Q | None
    constraint: models.UniqueConstraint | None = None


def refusal_fields(model, rule: UniqueRule) -> list[str]:
    """The fields a refusal of ``rule`` may be shown on besides the whole record: its one
    field, or its constraint's (``constraints.refused_field``)."""
    if rule.constraint is not None:
        field = refused_field(model, rule.constraint)
        return [field] if field else []
    return [rule.fields[0]] if len(rule.fields) == 1 else []


def unique_rules(model) -> list[UniqueRule]:
    """Every uniqueness rule of ``model`` on plain fields: ``unique``, ``unique_together``
    and ``UniqueConstraint`` (those on expressions are left to the database)."""
    found = [
        UniqueRule((f.name,), None)
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key
    ]
    found += [UniqueRule(tuple(names), None) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            if not constraint.expressions:
                found.append(UniqueRule(tuple(constraint.fields), constraint.condition, constraint))
    return found


def clashing(model, rule: UniqueRule, values: dict) -> models.QuerySet:
    """The records that hold ``values`` (field name → value) of ``rule``'s fields."""
    queryset = model._default_manager.filter(**values)
    if rule.condition is not None:
        queryset = queryset.filter(rule.condition)
    return queryset


def hidden_from(user, queryset: models.QuerySet) -> bool:
    """Whether ``queryset`` (the records a value clashes with) holds one and ``user`` may
    see none of them."""
    return queryset.exists() and not rules.scope_queryset(queryset, user).exists()


def neutral_error() -> ValidationError:
    return ValidationError(NEUTRAL_MESSAGE, code="unique")


def _about(rule: UniqueRule, item: ValidationError, key: str) -> bool:
    """Whether ``item`` (an error under ``key``) is the refusal of ``rule``."""
    if rule.constraint is not None and message_text(item) == violation_message(rule.constraint):
        return True
    return item.code in UNIQUE_CODES and (key != NON_FIELD_ERRORS or len(rule.fields) > 1)


def hide_unseen_clashes(error: ValidationError, instance, user) -> ValidationError:
    """``error`` (from ``instance.full_clean()``) with each uniqueness refusal caused by a
    record ``user`` may not see replaced by the neutral message."""
    if not hasattr(error, "error_dict"):
        return error
    model = type(instance)
    for rule in unique_rules(model):
        keys = [NON_FIELD_ERRORS, *refusal_fields(model, rule)]
        matching = [
            key
            for key in keys
            if any(_about(rule, item, key) for item in error.error_dict.get(key, []))
        ]
        if not matching:
            continue
        attnames = [model._meta.get_field(name).attname for name in rule.fields]
        others = clashing(model, rule, {name: getattr(instance, name) for name in attnames})
        if instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if not hidden_from(user, others):
            continue
        for key in matching:
            error.error_dict[key] = [
                neutral_error() if _about(rule, item, key) else item
                for item in error.error_dict[key]
            ]
    return error
