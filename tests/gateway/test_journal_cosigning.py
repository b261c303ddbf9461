"""Checkpoints signed, time-stamped and cosigned by peer gateways; the witness refusing forks.

Each gateway here is a real journal (SQLite or PostgreSQL) and a real aiohttp witness on
127.0.0.1. The peer identity the mutual-TLS check would give (``request[PEER_KEY]``)
is set from a header by the test server, so the tests can also play an impostor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import orjson
import pytest
import pytest_asyncio
from aiohttp import web
from cryptography.hazmat.primitives.serialization import Encoding

from tests.gateway._journal_helpers import (
    CLIENT_SERVER,
    OTHER_SERVER,
    PROVIDER_SERVER,
    SigningIdentity,
    configuration_client,
    fresh_pg_url,
    issue_signing,
    make_leaf,
    make_message,
    pg_server,  # noqa: F401 (fixture)
)
from tunduk.gateway._cosign_wire import CosignRequest
from tunduk.gateway.checkpoints import Checkpointer
from tunduk.gateway.journal_audit import verify_journal
from tunduk.gateway.keys import journal_origin, witness_name
from tunduk.gateway.messagelog import MessageLog
from tunduk.gateway.witnessing import PEER_KEY, WITNESS_KEY, GatewayWitness, cosign_handler
from tunduk.globalconf import ConfigurationClient
from tunduk.identifiers import ServerId, parse_server
from tunduk.journal import Signer, generate_cosigner, generate_signer
from tunduk.trust import CertificateAuthority, TimeStampAuthority, serve_tsa


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("Tunduk Test Root CA")


@pytest.fixture(params=["sqlite", "postgresql"])
def journal_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh journal URL on each engine (a second one gets another name)."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'journal.sqlite3'}"
    else:
        yield fresh_pg_url(request.getfixturevalue("pg_server"))


@pytest.fixture
def configurations(tmp_path: Path, ca: CertificateAuthority) -> ConfigurationClient:
    return configuration_client(tmp_path / "globalconf", ca)


@dataclasses.dataclass
class Gateway:
    """One gateway's journal keys and signing identity."""

    server: ServerId
    journal_key: Signer
    cosigner: Signer
    signing: SigningIdentity


def gateway(ca: CertificateAuthority, server: ServerId) -> Gateway:
    return Gateway(
        server,
        generate_signer(journal_origin(server)),
        generate_cosigner(witness_name(server)),
        issue_signing(ca, server.member),
    )


@pytest.fixture
def client(ca: CertificateAuthority) -> Gateway:
    return gateway(ca, CLIENT_SERVER)


@pytest.fixture
def provider(ca: CertificateAuthority) -> Gateway:
    return gateway(ca, PROVIDER_SERVER)


@web.middleware
async def _peer_from_header(
    request: web.Request, handler: web.RequestHandler
) -> web.StreamResponse:
    """Stands in for the mutual-TLS check: the caller's gateway id from a test header."""
    request[PEER_KEY] = parse_server(request.headers["Test-Peer"])
    return await handler(request)


