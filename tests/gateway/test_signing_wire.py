"""The wire between gateways: headers built, sent over real HTTP, read back strictly."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator, Callable
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

from tunduk.gateway import wire
from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.signing import BatchSigner, SignatureVerifier
from tunduk.identifiers import MemberId, ServerId, SubsystemId, parse_service

from ._signing_helpers import POPULATION, SOCIAL_FUND, Holder, TrustWorld, issue

# The headers aiohttp's client adds by itself; a gateway sends exactly what it signed.
SKIP_AUTO = ("Accept", "Accept-Encoding", "Content-Type", "User-Agent")
SERVICE = parse_service("KG/GOV/70000001/population/person-by-pin")
CLIENT = SubsystemId(SOCIAL_FUND, "pension-accounts")
ANSWER = b'{"pin": "22001199000123", "name": "Asel"}'


@dataclass
class Side:
    """One gateway's signer, its identity, and its verifier of the other side."""

    holder: Holder
    gateway: ServerId
    signer: BatchSigner
    verifier: SignatureVerifier

    def signed_by(self, signature: object) -> wire.SignedBy:
        """The SignedBy of this side for ``signature``."""
        der = self.holder.certificate.public_bytes(serialization.Encoding.DER)
        return wire.SignedBy(self.gateway, der, signature)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def trust() -> TrustWorld:
    """The approved CA and the configuration signer."""
    return TrustWorld()


def make_side(trust: TrustWorld, member: MemberId, directory: Path) -> Side:
    """A gateway of ``member`` with a fresh signing certificate and a verifier."""
    holder = issue(trust.ca, member)
    return Side(
        holder, member.server("ss1"), holder.signer(), SignatureVerifier(trust.client(directory))
    )


@pytest.fixture
def sides(trust: TrustWorld, tmp_path: Path) -> tuple[Side, Side]:
    """The social fund's (client) and the population registry's (provider) gateways."""
    return make_side(trust, SOCIAL_FUND, tmp_path / "c"), make_side(
        trust, POPULATION, tmp_path / "p"
    )


def now() -> datetime:
    """This gateway's clock."""
    return datetime.now(UTC)


def provider_app(provider: Side, seen: list[wire.PeerRequest]) -> web.Application:
    """A provider gateway reduced to the wire: read, verify, answer signed (or refuse)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            peer = wire.read_request(
                request.method,
                request.rel_url.raw_path,
                request.rel_url.raw_query_string,
                request.headers.items(),
            )
            client = peer.fields.client
            member = client.member if isinstance(client, SubsystemId) else client
            signed = peer.signed_by
            provider.verifier.verify(
                peer.digest(hashlib.sha256(body).digest()),
                signed.signature,
                signed.certificate_der,
                member=member,
                at=now(),
                side="server",
            )
        except GatewayError as error:
            return web.json_response(
                {"type": error.code, "message": error.message},
                status=error.status,
                headers={"X-Road-Error": error.code},
            )
        seen.append(peer)
        passing = [("Content-Type", "application/json")]
        digest = peer.fields.response_digest(
            status=200,
            request_hash="cmVxdWVzdA==",
            headers=passing,
            body_sha256=hashlib.sha256(ANSWER).digest(),
        )
        signature = await provider.signer.sign(digest)
        headers = wire.response_headers(
            peer.fields,
            request_hash="cmVxdWVzdA==",
            passing=passing,
            signed_by=provider.signed_by(signature),
        )
        return web.Response(status=200, body=ANSWER, headers=CIMultiDict(headers))

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@pytest_asyncio.fixture
async def provider_url(
    sides: tuple[Side, Side],
) -> AsyncIterator[tuple[str, list[wire.PeerRequest]]]:
    """The provider gateway listening on 127.0.0.1 (port chosen by the OS)."""
    seen: list[wire.PeerRequest] = []
    runner = web.AppRunner(provider_app(sides[1], seen))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


def request_fields(
    method: str, path: str = "/22001199000123", query: str = ""
) -> wire.RequestFields:
    """The fields of one exchange from the social fund to the population registry."""
    return wire.RequestFields(method, SERVICE, path, query, CLIENT, "msg-1", "req-1")


async def send(
    url: str,
    client: Side,
    fields: wire.RequestFields,
    passing: list[tuple[str, str]],
    body: bytes,
    tamper: Callable[[list[tuple[str, str]]], list[tuple[str, str]]] = lambda h: h,
) -> tuple[int, CIMultiDict[str], bytes]:
    """Sign and send a request as the client gateway does; return the raw answer."""
    digest = fields.request_digest(passing, hashlib.sha256(body).digest())
    signature = await client.signer.sign(digest)
    headers = wire.request_headers(fields, passing=passing, signed_by=client.signed_by(signature))
    target = f"{url}{SERVICE.rest_path()}{fields.path}" + (
        f"?{fields.query}" if fields.query else ""
    )
    async with (
        aiohttp.ClientSession(auto_decompress=False) as session,
        session.request(
            fields.method,
            URL(target, encoded=True),  # yarl would otherwise re-encode path and query
            data=body or None,
            headers=CIMultiDict(tamper(headers)),
            skip_auto_headers=SKIP_AUTO,
        ) as response,
    ):
        return response.status, CIMultiDict(response.headers), await response.read()


@pytest.mark.asyncio
async def test_signed_exchange_over_http(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Issue 9 §3: request and response are signed, sent and verified over real HTTP."""
    client, provider = sides
    url, seen = provider_url
    fields = request_fields("GET", query="fields=name&x=%2F")
    passing = [("Accept", "application/json"), ("X-Road-UserId", "KG22001199000123")]
    status, headers, body = await send(url, client, fields, passing, b"")
    assert status == 200, body
    assert seen[0].fields == fields
    assert ("X-Road-UserId", "KG22001199000123") in seen[0].headers
    answer = wire.read_response(fields, status, headers.items())
    certificate = client.verifier.verify(
        answer.digest(hashlib.sha256(body).digest()),
        answer.signed_by.signature,
        answer.signed_by.certificate_der,
        member=POPULATION,
        at=now(),
        side="client",
    )
    assert certificate == provider.holder.certificate
    assert answer.signed_by.gateway == POPULATION.server("ss1")


