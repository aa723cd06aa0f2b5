"""The fields every register declares the same way: its unit, the records it refers to or
is part of, the people a row names, the dates not known yet.

Each returns an ordinary Django field (the migrations see no difference); options given
are passed on and win over the defaults.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: One reverse accessor per model, for a unit's records that nothing reads backwards.
PER_MODEL = "%(app_label)s_%(class)s_set"


def reference(
    to, verbose_name, *, related_name: str = PER_MODEL, optional: bool = False, **options
) -> models.ForeignKey:
    """Another record this row refers to (the document a change is based on, the batch an
    item belongs to). A record referred to is never deleted from under the row; an
    ``optional`` reference may be left empty."""
    if optional:
        options = {"null": True, "blank": True, **options}
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


def unit_field(verbose_name, **options) -> models.ForeignKey:
    """The unit a row belongs to (or names). A unit with rows is never deleted: it is closed
    (``Unit.closed_on``) and its rows kept."""
    return reference("registers.Unit", verbose_name, **options)


def part_of(record, verbose_name, *, related_name: str, **options) -> models.ForeignKey:
    """The record this row is part of (a hearing of a case, a point of a checklist; a
    person's token or notification): it goes when that is deleted, and is read through it
    (``scope_field``, or the person's own)."""
    return models.ForeignKey(
        record,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name=related_name,
        **options,
    )


def person_field(verbose_name, *, protect: bool = False, **options) -> models.ForeignKey:
    """A person a row names: who entered, reviewed, confirmed or withdrew it.

    By default the row outlives the person's account (emptied when it is deleted, so
    optional). ``protect=True`` for a row that stands for the person's act (a confirmed
    schedule, a published report): the account is kept while the row is, and the field is
    required unless ``null``/``blank`` say otherwise. Nothing reads it backwards.
    """
    if protect:
        defaults = {"on_delete": models.PROTECT}
    else:
        defaults = {"on_delete": models.SET_NULL, "null": True, "blank": True}
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        related_name="+",
        **{**defaults, **options},
    )


def optional_date(verbose_name, **options) -> models.DateField:
    """A date that may not be known yet (a conclusion, a publication, a closing)."""
    return models.DateField(verbose_name, null=True, blank=True, **options)


def optional_moment(verbose_name, **options) -> models.DateTimeField:
    """A moment that may not have come yet (submitted, reviewed, withdrawn at)."""
    return models.DateTimeField(verbose_name, null=True, blank=True, **options)


class OwnFields:
    """A register's ``register_fields`` read from its declaration rather than listed again:
    its editable fields in the order they are declared, less the unit (or the record it is
    part of, its ``scope_field``), the person in charge and the workflow's bookkeeping."""

    def __get__(self, instance, owner) -> tuple[str, ...]:
        left_out = {
            "unit",
            "handler",
            getattr(owner, "scope_field", "unit").split("__")[0],
            *getattr(owner, "WORKFLOW_FIELDS", ()),
        }
        return tuple(
            field.name
            for field in owner._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in left_out
        )
