"""API errors: every body carries its messages with machine-readable codes, and a
model's, service's or workflow's refusal keeps its Django message and code."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class DatabaseUnavailable(exceptions.APIException):
    """503: the database cannot be reached; the request may be repeated later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("数据库暂时不可用，请稍后重试。")
    default_code = "database_unavailable"


class ServerError(exceptions.APIException):
    default_detail = gettext_lazy("服务器内部错误，请稍后重试；如果一直出现，请联系法制办。")
    default_code = "server_error"


def error_body(exc: exceptions.APIException) -> dict:
    """``{"detail": message, "code": code}``: the body of every error but validation's."""
    detail = exc.get_full_details()
    if isinstance(detail, dict) and "message" in detail:
        return {"detail": str(detail["message"]), "code": detail["code"]}
    return {"detail": str(exc.detail), "code": exc.default_code}


def error_response(exc: exceptions.APIException) -> JsonResponse:
    """The API's error answer made outside a view (middleware, the server's error handlers),
    in the same shape as the views' own."""
    response = JsonResponse(error_body(exc), status=exc.status_code)
    wait = getattr(exc, "wait", None)
    if wait:
        response["Retry-After"] = str(int(wait))
    return response


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
    default_detail = gettext_lazy("查询参数无效。")

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
        response.data = error_body(exc)
    return response