@pytest.mark.asyncio
async def test_post_body_is_signed(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Issue 9 §3: the body (through its SHA-256) and Content-Type travel signed."""
    url, _ = provider_url
    passing = [("Content-Type", "application/json; charset=utf-8")]
    status, _, body = await send(url, sides[0], request_fields("POST"), passing, b'{"a": 1}')
    assert status == 200, body


@pytest.mark.asyncio
async def test_a_header_added_after_signing_is_refused(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Attacker: a header slipped in after signing breaks the request signature."""
    url, seen = provider_url
    status, headers, _body = await send(
        url,
        sides[0],
        request_fields("GET"),
        [],
        b"",
        tamper=lambda h: [*h, ("X-Road-Issue", "forged")],
    )
    assert status == 500
    assert headers["X-Road-Error"] == Code.INVALID_SIGNATURE_SERVER
    assert seen == []


@pytest.mark.asyncio
async def test_a_body_changed_after_signing_is_refused(
    sides: tuple[Side, Side], provider_url: tuple[str, list[wire.PeerRequest]]
) -> None:
    """Attacker: a request signed for one body and sent with another is refused."""
    url, seen = provider_url
    client = sides[0]
    fields = request_fields("POST")
    passing = [("Content-Type", "application/json")]
    signature = await client.signer.sign(
        fields.request_digest(passing, hashlib.sha256(b"1").digest())
    )
    headers = wire.request_headers(fields, passing=passing, signed_by=client.signed_by(signature))
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{url}{SERVICE.rest_path()}{fields.path}",
            data=b"2",
            headers=CIMultiDict(headers),
            skip_auto_headers=SKIP_AUTO,
        ) as response,
    ):
        assert response.status == 500
        assert response.headers["X-Road-Error"] == Code.INVALID_SIGNATURE_SERVER
    assert seen == []


def test_missing_content_type_is_signed_as_octet_stream() -> None:
    """RFC 9110 §8.3: absent Content-Type signs as application/octet-stream (stacks add it)."""
    fields = request_fields("POST")
    body = hashlib.sha256(b"x").digest()
    assert fields.request_digest([], body) == fields.request_digest(
        [("Content-Type", "application/octet-stream")], body
    )
    assert fields.request_digest([], body) != fields.request_digest(
        [("Content-Type", "application/json")], body
    )


def test_unsigned_headers_do_not_pass() -> None:
    """XROAD-PROTOCOL: hop-by-hop, Host, User-Agent, Server and our own headers never pass."""
    headers = [
        ("Connection", "close"),
        ("Host", "x"),
        ("User-Agent", "curl"),
        ("Server", "x"),
        ("Transfer-Encoding", "chunked"),
        ("Date", "today"),
        ("Content-Length", "3"),
        ("Tunduk-Signature", "x"),
        ("X-Road-Request-Id", "forged"),
        ("Accept", "*/*"),
    ]
    assert wire.passing_headers(headers) == [("Accept", "*/*")]


def valid_request_headers(side: Side) -> list[tuple[str, str]]:
    """A well-formed request header list (its signature need not verify)."""
    fields = request_fields("GET")
    [signature] = side.signer.sign_batch([fields.request_digest([], hashlib.sha256(b"").digest())])
    return wire.request_headers(fields, passing=[], signed_by=side.signed_by(signature))


def read(headers: list[tuple[str, str]], path: str | None = None) -> GatewayError:
    """The error read_request raises for ``headers`` (fails the test if none)."""
    with pytest.raises(GatewayError) as caught:
        wire.read_request("GET", path or f"{SERVICE.rest_path()}/1", "", headers)
    return caught.value


