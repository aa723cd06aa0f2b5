"""Identifiers people type (case, document, contract and filing numbers, certificate
numbers): stored in one spelling, so that ``２０２４-001`` and ``2024-001`` are one number.

``IdentifierField`` normalises on every path a value takes into the database: the model's
``full_clean`` (admin forms, API serializers, the Excel upload's checks) cleans it through
``to_python`` before any uniqueness check, and ``pre_save`` (every save, ``bulk_create``
too) stores it so even where nothing validated it.
"""

from __future__ import annotations

import unicodedata

from django.db import models

#: NFKC makes the full-width parentheses of a case number ASCII; the official spelling
#: (人民法院案件案号, 复议案号) keeps them full-width, so they are turned back.
_PARENTHESES = str.maketrans({"(": "（", ")": "）"})


def normalise_identifier(value: str | None) -> str | None:
    """``value`` folded with NFKC (full-width digits, letters and the ideographic space
    become their plain forms), parentheses in their full-width official form, trimmed."""
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).translate(_PARENTHESES).strip()


class IdentifierField(models.CharField):
    """A ``CharField`` holding an identifier, stored normalised (``normalise_identifier``)."""

    def to_python(self, value):
        return normalise_identifier(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_identifier(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
