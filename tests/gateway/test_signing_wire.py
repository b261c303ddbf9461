"""The wire between gateways: headers built, sent over real HTTP, read back strictly."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from multidict import CIMultiDict
from yarl import URL

from tunduk.gateway import wire, xroad
from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.signing import BatchSigner, MessageSignature, SignatureVerifier
from tunduk.identifiers import MemberId, SubsystemId

from ._signing_helpers import POPULATION, SOCIAL_FUND, Holder, TrustWorld, issue

# The headers aiohttp's client adds by itself; a gateway sends exactly what it signed.
SKIP_AUTO = ("Accept", "Accept-Encoding", "Content-Type", "User-Agent")
SERVICE_PATH = "/r1/KG/GOV/70000001/population/person-by-pin"
ANSWER = b'{"pin": "22001199000123", "name": "Asel"}'
EMPTY = hashlib.sha256(b"").digest()


@dataclass
class Side:
    """One gateway's signing key, signer, and its verifier of the other side."""

    holder: Holder
    signer: BatchSigner
    verifier: SignatureVerifier

    @property
    def der(self) -> bytes:
        """Its signing certificate as sent (DER)."""
        return self.holder.certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def trust() -> TrustWorld:
    """The approved CA and the configuration signer."""
    return TrustWorld()


def make_side(trust: TrustWorld, member: MemberId, directory: Path) -> Side:
    """A gateway of ``member`` with a fresh signing certificate and a verifier."""
    holder = issue(trust.ca, member)
    return Side(holder, holder.signer(), SignatureVerifier(trust.client(directory)))


@pytest.fixture
def sides(trust: TrustWorld, tmp_path: Path) -> tuple[Side, Side]:
    """The social fund's (client) and the population registry's (provider) gateways."""
    return (
        make_side(trust, SOCIAL_FUND, tmp_path / "c"),
        make_side(trust, POPULATION, tmp_path / "p"),
    )


def now() -> datetime:
    """This gateway's clock."""
    return datetime.now(UTC)


def outgoing(
    side: Side, target: str, client: list[tuple[str, str]], body: bytes = b"", method: str = "GET"
) -> tuple[wire.PeerRequest, list[tuple[str, str]]]:
    """What the client gateway sends for a client's request: the request and its headers."""
    parsed = xroad.parse_target(target)
    client_headers = xroad.parse_client_headers(client)
    digest = wire.request_digest(
        method, parsed, client_headers, "req-1", hashlib.sha256(body).digest()
    )
    [signature] = side.signer.sign_batch([digest])
    sent = wire.PeerRequest(method, parsed, client_headers, "req-1", signature, side.der)
    return sent, wire.request_headers(client_headers, "req-1", signature, side.der)


CLIENT_HEADERS = [
    ("X-Road-Client", "KG/GOV/70000004/pension-accounts"),
    ("X-Road-Id", "msg-1"),
    ("X-Road-UserId", "KG22001199000123"),
    ("Accept", "application/json"),
    ("User-Agent", "curl/8.5.0"),
]


def member_of(client: MemberId | SubsystemId) -> MemberId:
    """The member a client identifier belongs to."""
    return client.member if isinstance(client, SubsystemId) else client


def test_request_headers_round_trip(sides: tuple[Side, Side]) -> None:
    """docs/gateway-protocol.md: what the client gateway sends, the provider reads back equal."""
    client, provider = sides
    sent, headers = outgoing(client, f"{SERVICE_PATH}/p%C3%A91?fields=name", CLIENT_HEADERS)
    names = [name for name, _ in headers]
    assert names == [
        "Accept",
        "X-Road-Client",
        "X-Road-Id",
        "X-Road-UserId",
        "X-Road-Request-Id",
        "Tunduk-Signature",
        "Tunduk-Certificate",
    ]
    read = wire.read_request("GET", f"{SERVICE_PATH}/p%C3%A91?fields=name", headers)
    assert read == sent
    assert read.digest(EMPTY) == sent.digest(EMPTY)
    provider.verifier.verify(
        read.digest(EMPTY),
        read.signature,
        read.certificate_der,
        member=member_of(read.client_headers.client),
        at=now(),
        side="server",
    )


