"""One error shape for the whole API, and the handlers that produce it.

Every refusal is ``{"code", "message", "field", "detail"}`` with the HTTP status of its
cause: 400 invalid input, 401 missing or bad token, 403 not permitted, 404 not found,
409 invalid state, 411 a chunked body, 413 a body over its limit, 415 a multipart body
sent to an operation that reads JSON, 422 a request that does not match the schema (then
``errors`` lists each offending field), 429 too many requests from one address (with
``Retry-After``). Messages are translated; codes are stable.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from tunduk.api.parser import JsonTooDeep
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.http import error_body
from tunduk.core.permissions import record_denial


class ErrorOut(Schema):
    """A refused request: a stable code, a translated message, the field it concerns."""

    code: str
    message: str
    field: str = ""
    detail: dict[str, Any] = Field(default_factory=dict)


class FieldErrorOut(Schema):
    """One part of the request that does not match the schema."""

    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    """The request does not match the schema; ``errors`` names every offending field."""

    errors: list[FieldErrorOut]


class InvalidToken(Exception):
    """The ``Authorization`` header carries a token that is unknown, expired or revoked."""


# The responses every operation may give besides its success; merged into each route.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
COMMON_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    # Answered by tunduk.core.bounds before the operation runs (issue 7 finding 5).
    411: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ValidationErrorOut,
}


def responses(success: dict[int, Any]) -> dict[int, Any]:
    """The success responses of a route plus every documented error response."""
    return {**COMMON_ERRORS, **success}


def _location(error: dict[str, Any]) -> str:
    # ninja prefixes the location with the source ("body", "query", "path", "form", "file")
    # and the parameter name; keep the source and drop ninja's wrapper names.
    parts = [str(part) for part in error.get("loc", ())]
    if len(parts) > 2 and parts[0] in ("body", "query", "form", "path"):
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def _field_name(location: str) -> str:
    """The field as the client wrote it: the location without its source ("body.", "query.")."""
    source, _dot, rest = location.partition(".")
    return rest if rest and source in ("body", "query", "form", "path", "file") else location


def _choices(expected: Any) -> str:
    # pydantic lists the allowed values as "'a', 'b' or 'c'"; drop its English "or".
    values = re.findall(r"'([^']*)'", str(expected))
    return ", ".join(values) if values else str(expected)


# pydantic's error types, and the translated message naming the field for each group of them.
_MESSAGE_GROUPS = (
    (("missing",), gettext_lazy("The field “%(field)s” is required.")),
    (("extra_forbidden",), gettext_lazy("The field “%(field)s” is not allowed here.")),
    (
        ("int_parsing", "int_type", "int_from_float"),
        gettext_lazy("The field “%(field)s” must be a whole number."),
    ),
    (
        ("float_parsing", "float_type", "decimal_parsing", "decimal_type"),
        gettext_lazy("The field “%(field)s” must be a number."),
    ),
    (("bool_parsing", "bool_type"), gettext_lazy("The field “%(field)s” must be true or false.")),
    (("string_type",), gettext_lazy("The field “%(field)s” must be text.")),
    (
        ("list_type", "tuple_type", "set_type"),
        gettext_lazy("The field “%(field)s” must be a list."),
    ),
    (
        ("dict_type", "model_type", "model_attributes_type"),
        gettext_lazy("The field “%(field)s” must be an object."),
    ),
    (
        ("date_parsing", "date_type", "date_from_datetime_parsing"),
        gettext_lazy("The field “%(field)s” must be a date (YYYY-MM-DD)."),
    ),
    (
        ("datetime_parsing", "datetime_type", "datetime_from_date_parsing"),
        gettext_lazy("The field “%(field)s” must be a date and time (ISO 8601)."),
    ),
    (("json_invalid",), gettext_lazy("The field “%(field)s” is not valid JSON.")),
    (
        ("url_parsing", "url_type", "url_scheme"),
        gettext_lazy("The field “%(field)s” must be a valid URL."),
    ),
    (
        ("string_pattern_mismatch",),
        gettext_lazy("The field “%(field)s” is not in the expected format."),
    ),
)
_MESSAGES = {kind: message for kinds, message in _MESSAGE_GROUPS for kind in kinds}

# Length limits: the ``ctx`` key holding the limit, and the message in the limit's plural.
_LIMITS = {
    "string_too_long": (
        "max_length",
        ngettext_lazy(
            "The field “%(field)s” must be at most %(limit)d character long.",
            "The field “%(field)s” must be at most %(limit)d characters long.",
            "limit",
        ),
    ),
    "string_too_short": (
        "min_length",
        ngettext_lazy(
            "The field “%(field)s” must be at least %(limit)d character long.",
            "The field “%(field)s” must be at least %(limit)d characters long.",
            "limit",
        ),
    ),
    "too_long": (
        "max_length",
        ngettext_lazy(
            "The field “%(field)s” may hold at most %(limit)d item.",
            "The field “%(field)s” may hold at most %(limit)d items.",
            "limit",
        ),
    ),
    "too_short": (
        "min_length",
        ngettext_lazy(
            "The field “%(field)s” must hold at least %(limit)d item.",
            "The field “%(field)s” must hold at least %(limit)d items.",
            "limit",
        ),
    ),
}

# Numeric bounds: pydantic's ``ctx`` holds the one bound under the type's own key.
_BOUNDS = {
    "greater_than_equal": gettext_lazy("The field “%(field)s” must be at least %(bound)s."),
    "greater_than": gettext_lazy("The field “%(field)s” must be greater than %(bound)s."),
    "less_than_equal": gettext_lazy("The field “%(field)s” must be at most %(bound)s."),
    "less_than": gettext_lazy("The field “%(field)s” must be less than %(bound)s."),
}


def _message(error: dict[str, Any], field: str) -> str:
    """A translated message naming ``field`` for the common pydantic error types; pydantic's
    own (English) text for the others."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        # Our own validators' messages are already translated; pydantic prefixes them in English.
        return str(ctx["error"])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return _("The field “%(field)s” must be one of: %(choices)s.") % {
            "field": field,
            "choices": _choices(ctx["expected"]),
        }
    if kind in _LIMITS:
        key, text = _LIMITS[kind]
        return text % {"field": field, "limit": int(ctx.get(key, 0))}
    if kind in _BOUNDS:
        return _BOUNDS[kind] % {"field": field, "bound": next(iter(ctx.values()), "")}
    if kind in _MESSAGES:
        return _MESSAGES[kind] % {"field": field}
    return str(error.get("msg", ""))


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``; ``exc`` is typed ``Any`` because ninja's own
    annotation of handlers admits exception classes as well as instances."""

    def rule_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, NotPermitted):
            record_denial(exc)  # no-op when the service already audited it
        detail = {key: value for key, value in exc.detail.items() if key not in ("actor", "obj")}
        response = api.create_response(
            request, error_body(exc.code, exc.message, exc.field, **detail), status=exc.status_code
        )
        if "retry_after" in detail:
            response["Retry-After"] = str(detail["retry_after"])
        return response

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = []
        for error in exc.errors:
            location = _location(error)
            errors.append({"field": location, "message": _message(error, _field_name(location))})
        body = error_body("validation_error", _("The request does not match the API schema."), **{})
        body["errors"] = errors
        if errors:
            body["field"] = errors[0]["field"]
        return api.create_response(request, body, status=422)

    def invalid_token(request: HttpRequest, exc: Any) -> HttpResponse:
        return _unauthorised(request, _("The API token is unknown, expired or revoked."))

    def authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return _unauthorised(
            request, _("This needs an API token: send “Authorization: Bearer <token>”.")
        )

    def _unauthorised(request: HttpRequest, message: str) -> HttpResponse:
        response = api.create_response(
            request, error_body("not_authenticated", message), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="tunduk"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", _("There is no such object.")), status=404
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, JsonTooDeep):
            # ninja wraps every parser error in its own 400; say which limit was hit.
            limit = exc.__cause__.limit
            body = error_body(
                "bad_request",
                _("The request body nests deeper than %(limit)d levels.") % {"limit": limit},
                limit=limit,
            )
        elif exc.status_code == 400:
            # ninja's only 400 is a body it cannot parse; its own text is not translated.
            body = error_body(
                "bad_request",
                _("The request body cannot be read; send valid JSON or multipart form data."),
                reason=str(exc),
            )
        else:
            body = error_body("http_error", str(exc))
        return api.create_response(request, body, status=exc.status_code)

    def form_body_for_json(request: HttpRequest, exc: Any) -> HttpResponse:
        # tunduk.core.bounds parses every form body inside its guard, so an operation that
        # reads JSON finds the body already consumed; the body was simply of the wrong type.
        message = _(
            "This operation takes a JSON body: send it with Content-Type: application/json."
        )
        return api.create_response(
            request, error_body("unsupported_media_type", message), status=415
        )

    api.add_exception_handler(RuleError, rule_error)
    api.add_exception_handler(RawPostDataException, form_body_for_json)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(InvalidToken, invalid_token)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
