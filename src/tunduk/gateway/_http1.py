"""A lean HTTP/1.1 client for the two hops of a message: to a peer gateway and to a backend.

aiohttp's ``ClientSession`` cost a fifth of a gateway's event-loop time per message
(request and response objects, tracing hooks, cookie jar, timers; measured with py-spy
under ``make bench-gateway``). These hops need much less, and this client does only that:

- keep-alive connections pooled per (host, port, TLS context), one request at a time on
  each, at most ``limit`` open at once, idle ones closed after ``idle_timeout``;
- the request goes out as given: the caller's headers, ``Host`` and ``Content-Length``,
  nothing added (no ``User-Agent``, no ``Accept-Encoding``), no body decompression;
- the answer is read whole: ``Content-Length``, chunked, or up to the close, refused past
  ``max_body`` bytes or a head past :data:`MAX_HEAD` bytes; ``1xx`` answers skipped;
- redirects are answers like any other (never followed); one total ``timeout``;
- the TLS peer's certificate is handed to ``check_certificate`` **before** the request is
  written, so nothing is sent to a gateway that is not the one expected;
- a request on a reused connection that the server closed before answering a single byte
  is sent again once on a new connection when its method is idempotent (the race of an
  idle keep-alive connection closing).

Exceptions::

    HttpClientError
     ├── ConnectFailed      no TCP connection (refused, unreachable, unknown host)
     ├── TlsFailed          the TLS handshake failed; ``.error`` is the ``ssl.SSLError``
     ├── Disconnected       the server closed the connection before the whole answer
     ├── MalformedAnswer    the answer is not HTTP/1.1 this client accepts
     └── AnswerTooLarge     the body is over ``max_body`` bytes
    TimeoutError            the whole exchange took longer than ``timeout``
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

from ._slots import Slots

__all__ = [
    "MAX_HEAD",
    "AnswerTooLarge",
    "ConnectFailed",
    "Disconnected",
    "HttpAnswer",
    "HttpClientError",
    "HttpPool",
    "MalformedAnswer",
    "TlsFailed",
    "split_authority",
    "split_url",
]

MAX_HEAD = 64 * 1024
"""The status line and headers of an answer are refused beyond this many bytes."""

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_FRAMING = frozenset({b"host", b"content-length", b"transfer-encoding", b"connection"})
_NO_BODY_STATUSES = frozenset({204, 304})
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_HEX = frozenset(b"0123456789abcdefABCDEF")


class HttpClientError(Exception):
    """The exchange failed below HTTP's semantics (see the module's tree)."""


class ConnectFailed(HttpClientError):
    """No TCP connection could be made."""


class TlsFailed(HttpClientError):
    """The TLS handshake failed; ``error`` is what OpenSSL said."""

    def __init__(self, error: ssl.SSLError) -> None:
        super().__init__(str(error))
        self.error = error


class Disconnected(HttpClientError):
    """The server closed the connection before the whole answer had arrived."""


class MalformedAnswer(HttpClientError):
    """The answer breaks HTTP/1.1 framing."""


class AnswerTooLarge(HttpClientError):
    """The answer's body is larger than the limit."""


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """An answer as received: status, headers in order (names as sent), whole body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class _Head:
    status: int
    headers: list[tuple[str, str]]
    keep_alive: bool
    length: int | None  # None: chunked or up to the close (see ``chunked``)
    chunked: bool


def _decode(raw: bytes) -> str:
    # As aiohttp does, so a value that passes through two hops comes out the same.
    return raw.decode("utf-8", "surrogateescape")


def _parse_head(block: bytes, method: str) -> _Head | None:
    """The head of an answer (without its blank line); None for a 1xx to skip."""
    lines = block.split(b"\r\n")
    status_line = lines[0]
    if not status_line.startswith(b"HTTP/1.") or len(status_line) < 12:
        raise MalformedAnswer("the status line is not HTTP/1.x")
    version = status_line[5:8]
    code = status_line[9:12]
    if version not in (b"1.0", b"1.1") or not code.isdigit() or status_line[8:9] != b" ":
        raise MalformedAnswer("the status line is not HTTP/1.x")
    status = int(code)
    if status < 100:
        raise MalformedAnswer(f"status {status} is not an HTTP status")
    if 100 <= status < 200:
        if status == 101:
            raise MalformedAnswer("the server switched protocols")
        return None
    headers: list[tuple[str, str]] = []
    lengths: set[bytes] = set()
    codings: list[bytes] = []
    connection: list[bytes] = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or not _TOKEN.issuperset(name):
            raise MalformedAnswer("a header line is malformed")
        value = value.strip(b" \t")
        lowered = name.lower()
        if lowered == b"content-length":
            lengths.update(part.strip() for part in value.split(b","))
        elif lowered == b"transfer-encoding":
            codings.extend(part.strip().lower() for part in value.split(b","))
        elif lowered == b"connection":
            connection.extend(part.strip().lower() for part in value.split(b","))
        headers.append((_decode(name), _decode(value)))
    keep_alive = version == b"1.1" and b"close" not in connection
    if method == "HEAD" or status in _NO_BODY_STATUSES:
        return _Head(status, headers, keep_alive, 0, chunked=False)
    if codings:
        if codings[-1] != b"chunked":
            return _Head(status, headers, False, None, chunked=False)
        return _Head(status, headers, keep_alive, None, chunked=True)
    if lengths:
        length = lengths.pop() if len(lengths) == 1 else b"two values"
        if not length.isdigit() or len(length) > 18:
            raise MalformedAnswer("Content-Length is malformed or given twice differently")
        return _Head(status, headers, keep_alive, int(length), chunked=False)
    return _Head(status, headers, False, None, chunked=False)


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: a buffer, the answer being read and its waiter."""

    def __init__(self, key: tuple[str, int, ssl.SSLContext | None]) -> None:
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.peer_certificate = b""
        self.buffer = bytearray()
        self.closed = False
        self.eof = False
        self.used = False
        self.idle_since = 0.0
        self._method = "GET"
        self._max_body = 0
        self._head: _Head | None = None
        self._chunks: list[bytes] = []
        self._received = 0
        self._waiter: asyncio.Future[HttpAnswer] | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self.transport = cast(asyncio.Transport, transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:  # one write per request: never wait for an ACK (Nagle)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.peer_certificate = ssl_object.getpeercert(binary_form=True) or b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self._waiter is not None:
            self._advance()
        elif len(self.buffer) > MAX_HEAD:
            self.close()  # bytes nobody asked for

    def eof_received(self) -> bool:
        self.eof = True
        if self._waiter is not None:
            self._advance()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.eof = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            self._advance()
            if not waiter.done():
                waiter.set_exception(Disconnected("the server closed the connection"))

    # one exchange
    def send(self, method: str, request: bytes, max_body: int) -> asyncio.Future[HttpAnswer]:
        assert self.transport is not None and self._waiter is None
        loop = asyncio.get_running_loop()
        self._waiter = loop.create_future()
        self._method, self._max_body, self._head = method, max_body, None
        self._chunks, self._received = [], 0
        self.used = True
        self.transport.write(request)
        if self.buffer or self.eof:
            self._advance()
        return self._waiter

    def answered_nothing(self) -> bool:
        """No byte of an answer arrived on this exchange (the keep-alive race)."""
        return self._head is None and not self.buffer

    def finish(self) -> None:
        self._waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _advance(self) -> None:
        waiter = self._waiter
        assert waiter is not None
        if waiter.done():
            return
        try:
            answer = self._read()
        except HttpClientError as error:
            self.close()
            waiter.set_exception(error)
            return
        if answer is not None:
            waiter.set_result(answer)

    def _read(self) -> HttpAnswer | None:
        while self._head is None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    raise MalformedAnswer(f"the answer's head is over {MAX_HEAD} bytes")
                if self.eof:
                    raise Disconnected("the server closed the connection before answering")
                return None
            if end > MAX_HEAD:
                raise MalformedAnswer(f"the answer's head is over {MAX_HEAD} bytes")
            block = bytes(self.buffer[:end])
            del self.buffer[: end + 4]
            self._head = _parse_head(block, self._method)
        head = self._head
        if head.chunked:
            done = self._read_chunks()
        elif head.length is not None:
            if head.length > self._max_body:
                raise AnswerTooLarge(f"the answer is larger than the limit of {self._max_body}")
            done = len(self.buffer) >= head.length
            if done:
                self._chunks = [bytes(self.buffer[: head.length])]
                del self.buffer[: head.length]
        else:
            done = self._read_to_close()
        if not done:
            if self.eof:
                raise Disconnected("the server closed the connection in the middle of the answer")
            return None
        if self.buffer or not head.keep_alive:
            self.close()  # a server that sends more than it was asked is not reused
        body = self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)
        return HttpAnswer(head.status, head.headers, body)

    def _take_body(self, data: bytes | bytearray) -> None:
        self._received += len(data)
        if self._received > self._max_body:
            raise AnswerTooLarge(f"the answer is larger than the limit of {self._max_body}")
        self._chunks.append(bytes(data))

    def _read_to_close(self) -> bool:
        if self.buffer:
            self._take_body(self.buffer)
            self.buffer.clear()
        return self.eof

    def _read_chunks(self) -> bool:
        buffer = self.buffer
        while True:
            line_end = buffer.find(b"\r\n")
            if line_end < 0:
                if len(buffer) > 4096:
                    raise MalformedAnswer("a chunk size line is too long")
                return False
            size_text = bytes(buffer[:line_end]).split(b";", 1)[0].strip()
            if not size_text or len(size_text) > 16 or not _HEX.issuperset(size_text):
                raise MalformedAnswer("a chunk size is malformed")
            size = int(size_text, 16)
            if size == 0:
                trailer_end = buffer.find(b"\r\n\r\n", line_end)
                if buffer[line_end : line_end + 4] == b"\r\n\r\n":
                    del buffer[: line_end + 4]
                    return True
                if trailer_end < 0:
                    if len(buffer) > MAX_HEAD:
                        raise MalformedAnswer("the trailers are too long")
                    return False
                del buffer[: trailer_end + 4]
                return True
            if self._received + size > self._max_body:
                raise AnswerTooLarge(f"the answer is larger than the limit of {self._max_body}")
            start = line_end + 2
            if len(buffer) < start + size + 2:
                return False
            if buffer[start + size : start + size + 2] != b"\r\n":
                raise MalformedAnswer("a chunk does not end with CRLF")
            self._take_body(buffer[start : start + size])
            del buffer[: start + size + 2]