def test_the_request_hash_binds_what_the_client_sent(sides: tuple[Side, Side]) -> None:
    """docs/gateway-request-hash.md: both sides compute the same X-Road-Request-Hash."""
    sent, headers = outgoing(sides[0], SERVICE_PATH + "/1", CLIENT_HEADERS, b"{}", "POST")
    read = wire.read_request("POST", SERVICE_PATH + "/1", headers)
    assert read.request_hash(b"{}") == sent.request_hash(b"{}")
    assert read.request_hash(b"{}") != read.request_hash(b"[]")


def refused(call: object, *args: object) -> GatewayError:
    """The GatewayError ``call(*args)`` raises (fails the test if none)."""
    with pytest.raises(GatewayError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def replace(headers: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    """``headers`` with ``name`` set to ``value`` (removed when None)."""
    kept = [(key, old) for key, old in headers if key != name]
    return kept if value is None else [*kept, (name, value)]


def test_malformed_signature_headers_are_named(sides: tuple[Side, Side]) -> None:
    """Attacker: each missing, repeated or malformed Tunduk header is refused, naming it."""
    _, good = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS)
    certificate = dict(good)[wire.CERTIFICATE]
    cases = [
        (replace(good, wire.SIGNATURE, None), "Tunduk-Signature: the header is missing"),
        (
            [*good, (wire.SIGNATURE, dict(good)[wire.SIGNATURE])],
            "Tunduk-Signature: the header is repeated",
        ),
        (replace(good, wire.SIGNATURE, "v=1"), "Tunduk-Signature must have the items"),
        (replace(good, wire.CERTIFICATE, certificate[:-1]), "Tunduk-Certificate: is not base64"),
        (replace(good, wire.CERTIFICATE, "A" * 8196), "longer than 8192"),
        (replace(good, wire.CERTIFICATE, None), "Tunduk-Certificate: the header is missing"),
    ]
    for headers, text in cases:
        error = refused(wire.read_request, "GET", SERVICE_PATH, headers)
        assert error.code == Code.INVALID_SIGNATURE_SERVER, error.message
        assert text in error.message, error.message
        client_error = refused(wire.read_signature, headers, "client")
        assert client_error.code == Code.INVALID_SIGNATURE_CLIENT


def test_malformed_request_ids_are_bad_requests(sides: tuple[Side, Side]) -> None:
    """X-Road-Request-Id is made by the client gateway: required, printable, bounded."""
    _, good = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS)
    for value in (None, "идентификатор", "tab\there", "x" * 256, ""):
        error = refused(
            wire.read_request, "GET", SERVICE_PATH, replace(good, wire.REQUEST_ID, value)
        )
        assert error.code == Code.CLIENT_BAD_REQUEST
        assert error.message.startswith("X-Road-Request-Id")
    error = refused(wire.read_request, "GET", SERVICE_PATH, replace(good, "X-Road-Id", None))
    assert error.code == Code.CLIENT_BAD_REQUEST


def test_explicit_headers_add_what_a_server_would() -> None:
    """The provider signs Date, and Content-Type when a body has none, so nothing is added later."""
    made = wire.explicit_headers([("X-A", "1")], b"x", date="Mon, 30 Nov 2026 00:00:00 GMT")
    assert made == [
        ("X-A", "1"),
        ("Date", "Mon, 30 Nov 2026 00:00:00 GMT"),
        ("Content-Type", "application/octet-stream"),
    ]
    assert [name for name, _ in wire.explicit_headers([("date", "d")], b"")] == ["date"]


def signed_answer(
    provider: Side, sent: wire.PeerRequest, passing: list[tuple[str, str]], body: bytes
) -> list[tuple[str, str]]:
    """The provider's signed answer headers for ``sent``."""
    request_hash = sent.request_hash(b"")
    digest = wire.response_digest(
        sent,
        status=200,
        passing=passing,
        request_hash=request_hash,
        body_sha256=hashlib.sha256(body).digest(),
    )
    [signature] = provider.signer.sign_batch([digest])
    return wire.response_headers(
        sent,
        passing=passing,
        request_hash=request_hash,
        signature=signature,
        certificate_der=provider.der,
    )


