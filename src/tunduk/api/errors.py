"""One error shape for the whole API, and the handlers that produce it.

Every refusal is ``{"code", "message", "field", "detail"}`` with the HTTP status of its
cause: 400 invalid input, 401 missing or bad token, 403 not permitted, 404 not found,
409 invalid state, 422 a request that does not match the schema (then ``errors`` lists
each offending field). Messages are translated; codes are stable.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from tunduk.registry.errors import NotPermitted, RegistryError
from tunduk.registry.permissions import record_denial


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
    """The ``Authorization`` header carries a token that is unknown or revoked."""


# The responses every operation may give besides its success; merged into each route.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
COMMON_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responses(success: dict[int, Any]) -> dict[int, Any]:
    """The success responses of a route plus every documented error response."""
    return {**COMMON_ERRORS, **success}


def _body(code: str, message: str, field: str = "", **detail: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "detail": detail}


def _location(error: dict[str, Any]) -> str:
    # ninja prefixes the location with the source ("body", "query", "path", "form", "file")
    # and the parameter name; keep the source and drop ninja's wrapper names.
    parts = [str(part) for part in error.get("loc", ())]
    if len(parts) > 2 and parts[0] in ("body", "query", "form", "path"):
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``; ``exc`` is typed ``Any`` because ninja's own
    annotation of handlers admits exception classes as well as instances."""

    def registry_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, NotPermitted):
            record_denial(exc)  # no-op when the service already audited it
        detail = {key: value for key, value in exc.detail.items() if key not in ("actor", "obj")}
        return api.create_response(
            request, _body(exc.code, exc.message, exc.field, **detail), status=exc.status_code
        )

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"field": _location(error), "message": str(error.get("msg", ""))}
            for error in exc.errors
        ]
        body = _body("validation_error", _("The request does not match the API schema."), **{})
        body["errors"] = errors
        if errors:
            body["field"] = errors[0]["field"]
        return api.create_response(request, body, status=422)

    def invalid_token(request: HttpRequest, exc: Any) -> HttpResponse:
        return _unauthorised(request, _("The API token is unknown or has been revoked."))

    def authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return _unauthorised(
            request, _("This needs an API token: send “Authorization: Bearer <token>”.")
        )

    def _unauthorised(request: HttpRequest, message: str) -> HttpResponse:
        response = api.create_response(request, _body("not_authenticated", message), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="tunduk"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, _body("not_found", _("There is no such object.")), status=404
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400:
            # ninja's only 400 is a body it cannot parse; its own text is not translated.
            body = _body(
                "bad_request",
                _("The request body cannot be read; send valid JSON or multipart form data."),
                reason=str(exc),
            )
        else:
            body = _body("http_error", str(exc))
        return api.create_response(request, body, status=exc.status_code)

    api.add_exception_handler(RegistryError, registry_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(InvalidToken, invalid_token)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
