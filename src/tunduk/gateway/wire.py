"""How a request and its response travel between two gateways (over mutual-TLS HTTPS).

``docs/gateway-protocol.md`` is the specification; this module is its reference: it
builds the headers each gateway sends and reads them back strictly and with bounds (a
missing, repeated or malformed header is a ``GatewayError`` naming it), and it computes
both directions' digests exactly as the specification says. The X-Road parts (the
request target, ``X-Road-*`` request headers, the passing-header filter,
``X-Road-Request-Hash``) are :mod:`tunduk.gateway.xroad`'s.

- request: ``{METHOD} /r1/{serviceId}{rest}[?query]`` with the passing headers, the X-Road
  request headers in canonical form, ``X-Road-Request-Id``, ``Tunduk-Signature`` and
  ``Tunduk-Certificate``;
- response: the backend's status, passing headers (``Date`` and, with a body,
  ``Content-Type`` made explicit) and body, ``X-Road-Id``, ``X-Road-Request-Id``,
  ``X-Road-Request-Hash``, ``Tunduk-Signature``, ``Tunduk-Certificate``;
- refusal: an X-Road error body with ``X-Road-Error`` (and the ids when known), unsigned.

Codes: a bad ``Tunduk-*`` header is ``Server.ServerProxy.InvalidSignatureValue`` on the
provider and ``Server.ClientProxy.InvalidSignatureValue`` on the client gateway; a bad
``X-Road-Request-Id`` in a request is ``Client.BadRequest``; a response whose ids or
request hash are not the request's is ``Server.ClientProxy.InconsistentResponse``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate

from . import xroad
from ._errors import Code, GatewayError
from .signing import Kind, MessageSignature, Side, message_digest

__all__ = [
    "CERTIFICATE",
    "ERROR",
    "MAX_CERTIFICATE_HEADER",
    "MAX_ID_LENGTH",
    "MESSAGE_ID",
    "REQUEST_HASH",
    "REQUEST_ID",
    "SIGNATURE",
    "PeerRequest",
    "PeerResponse",
    "explicit_headers",
    "read_request",
    "read_response",
    "read_signature",
    "request_digest",
    "request_headers",
    "response_digest",
    "response_headers",
    "signed_headers",
]

MESSAGE_ID = "X-Road-Id"
REQUEST_ID = "X-Road-Request-Id"
REQUEST_HASH = "X-Road-Request-Hash"
ERROR = "X-Road-Error"
SIGNATURE = "Tunduk-Signature"
CERTIFICATE = "Tunduk-Certificate"

MAX_CERTIFICATE_HEADER = 8192
"""Longest ``Tunduk-Certificate`` value (base64 of the DER, so at most 6 KiB of DER)."""

MAX_ID_LENGTH = 255
"""Longest ``X-Road-Request-Id`` (and ``X-Road-Request-Hash``) accepted."""

_ID = re.compile(rf"[\x20-\x7e]{{1,{MAX_ID_LENGTH}}}")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,254}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _all(headers: Iterable[tuple[str, str]], name: str) -> list[str]:
    if isinstance(headers, _Index):
        return headers.values(name)
    lowered = name.lower()
    return [value for key, value in headers if key.lower() == lowered]


class _Index(list[tuple[str, str]]):
    """Header pairs with their values by lower-cased name, built in one pass."""

    def __init__(self, headers: Iterable[tuple[str, str]]) -> None:
        super().__init__(headers)
        self._by_name: dict[str, list[str]] = {}
        for key, value in self:
            self._by_name.setdefault(key.lower(), []).append(value)

    def values(self, name: str) -> list[str]:
        """Every value of header ``name``, in order."""
        return self._by_name.get(name.lower(), [])


def _one(headers: Iterable[tuple[str, str]], name: str, code: Code) -> str:
    values = _all(headers, name)
    if not values:
        raise GatewayError(code, f"{name}: the header is missing")
    if len(values) > 1:
        raise GatewayError(code, f"{name}: the header is repeated")
    return values[0].strip(" \t")


def _token(headers: Iterable[tuple[str, str]], name: str, code: Code) -> str:
    value = _one(headers, name, code)
    if not _ID.fullmatch(value):
        raise GatewayError(code, f"{name}: must be 1 to {MAX_ID_LENGTH} printable ASCII characters")
    return value


def read_signature(
    headers: Iterable[tuple[str, str]], side: Side
) -> tuple[MessageSignature, bytes]:
    """``Tunduk-Signature`` parsed and ``Tunduk-Certificate`` decoded (DER), each exactly once."""
    code = Code.INVALID_SIGNATURE_CLIENT if side == "client" else Code.INVALID_SIGNATURE_SERVER
    pairs = headers if isinstance(headers, _Index) else _Index(headers)
    try:
        signature = MessageSignature.from_header(_one(pairs, SIGNATURE, code))
    except ValueError as error:
        raise GatewayError(code, str(error)) from None
    return signature, _certificate(_one(pairs, CERTIFICATE, code), code)


_DECODED: dict[str, bytes] = {}
_ENCODED: dict[bytes, str] = {}
_CACHE_SIZE = 64
"""Certificates whose header form is remembered: a peer sends the same one on every message."""


def _certificate(text: str, code: Code) -> bytes:
    """The DER of a ``Tunduk-Certificate`` value (checked once per distinct value)."""
    der = _DECODED.get(text)
    if der is not None:
        return der
    if len(text) > MAX_CERTIFICATE_HEADER:
        raise GatewayError(
            code, f"{CERTIFICATE}: is longer than {MAX_CERTIFICATE_HEADER} characters"
        )
    if not _BASE64.fullmatch(text) or len(text) % 4:
        raise GatewayError(code, f"{CERTIFICATE}: is not base64")
    try:
        der = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise GatewayError(code, f"{CERTIFICATE}: is not base64") from None
    if len(_DECODED) >= _CACHE_SIZE:
        _DECODED.clear()
    _DECODED[text] = der
    return der


def _signature_headers(
    signature: MessageSignature, certificate_der: bytes
) -> list[tuple[str, str]]:
    text = _ENCODED.get(certificate_der)
    if text is None:
        if len(_ENCODED) >= _CACHE_SIZE:
            _ENCODED.clear()
        text = _ENCODED[certificate_der] = base64.b64encode(certificate_der).decode("ascii")
    return [(SIGNATURE, signature.to_header()), (CERTIFICATE, text)]


def signed_headers(
    headers: Iterable[tuple[str, str]], kind: Kind | None = None
) -> list[tuple[str, str]]:
    """The headers a direction's digest binds, from its headers as exchanged.

    A request (``kind="request"``, or by default when ``X-Road-Client`` is present) binds
    its passing headers and its X-Road request headers in canonical form
    (``xroad.ClientHeaders.hashed_headers``); a response binds its passing headers. Raises
    ``GatewayError`` for headers no gateway would have sent. Evidence uses this to
    recompute a digest from the stored headers.
    """
    pairs = list(headers)
    if kind is None:
        kind = "request" if _all(pairs, "X-Road-Client") else "response"
    if kind == "request":
        return xroad.parse_client_headers(pairs, generate_id=False).hashed_headers()
    return list(xroad.passing_headers(pairs))


# ---- the request ------------------------------------------------------------------------


def request_digest(
    method: str,
    target: xroad.RestTarget,
    client_headers: xroad.ClientHeaders,
    request_id: str,
    body_sha256: bytes,
) -> bytes:
    """The request's digest: ids, client, service, method, ``/r1/…`` path, query, headers, body."""
    return message_digest(
        kind="request",
        message_id=client_headers.message_id,
        request_id=request_id,
        client=str(client_headers.client),
        service=str(target.service),
        method=method,
        path=target.canonical_path,
        query=target.query,
        headers=client_headers.hashed_headers(),
        body_sha256=body_sha256,
    )


