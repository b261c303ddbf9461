"""The message digest: SHA-256 over the canonical, length-prefixed fields of one direction.

Every field is ``u32be(len(bytes)) ‖ bytes``, so no two different messages share an
encoding (no separator can be smuggled into a value). The exact layout, with a worked
example, is in ``docs/gateway-protocol.md`` ("The message digest").
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from operator import itemgetter
from typing import Literal

__all__ = ["DIGEST_LABEL", "Kind", "canonical_fields", "message_digest"]

Kind = Literal["request", "response"]

DIGEST_LABEL = b"tunduk-message-digest-v1"
"""The first field of every digest input: names the format and its version."""

_MAX_FIELD = 0xFFFFFFFF
_u32 = struct.Struct(">I").pack
_first = itemgetter(0)


def _field(data: bytes) -> bytes:
    size = len(data)
    if size > _MAX_FIELD:
        raise ValueError(f"a digest field of {size} bytes does not fit a 32-bit length")
    return _u32(size) + data


_LABEL_FIELD = _field(DIGEST_LABEL)
_UTF8 = "utf-8"
_RAW = "surrogateescape"


def _text(value: str, name: str) -> bytes:
    """UTF-8 of ``value``; ``surrogateescape`` gives back raw bytes a server decoded that way."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    return value.encode("utf-8", "surrogateescape")


def _canonical_headers(headers: Sequence[tuple[str, str]]) -> bytes:
    """Count, then name and value of each header: names lowercased, stably sorted by name."""
    pairs: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if type(name) is not str:
            _text(name, "header name")
        if type(value) is not str:
            _text(value, "header value")
        pairs.append(
            (
                name.encode("utf-8", "surrogateescape").lower(),
                value.encode("utf-8", "surrogateescape").strip(b" \t"),
            )
        )
    pairs.sort(key=_first)
    parts = [_u32(len(pairs))]
    for raw_name, raw_value in pairs:
        if not raw_name:
            raise ValueError("a header name is empty")
        parts.append(_field(raw_name))
        parts.append(_field(raw_value))
    return b"".join(parts)


def _response_fields(kind: Kind, status: int | None, request_hash: str | None) -> list[bytes]:
    if kind == "request":
        if status is not None or request_hash is not None:
            raise ValueError("a request digest has no status and no request hash")
        return [_field(b""), _field(b"")]
    if kind != "response":
        raise ValueError(f"kind must be 'request' or 'response', not {kind!r}")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"a response digest needs an HTTP status 100-599, not {status!r}")
    if not request_hash:
        raise ValueError("a response digest needs the request hash")
    return [_field(str(status).encode("ascii")), _field(_text(request_hash, "request_hash"))]


def canonical_fields(
    *,
    kind: Kind,
    message_id: str,
    request_id: str,
    client: str,
    service: str,
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body_sha256: bytes,
    status: int | None = None,
    request_hash: str | None = None,
) -> bytes:
    """The exact bytes :func:`message_digest` hashes (for the protocol document and tests)."""
    if len(body_sha256) != 32:
        raise ValueError(f"body_sha256 must be 32 bytes, not {len(body_sha256)}")
    parts = [_LABEL_FIELD]
    append = parts.append
    for value, name in (
        (kind, "kind"),
        (message_id, "message_id"),
        (request_id, "request_id"),
        (client, "client"),
        (service, "service"),
        (method, "method"),
        (path, "path"),
        (query, "query"),
    ):
        data = _text(value, name) if type(value) is not str else value.encode(_UTF8, _RAW)
        size = len(data)
        if size > _MAX_FIELD:
            raise ValueError(f"a digest field of {size} bytes does not fit a 32-bit length")
        append(_u32(size))
        append(data)
    parts.append(_canonical_headers(headers))
    parts.append(_field(bytes(body_sha256)))
    parts.extend(_response_fields(kind, status, request_hash))
    return b"".join(parts)


def message_digest(
    *,
    kind: Kind,
    message_id: str,
    request_id: str,
    client: str,
    service: str,
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body_sha256: bytes,
    status: int | None = None,
    request_hash: str | None = None,
) -> bytes:
    """The 32-byte SHA-256 digest one gateway signs for one direction of an exchange.

    ``kind`` is ``"request"`` (``status`` and ``request_hash`` must be ``None``) or
    ``"response"`` (both required). ``headers`` are the headers that pass through
    (:func:`tunduk.gateway.wire.signed_headers` picks them); names are compared
    lowercased and sorted, repeated names keep their order. ``path`` and ``query`` are
    as on the wire (percent-encoded, the query without ``?``). Raises ``ValueError`` for
    a field that cannot be encoded.
    """
    return hashlib.sha256(
        canonical_fields(
            kind=kind,
            message_id=message_id,
            request_id=request_id,
            client=client,
            service=service,
            method=method,
            path=path,
            query=query,
            headers=headers,
            body_sha256=body_sha256,
            status=status,
            request_hash=request_hash,
        )
    ).digest()