def test_a_response_must_carry_the_requests_ids_and_hash(sides: tuple[Side, Side]) -> None:
    """Issue 9 §2: the client gateway checks ids and X-Road-Request-Hash against its request."""
    client, provider = sides
    sent, _ = outgoing(client, SERVICE_PATH, CLIENT_HEADERS)
    headers = signed_answer(provider, sent, [("Content-Type", "application/json")], ANSWER)
    expected = {
        "message_id": "msg-1",
        "request_id": "req-1",
        "request_hash": sent.request_hash(b""),
    }
    answer = wire.read_response(200, headers, **expected)
    assert answer.passing == (("Content-Type", "application/json"),)
    for name, value in (("message_id", "msg-2"), ("request_id", "req-2"), ("request_hash", "x")):
        with pytest.raises(GatewayError) as caught:
            wire.read_response(200, headers, **{**expected, name: value})
        assert caught.value.code == Code.INCONSISTENT_RESPONSE
    with pytest.raises(GatewayError) as caught:
        wire.read_response(200, replace(headers, wire.SIGNATURE, None), **expected)
    assert caught.value.code == Code.INVALID_SIGNATURE_CLIENT


def test_a_refusal_is_read_unsigned_with_its_code() -> None:
    """A provider's refusal carries X-Road-Error and no signature; a code that is not one fails."""
    answer = wire.read_response(
        500,
        [("X-Road-Error", "Server.ServerProxy.AccessDenied"), ("Content-Type", "application/json")],
        message_id="msg-1",
        request_id="req-1",
        request_hash="h",
    )
    assert (answer.error, answer.signature) == ("Server.ServerProxy.AccessDenied", None)
    for forged in ("<script>", "Server.X " * 40, "x" * 256):
        with pytest.raises(GatewayError) as caught:
            wire.read_response(
                500, [("X-Road-Error", forged)], message_id="m", request_id="r", request_hash="h"
            )
        assert caught.value.code == Code.INCONSISTENT_RESPONSE


def provider_app(provider: Side, seen: list[wire.PeerRequest]) -> web.Application:
    """A provider gateway reduced to the wire: read, verify, answer signed (or refuse)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            peer = wire.read_request(request.method, request.raw_path, request.headers.items())
            provider.verifier.verify(
                peer.digest(hashlib.sha256(body).digest()),
                peer.signature,
                peer.certificate_der,
                member=member_of(peer.client_headers.client),
                at=now(),
                side="server",
            )
        except GatewayError as error:
            return web.json_response(
                {"type": error.code, "message": error.message},
                status=error.status,
                headers={wire.ERROR: error.code},
            )
        seen.append(peer)
        passing = wire.explicit_headers([("Content-Type", "application/json")], ANSWER)
        request_hash = peer.request_hash(body)
        digest = wire.response_digest(
            peer,
            status=200,
            passing=passing,
            request_hash=request_hash,
            body_sha256=hashlib.sha256(ANSWER).digest(),
        )
        signature = await provider.signer.sign(digest)
        headers = wire.response_headers(
            peer,
            passing=passing,
            request_hash=request_hash,
            signature=signature,
            certificate_der=provider.der,
        )
        return web.Response(status=200, body=ANSWER, headers=CIMultiDict(headers))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@pytest_asyncio.fixture
async def provider_url(
    sides: tuple[Side, Side],
) -> AsyncIterator[tuple[str, list[wire.PeerRequest]]]:
    """The wire-only provider listening on 127.0.0.1 (port chosen by the OS)."""
    seen: list[wire.PeerRequest] = []
    runner = web.AppRunner(provider_app(sides[1], seen))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", seen
    await runner.cleanup()


async def send(
    url: str, target: str, headers: list[tuple[str, str]], body: bytes, method: str = "GET"
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send exactly ``headers`` and ``body`` (nothing added by aiohttp); the raw answer."""
    async with (
        aiohttp.ClientSession(auto_decompress=False) as session,
        session.request(
            method,
            URL(url + target, encoded=True),  # yarl would otherwise re-encode path and query
            data=body or None,
            headers=CIMultiDict(headers),
            skip_auto_headers=SKIP_AUTO,
        ) as response,
    ):
        return response.status, list(response.headers.items()), await response.read()


