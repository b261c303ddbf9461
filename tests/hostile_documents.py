"""Hostile documents for attack tests: secrets on disk, a listening loopback server, bombs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SECRET_MARKER = "TUNDUK-SECRET-7f3c1a"
"""Text that must never come back to the caller: it stands for a server's private key."""

BILLION_LAUGHS = """openapi: 3.0.3
info: {title: lol, version: "1"}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
paths: {}
"""
"""The YAML "billion laughs": a few hundred bytes that expand to 9⁹ strings if aliases are followed."""


def secret_file(directory: Path) -> Path:
    """A PEM-looking file holding :data:`SECRET_MARKER`, as ``var/ca/ca-key.pem`` would."""
    path = directory / "ca-key.pem"
    path.write_text(f"-----BEGIN PRIVATE KEY-----\n{SECRET_MARKER}\n-----END PRIVATE KEY-----\n")
    return path


def document_with_ref(ref: str) -> dict[str, Any]:
    """A valid OpenAPI 3 document whose one response schema is ``{"$ref": ref}``."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Births", "version": "1"},
        "paths": {
            "/births": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "found",
                            "content": {"application/json": {"schema": {"$ref": ref}}},
                        }
                    }
                }
            }
        },
    }


def nested_json(depth: int) -> str:
    """A document whose ``info`` holds ``depth`` nested lists (valid JSON, absurdly deep)."""
    return (
        '{"openapi": "3.0.3", "info": {"title": "x", "version": "1", "x-deep": '
        + "[" * depth
        + "]" * depth
        + '}, "paths": {}}'
    )


@dataclass
class LoopbackServer:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def loopback_server() -> Iterator[LoopbackServer]:
    """Run a real HTTP server on a free loopback port; every GET gets a valid JSON schema."""
    recorded = LoopbackServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.requests.append(self.path)
            body = b'{"type": "object"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorded.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorded
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
