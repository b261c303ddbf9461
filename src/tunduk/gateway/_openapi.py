"""Reading the ``paths`` of a service's OpenAPI 3 document without Django.

The Catalog's reader (``tunduk.catalog.openapi``) validates a whole uploaded document and
speaks Django's translated errors; the gateway needs only the endpoints, with the same
bounds: at most :data:`MAX_DOCUMENT_BYTES`, JSON or YAML without anchors or aliases
(:mod:`tunduk.untrusted`), :data:`MAX_DEPTH` levels, :data:`MAX_ITEMS` values, at most
:data:`~tunduk.limits.SERVICE_ENDPOINTS` endpoints. Nothing is resolved or fetched:
``$ref`` inside ``paths`` is not followed (a path item that is only a reference lists
no methods). The document's bytes are served unchanged by ``getOpenAPI``.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from tunduk.limits import SERVICE_ENDPOINTS
from tunduk.untrusted import DocumentShapeError, load_json, load_yaml

from .access import EndpointRule

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_ITEMS", "OpenApiDocument", "read_openapi"]

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ITEMS = 100_000
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_PATH_LENGTH = 1000


@dataclass(frozen=True)
class OpenApiDocument:
    """A service's OpenAPI 3 document: its bytes as stored, and its endpoints."""

    raw: bytes
    content_type: str
    endpoints: tuple[EndpointRule, ...]


def read_openapi(raw: bytes) -> OpenApiDocument:
    """Parse and bound an OpenAPI 3 document; ``ValueError`` says which rule it broke."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"is larger than {MAX_DOCUMENT_BYTES} bytes")
    is_json = raw.lstrip()[:1] == b"{"
    try:
        if is_json:
            document = load_json(raw, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
        else:
            document = load_yaml(raw, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
    except DocumentShapeError as error:
        raise ValueError(f"breaks the {error.rule} bound") from None
    except (ValueError, yaml.YAMLError):
        raise ValueError("is neither valid JSON nor valid YAML") from None
    if not isinstance(document, dict):
        raise ValueError("must be an object")
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise ValueError("must be OpenAPI 3 (a top-level openapi: 3.x)")
    content_type = "application/json" if is_json else "text/yaml"
    return OpenApiDocument(raw, content_type, _endpoints(document.get("paths")))


def _endpoints(paths: object) -> tuple[EndpointRule, ...]:
    if paths is None:
        return ()
    if not isinstance(paths, dict):
        raise ValueError("paths must be an object")
    found: list[EndpointRule] = []
    for path, item in paths.items():
        if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH_LENGTH:
            raise ValueError(f"every key of paths must start with '/' (at most {MAX_PATH_LENGTH})")
        if not isinstance(item, dict):
            continue
        glob = "/".join("*" if part.startswith("{") else part for part in path.split("/"))
        found.extend(
            EndpointRule(method.upper(), glob)
            for method in METHODS
            if isinstance(item.get(method), dict)
        )
        if len(found) > SERVICE_ENDPOINTS:
            raise ValueError(f"declares more than {SERVICE_ENDPOINTS} endpoints")
    return tuple(found)
