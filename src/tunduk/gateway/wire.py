"""How a request and its response travel between two gateways (over mutual-TLS HTTPS).

The client gateway sends the client's request as ``{METHOD} /r1/{serviceId}{rest}[?query]``
to the provider gateway with the headers that pass through plus the ones named here;
the provider answers with the backend's status, body and passing headers plus its own.
Both directions carry the sender's gateway identity, signing certificate and
:class:`~tunduk.gateway.signing.MessageSignature`. ``docs/gateway-protocol.md`` is the
specification; this module builds the headers and reads them back, strictly and with
bounds: a missing, repeated or malformed header is a ``GatewayError`` naming it.

Codes: the provider reading a request answers ``Server.ServerProxy.InvalidSignatureValue``
for a bad ``Tunduk-*`` header, ``Client.InvalidClientIdentifier`` for a bad
``X-Road-Client`` and ``Client.BadRequest`` for the rest; the client gateway reading a
response answers ``Server.ClientProxy.InvalidSignatureValue`` for a bad ``Tunduk-*``
header and ``Server.ClientProxy.InconsistentResponse`` for the rest, including ids that
are not the request's.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from tunduk.identifiers import (
    IdentifierError,
    MemberId,
    ServerId,
    ServiceId,
    SubsystemId,
    parse_server,
)

from ._errors import Code, GatewayError
from .signing import Kind, MessageSignature, message_digest

__all__ = [
    "CERTIFICATE",
    "CLIENT",
    "DEFAULT_CONTENT_TYPE",
    "GATEWAY",
    "MAX_CERTIFICATE_HEADER",
    "MAX_ID_LENGTH",
    "MESSAGE_ID",
    "REQUEST_HASH",
    "REQUEST_ID",
    "SERVICE",
    "SIGNATURE",
    "UNSIGNED_HEADERS",
    "PeerRequest",
    "PeerResponse",
    "RequestFields",
    "SignedBy",
    "encode_identifier",
    "passing_headers",
    "read_request",
    "read_response",
    "request_headers",
    "response_headers",
    "signed_headers",
]

CLIENT = "X-Road-Client"
SERVICE = "X-Road-Service"
MESSAGE_ID = "X-Road-Id"
REQUEST_ID = "X-Road-Request-Id"
REQUEST_HASH = "X-Road-Request-Hash"
GATEWAY = "Tunduk-Gateway"
CERTIFICATE = "Tunduk-Certificate"
SIGNATURE = "Tunduk-Signature"

MAX_CERTIFICATE_HEADER = 8000
"""Longest ``Tunduk-Certificate`` value (base64 of the DER), under aiohttp's 8190-byte field limit."""

MAX_ID_LENGTH = 255
"""Longest ``X-Road-Id`` / ``X-Road-Request-Id`` / ``X-Road-Request-Hash`` accepted."""

UNSIGNED_HEADERS = frozenset(
    {
        # hop-by-hop and set by the HTTP stacks on the way
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "user-agent",
        "server",
        "date",
        "content-length",
        # carried as digest fields of their own, or the signature itself
        CLIENT.lower(),
        SERVICE.lower(),
        MESSAGE_ID.lower(),
        REQUEST_ID.lower(),
        REQUEST_HASH.lower(),
        GATEWAY.lower(),
        CERTIFICATE.lower(),
        SIGNATURE.lower(),
    }
)
"""Header names (lowercase) the message digest leaves out; every other header is signed."""

DEFAULT_CONTENT_TYPE = "application/octet-stream"
"""The ``Content-Type`` a message without one is signed with (RFC 9110 §8.3)."""

