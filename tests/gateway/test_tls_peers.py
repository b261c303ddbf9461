"""Mutual TLS between gateways, with real handshakes on 127.0.0.1 (issue 9 item 3; 003 §3.1).

Each test runs a TLS server with :func:`server_context` and a client with
:func:`client_context` and checks the certificate each side saw with :func:`check_peer`
against a configuration held by a real :class:`ConfigurationClient`.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.keys import GatewayKeys
from tunduk.gateway.tls import (
    TlsContexts,
    check_peer,
    client_context,
    handshake_error,
    peer_certificate,
    server_context,
)
from tunduk.trust.ca import CertificateAuthority

from ._tls_helpers import ConfWorld, provision, server_id

CLIENT = server_id("70000004", "ss1")
PROVIDER = server_id("70000001", "gw1")
OTHER = server_id("70000099", "gw1")


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("TLS Test CA")


@pytest.fixture(scope="module")
def rogue_ca() -> CertificateAuthority:
    return CertificateAuthority.create("TLS Test CA")  # same name, another key


@pytest.fixture(scope="module")
def keys(
    tmp_path_factory: pytest.TempPathFactory,
    ca: CertificateAuthority,
    rogue_ca: CertificateAuthority,
) -> dict[str, GatewayKeys]:
    root = tmp_path_factory.mktemp("tls-keys")
    return {
        "client": provision(root, ca, CLIENT),
        "provider": provision(root, ca, PROVIDER),
        "other": provision(root, ca, OTHER),
        "unlisted": provision(root / "unlisted", ca, CLIENT),
        "revoked": provision(root / "revoked", ca, CLIENT),
        "rogue": provision(root / "rogue", rogue_ca, CLIENT),
    }


@pytest.fixture
def world(tmp_path: Path, ca: CertificateAuthority, keys: dict[str, GatewayKeys]) -> ConfWorld:
    conf = ConfWorld(tmp_path, ca)
    conf.add(CLIENT, keys["client"])
    conf.add(PROVIDER, keys["provider"])
    conf.add(OTHER, keys["other"])
    return conf


@dataclass
class Seen:
    """What the TLS server saw: the peer certificates of the connections it accepted."""

    certificates: list[bytes | None] = field(default_factory=list)


async def exchange(
    server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext
) -> tuple[Seen, bytes | None, bytes | BaseException]:
    """One connection: returns what the server saw, the server's certificate as the client
    saw it, and what the client read (b"ok") or the error it got."""
    seen = Seen()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.certificates.append(peer_certificate(writer.get_extra_info("ssl_object")))
        writer.write(b"ok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    server_der: bytes | None = None
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=client_ctx), 10
        )
        server_der = peer_certificate(writer.get_extra_info("ssl_object"))
        try:
            answer: bytes | BaseException = await asyncio.wait_for(reader.read(), 10)
        except (ssl.SSLError, ConnectionError) as error:
            answer = error
        writer.close()
    except (ssl.SSLError, ConnectionError) as error:
        answer = error
    finally:
        server.close()
        await server.wait_closed()
    return seen, server_der, answer


@pytest.mark.asyncio
async def test_listed_gateways_authenticate_each_other(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Issue 9 item 3: both sides present listed certificates and each identifies the other."""
    client = world.client()
    conf = client.current()
    seen, server_der, answer = await exchange(
        server_context(keys["provider"], conf), client_context(keys["client"], conf)
    )
    assert answer == b"ok"
    who = check_peer(client, seen.certificates[0], member=CLIENT.member, side="server")
    assert who == CLIENT
    assert check_peer(client, server_der, server=PROVIDER, side="client") == PROVIDER


