"""A choice field's label in the API, read from the field's choices."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.hashable import make_hashable
from rest_framework import serializers


@cache
def _labels(field: models.Field) -> dict:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabelField(serializers.CharField):
    """The label of a choice field's value, read only: what ``get_<field>_display`` gives.

    Looked up in the model field's choices, gathered once, rather than by calling Django's
    display method: REST framework inspects that method's signature for every record, and
    Django gathers the choices again for each call, which together cost a page of 50
    records more than the rest of their fields.
    """

    def __init__(self, choice_field: str, **kwargs):
        self.choice_field = choice_field
        super().__init__(source=f"get_{choice_field}_display", read_only=True, **kwargs)

    def get_attribute(self, instance):
        field = instance._meta.get_field(self.choice_field)
        value = getattr(instance, field.attname)
        return _labels(field).get(make_hashable(value), value)
