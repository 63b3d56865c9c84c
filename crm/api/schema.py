"""The OpenAPI schema (/api/v1/schema/) kept true to what the API answers.

- `page_of(Serializer)`: a list answer, `{results, next}` (`next` null on the last page).
- `raises(AlreadyOwned, ...)` on a view method: the domain errors (crm.errors.DomainError
  subclasses) it may answer with; each becomes a documented response with the shared `Error`
  body `{code, detail, errors?}` and its codes listed (also as `x-error-codes`).
- `AutoSchema` adds what every endpoint of its kind may answer without being told: 400
  `invalid`/`parse_error` where a body is read (`invalid` where query filters are), 401
  where a credential is needed, 403 where a permission, CSRF or the credential's kind
  refuses, 404 where a path names an object or a cursor is read, 415 for a body that is not
  JSON, 429 where a throttle counts.
"""

from collections.abc import Callable, Iterable
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

from .parsers import BoundedJSONParser

ERRORS_ATTRIBUTE = "documented_errors"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: see the response's codes.")
    detail = serializers.CharField(help_text="For people, in the user's language.")
    errors = serializers.DictField(
        required=False,
        help_text=(
            "Only with `invalid`: {field: [{code, message}]}, nested like the request body "
            "(`non_field_errors` for the body as a whole)."
        ),
    )


class Code:
    """An error answer that is not a DomainError class: (status, code, meaning)."""

    def __init__(self, status: int, code: str, meaning: str) -> None:
        self.status, self.code, self.default_message = status, code, meaning


INVALID = Code(400, "invalid", "A field or query parameter is invalid (see `errors`).")
PARSE_ERROR = Code(400, "parse_error", "The body is not well-formed JSON.")
TOO_LARGE = Code(400, "too_large", "The request body is too large.")
NOT_AUTHENTICATED = Code(401, "not_authenticated", "No credentials were sent.")
AUTHENTICATION_FAILED = Code(401, "authentication_failed", "The credentials are not valid.")
TOKEN_EXPIRED = Code(401, "token_expired", "The API token is past its age: ask for a new one.")
PERMISSION_DENIED = Code(403, "permission_denied", "Your role may not do this (or CSRF).")
API_KEY_NOT_ACCEPTED = Code(403, "api_key_not_accepted", "API keys are for /intake/ only.")
NOT_FOUND = Code(404, "not_found", "No such object visible to you.")
INVALID_CURSOR = Code(404, "not_found", "No such object, or the `cursor` is not valid.")
UNSUPPORTED_MEDIA_TYPE = Code(415, "unsupported_media_type", "The body is not JSON.")
THROTTLED = Code(429, "throttled", "Too many requests: wait `Retry-After` seconds.")
# crm.middleware.HostileInputMiddleware: the last net under every endpoint for a value no
# column or calendar can hold (a number past 64 bits, a date past 9999, a NUL).
OUT_OF_RANGE = Code(400, "out_of_range", "A number, date or text is out of range.")
# crm.errors_views: a request refused before any view reads it (a NUL in the query string).
BAD_REQUEST = Code(400, "bad_request", "The request could not be read.")


def describe(error: Any) -> tuple[int, str, str]:
    """(status, code, meaning) of a DomainError subclass, a DRF APIException subclass or a
    `Code`."""
    if isinstance(error, type) and issubclass(error, exceptions.APIException):
        return error.status_code, error.default_code, str(error.default_detail)
    return int(error.status), error.code, str(error.default_message or error.code)


def raises(*errors: Any) -> Callable:
    """Declare what a view method may answer besides what `AutoSchema` adds by itself:
    DomainError subclasses, DRF APIException subclasses or `Code`s. Put it under
    `@extend_schema` (either order works)."""

    def decorate(func: Callable) -> Callable:
        setattr(func, ERRORS_ATTRIBUTE, [*getattr(func, ERRORS_ATTRIBUTE, ()), *errors])
        return func

    return decorate


_pages: dict[str, serializers.Serializer] = {}
_cursor_paged: set[str] = set()