@functools.lru_cache(maxsize=1024)
def split_authority(authority: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port``) as host and port; ValueError without a port."""
    parts = urlsplit(f"//{authority}")
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"{authority!r} is not host:port")
    return parts.hostname, parts.port


@functools.lru_cache(maxsize=1024)
def split_url(url: str) -> tuple[bool, str, int, str]:
    """An http(s) base URL as (TLS?, host, port, path without its trailing slash)."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    if parts.scheme not in ("http", "https") or parts.hostname is None:
        raise ValueError(f"{url!r} is not an http(s) URL")
    return secure, parts.hostname, parts.port or (443 if secure else 80), parts.path.rstrip("/")


def _request_bytes(
    method: str, target: str, host: str, headers: Sequence[tuple[str, str]], body: bytes
) -> bytes:
    parts = [f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n".encode("ascii")]
    for name, value in headers:
        raw_name = name.encode("ascii")
        if raw_name.lower() in _FRAMING:
            continue
        raw_value = value.encode("utf-8", "surrogateescape")
        if b"\r" in raw_value or b"\n" in raw_value or not _TOKEN.issuperset(raw_name):
            raise ValueError(f"header {name!r} cannot be sent")
        parts.append(raw_name + b": " + raw_value + b"\r\n")
    if body or method in _BODY_METHODS:
        parts.append(b"Content-Length: %d\r\n" % len(body))
    parts.append(b"\r\n")
    parts.append(body)
    return b"".join(parts)


class HttpPool:
    """Pooled keep-alive HTTP/1.1 connections; use from one event loop."""

    def __init__(self, *, limit: int = 100, idle_timeout: float = 30.0) -> None:
        self.limit = limit
        self.idle_timeout = idle_timeout
        self._idle: dict[tuple[str, int, ssl.SSLContext | None], collections.deque[_Connection]]
        self._idle = {}
        self._slots = Slots(limit)
        self.connections_made = 0

    async def request(
        self,
        method: str,
        host: str,
        port: int,
        target: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        context: ssl.SSLContext | None,
        timeout: float,
        max_body: int,
        check_certificate: Callable[[bytes], object] | None = None,
    ) -> HttpAnswer:
        """Send one request and read its whole answer (see the module for the rules)."""
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raw = _request_bytes(method, target, authority, headers, body)
        key = (host, port, context)
        async with asyncio.timeout(timeout):
            await self._slots.take()
            try:
                connection = self._idle_connection(key)
                reused = connection is not None
                if connection is None:
                    connection = await self._connect(key)
                try:
                    if check_certificate is not None:
                        check_certificate(connection.peer_certificate)
                    try:
                        answer = await connection.send(method, raw, max_body)
                    except Disconnected:
                        if not (reused and method in _IDEMPOTENT and connection.answered_nothing()):
                            raise
                        connection.finish()
                        connection.close()
                        connection = await self._connect(key)
                        if check_certificate is not None:
                            check_certificate(connection.peer_certificate)
                        answer = await connection.send(method, raw, max_body)
                except BaseException:
                    connection.close()
                    raise
                finally:
                    connection.finish()
                self._release(connection)
                return answer
            finally:
                self._slots.give()

    def _idle_connection(self, key: tuple[str, int, ssl.SSLContext | None]) -> _Connection | None:
        idle = self._idle.get(key)
        if not idle:
            return None
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            usable = not (connection.closed or connection.eof or connection.buffer)
            if usable and now - connection.idle_since < self.idle_timeout:
                return connection
            connection.close()
        return None

    def _release(self, connection: _Connection) -> None:
        if connection.closed or connection.eof or connection.buffer:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        self._idle.setdefault(connection.key, collections.deque()).append(connection)

    async def _connect(self, key: tuple[str, int, ssl.SSLContext | None]) -> _Connection:
        host, port, context = key
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                lambda: _Connection(key),
                host,
                port,
                ssl=context,
                server_hostname=host if context is not None else None,
            )
        except ssl.SSLError as error:
            raise TlsFailed(error) from None
        except OSError as error:
            raise ConnectFailed(f"cannot connect to {host}:{port}: {error.strerror}") from None
        self.connections_made += 1
        return connection

    def close(self) -> None:
        """Close every idle connection (busy ones close when their exchange ends)."""
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()