@pytest_asyncio.fixture
async def witness_url(
    provider: Gateway, configurations: ConfigurationClient, tmp_path: Path
) -> AsyncIterator[str]:
    """The provider gateway's cosign endpoint on 127.0.0.1."""
    witness = GatewayWitness.create(
        provider.server,
        provider.cosigner,
        provider.signing.key,
        provider.signing.certificate,
        configurations,
        tmp_path / "provider-data",
    )
    app = web.Application(middlewares=[_peer_from_header])
    app[WITNESS_KEY] = witness
    app.router.add_post("/tunduk/v1/cosign", cosign_handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/tunduk/v1/cosign"
    await runner.cleanup()
    witness.close()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def sender(http: aiohttp.ClientSession, url: str, as_peer: ServerId | None = None):  # type: ignore[no-untyped-def]
    """The pipeline's ``send``: post to the witness, return the body whatever the status."""

    async def send(peer: ServerId, body: bytes) -> bytes:
        caller = as_peer or CLIENT_SERVER
        async with http.post(url, data=body, headers={"Test-Peer": str(caller)}) as response:
            return await response.read()

    return send


def checkpointer(
    log: MessageLog, gw: Gateway, configurations: ConfigurationClient, send: object, **kw: object
) -> Checkpointer:
    return Checkpointer(
        log,
        gw.journal_key,
        server=gw.server,
        sign_key=gw.signing.key,
        signing_certificate=gw.signing.certificate,
        interval=60,
        send=send,  # type: ignore[arg-type]
        configurations=configurations,
        **kw,  # type: ignore[arg-type]
    )


async def grow(log: MessageLog, count: int) -> None:
    for _ in range(count):
        stored = make_message()
        await log.record([(make_leaf(stored), stored)])


def audit(log: MessageLog, gw: Gateway, configurations: ConfigurationClient, **kw: object):  # type: ignore[no-untyped-def]
    def check(certificate: object, peer: str) -> None:
        configurations.check_certificate(certificate)  # type: ignore[arg-type]

    return verify_journal(log, [gw.journal_key.verifier()], certificate_check=check, **kw)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_peer_cosigns_each_checkpoint(
    journal_url: str,
    client: Gateway,
    configurations: ConfigurationClient,
    witness_url: str,
    http: aiohttp.ClientSession,
) -> None:
    """A peer exchanged with cosigns the next checkpoints; verify checks each (issue 9 §4)."""
    with MessageLog.open(journal_url, journal_origin(client.server)) as log:
        cp = checkpointer(log, client, configurations, sender(http, witness_url))
        for size in (3, 7):
            await grow(log, size - log.size())
            cp.exchanged_with(PROVIDER_SERVER)
            stored = await cp.step()
            assert stored is not None and stored.tree_size == size
            (cosig,) = log.cosignatures(size)
            assert cosig.peer == str(PROVIDER_SERVER)
            assert cosig.cosigner_key.startswith(witness_name(PROVIDER_SERVER) + "+")
        assert log.cosigned_note(7).count("\u2014 ") == 2
        result = audit(log, client, configurations, require_cosignature=True)
        assert result.ok, result.all_failures()
        assert result.cosignatures_checked == 2


@pytest.mark.asyncio
async def test_restarted_gateway_learns_witness_size(
    journal_url: str,
    client: Gateway,
    configurations: ConfigurationClient,
    witness_url: str,
    http: aiohttp.ClientSession,
) -> None:
    """After a restart the caller is told the witness's size (409 OldSize) and proves from it."""
    with MessageLog.open(journal_url, journal_origin(client.server)) as log:
        first = checkpointer(log, client, configurations, sender(http, witness_url))
        await grow(log, 4)
        first.exchanged_with(PROVIDER_SERVER)
        await first.step()
        restarted = checkpointer(log, client, configurations, sender(http, witness_url))
        await grow(log, 5)
        restarted.exchanged_with(PROVIDER_SERVER)
        await restarted.step()
        assert [c.peer for c in log.cosignatures(9)] == [str(PROVIDER_SERVER)]


@pytest.mark.asyncio
async def test_witness_refuses_fork(
    journal_url: str,
    tmp_path: Path,
    client: Gateway,
    configurations: ConfigurationClient,
    witness_url: str,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A rewritten journal signed by the same key is refused (409): the witness saw the old one."""
    origin = journal_origin(client.server)
    with MessageLog.open(journal_url, origin) as log:
        honest = checkpointer(log, client, configurations, sender(http, witness_url))
        await grow(log, 4)
        honest.exchanged_with(PROVIDER_SERVER)
        await honest.step()
    with MessageLog.open(f"sqlite://{tmp_path / 'forged.sqlite3'}", origin) as forged:
        attacker = checkpointer(forged, client, configurations, sender(http, witness_url))
        await grow(forged, 6)
        attacker.exchanged_with(PROVIDER_SERVER)
        assert await attacker.step() is not None
        assert forged.cosignatures(6) == []
    assert "Tunduk.Witness.Refused" in caplog.text
    assert "inconsistent" in caplog.text
    refused = list((tmp_path / "provider-data" / "witness-refused").iterdir())
    assert len(refused) == 1


@pytest.mark.asyncio
async def test_witness_refuses_backward_checkpoint(
    journal_url: str,
    client: Gateway,
    configurations: ConfigurationClient,
    witness_url: str,
    http: aiohttp.ClientSession,
) -> None:
    """A checkpoint smaller than the one the witness cosigned is refused as backwards (409)."""
    with MessageLog.open(journal_url, journal_origin(client.server)) as log:
        cp = checkpointer(log, client, configurations, sender(http, witness_url))
        await grow(log, 3)
        cp.exchanged_with(PROVIDER_SERVER)
        small = await cp.step()
        await grow(log, 3)
        cp.exchanged_with(PROVIDER_SERVER)
        await cp.step()
        assert small is not None
        body = CosignRequest(small.note, 6, [], cp.binding, cp.certificate_der).to_bytes()
        async with http.post(
            witness_url, data=body, headers={"Test-Peer": str(CLIENT_SERVER)}
        ) as response:
            assert response.status == 409
            answer = orjson.loads(await response.read())
        assert answer["type"] == "Tunduk.Witness.Refused"
        assert "backwards" in answer["message"]


@pytest.mark.asyncio
async def test_impostor_is_refused(
    journal_url: str,
    client: Gateway,
    configurations: ConfigurationClient,
    witness_url: str,
    http: aiohttp.ClientSession,
) -> None:
    """Another gateway sending the client's checkpoint, binding and certificate gets 403."""
    with MessageLog.open(journal_url, journal_origin(client.server)) as log:
        cp = checkpointer(log, client, configurations, sender(http, witness_url, OTHER_SERVER))
        await grow(log, 2)
        cp.exchanged_with(PROVIDER_SERVER)
        stored = await cp.step()
        assert stored is not None and log.cosignatures(2) == []
        body = CosignRequest(stored.note, 0, [], cp.binding, cp.certificate_der).to_bytes()
        async with http.post(
            witness_url, data=body, headers={"Test-Peer": str(OTHER_SERVER)}
        ) as response:
            assert response.status == 403
            assert "belongs to" in orjson.loads(await response.read())["message"]


@pytest.mark.asyncio
async def test_untrusted_ca_is_refused(
    journal_url: str,
    tmp_path: Path,
    witness_url: str,
    http: aiohttp.ClientSession,
) -> None:
    """A signing certificate from a CA the configuration does not approve gets 403."""
    rogue = gateway(CertificateAuthority.create("Rogue CA"), CLIENT_SERVER)
    rogue_conf = configuration_client(tmp_path / "rogue-conf", CertificateAuthority.create("X"))
    with MessageLog.open(journal_url, journal_origin(rogue.server)) as log:
        cp = checkpointer(log, rogue, rogue_conf, sender(http, witness_url))
        await grow(log, 1)
        stored = await cp.step()
        assert stored is not None
        body = CosignRequest(stored.note, 0, [], cp.binding, cp.certificate_der).to_bytes()
        async with http.post(
            witness_url, data=body, headers={"Test-Peer": str(CLIENT_SERVER)}
        ) as response:
            assert response.status == 403
            assert "not trusted" in orjson.loads(await response.read())["message"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "status"),
    [(b"not json", 400), (b'{"checkpoint": 1}', 400), (b"x" * (65 * 1024), 413)],
)
async def test_malformed_requests_are_refused(
    witness_url: str, http: aiohttp.ClientSession, body: bytes, status: int
) -> None:
    """Garbage or oversize cosign bodies get 400/413 with a JSON refusal, never a crash."""
    async with http.post(
        witness_url, data=body, headers={"Test-Peer": str(CLIENT_SERVER)}
    ) as response:
        assert response.status == status
        assert orjson.loads(await response.read())["type"].startswith("Tunduk.Witness.")


@pytest.mark.asyncio
async def test_checkpoint_is_time_stamped(
    journal_url: str, tmp_path: Path, ca: CertificateAuthority, client: Gateway
) -> None:
    """With a TSA the checkpoint carries an RFC 3161 token verified against the approved TSAs."""
    tsa = TimeStampAuthority.create()
    server, url = serve_tsa(tsa)
    try:
        roots = [tsa.chain[-1].public_bytes(Encoding.PEM)]
        conf = configuration_client(tmp_path / "tsa-conf", ca, tsa_roots=roots)
        with MessageLog.open(journal_url, journal_origin(client.server)) as log:
            cp = checkpointer(log, client, conf, None, tsa_url=url, tsa_roots=lambda: roots)
            await grow(log, 2)
            stored = await cp.step()
            assert stored is not None and stored.timestamp_token
            result = verify_journal(
                log, [client.journal_key.verifier()], tsa_roots=roots, require_timestamp=True
            )
            assert result.ok and result.log.timestamps_checked == 1, result.all_failures()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.asyncio
async def test_round_erases_bodies_past_retention(
    journal_url: str, client: Gateway, configurations: ConfigurationClient
) -> None:
    """A checkpoint round erases bodies older than the retention period; verify stays green."""
    with MessageLog.open(journal_url, journal_origin(client.server)) as log:
        await grow(log, 3)
        cp = checkpointer(log, client, configurations, None, retention=timedelta(0))
        await cp.step()
        result = verify_journal(log, [client.journal_key.verifier()])
        assert result.ok and result.bodies_erased == 3, result.all_failures()


@pytest.mark.asyncio
async def test_unapproved_tsa_gives_no_token(
    journal_url: str, tmp_path: Path, ca: CertificateAuthority, client: Gateway
) -> None:
    """A token from a TSA the configuration does not approve is not stored (003 §3.2)."""
    tsa, other = TimeStampAuthority.create(), TimeStampAuthority.create(name="Other TSA")
    server, url = serve_tsa(tsa)
    try:
        roots = [other.chain[-1].public_bytes(Encoding.PEM)]
        with MessageLog.open(journal_url, journal_origin(client.server)) as log:
            cp = checkpointer(log, client, None, None, tsa_url=url, tsa_roots=lambda: roots)
            await grow(log, 1)
            stored = await cp.step()
            assert stored is not None and stored.timestamp_token is None
    finally:
        server.shutdown()
        server.server_close()
