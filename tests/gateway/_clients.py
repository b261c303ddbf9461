"""Plain HTTP clients written from the protocol documents: an organisation's system calling
its gateway, and an attacker calling a provider's peer listener directly."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._pipeline_helpers import Participant


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as a plain client sees it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The last value of header ``name`` (case-insensitive), or None."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name``."""
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def http_call(
    base_url: str,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    *,
    timeout: float = 30,
) -> Reply:
    """One request with :mod:`http.client`, written from the protocol documents alone."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    return _send(connection, method, path, (headers or {}).items(), body)


def _send(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
) -> Reply:
    """Send one request exactly as given (no added Accept-Encoding) and read the answer."""
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def raw_call(base_url: str, data: bytes, *, method: str = "GET", timeout: float = 30) -> Reply:
    """Send ``data`` byte for byte (hostile framing included) and read one HTTP answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return Reply(response.status, response.getheaders(), response.read())


def peer_call(
    attacker: Participant,
    provider: Participant,
    method: str,
    path: str,
    headers: list[tuple[str, str]],
    body: bytes | None = None,
) -> Reply:
    """Call ``provider``'s peer listener directly with ``attacker``'s TLS key and certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the attacker does not care who answers
    context.load_cert_chain(attacker.keys_dir / "auth.crt", attacker.keys_dir / "auth.key")
    connection = http.client.HTTPSConnection(
        "127.0.0.1", provider.server_port, context=context, timeout=30
    )
    return _send(connection, method, path, headers, body)


def signed_headers(
    signer: Participant,
    *,
    client: str,
    service: str,
    rest: str,
    method: str,
    body: bytes,
    message_id: str,
    request_id: str,
) -> list[tuple[str, str]]:
    """The headers of a request signed with ``signer``'s signing key, as docs/gateway-protocol.md says."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding

    from tunduk.gateway.config import load_config
    from tunduk.gateway.keys import load_keys
    from tunduk.gateway.signing import BatchSigner, message_digest

    keys = load_keys(load_config(signer.config_path))
    assert keys.sign_cert is not None
    digest = message_digest(
        kind="request",
        message_id=message_id,
        request_id=request_id,
        client=client,
        service=service,
        method=method,
        path=f"/r1/{service}{rest}",
        query="",
        headers=[("x-road-client", client), ("x-road-id", message_id)],
        body_sha256=hashlib.sha256(body).digest(),
    )
    signature = BatchSigner(keys.sign_key, keys.sign_cert).sign_batch([digest])[0]
    return [
        ("X-Road-Client", client),
        ("X-Road-Id", message_id),
        ("X-Road-Request-Id", request_id),
        ("Tunduk-Signature", signature.to_header()),
        (
            "Tunduk-Certificate",
            base64.b64encode(keys.sign_cert.public_bytes(Encoding.DER)).decode(),
        ),
    ]
