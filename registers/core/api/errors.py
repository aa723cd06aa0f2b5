"""API errors: every body carries its messages with machine-readable codes, and a
model's, service's or workflow's refusal keeps its Django message and code."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _details(errors: Iterable[DjangoValidationError]) -> list[exceptions.ErrorDetail]:
    details = []
    for error in errors:
        for item in error.error_list if hasattr(error, "error_list") else [error]:
            message = item.message
            if item.params:
                message = message % item.params
            details.append(exceptions.ErrorDetail(str(message), code=item.code or "invalid"))
    return details


def django_error_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    """Keep Django's messages and codes when a model, service or workflow rule refuses."""
    if hasattr(error, "error_dict"):
        detail = {field: _details(items) for field, items in error.error_dict.items()}
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(_details([error]))


def api_exception_handler(exc, context):
    """Every error body carries its messages with machine-readable codes.

    Validation errors: ``{"errors": {field: [{"message", "code"}]}}`` (or a list for errors
    about the whole request); other errors: ``{"detail": message, "code": code}``.
    """
    if isinstance(exc, DjangoValidationError):
        exc = django_error_to_drf(exc)
    elif isinstance(exc, Http404):
        # Another unit's record answers exactly like one that does not exist.
        exc = exceptions.NotFound(_("记录不存在。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": exc.get_full_details()}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.get_full_details()
        if isinstance(detail, dict) and "message" in detail:
            response.data = {"detail": str(detail["message"]), "code": detail["code"]}
        else:
            response.data = {"detail": str(exc.detail), "code": exc.default_code}
    return response
