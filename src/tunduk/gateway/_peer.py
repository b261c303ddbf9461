"""The message between two gateways as the pipeline reads and writes it.

Headers (``docs/gateway-protocol.md`` has the normative text): the client gateway sends
the passing headers, the X-Road request headers in canonical form, ``X-Road-Request-Id``,
``Tunduk-Signature`` (:class:`~tunduk.gateway.signing.MessageSignature`) and
``Tunduk-Certificate`` (base64 DER of its signing certificate). The provider answers with
the backend's status, passing headers and body, ``X-Road-Id``, ``X-Road-Request-Id``,
``X-Road-Request-Hash`` and its own ``Tunduk-Signature`` and ``Tunduk-Certificate``; a
refusal carries ``X-Road-Error`` and no signature.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tunduk.identifiers import ServerId, ServiceId

from . import xroad
from ._errors import Code, GatewayError
from ._journal_items import Direction
from ._proxying import sha256
from .signing import MessageSignature, message_digest

if TYPE_CHECKING:
    from .runtime import GatewayRuntime
    from .tls import Side

__all__ = [
    "CERTIFICATE",
    "REQUEST_HASH",
    "REQUEST_ID",
    "SIGNATURE",
    "PeerAnswer",
    "read_signature",
    "request_headers",
    "verify_answer",
]

SIGNATURE = "Tunduk-Signature"
CERTIFICATE = "Tunduk-Certificate"
REQUEST_ID = "X-Road-Request-Id"
REQUEST_HASH = "X-Road-Request-Hash"
MAX_CERTIFICATE_CHARS = 16 * 1024


def request_headers(
    client_headers: xroad.ClientHeaders, direction: Direction, certificate_der: bytes
) -> list[tuple[str, str]]:
    """The headers the client gateway sends to the provider's gateway."""
    headers = list(client_headers.passing)
    headers.append(("X-Road-Client", str(client_headers.client)))
    headers.append(("X-Road-Id", client_headers.message_id))
    optional = (
        ("X-Road-UserId", client_headers.user_id),
        ("X-Road-Issue", client_headers.issue),
        ("X-Road-Security-Server", client_headers.security_server),
        ("X-Road-Represented-Party", client_headers.represented_party),
    )
    headers.extend((name, str(value)) for name, value in optional if value is not None)
    headers.append((REQUEST_ID, direction.request_id))
    headers.append((SIGNATURE, direction.signature))
    headers.append((CERTIFICATE, base64.b64encode(certificate_der).decode("ascii")))
    return headers


def read_signature(
    headers: Iterable[tuple[str, str]], side: Side
) -> tuple[MessageSignature, bytes]:
    """``Tunduk-Signature`` and the DER of ``Tunduk-Certificate``; refused when malformed."""
    code = Code.INVALID_SIGNATURE_CLIENT if side == "client" else Code.INVALID_SIGNATURE_SERVER
    found: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in ("tunduk-signature", "tunduk-certificate"):
            found[lowered] = value
    signature_text = found.get("tunduk-signature")
    certificate_text = found.get("tunduk-certificate")
    if not signature_text or not certificate_text:
        raise GatewayError(code, "the message carries no signature")
    try:
        signature = MessageSignature.from_header(signature_text)
    except ValueError as error:
        raise GatewayError(code, str(error)) from None
    if len(certificate_text) > MAX_CERTIFICATE_CHARS:
        raise GatewayError(code, "Tunduk-Certificate is too long")
    try:
        der = base64.b64decode(certificate_text, validate=True)
    except (binascii.Error, ValueError):
        raise GatewayError(code, "Tunduk-Certificate is not base64") from None
    return signature, der


@dataclass(frozen=True, slots=True)
class PeerAnswer:
    """What the provider's gateway answered, with the gateway that answered it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    passing: tuple[tuple[str, str], ...]
    body: bytes
    peer: ServerId
    error: str | None

    @classmethod
    def read(
        cls, status: int, headers: Iterable[tuple[str, str]], body: bytes, peer: ServerId
    ) -> PeerAnswer:
        """Read an answer; its X-Road and Tunduk headers are kept apart from the passing ones."""
        pairs = tuple(headers)
        error = next((v for k, v in pairs if k.lower() == "x-road-error"), None)
        try:
            passing = xroad.passing_headers(pairs)
        except GatewayError as problem:
            raise GatewayError(Code.NETWORK_ERROR_CLIENT, problem.message) from None
        return cls(status, pairs, passing, body, peer, error)

    def header(self, name: str) -> str | None:
        """The last value of header ``name``."""
        lowered = name.lower()
        values = [v for k, v in self.headers if k.lower() == lowered]
        return values[-1] if values else None


def verify_answer(
    runtime: GatewayRuntime,
    answer: PeerAnswer,
    request: Direction,
    expected_hash: str,
    service: ServiceId,
) -> Direction:
    """The response direction, once its ids, request hash and signature check out."""
    code = Code.INCONSISTENT_RESPONSE
    if answer.header("X-Road-Id") != request.message_id:
        raise GatewayError(code, "the response is for another X-Road-Id")
    if answer.header(REQUEST_ID) != request.request_id:
        raise GatewayError(code, "the response is for another X-Road-Request-Id")
    if answer.header(REQUEST_HASH) != expected_hash:
        raise GatewayError(code, "X-Road-Request-Hash does not match the request sent")
    signature, der = read_signature(answer.headers, "client")
    response = replace(
        request,
        kind="response",
        status=answer.status,
        digest=message_digest(
            kind="response",
            message_id=request.message_id,
            request_id=request.request_id,
            client=request.client,
            service=request.service,
            method=request.method,
            path=request.path,
            query=request.query,
            headers=answer.passing,
            body_sha256=sha256(answer.body),
            status=answer.status,
            request_hash=expected_hash,
        ),
        signature=signature.to_header(),
        certificate_sha256=signature.certificate_sha256,
    )
    runtime.verifier.verify(
        response.digest,
        signature,
        der,
        member=service.subsystem.member,
        at=datetime.now(UTC),
        side="client",
    )
    return response
