"""docs/gateway-protocol.md against a running provider gateway: a peer written from the document.

The test plays the social fund's gateway with :mod:`http.client` over mutual TLS, its own
keys and :mod:`tunduk.gateway.wire`, and talks to the population registry's real gateway
(``exchange`` fixture): a request built as the document says is served and answered with
a response whose signature verifies as the document says; tampered requests are refused.
"""

from __future__ import annotations

import hashlib
import http.client
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization

from tunduk.gateway import wire, xroad
from tunduk.gateway._errors import Code
from tunduk.gateway.config import load_config
from tunduk.gateway.keys import load_keys
from tunduk.gateway.signing import BatchSigner, SignatureVerifier
from tunduk.gateway.tls import client_context

from ._signing_helpers import moment
from .conftest import Exchange


@dataclass
class Peer:
    """The social fund's gateway, reimplemented from the document."""

    exchange: Exchange
    signer: BatchSigner
    verifier: SignatureVerifier
    certificate_der: bytes
    context: object

    def send(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """One HTTPS request to the provider gateway, sending exactly ``headers``."""
        port = self.exchange.provider.server_port
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            port,
            context=self.context,  # type: ignore[arg-type]
            timeout=30,
        )
        try:
            connection.putrequest(method, target, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            if body:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def request(
        self, target: str, body: bytes = b"", method: str = "GET"
    ) -> tuple[wire.PeerRequest, list[tuple[str, str]]]:
        """The signed request and its headers for a client call to ``target``."""
        client_headers = xroad.parse_client_headers(
            [
                ("X-Road-Client", self.exchange.client_id),
                ("X-Road-Id", str(uuid.uuid4())),
                ("X-Road-UserId", "KG22001199000123"),
                ("Accept", "application/json"),
                *([("Content-Type", "application/json")] if body else []),
            ]
        )
        parsed = xroad.parse_target(target)
        request_id = str(uuid.uuid4())
        digest = wire.request_digest(
            method, parsed, client_headers, request_id, hashlib.sha256(body).digest()
        )
        [signature] = self.signer.sign_batch([digest])
        sent = wire.PeerRequest(
            method, parsed, client_headers, request_id, signature, self.certificate_der
        )
        return sent, wire.request_headers(
            client_headers, request_id, signature, self.certificate_der
        )


@pytest.fixture
def peer(exchange: Exchange) -> Iterator[Peer]:
    """The social fund's keys, a TLS context and a verifier over the live configuration."""
    keys = load_keys(load_config(exchange.client.config_path))
    _, sign_cert = keys.require_certificates()
    runtime = exchange.client_gw.runtime
    signer = BatchSigner(keys.sign_key, sign_cert)
    yield Peer(
        exchange,
        signer,
        SignatureVerifier(runtime.configurations),
        sign_cert.public_bytes(serialization.Encoding.DER),
        client_context(keys, runtime.current()),
    )
    signer.close()


def test_a_request_built_from_the_document_is_served_and_signed(peer: Peer) -> None:
    """docs/gateway-protocol.md: request, response headers, request hash and both digests."""
    body = b'{"pin": "22001199000123"}'
    target = f"{peer.exchange.service_path}/persons/22001199000123?fields=name&x=%2F"
    sent, headers = peer.request(target, body, "POST")
    status, answer_headers, answer_body = peer.send("POST", target, headers, body)
    assert status == 200, answer_body
    request_hash = sent.request_hash(body)
    answer = wire.read_response(
        status,
        answer_headers,
        message_id=sent.client_headers.message_id,
        request_id=sent.request_id,
        request_hash=request_hash,
    )
    assert answer.signature is not None and answer.certificate_der is not None
    digest = wire.response_digest(
        sent,
        status=status,
        passing=answer.passing,
        request_hash=request_hash,
        body_sha256=hashlib.sha256(answer_body).digest(),
    )
    certificate = peer.verifier.verify(
        digest,
        answer.signature,
        answer.certificate_der,
        member=peer.exchange.provider.member,
        at=moment(),
        side="client",
    )
    assert certificate == peer.exchange.provider.sign_cert
    seen = peer.exchange.backend.requests[-1]
    assert (seen["path"], seen["query"]) == ("/persons/22001199000123", "fields=name&x=%2F")
    assert seen["headers"]["x-road-userid"] == "KG22001199000123"


@pytest.mark.parametrize(
    "attack",
    ["header added", "header changed", "path changed", "other X-Road-Id", "no signature"],
)
def test_the_provider_refuses_a_request_that_does_not_match_its_signature(
    peer: Peer, attack: str
) -> None:
    """Attacker on the wire (or a buggy peer): the provider verifies before acting."""
    target = f"{peer.exchange.service_path}/persons/1"
    _, headers = peer.request(target)
    before = len(peer.exchange.backend.requests)
    if attack == "header added":
        headers = [*headers, ("X-Forged", "1")]
    elif attack == "header changed":
        headers = [(n, "KG1" if n == "X-Road-UserId" else v) for n, v in headers]
    elif attack == "path changed":
        target = f"{peer.exchange.service_path}/persons/2"
    elif attack == "other X-Road-Id":
        headers = [(n, str(uuid.uuid4()) if n == "X-Road-Id" else v) for n, v in headers]
    else:
        headers = [(n, v) for n, v in headers if n != wire.SIGNATURE]
    status, answer_headers, body = peer.send("GET", target, headers, b"")
    answer = dict(answer_headers)
    assert (status, answer.get(wire.ERROR)) == (500, Code.INVALID_SIGNATURE_SERVER), body
    assert wire.SIGNATURE not in answer
    assert len(peer.exchange.backend.requests) == before
