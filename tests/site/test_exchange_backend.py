"""The demo backends of ``make exchange``: each service's OpenAPI operations, answered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from tunduk.site.exchange.backend import (
    MAX_REQUEST_BYTES,
    BackendSpec,
    example_value,
    load_operations,
    parse_document,
)
from tunduk.untrusted import DocumentShapeError

PERSON = {
    "openapi": "3.0.3",
    "info": {"title": "person", "version": "1"},
    "paths": {
        "/person-by-pin/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/P"}}
                        },
                    }
                },
            }
        },
        "/person-by-pin/count": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"type": "integer", "example": 7}}
                        }
                    }
                }
            }
        },
    },
    "components": {
        "schemas": {
            "P": {
                "type": "object",
                "properties": {
                    "pin": {"type": "string", "description": "ПИН"},
                    "born": {"type": "string", "format": "date"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/P"}},
                    "kind": {"type": "string", "enum": ["citizen", "resident"]},
                },
            }
        }
    },
}


@pytest_asyncio.fixture
async def server(tmp_path: Path) -> AsyncIterator[TestServer]:
    """The backend app of one OpenAPI file, on a real loopback socket."""
    document = tmp_path / "person.json"
    document.write_text(json.dumps(PERSON, ensure_ascii=False))
    spec = BackendSpec("population", "127.0.0.1", 0, (document,))
    test_server = TestServer(spec.app(), host="127.0.0.1", port=0)
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest.mark.asyncio
async def test_an_operation_answers_its_schema_with_the_path_parameter(server: TestServer) -> None:
    """Issue 9 item 6: a demo backend answers each service from its OpenAPI document."""
    url = server.make_url("/person-by-pin/22001199000123")
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert answer.status == 200
        assert answer.content_type == "application/json"
        body = await answer.json()
    assert body["pin"] == "ПИН: 22001199000123"
    assert body["born"] == "2000-01-01"
    assert body["kind"] == "citizen"
    # The recursive $ref ends instead of looping.
    assert isinstance(body["children"], list)


@pytest.mark.asyncio
async def test_a_literal_path_wins_over_a_template(server: TestServer) -> None:
    """OpenAPI 3 path matching: /person-by-pin/count is not /person-by-pin/{id}."""
    url = server.make_url("/person-by-pin/count")
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert await answer.json() == 7


@pytest.mark.asyncio
async def test_unknown_paths_and_methods_are_refused(server: TestServer) -> None:
    """A path no document declares is 404, a method it does not declare is 405 with Allow."""
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/person-by-pin/1/extra")) as answer:
            assert answer.status == 404
        async with session.delete(server.make_url("/person-by-pin/1")) as answer:
            assert answer.status == 405
            assert answer.headers["Allow"] == "GET"
        async with session.get(server.make_url("/person-by-pin/")) as answer:
            assert answer.status == 404


@pytest.mark.asyncio
async def test_an_oversized_body_is_refused(server: TestServer) -> None:
    """Attacker: a body over the backend's bound is refused (413), not read into memory."""
    async with aiohttp.ClientSession() as session:
        url = server.make_url("/person-by-pin/1")
        async with session.get(url, data=b"x" * (MAX_REQUEST_BYTES + 1)) as answer:
            assert answer.status == 413


def test_answers_are_deterministic() -> None:
    """The same request always gets the same example (a demo must be repeatable)."""
    schema = PERSON["components"]["schemas"]["P"]  # type: ignore[index]
    first = example_value(schema, PERSON, {"id": "1"})
    assert first == example_value(schema, PERSON, {"id": "1"})
    assert first != example_value(schema, PERSON, {"id": "2"})


def test_a_hostile_document_is_refused() -> None:
    """Attacker: YAML anchors (a billion-laughs bomb) and non-OpenAPI input are refused."""
    with pytest.raises(DocumentShapeError):
        parse_document(b"paths: &a {x: 1}\nother: *a\n")
    with pytest.raises(ValueError, match="no paths"):
        parse_document(b'{"openapi": "3.0.3"}')


def test_an_external_reference_is_not_followed() -> None:
    """Attacker: a $ref to another file or URL is never fetched; the value is empty."""
    document = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "http://127.0.0.1:1/evil.json"}
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    operation = load_operations([document])[0]
    assert operation.body({}) == b'"value"'