def replace(headers: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    """``headers`` with ``name`` set to ``value`` (removed when None)."""
    kept = [(key, old) for key, old in headers if key != name]
    return kept if value is None else [*kept, (name, value)]


def test_malformed_request_headers_are_named(sides: tuple[Side, Side]) -> None:
    """Attacker: each missing, repeated or malformed header is refused, naming the header."""
    good = valid_request_headers(sides[0])
    certificate = dict(good)[wire.CERTIFICATE]
    cases = [
        (
            replace(good, wire.CLIENT, None),
            Code.INVALID_CLIENT_IDENTIFIER,
            "X-Road-Client: the header is missing",
        ),
        (replace(good, wire.CLIENT, "KG/GOV"), Code.INVALID_CLIENT_IDENTIFIER, "X-Road-Client"),
        (
            replace(good, wire.CLIENT, "KG/GOV/7000%FF04"),
            Code.INVALID_CLIENT_IDENTIFIER,
            "percent-encoded",
        ),
        (
            replace(good, wire.CLIENT, "KG/GOV/70000004/a%2Fb"),
            Code.INVALID_CLIENT_IDENTIFIER,
            "forbidden",
        ),
        (
            [*good, (wire.MESSAGE_ID, "again")],
            Code.CLIENT_BAD_REQUEST,
            "X-Road-Id: the header is repeated",
        ),
        (replace(good, wire.REQUEST_ID, "two words"), Code.CLIENT_BAD_REQUEST, "X-Road-Request-Id"),
        (replace(good, wire.REQUEST_ID, "x" * 256), Code.CLIENT_BAD_REQUEST, "X-Road-Request-Id"),
        (
            replace(good, wire.GATEWAY, "KG/GOV/70000004"),
            Code.INVALID_SIGNATURE_SERVER,
            "Tunduk-Gateway",
        ),
        (
            replace(good, wire.CERTIFICATE, certificate[:-1]),
            Code.INVALID_SIGNATURE_SERVER,
            "Tunduk-Certificate: is not base64",
        ),
        (
            replace(good, wire.CERTIFICATE, "A" * 8004),
            Code.INVALID_SIGNATURE_SERVER,
            "longer than 8000",
        ),
        (replace(good, wire.SIGNATURE, "v=1"), Code.INVALID_SIGNATURE_SERVER, "Tunduk-Signature"),
        (
            replace(good, wire.SIGNATURE, None),
            Code.INVALID_SIGNATURE_SERVER,
            "Tunduk-Signature: the header is missing",
        ),
    ]
    for headers, code, text in cases:
        error = read(headers)
        assert (error.code, text in error.message) == (code, True), error.message


def test_malformed_paths_are_refused(sides: tuple[Side, Side]) -> None:
    """Only /r1/{serviceId}[rest] with valid, percent-decoded identifier parts is read."""
    good = valid_request_headers(sides[0])
    for path in (
        "/r2/KG/GOV/70000001/population/person-by-pin",
        "/r1/KG/GOV/70000001/population",
        "/r1/KG/GOV/70000001/popu%20lation/x",
        "r1/KG/GOV/70000001/population/x",
    ):
        assert read(good, path).code == Code.CLIENT_BAD_REQUEST


def test_path_rest_and_identifiers_are_read_back(sides: tuple[Side, Side]) -> None:
    """The rest after the service id stays raw; identifier parts are percent-decoded."""
    good = valid_request_headers(sides[0])
    odd = parse_service("KG/GOV/70000001/pop(1)/a=b")
    peer = wire.read_request("GET", f"{odd.rest_path()}/x%2Fy/z", "q=1", good)
    assert (peer.fields.service, peer.fields.path, peer.fields.query) == (odd, "/x%2Fy/z", "q=1")
    assert wire.encode_identifier(odd) == "KG/GOV/70000001/pop%281%29/a%3Db"


def test_a_response_for_another_request_is_inconsistent(sides: tuple[Side, Side]) -> None:
    """Issue 9 §2: the client gateway checks the response's ids against its request."""
    provider = sides[1]
    fields = request_fields("GET")
    [signature] = provider.signer.sign_batch([hashlib.sha256(b"r").digest()])
    headers = wire.response_headers(
        fields, request_hash="aGFzaA==", passing=[], signed_by=provider.signed_by(signature)
    )
    other = wire.RequestFields("GET", SERVICE, "/1", "", CLIENT, "msg-2", "req-1")
    with pytest.raises(GatewayError) as caught:
        wire.read_response(other, 200, headers)
    assert caught.value.code == Code.INCONSISTENT_RESPONSE
    assert caught.value.message.startswith("X-Road-Id: is not the request's")
    broken = replace(headers, wire.SIGNATURE, "nonsense")
    with pytest.raises(GatewayError) as caught:
        wire.read_response(fields, 200, broken)
    assert caught.value.code == Code.INVALID_SIGNATURE_CLIENT
    assert wire.read_response(fields, 200, headers).request_hash == "aGFzaA=="


def test_certificate_header_is_plain_base64_der(sides: tuple[Side, Side]) -> None:
    """docs/gateway-protocol.md: Tunduk-Certificate is base64 (RFC 4648 §4) of the DER."""
    headers = dict(valid_request_headers(sides[0]))
    der = sides[0].holder.certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(headers[wire.CERTIFICATE]) == der
    assert headers[wire.GATEWAY] == "KG/GOV/70000004/ss1"