def request_headers(
    client_headers: xroad.ClientHeaders,
    request_id: str,
    signature: MessageSignature,
    certificate_der: bytes,
) -> list[tuple[str, str]]:
    """The headers the client gateway sends: passing, X-Road (canonical), ids, signature."""
    client = client_headers
    headers = [
        *client.passing,
        ("X-Road-Client", str(client.client)),
        (MESSAGE_ID, client.message_id),
    ]
    optional = (
        ("X-Road-UserId", client.user_id),
        ("X-Road-Issue", client.issue),
        ("X-Road-Security-Server", client.security_server),
        ("X-Road-Represented-Party", client.represented_party),
    )
    headers.extend((name, str(value)) for name, value in optional if value is not None)
    headers.append((REQUEST_ID, request_id))
    headers.extend(_signature_headers(signature, certificate_der))
    return headers


@dataclass(frozen=True)
class PeerRequest:
    """A signed request between gateways: as the client gateway sent it or the provider read it."""

    method: str
    target: xroad.RestTarget
    client_headers: xroad.ClientHeaders
    request_id: str
    signature: MessageSignature
    certificate_der: bytes

    def digest(self, body_sha256: bytes) -> bytes:
        """The digest the client gateway must have signed for this request and body."""
        return request_digest(
            self.method, self.target, self.client_headers, self.request_id, body_sha256
        )

    def request_hash(self, body: bytes) -> str:
        """``X-Road-Request-Hash`` of this request (``docs/gateway-request-hash.md``)."""
        return xroad.request_hash(
            method=self.method,
            path=self.target.canonical_path,
            query=self.target.query,
            headers=self.client_headers.hashed_headers(),
            body=body,
        )


