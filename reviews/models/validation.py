"""Collecting a model's validation errors, each tied to a field and a machine code."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Errors:
    """Field errors gathered by ``clean()`` and raised together."""

    def __init__(self) -> None:
        self._errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self._errors.setdefault(field, []).append(ValidationError(message, code=code))

    def __bool__(self) -> bool:
        return bool(self._errors)

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError(self._errors)


def field_error(field: str, message: str, code: str) -> ValidationError:
    """One error on ``field`` that keeps its ``code`` (a plain dict would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})