@pytest.mark.asyncio
async def test_unlisted_certificate_is_refused(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Attacker: a valid certificate from the approved CA whose hash no gateway lists."""
    client = world.client()
    conf = client.current()
    seen, _, _ = await exchange(
        server_context(keys["provider"], conf), client_context(keys["unlisted"], conf)
    )
    with pytest.raises(GatewayError, match="not listed for any gateway") as caught:
        check_peer(client, seen.certificates[0], member=CLIENT.member, side="server")
    assert (
        caught.value.code
        == Code.SSL_AUTH_FAILED_SERVER
        == "Server.ServerProxy.SslAuthenticationFailed"
    )
    assert caught.value.status == 500


@pytest.mark.asyncio
async def test_another_members_certificate_is_refused(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Attacker: gateway of member 70000099 sends a request claiming the social fund's client."""
    client = world.client()
    conf = client.current()
    seen, _, _ = await exchange(
        server_context(keys["provider"], conf), client_context(keys["other"], conf)
    )
    with pytest.raises(GatewayError, match="belongs to KG/GOV/70000099, not to KG/GOV/70000004"):
        check_peer(client, seen.certificates[0], member=CLIENT.member, side="server")


@pytest.mark.asyncio
async def test_provider_with_another_gateways_certificate_is_refused(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Attacker on the client side: a listed gateway impersonates the provider's address."""
    client = world.client()
    conf = client.current()
    _, server_der, answer = await exchange(
        server_context(keys["other"], conf), client_context(keys["client"], conf)
    )
    assert answer == b"ok"
    with pytest.raises(
        GatewayError, match="gateway KG/GOV/70000099/gw1's, not KG/GOV/70000001/gw1's"
    ) as caught:
        check_peer(client, server_der, server=PROVIDER, side="client")
    assert caught.value.code == Code.SSL_AUTH_FAILED_CLIENT


@pytest.mark.asyncio
async def test_revoked_certificate_is_refused(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """003 §3.1: a certificate its CA revoked is refused even while its hash is still listed."""
    world.add(CLIENT, keys["revoked"])
    assert keys["revoked"].auth_cert is not None
    world.revoked.append(keys["revoked"].auth_cert)
    client = world.client()
    conf = client.current()
    seen, _, _ = await exchange(
        server_context(keys["provider"], conf), client_context(keys["revoked"], conf)
    )
    with pytest.raises(GatewayError, match="is revoked"):
        check_peer(client, seen.certificates[0], member=CLIENT.member, side="server")


@pytest.mark.asyncio
async def test_unapproved_ca_fails_the_handshake(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Attacker: a certificate from a CA the configuration does not approve (same CA name,
    other key) is refused by the handshake itself, and by check_peer."""
    client = world.client()
    conf = client.current()
    seen, _, answer = await exchange(
        server_context(keys["provider"], conf), client_context(keys["rogue"], conf)
    )
    assert seen.certificates == []
    assert answer != b"ok"
    rogue = keys["rogue"].auth_cert
    assert rogue is not None
    with pytest.raises(GatewayError, match="not from an approved CA"):
        check_peer(client, rogue.public_bytes(Encoding.DER), member=CLIENT.member, side="server")


@pytest.mark.asyncio
async def test_client_refuses_a_provider_from_an_unapproved_ca(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """The client gateway's handshake refuses a provider certificate no approved CA issued."""
    client = world.client()
    conf = client.current()
    _, _, answer = await exchange(
        server_context(keys["rogue"], conf), client_context(keys["client"], conf)
    )
    assert isinstance(answer, ssl.SSLCertVerificationError)
    error = handshake_error(answer, "client")
    assert error.code == Code.SSL_AUTH_FAILED_CLIENT
    assert "not from an approved CA" in error.message


@pytest.mark.asyncio
async def test_no_client_certificate_fails_the_handshake(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """Attacker: a client with no certificate at all never reaches the provider's handler."""
    client = world.client()
    conf = client.current()
    bare = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    bare.check_hostname = False
    bare.verify_mode = ssl.CERT_NONE
    seen, _, answer = await exchange(server_context(keys["provider"], conf), bare)
    assert seen.certificates == []
    assert answer != b"ok"
    with pytest.raises(GatewayError, match="presented no TLS certificate"):
        check_peer(client, None, member=CLIENT.member, side="server")


def test_contexts_allow_only_tls12_and_ecdhe(
    world: ConfWorld, keys: dict[str, GatewayKeys]
) -> None:
    """TLS 1.2 at least, ECDHE key exchange with AEAD suites only, a peer certificate required."""
    conf = world.client().current()
    for context in (server_context(keys["provider"], conf), client_context(keys["client"], conf)):
        assert context.minimum_version == ssl.TLSVersion.TLSv1_2
        assert context.verify_mode == ssl.CERT_REQUIRED and not context.check_hostname
        for cipher in context.get_ciphers():
            assert cipher["protocol"] == "TLSv1.3" or cipher["kea"] == "kx-ecdhe", cipher
            assert cipher["aead"], cipher


@pytest.mark.asyncio
async def test_contexts_follow_the_configurations_cas(
    world: ConfWorld, keys: dict[str, GatewayKeys], rogue_ca: CertificateAuthority
) -> None:
    """A CA approved (then withdrawn) by a newer configuration is trusted (then refused) by
    the running listener's context, without a restart."""
    world.add(CLIENT, keys["rogue"])
    contexts = TlsContexts(keys["provider"], world.client().current())
    seen, _, answer = await exchange(
        contexts.server, client_context(keys["rogue"], world.client().current())
    )
    assert answer != b"ok"
    world.extra_cas.append(rogue_ca)
    newer = world.client()
    assert contexts.update(newer.current()) is True
    assert contexts.update(newer.current()) is False
    seen, _, answer = await exchange(
        contexts.server, client_context(keys["rogue"], newer.current())
    )
    assert answer == b"ok"
    assert check_peer(newer, seen.certificates[0], member=CLIENT.member, side="server") == CLIENT
    world.extra_cas.clear()  # the operator withdraws the CA again
    assert contexts.update(world.client().current()) is True
    _, _, answer = await exchange(contexts.server, client_context(keys["rogue"], newer.current()))
    assert answer != b"ok"


def test_expired_configuration_is_outdated(world: ConfWorld, keys: dict[str, GatewayKeys]) -> None:
    """An expired configuration refuses every peer with OutdatedGlobalConf (issue 9 item 3)."""
    client = world.client(now=datetime.now(UTC) - timedelta(minutes=30))
    der = keys["client"].auth_cert
    assert der is not None
    with pytest.raises(GatewayError) as caught:
        check_peer(client, der.public_bytes(Encoding.DER), side="server")
    assert caught.value.code == Code.OUTDATED_GLOBALCONF_SERVER


def test_garbage_certificate_is_refused(world: ConfWorld) -> None:
    """Hostile bytes in place of a certificate are refused, not crashed on."""
    client = world.client()
    with pytest.raises(GatewayError, match="cannot be parsed"):
        check_peer(client, b"\x30\x03\x02\x01\x00", side="client")
