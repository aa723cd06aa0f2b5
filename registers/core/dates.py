"""The range of dates a register accepts, the same in the admin, the API and uploads.

Deadlines are computed from the dates users enter (working days, statutory periods), so a
mistyped year like 9999 must be refused with a clear message before it reaches them.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2099, 12, 31)


def validate_register_date(value: datetime.date | None) -> None:
    """Refuse a date outside 1900–2099 (a typing mistake in every real register)."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("日期 %(value)s 超出可填写的范围（%(earliest)s 至 %(latest)s），请检查年份。"),
            code="date_out_of_range",
            params={"value": value.isoformat(), "earliest": EARLIEST, "latest": LATEST},
        )


def year_in_range(value: int | None) -> int | None:
    """``value`` if it is a year the registers can hold, else None (a page ignores it)."""
    if value is not None and EARLIEST.year <= value <= LATEST.year:
        return value
    return None


class RegisterDateField(serializers.DateField):
    """An API date within the registers' range."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_register_date)


class RegisterDateFormField(forms.DateField):
    """An admin form date within the registers' range."""

    default_validators = [validate_register_date]