def read_request(method: str, raw_target: str, headers: Iterable[tuple[str, str]]) -> PeerRequest:
    """Read a peer's request: ``raw_target`` is the path and query exactly as received."""
    pairs = list(headers)
    target = xroad.parse_target(raw_target)
    client_headers = xroad.parse_client_headers(pairs, generate_id=False)
    request_id = _token(pairs, REQUEST_ID, Code.CLIENT_BAD_REQUEST)
    signature, der = read_signature(pairs, "server")
    return PeerRequest(method, target, client_headers, request_id, signature, der)


# ---- the response -----------------------------------------------------------------------


def explicit_headers(
    passing: Iterable[tuple[str, str]], body: bytes, *, date: str | None = None
) -> list[tuple[str, str]]:
    """``passing`` with the ``Date`` and (with a body) ``Content-Type`` an HTTP server would add.

    The provider signs what the client gateway will receive, so it sends them itself.
    """
    headers = list(passing)
    names = {name.lower() for name, _ in headers}
    if "date" not in names:
        headers.append(("Date", date or formatdate(usegmt=True)))
    if body and "content-type" not in names:
        headers.append(("Content-Type", "application/octet-stream"))
    return headers


def response_digest(
    request: PeerRequest,
    *,
    status: int,
    passing: Iterable[tuple[str, str]],
    request_hash: str,
    body_sha256: bytes,
) -> bytes:
    """The response's digest: the request's fields, status, passing headers, hash, body."""
    client = request.client_headers
    return message_digest(
        kind="response",
        message_id=client.message_id,
        request_id=request.request_id,
        client=str(client.client),
        service=str(request.target.service),
        method=request.method,
        path=request.target.canonical_path,
        query=request.target.query,
        headers=list(passing),
        body_sha256=body_sha256,
        status=status,
        request_hash=request_hash,
    )


def response_headers(
    request: PeerRequest,
    *,
    passing: Iterable[tuple[str, str]],
    request_hash: str,
    signature: MessageSignature,
    certificate_der: bytes,
) -> list[tuple[str, str]]:
    """The headers the provider gateway answers with (``passing`` already explicit)."""
    return [
        *passing,
        (MESSAGE_ID, request.client_headers.message_id),
        (REQUEST_ID, request.request_id),
        (REQUEST_HASH, request_hash),
        *_signature_headers(signature, certificate_der),
    ]


@dataclass(frozen=True)
class PeerResponse:
    """A response as the client gateway reads it; ``error`` is set for an (unsigned) refusal."""

    status: int
    passing: tuple[tuple[str, str], ...]
    error: str | None
    signature: MessageSignature | None
    certificate_der: bytes | None


def read_response(
    status: int,
    headers: Iterable[tuple[str, str]],
    *,
    message_id: str,
    request_id: str,
    request_hash: str,
) -> PeerResponse:
    """Read the provider gateway's answer to the request with these ids and hash.

    A refusal (``X-Road-Error``) is returned unsigned with its code; anything else must
    carry the request's ids and request hash and a well-formed signature.
    """
    pairs = _Index(headers)
    code = Code.INCONSISTENT_RESPONSE
    if _all(pairs, ERROR):
        error = _one(pairs, ERROR, code)
        if not _CODE.fullmatch(error):
            raise GatewayError(code, f"{ERROR}: is not an X-Road error code")
        return PeerResponse(status, (), error, None, None)
    for name, expected in (
        (MESSAGE_ID, message_id),
        (REQUEST_ID, request_id),
        (REQUEST_HASH, request_hash),
    ):
        if _one(pairs, name, code) != expected:
            raise GatewayError(code, f"{name}: is not the request's")
    try:
        passing = xroad.passing_headers(pairs)
    except GatewayError as error:
        raise GatewayError(code, error.message) from None
    signature, der = read_signature(pairs, "client")
    return PeerResponse(status, passing, None, signature, der)
