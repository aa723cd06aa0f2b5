"""API errors: every body carries its messages with machine-readable codes, and a
model's, service's or workflow's refusal keeps its Django message and code."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
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


class InvalidQuery(exceptions.APIException):
    """400: a query parameter that cannot be used (a year out of range, a malformed date,
    a page that does not exist…). Answered as ``{"detail", "code"}`` plus, as for any
    refused value, ``errors`` under the parameter's name."""

    status_code = 400
    default_code = "invalid_query"
    default_detail = _lazy("查询参数无效。")

    def __init__(self, detail: str, code: str, parameter: str) -> None:
        super().__init__(detail, code)
        self.parameter = parameter

    @classmethod
    def from_error(cls, name: str, error: DjangoValidationError) -> InvalidQuery:
        """The first refusal of a filter's form field."""
        message = error.message % error.params if error.params else error.message
        code = error.code if error.code and error.code not in ("invalid", "required") else None
        return cls(
            _("查询参数 %(name)s 无效：%(message)s") % {"name": name, "message": message},
            code=code or "invalid",
            parameter=name,
        )


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
    elif isinstance(exc, InvalidQuery):
        detail = exc.get_full_details()
        response.data = {
            "detail": str(detail["message"]),
            "code": detail["code"],
            "errors": {exc.parameter: [detail]},
        }
    elif isinstance(exc, exceptions.APIException):
        detail = exc.get_full_details()
        if isinstance(detail, dict) and "message" in detail:
            response.data = {"detail": str(detail["message"]), "code": detail["code"]}
        else:
            response.data = {"detail": str(exc.detail), "code": exc.default_code}
    return response


def page_not_found(request, exception):
    """The project's 404: an address under ``/api/`` that names no resource (a version
    number that cannot be one, an unknown format) answers like the API's own 404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("记录不存在。"), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
