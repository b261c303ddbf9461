"""The HTTP client of a published log bounds what a hostile server can make it do (issue 7 (2))."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tunduk.journal.remote import MAX_ANSWER_BYTES, PublishedLog, RemoteLogError

ANSWERS: dict[str, tuple[int, bytes]] = {}


class _Handler(BaseHTTPRequestHandler):
    """Answers each path with whatever the test put in ANSWERS."""

    def do_GET(self) -> None:
        status, body = ANSWERS.get(self.path, (404, b"no such path"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving ANSWERS; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    ANSWERS.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/journal"
    httpd.shutdown()
    httpd.server_close()


def _proof(first: int, second: int, hashes: list[str]) -> bytes:
    return json.dumps({"from": first, "to": second, "proof": hashes}).encode()


def test_only_http_urls_are_accepted() -> None:
    """Issue 7 (2): a log URL must be http(s); file: and other schemes are refused."""
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/journal", "127.0.0.1/journal"):
        with pytest.raises(RemoteLogError, match="http"):
            PublishedLog(url)


def test_oversized_answer_is_refused(server: str) -> None:
    """Issue 7 (2): an answer above the size limit is refused, not buffered."""
    ANSWERS["/journal/checkpoint"] = (200, b"x" * (MAX_ANSWER_BYTES + 10))
    with pytest.raises(RemoteLogError, match="more than"):
        PublishedLog(server).checkpoint()


def test_http_error_names_status_and_body(server: str) -> None:
    """Issue 7 (2): an HTTP error is reported with its status and the server's explanation."""
    ANSWERS["/journal/checkpoint"] = (503, b"down for maintenance")
    with pytest.raises(RemoteLogError, match="503: down for maintenance"):
        PublishedLog(server).checkpoint()


@pytest.mark.parametrize(
    "answer",
    [
        _proof(2, 9, [base64.b64encode(b"\0" * 32).decode()]),  # other sizes than asked
        _proof(4, 8, ["not base64!"]),
        _proof(4, 8, [base64.b64encode(b"\0" * 31).decode()]),  # not a SHA-256 hash
        _proof(4, 8, [base64.b64encode(b"\0" * 32).decode()] * 129),  # too many hashes
        b"[1, 2]",
        b"not json",
    ],
)
def test_malformed_consistency_proof_is_refused(server: str, answer: bytes) -> None:
    """Issue 7 (2): a proof for other sizes, with bad hashes, too long or not JSON is refused."""
    ANSWERS["/journal/proofs/consistency?from=4&to=8"] = (200, answer)
    with pytest.raises(RemoteLogError):
        PublishedLog(server).consistency_proof(4, 8)


def test_silent_server_times_out() -> None:
    """Issue 7 (2): a server that accepts the connection but never answers does not hang us."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        log = PublishedLog(f"http://127.0.0.1:{port}/journal", timeout=0.3)
        with pytest.raises(RemoteLogError, match="cannot reach"):
            log.checkpoint()
