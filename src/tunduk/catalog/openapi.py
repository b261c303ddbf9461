"""Validating an uploaded OpenAPI 3 document and reading its endpoints."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

from tunduk.registry.errors import InvalidInput

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class EndpointSpec:
    """A method and path glob (``{param}`` becomes ``*``, one segment)."""

    method: str
    path: str
    summary: str


def parse_document(text: str | bytes) -> dict[str, Any]:
    """Parse JSON or YAML and validate it as OpenAPI 3; errors name the failing part."""
    field = "openapi_document"
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            _("The OpenAPI document is larger than %(limit)d bytes.")
            % {"limit": MAX_DOCUMENT_BYTES},
            field=field,
        )
    try:
        document = json.loads(raw) if raw.lstrip()[:1] in (b"{", b"[") else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as error:
        raise InvalidInput(
            _("The OpenAPI document is neither valid JSON nor YAML: %(error)s") % {"error": error},
            field=field,
        ) from error
    try:
        # JSON types only (YAML may give int or date keys), as it will be stored.
        document = json.loads(json.dumps(document, default=str))
    except (TypeError, ValueError, RecursionError) as error:
        raise InvalidInput(
            _("The OpenAPI document holds values JSON cannot: %(error)s") % {"error": error},
            field=field,
        ) from error
    version = document.get("openapi") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("3."):
        raise InvalidInput(
            _("The document must be OpenAPI 3 (a top-level “openapi: 3.x” key)."), field=field
        )
    try:
        validate(document)
    except OpenAPIValidationError as error:
        where = " › ".join(str(part) for part in error.absolute_path) or _("the top level")
        summary = str(error.message).splitlines()[0]
        raise InvalidInput(
            _("The OpenAPI document is invalid at %(where)s: %(problem)s")
            % {"where": where, "problem": summary},
            field=field,
        ) from error
    except (LookupError, RecursionError, Unresolvable) as error:
        # An unresolvable or endlessly recursive $ref.
        raise InvalidInput(
            _("The OpenAPI document has a $ref that cannot be resolved: %(ref)s")
            % {"ref": getattr(error, "ref", "") or type(error).__name__},
            field=field,
        ) from error
    return dict(document)


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
