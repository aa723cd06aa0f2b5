"""What a stored value reads as for a person: a choice's label, 是/否 for a yes/no field.

The one mapping from codes to labels for every download meant to be read by people (the
admin's and the workspace's exports, the public pages' CSV, the API's exports on request).
Machine exports keep the codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.utils.translation import gettext

Labeller = Callable[[object], object]


def yes_no(value) -> object:
    if value is None:
        return ""
    return gettext("是") if value else gettext("否")


def choice_labeller(choices: Iterable[tuple[object, object]]) -> Labeller:
    """A function giving each code its label (a value outside the choices stays as it is)."""
    mapping = {code: str(label) for code, label in choices}

    def label(value):
        return mapping.get(value, value)

    return label


def labeller_for(field) -> Labeller | None:
    """How a model field's values read as labels, or None when they read as they are."""
    if field is None:
        return None
    if getattr(field, "choices", None):
        return choice_labeller(field.flatchoices)
    if isinstance(field, models.BooleanField):
        return yes_no
    return None


def label_of(field, value) -> object:
    """One value of ``field`` as a person reads it."""
    labeller = labeller_for(field)
    return labeller(value) if labeller else value
