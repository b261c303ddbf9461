"""Validating an uploaded OpenAPI 3 document and reading its endpoints.

The document comes from a participant's engineer and is hostile until checked (issue 7,
finding 1). So, in this order:

- at most :data:`MAX_DOCUMENT_BYTES`; JSON, or YAML without anchors and aliases;
- at most :data:`MAX_DEPTH` levels of nesting and :data:`MAX_ITEMS` values;
- references only inside the document (``#/…``); ``$id`` (which would move the base of
  ``#/…`` references) is refused; a reference to nothing in the document is refused;
- the document the references expand to is bounded too (:mod:`._references`);
- validated against the OpenAPI schema with a resolver that refuses every retrieval,
  so nothing is ever read from disk or fetched from the network even if a check above
  were bypassed.

Errors name where (the keys leading to the problem) and which rule, never a value from
the document, so nothing the server reads can come back in a message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from django.utils.translation import gettext as _
from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator.shortcuts import get_validator_cls
from openapi_spec_validator.validation import exceptions as spec_errors
from referencing.exceptions import Unresolvable

from tunduk.catalog.openapi._references import (
    FIELD,
    MAX_EXPANDED_VALUES,
    MAX_REFERENCES_FOLLOWED,
    SHOWN_KEY_LENGTH,
    check_expansion,
    check_references,
    where,
)
from tunduk.core.errors import InvalidInput
from tunduk.untrusted import DocumentShapeError, ShapeRule, load_json, load_yaml

__all__ = [
    "FIELD",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_EXPANDED_VALUES",
    "MAX_ITEMS",
    "MAX_REFERENCES_FOLLOWED",
    "EndpointSpec",
    "RetrievalRefused",
    "endpoints",
    "parse_document",
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
"""Levels of nesting; real documents use fewer than twenty."""
MAX_ITEMS = 100_000
"""Values (objects, lists and scalars) in the whole document."""
# Type names are the schema language's own words, so naming them quotes nothing of the document.
_JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


@dataclass(frozen=True)
class EndpointSpec:
    """A method and path glob (``{param}`` becomes ``*``, one segment)."""

    method: str
    path: str
    summary: str


def parse_document(text: str | bytes) -> dict[str, Any]:
    """Parse JSON or YAML and validate it as OpenAPI 3; errors name the failing part."""
    document = _load(text.encode() if isinstance(text, str) else text)
    version = document.get("openapi") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("3."):
        raise InvalidInput(
            _("The document must be OpenAPI 3 (a top-level “openapi: 3.x” key)."), field=FIELD
        )
    check_references(document)
    check_expansion(document)
    _validate(document)
    return dict(document)


def _load(raw: bytes) -> Any:
    """The document as JSON types, within the size, depth and item limits."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            _("The OpenAPI document is larger than %(limit)d bytes.")
            % {"limit": MAX_DOCUMENT_BYTES},
            field=FIELD,
        )
    try:
        if raw.lstrip()[:1] in (b"{", b"["):
            document = load_json(
                raw, max_depth=MAX_DEPTH, max_items=MAX_ITEMS, parse_constant=_no_constant
            )
        else:
            document = load_yaml(raw, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
        # JSON types only (YAML may give int or date keys), as it will be stored.
        document = json.loads(json.dumps(document, default=str, allow_nan=False))
    except DocumentShapeError as error:
        raise _shape_error(error) from None
    except (ValueError, yaml.YAMLError) as error:
        raise _syntax_error(error) from None
    _check_storable(document)
    return document


def _check_storable(document: Any) -> None:
    """Refuse text the database cannot store: NUL (``\\u0000``, YAML ``\\0``) and lone
    surrogates (``\\ud800``), which JSON and YAML escapes produce from plain ASCII text."""
    pending: list[Any] = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and ("\x00" in value or not _encodes(value)):
            raise InvalidInput(
                _(
                    "The OpenAPI document holds a NUL character or a lone surrogate, which "
                    "cannot be stored as text; remove it."
                ),
                field=FIELD,
                check="document_text",
            )


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_constant(name: str) -> NoReturn:
    raise DocumentShapeError(ShapeRule.NUMBER)


def _shape_error(error: DocumentShapeError) -> InvalidInput:
    messages = {
        ShapeRule.DEPTH: _("The OpenAPI document is nested deeper than %(limit)d levels."),
        ShapeRule.ITEMS: _("The OpenAPI document holds more than %(limit)d values."),
        ShapeRule.ALIAS: _(
            "The OpenAPI document uses YAML anchors or aliases (& or *), which are not "
            "accepted; write the repeated part out or use a #/components reference."
        ),
        ShapeRule.NUMBER: _("The OpenAPI document holds a number that is not finite."),
    }
    message = messages[error.rule] % {"limit": error.limit}
    if error.line:
        message = _("%(message)s (line %(line)d)") % {"message": message, "line": error.line}
    return InvalidInput(message, field=FIELD, check=f"document_{error.rule}")


def _syntax_error(error: ValueError | yaml.YAMLError) -> InvalidInput:
    """Where the syntax breaks; never the parser's text, which quotes the document."""
    line = getattr(error, "lineno", None)
    mark = getattr(error, "problem_mark", None)
    if line is None and mark is not None:
        line = mark.line + 1
    where = _("line %(line)d") % {"line": line} if line else _("an unknown place")
    return InvalidInput(
        _("The OpenAPI document is neither valid JSON nor YAML (at %(where)s).") % {"where": where},
        field=FIELD,
    )


class RetrievalRefused(Exception):
    """Raised by the validator's resolver for any URI: documents are never fetched or read."""


def _refuse(uri: str) -> NoReturn:
    raise RetrievalRefused


class _RefuseEveryScheme(dict[str, Callable[[str], Any]]):
    """Resolver handlers for every URI scheme, each refusing.

    ``jsonschema_path`` falls back to ``urlopen`` for a scheme it has no handler for, so
    claiming every scheme is the only way to make sure nothing is retrieved.
    """

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str) -> Callable[[str], Any]:
        return _refuse


