"""The backend the providers' gateways call in tests: a threaded HTTP echo service."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import threading
import time
from typing import Any
from urllib.parse import urlsplit


class Backend:
    """A threaded HTTP service: echoes the request as JSON, plus a few misbehaving paths.

    ``/slow?seconds=N`` sleeps, ``/redirect`` answers 302, ``/status/N`` answers N,
    ``/headers`` sets headers the gateway must overwrite, ``/with-proxy-header`` adds a
    ``Proxy-Status`` to the echo, ``/gzip`` answers gzip-encoded, ``/big?bytes=N`` sends N
    bytes.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                backend.handle(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        """Answer one request according to its path."""
        parts = urlsplit(handler.path)
        record = {
            "method": handler.command,
            "path": parts.path,
            "query": parts.query,
            "headers": {k.lower(): v for k, v in handler.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
        self.requests.append(record)
        status, headers, payload = self._route(parts.path, parts.query, record)
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)

    def _route(
        self, path: str, query: str, record: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        json_type = [("Content-Type", "application/json")]
        if "/slow" in path:
            seconds = float(query.partition("=")[2] or 1)
            time.sleep(seconds)
        if "/redirect" in path:
            return 302, [("Location", "http://127.0.0.1:1/elsewhere")], b""
        if "/status/" in path:
            return int(path.rsplit("/", 1)[1]), json_type, b'{"error":"from the service"}'
        if "/with-proxy-header" in path:  # the record, and a Proxy-* header to drop
            return 200, [*json_type, ("Proxy-Status", "backend")], json.dumps(record).encode()
        if "/headers" in path:
            return (
                200,
                [
                    *json_type,
                    ("X-Road-Request-Hash", "forged"),
                    ("X-Road-Id", "forged"),
                    ("X-Custom", "kept"),
                ],
                b"{}",
            )
        if "/gzip" in path:
            compressed = gzip.compress(b'{"compressed": true}')
            return 200, [*json_type, ("Content-Encoding", "gzip")], compressed
        if "/big" in path:
            size = int(query.partition("=")[2] or 0)
            return 200, [("Content-Type", "application/octet-stream")], b"x" * size
        return 200, json_type, json.dumps(record).encode()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
