"""RFC 3161 over HTTP (RFC 3161 §3.4) with the standard library's ``http.server``."""

from __future__ import annotations

import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tunduk.trust.tsa._authority import MAX_REQUEST_SIZE, TimeStampAuthority

TIMESTAMP_QUERY = "application/timestamp-query"
TIMESTAMP_REPLY = "application/timestamp-reply"

logger = logging.getLogger(__name__)


class TsaRequestHandler(BaseHTTPRequestHandler):
    """Answers ``POST`` time-stamp queries with replies; the authority is set per server."""

    authority: TimeStampAuthority
    server_version = "TundukDevTSA/1"

    def do_POST(self) -> None:
        """Time-stamp the DER TimeStampReq in the body (rejections are replies too)."""
        content_type = self.headers.get_content_type()
        if content_type != TIMESTAMP_QUERY:
            self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"send {TIMESTAMP_QUERY}")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._fail(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required")
            return
        if not 0 <= length <= MAX_REQUEST_SIZE:
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "time-stamp query too large")
            return
        reply = self.authority.respond(self.rfile.read(length))
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", TIMESTAMP_REPLY)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def do_GET(self) -> None:
        """Refuse: RFC 3161 over HTTP is POST only."""
        self._fail(HTTPStatus.METHOD_NOT_ALLOWED, "POST a time-stamp query", allow="POST")

    def _fail(self, status: HTTPStatus, text: str, *, allow: str | None = None) -> None:
        body = f"{status.value} {status.phrase}: {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # the stdlib's parameter name
        """Send access logs to :mod:`logging` instead of stderr."""
        logger.info("%s - " + format, self.address_string(), *args)


def make_server(
    authority: TimeStampAuthority, host: str = "127.0.0.1", port: int = 0
) -> ThreadingHTTPServer:
    """Bind (but do not start) an HTTP server answering for ``authority``."""
    handler = type("BoundTsaRequestHandler", (TsaRequestHandler,), {"authority": authority})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_tsa(
    authority: TimeStampAuthority, host: str = "127.0.0.1", port: int = 0
) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``authority`` in a background thread; return the server and its URL.

    ``port=0`` picks a free port. Stop it with ``server.shutdown(); server.server_close()``.
    """
    server = make_server(authority, host, port)
    thread = threading.Thread(target=server.serve_forever, name="tunduk-tsa", daemon=True)
    thread.start()
    bound_host = str(server.server_address[0])
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return server, f"http://{url_host}:{server.server_port}/"