def _validate(document: dict[str, Any]) -> None:
    try:
        validator_class = get_validator_cls(document)
    except spec_errors.ValidatorDetectError:
        raise InvalidInput(
            _("The document must be OpenAPI 3.0, 3.1 or 3.2 (the “openapi” key)."), field=FIELD
        ) from None
    schema_path = SchemaPath.from_dict(document, handlers=_RefuseEveryScheme())
    try:
        validator_class(schema_path).validate()
    except ValidationError as error:
        raise InvalidInput(
            _("The OpenAPI document is invalid at %(where)s: %(problem)s")
            % {"where": where(tuple(error.absolute_path)), "problem": _problem(error)},
            field=FIELD,
        ) from None
    except (LookupError, RecursionError, Unresolvable):
        # A reference that refers to itself, or one the checks above let through.
        raise InvalidInput(
            _("The OpenAPI document has a reference that cannot be resolved or refers to itself."),
            field=FIELD,
            check="unresolvable_reference",
        ) from None


def _problem(error: ValidationError) -> str:
    """The rule a validation error breaks, in words that quote no value from the document."""
    if isinstance(error, spec_errors.UnresolvableParameterError):
        return _("a path parameter is not declared, or a declared one is not in the path")
    if isinstance(error, spec_errors.ParameterDuplicateError):
        return _("a parameter is declared twice")
    if isinstance(error, spec_errors.DuplicateOperationIDError):
        return _("an operationId is used by more than one operation")
    if isinstance(error, spec_errors.ExtraParametersError):
        return _("“required” lists properties the schema does not define")
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return _("the required field %(names)s is missing") % {
            "names": ", ".join(str(name)[:SHOWN_KEY_LENGTH] for name in missing)
        }
    if error.validator == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        if names and all(name in _JSON_TYPES for name in names):
            return _("a value has the wrong type (expected %(types)s)") % {
                "types": " | ".join(names)  # JSON type names, the same in every language
            }
    rules = {
        "type": _("a value has the wrong type"),
        "additionalProperties": _("a field is not allowed here"),
        "unevaluatedProperties": _("a field is not allowed here"),
        "enum": _("a value is not one of those allowed"),
        "const": _("a value is not the one required"),
        "pattern": _("a value does not have the required form"),
        "patternProperties": _("a field name does not have the required form"),
        "propertyNames": _("a field name does not have the required form"),
        "format": _("a value is not in the required format"),
        "oneOf": _("the part matches none of the forms the specification allows"),
        "anyOf": _("the part matches none of the forms the specification allows"),
        "uniqueItems": _("a list repeats an item"),
    }
    return str(rules.get(str(error.validator), _("the part breaks a rule of the specification")))


def endpoints(document: dict[str, Any]) -> list[EndpointSpec]:
    """Every operation of the document as a method and path glob."""
    found = []
    for path, item in (document.get("paths") or {}).items():
        glob = "/".join("*" if part.startswith("{") else part for part in str(path).split("/"))
        for method in METHODS:
            operation = (item or {}).get(method)
            if isinstance(operation, dict):
                summary = str(operation.get("summary") or operation.get("operationId") or "")
                found.append(EndpointSpec(method.upper(), glob, summary[:300]))
    return found