_ID = re.compile(rf"[\x21-\x7e]{{1,{MAX_ID_LENGTH}}}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


@dataclass(frozen=True)
class SignedBy:
    """Who signed one direction: the sending gateway, its signing certificate, the signature."""

    gateway: ServerId
    certificate_der: bytes
    signature: MessageSignature


@dataclass(frozen=True)
class RequestFields:
    """What identifies one exchange; both directions' digests bind all of it.

    ``path`` is the raw (percent-encoded) rest after ``/r1/{serviceId}``, ``""`` or
    starting with ``/``; ``query`` is the raw query without ``?``.
    """

    method: str
    service: ServiceId
    path: str
    query: str
    client: MemberId | SubsystemId
    message_id: str
    request_id: str

    def request_digest(self, headers: Iterable[tuple[str, str]], body_sha256: bytes) -> bytes:
        """The request's digest over these fields, the signed ``headers`` and the body hash."""
        return self._digest("request", headers, body_sha256, None, None)

    def response_digest(
        self,
        *,
        status: int,
        request_hash: str,
        headers: Iterable[tuple[str, str]],
        body_sha256: bytes,
    ) -> bytes:
        """The response's digest: bound to the request's fields, its status and request hash."""
        return self._digest("response", headers, body_sha256, status, request_hash)

    def _digest(
        self,
        kind: Kind,
        headers: Iterable[tuple[str, str]],
        body_sha256: bytes,
        status: int | None,
        request_hash: str | None,
    ) -> bytes:
        return message_digest(
            kind=kind,
            message_id=self.message_id,
            request_id=self.request_id,
            client=str(self.client),
            service=str(self.service),
            method=self.method,
            path=self.path,
            query=self.query,
            headers=signed_headers(headers),
            body_sha256=body_sha256,
            status=status,
            request_hash=request_hash,
        )


@dataclass(frozen=True)
class PeerRequest:
    """A request as the provider gateway reads it from the client gateway."""

    fields: RequestFields
    headers: tuple[tuple[str, str], ...]
    signed_by: SignedBy

    def digest(self, body_sha256: bytes) -> bytes:
        """The digest the client gateway must have signed for this request and body."""
        return self.fields.request_digest(self.headers, body_sha256)


@dataclass(frozen=True)
class PeerResponse:
    """A response as the client gateway reads it from the provider gateway."""

    fields: RequestFields
    status: int
    request_hash: str
    headers: tuple[tuple[str, str], ...]
    signed_by: SignedBy

    def digest(self, body_sha256: bytes) -> bytes:
        """The digest the provider gateway must have signed for this response and body."""
        return self.fields.response_digest(
            status=self.status,
            request_hash=self.request_hash,
            headers=self.headers,
            body_sha256=body_sha256,
        )


def encode_identifier(identifier: MemberId | SubsystemId | ServiceId | ServerId) -> str:
    """An identifier for a header: each part percent-encoded on its own, ``/`` between."""
    return "/".join(quote(part, safe="") for part in str(identifier).split("/"))


def passing_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers that pass between gateways: all but :data:`UNSIGNED_HEADERS`, in order."""
    return [(name, value) for name, value in headers if name.lower() not in UNSIGNED_HEADERS]


def signed_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers a digest binds: :func:`passing_headers`, and ``Content-Type`` when absent.

    A message without ``Content-Type`` is signed as ``application/octet-stream``, what
    RFC 9110 §8.3 lets a recipient assume and what HTTP stacks (aiohttp) add on the way.
    """
    passing = passing_headers(headers)
    if not any(name.lower() == "content-type" for name, _ in passing):
        passing.append(("content-type", DEFAULT_CONTENT_TYPE))
    return passing


def _signed_by_headers(signed_by: SignedBy) -> list[tuple[str, str]]:
    return [
        (GATEWAY, encode_identifier(signed_by.gateway)),
        (CERTIFICATE, base64.b64encode(signed_by.certificate_der).decode("ascii")),
        (SIGNATURE, signed_by.signature.to_header()),
    ]


def request_headers(
    fields: RequestFields, *, passing: Iterable[tuple[str, str]], signed_by: SignedBy
) -> list[tuple[str, str]]:
    """The headers the client gateway sends: ``passing`` (minus unsigned ones) and ours."""
    return [
        *passing_headers(passing),
        (CLIENT, encode_identifier(fields.client)),
        (MESSAGE_ID, fields.message_id),
        (REQUEST_ID, fields.request_id),
        *_signed_by_headers(signed_by),
    ]


def response_headers(
    fields: RequestFields,
    *,
    request_hash: str,
    passing: Iterable[tuple[str, str]],
    signed_by: SignedBy,
) -> list[tuple[str, str]]:
    """The headers the provider gateway answers with: ``passing`` and ours."""
    return [
        *passing_headers(passing),
        (CLIENT, encode_identifier(fields.client)),
        (SERVICE, encode_identifier(fields.service)),
        (MESSAGE_ID, fields.message_id),
        (REQUEST_ID, fields.request_id),
        (REQUEST_HASH, request_hash),
        *_signed_by_headers(signed_by),
    ]


# ---- reading ---------------------------------------------------------------------------


class _Headers:
    """Received headers, each of ours required exactly once; failures carry the right code."""

    def __init__(self, headers: Iterable[tuple[str, str]], codes: dict[str, Code]) -> None:
        self.items = list(headers)
        self.codes = codes

    def fail(self, name: str, problem: str) -> GatewayError:
        code = self.codes.get(name, self.codes["*"])
        return GatewayError(code, f"{name}: {problem}")

    def one(self, name: str) -> str:
        lower = name.lower()
        values = [value for key, value in self.items if key.lower() == lower]
        if not values:
            raise self.fail(name, "the header is missing")
        if len(values) > 1:
            raise self.fail(name, "the header is repeated")
        return values[0].strip(" \t")

    def message_id(self, name: str) -> str:
        value = self.one(name)
        if not _ID.fullmatch(value):
            raise self.fail(name, f"must be 1 to {MAX_ID_LENGTH} printable ASCII characters")
        return value

    def identifier_parts(self, name: str, value: str, counts: tuple[int, ...]) -> list[str]:
        parts = value.split("/")
        if len(parts) not in counts:
            raise self.fail(name, "has the wrong number of '/'-separated parts")
        try:
            return [unquote(part, errors="strict") for part in parts]
        except UnicodeDecodeError:
            raise self.fail(name, "is not percent-encoded UTF-8") from None

    def client(self) -> MemberId | SubsystemId:
        parts = self.identifier_parts(CLIENT, self.one(CLIENT), (3, 4))
        try:
            member = MemberId(*parts[:3])
            return member if len(parts) == 3 else SubsystemId(member, parts[3])
        except IdentifierError as error:
            raise self.fail(CLIENT, str(error)) from None

    def signed_by(self) -> SignedBy:
        parts = self.identifier_parts(GATEWAY, self.one(GATEWAY), (4,))
        try:
            gateway = parse_server("/".join(parts))
        except IdentifierError as error:
            raise self.fail(GATEWAY, str(error)) from None
        return SignedBy(gateway, self._certificate(), self._signature())

    def _certificate(self) -> bytes:
        text = self.one(CERTIFICATE)
        if len(text) > MAX_CERTIFICATE_HEADER:
            raise self.fail(CERTIFICATE, f"is longer than {MAX_CERTIFICATE_HEADER} characters")
        if not _BASE64.fullmatch(text) or len(text) % 4:
            raise self.fail(CERTIFICATE, "is not base64")
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error:
            raise self.fail(CERTIFICATE, "is not base64") from None

    def _signature(self) -> MessageSignature:
        try:
            return MessageSignature.from_header(self.one(SIGNATURE))
        except ValueError as error:
            raise self.fail(SIGNATURE, str(error).removeprefix("Tunduk-Signature: ")) from None


_REQUEST_CODES = {
    GATEWAY: Code.INVALID_SIGNATURE_SERVER,
    CERTIFICATE: Code.INVALID_SIGNATURE_SERVER,
    SIGNATURE: Code.INVALID_SIGNATURE_SERVER,
    CLIENT: Code.INVALID_CLIENT_IDENTIFIER,
    "*": Code.CLIENT_BAD_REQUEST,
}
_RESPONSE_CODES = {
    GATEWAY: Code.INVALID_SIGNATURE_CLIENT,
    CERTIFICATE: Code.INVALID_SIGNATURE_CLIENT,
    SIGNATURE: Code.INVALID_SIGNATURE_CLIENT,
    "*": Code.INCONSISTENT_RESPONSE,
}


def _service_path(raw_path: str) -> tuple[ServiceId, str]:
    """``/r1/I/C/M/S/SERVICE{rest}`` → the service and the raw rest (``""`` or ``/…``)."""
    parts = raw_path.split("/", 7)
    if len(parts) < 7 or parts[0] != "" or parts[1] != "r1":
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "path: must start with /r1/{serviceId}")
    try:
        decoded = [unquote(part, errors="strict") for part in parts[2:7]]
        service = ServiceId(SubsystemId(MemberId(*decoded[:3]), decoded[3]), decoded[4])
    except (IdentifierError, UnicodeDecodeError) as error:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, f"path: {error}") from None
    rest = "/" + parts[7] if len(parts) == 8 else ""
    return service, rest


