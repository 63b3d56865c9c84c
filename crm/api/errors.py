"""Every API error is `{"code": ..., "detail": ...}` with the right status.

Validation errors add `errors`: {field: [{"code", "message"}]}, so integrations can branch on a
stable code per field while people read the message.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from crm.errors import DomainError


def field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [{"code": item.code, "message": str(item)} for item in detail]
        return [field_errors(item) for item in detail]
    return [{"code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def first_message(errors) -> str:
    if isinstance(errors, dict):
        if "message" in errors and "code" in errors:
            return errors["message"]
        errors = list(errors.values())
    for item in errors:
        message = first_message(item) if isinstance(item, (dict, list)) else ""
        if message:
            return message
    return ""


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        message = first_message(errors)
        body = {
            "code": "invalid",
            "detail": message or _("The request has invalid fields."),
            "errors": errors,
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        response.data = {"code": code, "detail": str(detail)}
    return response