@pytest.mark.asyncio
async def test_signed_exchange_over_http(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Issue 9 §3: request and response are signed, sent and verified over real HTTP."""
    client, provider = sides
    url, seen = provider_url
    target = f"{SERVICE_PATH}/22001199000123?fields=name&x=%2F"
    sent, headers = outgoing(client, target, CLIENT_HEADERS, b'{"q": 1}', "POST")
    status, answer_headers, body = await send(url, target, headers, b'{"q": 1}', "POST")
    assert status == 200, body
    assert seen == [sent]
    answer = wire.read_response(
        status,
        answer_headers,
        message_id="msg-1",
        request_id="req-1",
        request_hash=sent.request_hash(b'{"q": 1}'),
    )
    assert answer.signature is not None and answer.certificate_der is not None
    digest = wire.response_digest(
        sent,
        status=status,
        passing=answer.passing,
        request_hash=sent.request_hash(b'{"q": 1}'),
        body_sha256=hashlib.sha256(body).digest(),
    )
    certificate = client.verifier.verify(
        digest,
        answer.signature,
        answer.certificate_der,
        member=POPULATION,
        at=now(),
        side="client",
    )
    assert certificate == provider.holder.certificate


@pytest.mark.asyncio
async def test_a_header_added_after_signing_is_refused(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Attacker: a passing header slipped in after signing breaks the request signature."""
    url, seen = provider_url
    _, headers = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS)
    status, answer, _ = await send(url, SERVICE_PATH, [*headers, ("X-Forged", "1")], b"")
    assert (status, dict(answer)[wire.ERROR]) == (500, Code.INVALID_SIGNATURE_SERVER)
    assert seen == []


@pytest.mark.asyncio
async def test_a_body_changed_after_signing_is_refused(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Attacker: a request signed for one body and sent with another is refused."""
    url, seen = provider_url
    _, headers = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS, b"1", "POST")
    status, answer, _ = await send(url, SERVICE_PATH, headers, b"2", "POST")
    assert (status, dict(answer)[wire.ERROR]) == (500, Code.INVALID_SIGNATURE_SERVER)
    assert seen == []


@pytest.mark.asyncio
async def test_a_signature_replayed_with_another_message_id_is_refused(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Attacker: a captured signed request resent under a new X-Road-Id fails verification."""
    url, seen = provider_url
    _, headers = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS)
    status, answer, _ = await send(url, SERVICE_PATH, replace(headers, "X-Road-Id", "msg-9"), b"")
    assert (status, dict(answer)[wire.ERROR]) == (500, Code.INVALID_SIGNATURE_SERVER)
    assert seen == []


def test_certificate_header_is_plain_base64_der(sides: tuple[Side, Side]) -> None:
    """docs/gateway-protocol.md: Tunduk-Certificate is base64 (RFC 4648 §4) of the DER."""
    _, headers = outgoing(sides[0], SERVICE_PATH, CLIENT_HEADERS)
    assert base64.b64decode(dict(headers)[wire.CERTIFICATE]) == sides[0].der
    assert MessageSignature.from_header(dict(headers)[wire.SIGNATURE]).batch_size == 1


def test_signed_headers_recompute_both_digests_from_the_exchanged_headers(
    sides: tuple[Side, Side],
) -> None:
    """Evidence: the headers as exchanged give back exactly the headers each digest binds."""
    client, provider = sides
    sent, headers = outgoing(client, SERVICE_PATH + "/1", CLIENT_HEADERS)
    assert wire.signed_headers([("Host", "gw"), *headers]) == sent.client_headers.hashed_headers()
    assert sent.digest(EMPTY) == wire.request_digest(
        "GET",
        sent.target,
        xroad.parse_client_headers(headers, generate_id=False),
        sent.request_id,
        EMPTY,
    )
    passing = [("Content-Type", "application/json"), ("X-Road-Extension", "x")]
    answer = signed_answer(provider, sent, passing, ANSWER)
    assert wire.signed_headers([*answer, ("Server", "aiohttp")]) == passing
    assert wire.signed_headers(answer, "response") == passing