def read_request(
    method: str, raw_path: str, query: str, headers: Iterable[tuple[str, str]]
) -> PeerRequest:
    """Read a request from a client gateway: ``raw_path`` as on the wire, ``query`` without ``?``."""
    service, rest = _service_path(raw_path)
    received = _Headers(headers, _REQUEST_CODES)
    fields = RequestFields(
        method=method,
        service=service,
        path=rest,
        query=query,
        client=received.client(),
        message_id=received.message_id(MESSAGE_ID),
        request_id=received.message_id(REQUEST_ID),
    )
    return PeerRequest(fields, tuple(passing_headers(received.items)), received.signed_by())


def read_response(
    fields: RequestFields, status: int, headers: Iterable[tuple[str, str]]
) -> PeerResponse:
    """Read the provider gateway's response to the request ``fields``; its ids must match."""
    received = _Headers(headers, _RESPONSE_CODES)
    expected = {
        CLIENT: str(fields.client),
        SERVICE: str(fields.service),
        MESSAGE_ID: fields.message_id,
        REQUEST_ID: fields.request_id,
    }
    for name, value in expected.items():
        found = received.one(name)
        if name in (CLIENT, SERVICE):
            found = "/".join(received.identifier_parts(name, found, (3, 4, 5)))
        if found != value:
            raise received.fail(name, f"is not the request's ({value})")
    return PeerResponse(
        fields=fields,
        status=status,
        request_hash=received.message_id(REQUEST_HASH),
        headers=tuple(passing_headers(received.items)),
        signed_by=received.signed_by(),
    )
