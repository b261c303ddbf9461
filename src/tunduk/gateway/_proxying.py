"""What both proxies share: bounded bodies, error answers, peer certificates, journal items.

Bodies are read into memory once, never into temporary files, and never beyond
``limits.max_body_bytes`` (X-Road's REST pipeline spools to disk: issue #1360).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import ssl
import time
from collections.abc import Mapping
from datetime import datetime

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from ._errors import Code, GatewayError, error_body
from ._random import uuid4_text

__all__ = [
    "SERVER_SOFTWARE",
    "XROAD_ERROR",
    "Journaled",
    "error_response",
    "hide_server_software",
    "internal_error",
    "new_id",
    "peer_certificate",
    "read_request_body",
    "read_response_body",
    "response_transport",
    "rfc3339",
    "sha256",
]

logger = logging.getLogger("tunduk.gateway")

XROAD_ERROR = "X-Road-Error"

SERVER_SOFTWARE = "Tunduk gateway"
"""The ``Server`` header of every answer: no framework name or version for a scanner to match."""


async def hide_server_software(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: aiohttp would otherwise announce its own name and version."""
    response.headers["Server"] = SERVER_SOFTWARE


class Journaled(Exception):
    """A failure after the request was signed, already journaled with its signed leaf."""

    def __init__(self, error: GatewayError) -> None:
        super().__init__(str(error))
        self.error = error


new_id = uuid4_text
"""A fresh random UUID, version 4 (message ids the client did not send, request ids,
error details)."""


def rfc3339(moment: datetime | None = None) -> str:
    """RFC 3339 UTC with microseconds, as the journal's leaves carry receive times."""
    if moment is not None:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    micros = time.time_ns() // 1000
    seconds, fraction = divmod(micros, 1_000_000)
    return f"{_second(seconds)}.{fraction:06d}Z"


@functools.lru_cache(maxsize=4)
def _second(seconds: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` of a Unix second (the same second is formatted once)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


async def read_request_body(request: web.Request, limit: int, code: str) -> bytes:
    """The whole body of a request to this gateway, refused when over ``limit`` bytes."""
    length = request.content_length
    if length is not None and length > limit:
        raise GatewayError(code, f"the body is larger than the limit of {limit} bytes")
    if not request.body_exists:
        return b""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise GatewayError(code, f"the body is larger than the limit of {limit} bytes") from None


async def read_response_body(response: aiohttp.ClientResponse, limit: int, code: str) -> bytes:
    """The whole body of an answer this gateway received, refused when over ``limit`` bytes."""
    length = response.content_length
    if length is not None:
        if length > limit:
            raise GatewayError(code, f"the answer is larger than the limit of {limit} bytes")
        return await response.read()
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise GatewayError(code, f"the answer is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(
    error: GatewayError,
    accept: str | None,
    *,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """X-Road's error answer: status by the code's family, JSON or XML, ``X-Road-Error``."""
    body, content_type = error_body(error, detail or new_id(), accept)
    answer_headers = CIMultiDict(headers or {})
    answer_headers[XROAD_ERROR] = error.code
    answer_headers["Content-Type"] = content_type
    return web.Response(status=error.status, body=body, headers=answer_headers)


def internal_error(side: str, error: BaseException, detail: str) -> GatewayError:
    """Log an unexpected failure with its detail id; the client sees only the id."""
    logger.error("unexpected failure %s", detail, exc_info=error)
    code = Code.INTERNAL if side == "client" else Code.INTERNAL_SERVER
    return GatewayError(code, f"internal error; the gateway's log has it under {detail}")


def peer_certificate(transport: object) -> bytes:
    """The DER certificate the peer presented on a TLS transport (empty when none)."""
    get_extra_info = getattr(transport, "get_extra_info", None)
    if get_extra_info is None:
        return b""
    ssl_object: ssl.SSLObject | None = get_extra_info("ssl_object")
    if ssl_object is None:
        return b""
    der = ssl_object.getpeercert(binary_form=True)
    return der or b""


def response_transport(response: aiohttp.ClientResponse) -> object:
    """The TLS transport a response came on, even once its connection went back to the pool.

    aiohttp releases the connection as soon as a short body has arrived, so
    ``response.connection`` may already be None; the protocol (and its transport) stays.
    """
    connection = response.connection
    if connection is not None:
        return connection.transport
    protocol = getattr(response, "_protocol", None)  # aiohttp keeps no public handle on it
    return getattr(protocol, "transport", None)


def sha256(data: bytes) -> bytes:
    """SHA-256 of ``data``."""
    return hashlib.sha256(data).digest()
