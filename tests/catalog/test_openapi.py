"""OpenAPI documents are hostile input: no reference resolution, no echo, bounded size and depth."""

from __future__ import annotations

import json

import pytest

from tests.factories import OPENAPI_YAML
from tests.hostile_documents import (
    BILLION_LAUGHS,
    SECRET_MARKER,
    document_with_ref,
    loopback_server,
    nested_json,
    secret_file,
)
from tunduk.catalog import openapi
from tunduk.core.errors import InvalidInput


def _refusal(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        openapi.parse_document(text)
    assert error.value.field == "openapi_document"
    return error.value


def test_file_reference_is_refused_by_name_and_never_read(tmp_path):
    """Issue 7 (1): a file:// $ref is refused as external; the file's content never comes back."""
    key = secret_file(tmp_path)
    for ref in (key.as_uri(), f"{key.as_uri()}#/x", str(key), "ca-key.pem#/x"):
        error = _refusal(json.dumps(document_with_ref(ref)))
        assert "only references inside the document" in error.message
        assert "paths › /births › get › responses › 200" in error.message
        assert SECRET_MARKER not in str(error.message)
        assert ref not in error.message


def test_http_reference_makes_no_request():
    """Issue 7 (1): an http:// $ref is refused before any request leaves the server."""
    with loopback_server() as server:
        for ref in (f"{server.url}/schema.json", f"{server.url}/schema.json#/type"):
            error = _refusal(json.dumps(document_with_ref(ref)))
            assert "only references inside the document" in error.message
        assert server.requests == []


def test_base_uri_cannot_be_moved_out_of_the_document(tmp_path):
    """Issue 7 (1): an $id that would make an internal #/ reference point at a file is refused."""
    key = secret_file(tmp_path)
    document = document_with_ref("#/components/schemas/Key")
    document["components"] = {"schemas": {"Key": {"type": "string"}}}
    document["paths"]["/births"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] = {"$id": key.as_uri(), "$ref": "#/x"}
    error = _refusal(json.dumps(document))
    assert "$id" in error.message
    assert SECRET_MARKER not in error.message


def test_internal_references_into_components_still_work():
    """Issue 7 (1): #/components/… references resolve inside the document as before."""
    document = document_with_ref("#/components/schemas/Birth")
    document["components"] = {
        "schemas": {
            "Birth": {
                "type": "object",
                "properties": {"mother": {"$ref": "#/components/schemas/Person"}},
            },
            "Person": {"type": "object", "properties": {"name": {"type": "string"}}},
        },
        "parameters": {
            "Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        },
    }
    document["paths"]["/births/{id}"] = {
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "get": {"responses": {"200": {"description": "found"}}},
    }
    parsed = openapi.parse_document(json.dumps(document))
    assert [(e.method, e.path) for e in openapi.endpoints(parsed)] == [
        ("GET", "/births"),
        ("GET", "/births/*"),
    ]


def test_missing_internal_reference_is_refused_without_content():
    """Issue 7 (1): an internal reference to nothing is refused, naming where it is."""
    error = _refusal(json.dumps(document_with_ref(f"#/components/schemas/{SECRET_MARKER}")))
    assert "cannot be resolved" in error.message
    assert SECRET_MARKER not in error.message


def test_yaml_billion_laughs_is_refused_without_expansion():
    """Issue 7 (1): YAML anchors and aliases are refused, so an alias bomb never expands."""
    error = _refusal(BILLION_LAUGHS)
    assert "anchors" in error.message
    assert "line 3" in error.message


def test_yaml_alias_without_bomb_is_refused_too():
    """Issue 7 (1): any YAML alias is refused, not only large expansions."""
    document = OPENAPI_YAML + "x-a: &shared {description: x}\nx-b: *shared\n"
    assert "anchors" in _refusal(document).message


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_deeply_nested_document_is_refused(form):
    """Issue 7 (1): a document nested deeper than the limit is refused, not a RecursionError."""
    for depth in (openapi.MAX_DEPTH + 1, 100_000):
        text = nested_json(depth)
        if form == "yaml":
            # Flow-style YAML (not starting with "{", so it is read as YAML, not JSON).
            text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-deep: "
            text += "[" * depth + "]" * depth + "\n"
        error = _refusal(text)
        assert "nested deeper than" in error.message


def test_document_with_too_many_items_is_refused():
    """Issue 7 (1): a document with more values than the limit is refused before validation."""
    items = ",".join(["0"] * (openapi.MAX_ITEMS + 1))
    text = f'{{"openapi": "3.0.3", "info": {{"title": "x", "version": "1", "x-many": [{items}]}}, "paths": {{}}}}'
    assert "more than" in _refusal(text).message


def test_errors_never_quote_document_content():
    """Issue 7 (1): a schema violation names the place and the rule, never the offending value."""
    broken = OPENAPI_YAML.replace("{description: found}", f"{{description: 5, x: {SECRET_MARKER}}}")
    broken = broken.replace("summary: One birth record", f"summary: [{SECRET_MARKER}]")
    error = _refusal(broken)
    assert "paths › /births/{id} › get" in error.message
    assert SECRET_MARKER not in error.message
    not_yaml = _refusal(f"openapi: 3.0.3\ninfo: {{title: {SECRET_MARKER}\n  bad: [")
    assert "neither valid JSON nor YAML" in not_yaml.message
    assert SECRET_MARKER not in not_yaml.message


def test_yaml_python_tags_are_refused_without_content():
    """Issue 7 (1): YAML tags that would build objects are refused without quoting the tag."""
    error = _refusal(f"openapi: 3.0.3\nx: !!python/object/apply:os.system [{SECRET_MARKER}]\n")
    assert SECRET_MARKER not in error.message


def _fan_out(width: int, levels: int) -> dict:
    """Schemas where each level lists the next ``width`` times: width**levels when expanded."""
    document = document_with_ref("#/components/schemas/L0")
    schemas = {
        f"L{level}": {"allOf": [{"$ref": f"#/components/schemas/L{level + 1}"}] * width}
        for level in range(levels)
    }
    schemas[f"L{levels}"] = {"type": "string"}
    document["components"] = {"schemas": schemas}
    return document


def test_reference_bomb_is_refused_before_validation():
    """Issue 7 (1): internal references that fan out like a billion-laughs bomb are refused."""
    error = _refusal(json.dumps(_fan_out(9, 9)))
    assert "references expand it beyond" in error.message
    assert error.detail["check"] == "reference_expansion"


def test_recursive_and_shared_schemas_are_accepted():
    """Issue 7 (1): recursion and modest sharing through references stay accepted."""
    document = _fan_out(3, 3)
    document["components"]["schemas"]["Person"] = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            "parent": {"$ref": "#/components/schemas/Person"},
        },
    }
    parsed = openapi.parse_document(json.dumps(document))
    assert parsed["components"]["schemas"]["Person"]["properties"]["parent"] == {
        "$ref": "#/components/schemas/Person"
    }


@pytest.mark.parametrize(
    "text",
    [
        '{"openapi": "3.0.3", "info": {"title": "a\\u0000b", "version": "1"}, "paths": {}}',
        '{"openapi": "3.0.3", "info": {"title": "a\\ud800b", "version": "1"}, "paths": {}}',
        'openapi: 3.0.3\ninfo: {title: "a\\0b", version: "1"}\npaths: {}\n',
        'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  "/a\\0b":\n'
        '    get: {responses: {"200": {description: ok}}}\n',
    ],
    ids=["json-nul", "json-surrogate", "yaml-nul", "yaml-nul-in-path"],
)
def test_escaped_nul_or_surrogate_in_document_text_is_refused(text):
    """Issue 7 (1, 5): a NUL or lone surrogate written as an escape is refused, not stored (a 500)."""
    error = _refusal(text)
    assert error.detail["check"] == "document_text"