def page_of(
    serializer: type[serializers.BaseSerializer] | serializers.BaseSerializer,
    *,
    name: str | None = None,
    cursor: bool = False,
    next_link: bool = True,
    **extra_fields: serializers.Field,
) -> serializers.Serializer:
    """A list answer `{results: [...], next}`: `cursor=True` where `next` leads on (a
    `cursor` query parameter); otherwise the whole list and `next` is always null.
    `next_link=False` for the few lists that have no `next` at all."""
    item = serializer if isinstance(serializer, type) else type(serializer)
    name = name or f"Paginated{item.__name__.removesuffix('Output')}List"
    if name not in _pages:
        fields: dict[str, serializers.Field] = {"results": item(many=True)}
        if next_link:
            fields["next"] = serializers.URLField(
                allow_null=True,
                help_text="The next page (its `cursor`); null on the last page.",
            )
        _pages[name] = inline_serializer(name, {**fields, **extra_fields})
        if cursor:
            _cursor_paged.add(name)
    return _pages[name]


CURSOR_PARAMS = [
    {
        "in": "query",
        "name": "cursor",
        "schema": {"type": "string"},
        "description": "The position in the list, as in the previous page's `next`.",
    },
    {
        "in": "query",
        "name": "page_size",
        "schema": {"type": "integer", "minimum": 1},
        "description": "Items a page (25 unless given; at most 100).",
    },
]


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self.is_cursor_paged():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            extra = [p for p in CURSOR_PARAMS if p["name"] not in names]
            operation["parameters"] = [*operation.get("parameters", []), *extra]
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        filters = [
            p
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p["name"] not in ("cursor", "page_size")
        ]
        for status, codes in sorted(self.error_codes(has_query=bool(filters)).items()):
            lines = [f"- `{code}`: {meaning}" for code, meaning in codes.items()]
            operation["responses"][str(status)] = {
                "content": {"application/json": {"schema": error}},
                "description": "\n".join(lines),
                "x-error-codes": list(codes),
            }
        return operation

    def get_operation_id(self) -> str:
        # A page of a list is one object: keep the `_list` name a list had before.
        operation_id = super().get_operation_id()
        if self.method == "GET" and any(
            type(r).__name__ in _pages for r in self.get_response_serializers_list()
        ):
            operation_id = operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def is_cursor_paged(self) -> bool:
        if self.method != "GET":
            return False
        return any(type(r).__name__ in _cursor_paged for r in self.get_response_serializers_list())

    def get_response_serializers_list(self) -> Iterable:
        responses = self.get_response_serializers()
        if isinstance(responses, dict):
            return responses.values()
        return [responses]

    def error_codes(self, *, has_query: bool = False) -> dict[int, dict[str, str]]:
        found: list[Any] = [OUT_OF_RANGE, BAD_REQUEST]
        view = self.view
        public = not view.authentication_classes or any(
            issubclass(p, AllowAny) for p in view.permission_classes
        )
        has_body = self.method in ("POST", "PUT", "PATCH")
        if has_body:
            found += [INVALID, PARSE_ERROR, UNSUPPORTED_MEDIA_TYPE]
        elif has_query:
            found.append(INVALID)
            if any(issubclass(p, BoundedJSONParser) for p in view.parser_classes):
                found.append(TOO_LARGE)
        if not public:
            found += [NOT_AUTHENTICATED, AUTHENTICATION_FAILED, TOKEN_EXPIRED]
            user_door = any(
                type(a).__name__ == "TokenAuthentication" for a in view.get_authenticators()
            )
            if user_door:
                found.append(API_KEY_NOT_ACCEPTED)
            strict = any(not issubclass(p, IsAuthenticated) for p in view.permission_classes)
            if (strict or self.method in UNSAFE_METHODS) and user_door:
                found.append(PERMISSION_DENIED)
        if "{" in self.path:
            found.append(NOT_FOUND)
        if self.is_cursor_paged():
            found.append(INVALID_CURSOR)
        # The per-user throttle is a default on every view but bites only where the view
        # names a scope; any other throttle class bites wherever it is listed.
        scoped = bool(getattr(view, "throttle_scope", None))
        if scoped or any(t.__name__ != "UserScopeRateThrottle" for t in view.throttle_classes):
            found.append(THROTTLED)
        handler = getattr(view, self.method.lower(), None)
        found += getattr(handler, ERRORS_ATTRIBUTE, [])
        codes: dict[int, dict[str, str]] = {}
        for error in found:
            status, code, meaning = describe(error)
            codes.setdefault(status, {}).setdefault(code, meaning)
        return codes
