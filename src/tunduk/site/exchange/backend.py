"""Demo backends: a small aiohttp app per provider subsystem, answering from OpenAPI.

Each app serves the operations of its services' OpenAPI 3 documents. The answer is the
first 2xx response's JSON schema turned into an example (:func:`example_value`): the
same request always gets the same body, and string values carry the path parameters,
so a caller can see that the request reached the backend intact.

No Django: ``python -m tunduk.site.exchange.backend --manifest var/exchange/exchange.json``
(what ``make exchange`` runs) or ``--listen 127.0.0.1:9001 --openapi FILE …`` for one app.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvloop
from aiohttp import web

from tunduk.untrusted import load_json, load_yaml

__all__ = [
    "BackendSpec",
    "Operation",
    "backend_app",
    "example_value",
    "load_operations",
    "main",
    "serve_backends",
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ITEMS = 100_000
MAX_REQUEST_BYTES = 1024 * 1024
# Examples stop at this depth: a recursive schema ($ref to itself) must end somewhere.
MAX_EXAMPLE_DEPTH = 8
MAX_CACHED_ANSWERS = 4096


@dataclass(frozen=True)
class Operation:
    """One OpenAPI operation: its method, path template segments and canned answer."""

    method: str
    segments: tuple[str, ...]
    status: int
    schema: Mapping[str, Any] | None
    document: Mapping[str, Any]

    def match(self, method: str, segments: Sequence[str]) -> dict[str, str] | None:
        """The path parameters when ``segments`` fit this template, else ``None``."""
        if method != self.method or len(segments) != len(self.segments):
            return None
        parameters: dict[str, str] = {}
        for template, actual in zip(self.segments, segments, strict=True):
            if template.startswith("{") and template.endswith("}"):
                if not actual:
                    return None
                parameters[template[1:-1]] = actual
            elif template != actual:
                return None
        return parameters

    def body(self, parameters: Mapping[str, str]) -> bytes | None:
        """The example body for ``parameters`` (``None`` without a JSON schema)."""
        if self.schema is None:
            return None
        value = example_value(self.schema, self.document, parameters)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _resolve(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local ``$ref`` pointers (``#/components/...``); anything else is left alone."""
    for _ in range(MAX_EXAMPLE_DEPTH):
        reference = schema.get("$ref")
        if not isinstance(reference, str) or not reference.startswith("#/"):
            return schema
        target: Any = document
        for part in reference[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        if not isinstance(target, Mapping):
            return {}
        schema = target
    return {}


def example_value(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    parameters: Mapping[str, str],
    depth: int = 0,
    name: str = "value",
) -> object:
    """A deterministic example of ``schema``: ``example``, ``enum`` or built from the type.

    A string without an example reads ``"<description or name>: <path parameters>"``.
    """
    schema = _resolve(schema, document)
    if "example" in schema:
        return schema["example"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if depth >= MAX_EXAMPLE_DEPTH:
        return None
    if kind == "object":
        properties = schema.get("properties")
        if not isinstance(properties, Mapping):
            return {}
        return {
            str(key): example_value(sub, document, parameters, depth + 1, str(key))
            for key, sub in properties.items()
            if isinstance(sub, Mapping)
        }
    if kind == "array":
        items = schema.get("items")
        item = items if isinstance(items, Mapping) else {}
        return [example_value(item, document, parameters, depth + 1, name)]
    return _scalar(kind, schema, parameters, name)


def _scalar(
    kind: object, schema: Mapping[str, Any], parameters: Mapping[str, str], name: str
) -> object:
    if kind == "integer":
        minimum = schema.get("minimum")
        return minimum if isinstance(minimum, int) else 0
    if kind == "number":
        minimum = schema.get("minimum")
        return minimum if isinstance(minimum, int | float) else 0.0
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2000-01-01"
    if schema.get("format") == "date-time":
        return "2000-01-01T00:00:00Z"
    label = schema.get("description") if isinstance(schema.get("description"), str) else name
    echoed = "/".join(parameters.values())
    return f"{label}: {echoed}" if echoed else str(label)


def _success(operation: Mapping[str, Any]) -> tuple[int, Mapping[str, Any] | None]:
    """The first 2xx response of an operation and its JSON schema, if any."""
    responses = operation.get("responses")
    if not isinstance(responses, Mapping):
        return 200, None
    for code in sorted(str(key) for key in responses):
        if not (len(code) == 3 and code.startswith("2") and code.isdigit()):
            continue
        response = responses[code] if code in responses else responses.get(int(code))
        content = response.get("content") if isinstance(response, Mapping) else None
        media = content.get("application/json") if isinstance(content, Mapping) else None
        schema = media.get("schema") if isinstance(media, Mapping) else None
        return int(code), schema if isinstance(schema, Mapping) else None
    return 200, None


def parse_document(data: bytes) -> Mapping[str, Any]:
    """Parse an OpenAPI document (JSON or YAML), bounded like every outside document."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"the OpenAPI document exceeds {MAX_DOCUMENT_BYTES} bytes")
    text = data.decode("utf-8")
    value = (
        load_json(text, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
        if text.lstrip().startswith("{")
        else load_yaml(text, max_depth=MAX_DEPTH, max_items=MAX_ITEMS)
    )
    if not isinstance(value, Mapping) or not isinstance(value.get("paths"), Mapping):
        raise ValueError("not an OpenAPI document: no paths object")
    return value


def load_operations(documents: Iterable[Mapping[str, Any]]) -> list[Operation]:
    """Every operation of ``documents``, literal paths before templated ones."""
    operations = []
    for document in documents:
        for path, item in document["paths"].items():
            if not isinstance(item, Mapping) or not str(path).startswith("/"):
                continue
            segments = tuple(str(path).split("/")[1:])
            for method in METHODS:
                operation = item.get(method)
                if isinstance(operation, Mapping):
                    status, schema = _success(operation)
                    operations.append(Operation(method.upper(), segments, status, schema, document))
    # A literal segment wins over a parameter, as in OpenAPI's matching rule.
    operations.sort(key=lambda op: tuple(s.startswith("{") for s in op.segments))
    return operations


def backend_app(operations: Sequence[Operation]) -> web.Application:
    """An aiohttp app answering ``operations``; 404/405 as JSON for anything else."""
    # Answers are deterministic: keep the encoded ones (bounded) so the backend is cheap.
    answers: dict[tuple[int, tuple[str, ...]], bytes | None] = {}

    def answer(index: int, parameters: dict[str, str]) -> web.Response:
        key = (index, tuple(parameters.values()))
        if key not in answers:
            if len(answers) >= MAX_CACHED_ANSWERS:
                answers.clear()
            answers[key] = operations[index].body(parameters)
        body = answers[key]
        status = operations[index].status
        if body is None:
            return web.Response(status=status)
        return web.Response(status=status, body=body, content_type="application/json")

    async def handle(request: web.Request) -> web.StreamResponse:
        await request.read()  # bounded by client_max_size; the body is not used
        segments = request.match_info["tail"].split("/")
        allowed: set[str] = set()
        for index, operation in enumerate(operations):
            parameters = operation.match(request.method, segments)
            if parameters is not None:
                return answer(index, parameters)
            if operation.match(operation.method, segments) is not None:
                allowed.add(operation.method)
        if allowed:
            return web.json_response(
                {"error": "method not allowed"}, status=405, headers={"Allow": ",".join(allowed)}
            )
        return web.json_response({"error": "no such operation"}, status=404)

    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@dataclass(frozen=True)
class BackendSpec:
    """One backend app: its name, where it listens and the OpenAPI files it answers."""

    name: str
    host: str
    port: int
    openapi: tuple[Path, ...]

    def app(self) -> web.Application:
        """The aiohttp app for this backend."""
        documents = [parse_document(path.read_bytes()) for path in self.openapi]
        return backend_app(load_operations(documents))


async def serve_backends(specs: Sequence[BackendSpec], ready: asyncio.Event | None = None) -> None:
    """Serve every backend until cancelled (or SIGINT/SIGTERM when run as a program)."""
    runners = []
    try:
        for spec in specs:
            runner = web.AppRunner(spec.app(), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, spec.host, spec.port, backlog=1024).start()
            runners.append(runner)
            print(f"backend {spec.name} on http://{spec.host}:{spec.port}/", flush=True)
        if ready is not None:
            ready.set()
        await asyncio.Event().wait()
    finally:
        for runner in runners:
            await runner.cleanup()


def specs_from_manifest(path: Path) -> list[BackendSpec]:
    """The backends listed in the demo's manifest (``tunduk exchange_prepare`` writes it)."""
    manifest = json.loads(path.read_text())
    return [
        BackendSpec(
            item["name"],
            item["host"],
            int(item["port"]),
            tuple(path.parent / p for p in item["openapi"]),
        )
        for item in manifest["backends"]
    ]


def _arguments(argv: Sequence[str] | None) -> list[BackendSpec]:
    parser = argparse.ArgumentParser(
        prog="python -m tunduk.site.exchange.backend", description="Demo backends from OpenAPI."
    )
    parser.add_argument("--manifest", type=Path, help="the demo's exchange.json")
    parser.add_argument("--listen", default="127.0.0.1:9001", help="host:port for one backend")
    parser.add_argument("--openapi", type=Path, action="append", default=[], help="OpenAPI file")
    args = parser.parse_args(argv)
    if args.manifest:
        return specs_from_manifest(args.manifest)
    if not args.openapi:
        parser.error("give --manifest or at least one --openapi file")
    host, _, port = args.listen.rpartition(":")
    return [BackendSpec("backend", host, int(port), tuple(args.openapi))]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the backends until SIGINT or SIGTERM."""
    specs = _arguments(argv)

    async def run() -> None:
        task = asyncio.ensure_future(serve_backends(specs))
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    uvloop.run(run())


if __name__ == "__main__":
    main()
