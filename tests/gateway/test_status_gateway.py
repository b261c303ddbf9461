"""``tunduk gateway status``: configuration, certificates, journal, peers (issue 9 item 1)."""

from __future__ import annotations

import io
import os
import secrets
import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tunduk.gateway._status_journal import journal_status
from tunduk.gateway.config import GatewayConfig, load_config
from tunduk.gateway.keys import GatewayKeys, init_keys, install_certificate, load_keys
from tunduk.gateway.status import (
    GLOBALCONF_DIR,
    format_status,
    gateway_status,
    print_status,
)
from tunduk.gateway.tls import server_context
from tunduk.journal import Log, PostgresStorage, SQLiteStorage, create_schema, generate_signer
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem

from ._tls_helpers import (
    ConfWorld,
    TlsListener,
    issue,
    provision,
    server_id,
    write_gateway_file,
)

OWN = server_id("70000004", "ss1")
PEER = server_id("70000001", "gw1")
GONE = server_id("70000002", "gw1")


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("Status Test CA")


@pytest.fixture
def gateway(tmp_path: Path, ca: CertificateAuthority) -> tuple[GatewayConfig, GatewayKeys]:
    """A provisioned gateway: keys and certificates installed, a journal URL in tmp."""
    directory = tmp_path / "gw"
    directory.mkdir()
    config = load_config(
        write_gateway_file(directory, OWN, journal_url="sqlite:///journal.sqlite3")
    )
    init_keys(config)
    for name in ("auth", "sign"):
        install_certificate(config, certificate_to_pem(issue(ca, config, name)))
    return config, load_keys(config)


@pytest.fixture
def peer(tmp_path: Path, ca: CertificateAuthority) -> GatewayKeys:
    return provision(tmp_path / "peer", ca, PEER)


@pytest.fixture
def listener(peer: GatewayKeys, world_conf: ConfWorld) -> Iterator[TlsListener]:
    server = TlsListener(server_context(peer, world_conf.configuration()))
    yield server
    server.close()


@pytest.fixture
def world_conf(tmp_path: Path, ca: CertificateAuthority) -> ConfWorld:
    return ConfWorld(tmp_path / "world", ca)


def publish(world: ConfWorld, config: GatewayConfig, now: datetime | None = None) -> None:
    """Put the next configuration where the gateway's client keeps it."""
    world.install(config.data_dir / GLOBALCONF_DIR, config.anchor, now)


def write_journal(config: GatewayConfig, entries: int, checkpoint: bool) -> None:
    """A journal in the gateway's SQLite file with entries and maybe a signed checkpoint."""
    path = config.journal_sqlite_path
    assert path is not None
    conn = sqlite3.connect(path)
    create_schema(conn)
    log = Log(SQLiteStorage(conn), origin="KG/GOV/70000004/ss1")
    log.append_many([b"entry %d" % i for i in range(entries)])
    if checkpoint:
        log.sign_checkpoint(generate_signer("KG/GOV/70000004/ss1"))
    conn.commit()
    conn.close()


def test_healthy_gateway(
    gateway: tuple[GatewayConfig, GatewayKeys],
    peer: GatewayKeys,
    world_conf: ConfWorld,
    listener: TlsListener,
) -> None:
    """Issue 9 item 1: version and expiry, certificates, journal size and checkpoint, peers."""
    config, keys = gateway
    world_conf.add(OWN, keys)
    world_conf.add(PEER, peer, f"127.0.0.1:{listener.port}")
    world_conf.add(GONE, peer_keys_for_gone(world_conf, config), "127.0.0.1:1")
    publish(world_conf, config)
    write_journal(config, 5, checkpoint=True)

    status = gateway_status(config, peer_timeout=2)

    assert status["gateway"] == "KG/GOV/70000004/ss1"
    assert status["configuration"]["state"] == "valid"
    assert status["configuration"]["version"] == world_conf.version
    assert status["certificates"]["auth"]["state"] == "valid"
    assert status["certificates"]["sign"]["days_left"] >= 700
    assert status["journal"]["size"] == 5
    assert status["journal"]["last_checkpoint"]["tree_size"] == 5
    assert status["journal"]["last_checkpoint"]["timestamped"] is False
    peers = {peer["gateway"]: peer for peer in status["peers"]}
    assert set(peers) == {str(PEER), str(GONE)}
    assert peers[str(PEER)]["reachable"] is True
    assert peers[str(GONE)]["reachable"] is False and peers[str(GONE)]["error"]
    text = format_status(status)
    assert f"version {world_conf.version}" in text
    assert "journal: 5 entries" in text
    assert "peers: 1 of 2 reachable" in text
    out = io.StringIO()
    assert print_status(config, out) == 0


def peer_keys_for_gone(world: ConfWorld, config: GatewayConfig) -> GatewayKeys:
    """Keys of a gateway that is listed but not running."""
    return provision(config.path.parent.parent / "gone", world.ca, GONE)


def test_peer_with_the_wrong_certificate_is_not_reachable(
    gateway: tuple[GatewayConfig, GatewayKeys],
    world_conf: ConfWorld,
    listener: TlsListener,
    peer: GatewayKeys,
) -> None:
    """A listener at a peer's address holding another gateway's certificate counts as failed."""
    config, keys = gateway
    world_conf.add(OWN, keys)
    world_conf.add(PEER, peer, "127.0.0.1:1")
    impostor = provision(config.path.parent.parent / "impostor", world_conf.ca, GONE)
    world_conf.add(GONE, impostor, f"127.0.0.1:{listener.port}")  # listener presents PEER's
    publish(world_conf, config)
    status = gateway_status(config, peer_timeout=2)
    peers = {peer["gateway"]: peer for peer in status["peers"]}
    assert peers[str(GONE)]["reachable"] is False
    assert "not KG/GOV/70000002/gw1's" in peers[str(GONE)]["error"]


def test_suspended_members_gateway_is_not_contacted(
    gateway: tuple[GatewayConfig, GatewayKeys],
    world_conf: ConfWorld,
    peer: GatewayKeys,
) -> None:
    """003 §4: nobody exchanges with a suspended member, so status does not dial its gateway."""
    config, keys = gateway
    with socket.create_server(("127.0.0.1", 0)) as trap:
        trap.setblocking(False)
        address = f"127.0.0.1:{trap.getsockname()[1]}"
        world_conf.add(OWN, keys)
        world_conf.add(PEER, peer, address)
        world_conf.suspended.add(PEER.member)
        publish(world_conf, config)
        status = gateway_status(config, peer_timeout=2)
        with pytest.raises(BlockingIOError):
            trap.accept()  # no connection is waiting: nothing dialled the suspended gateway
    peers = {peer["gateway"]: peer for peer in status["peers"]}
    assert peers[str(PEER)] == {"gateway": str(PEER), "address": address, "skipped": True}
    assert "member suspended, not checked" in format_status(status)
    assert "peers: 0 of 0 reachable" in format_status(status)


def test_fresh_gateway_says_what_is_missing(tmp_path: Path) -> None:
    """Before init and before any configuration: each section says what is missing; exit 1."""
    directory = tmp_path / "gw"
    directory.mkdir()
    config = load_config(
        write_gateway_file(directory, OWN, journal_url="sqlite:///journal.sqlite3")
    )
    status = gateway_status(config)
    assert status["configuration"]["state"] == "error"  # no anchor file yet
    assert "auth.key: is missing" in status["certificates"]["error"]
    assert status["journal"]["state"] == "missing"
    assert status["peers"] == []
    out = io.StringIO()
    assert print_status(config, out) == 1
    assert "journal: missing" in out.getvalue()


def test_before_certificates(tmp_path: Path, world_conf: ConfWorld) -> None:
    """After init, before install-certificate: both certificates are 'not installed'."""
    directory = tmp_path / "gw"
    directory.mkdir()
    config = load_config(
        write_gateway_file(directory, OWN, journal_url="sqlite:///journal.sqlite3")
    )
    init_keys(config)
    publish(world_conf, config)
    status = gateway_status(config)
    assert status["certificates"]["auth"] == {"state": "not installed"}
    assert "authentication certificate: not installed" in format_status(status)


def test_expired_configuration_and_revoked_certificate(
    gateway: tuple[GatewayConfig, GatewayKeys], world_conf: ConfWorld
) -> None:
    """An expired configuration shows its version and expiry; exit status 1."""
    config, keys = gateway
    world_conf.add(OWN, keys)
    publish(world_conf, config, now=datetime.now(UTC) - timedelta(hours=1))
    write_journal(config, 0, checkpoint=False)
    status = gateway_status(config)
    assert status["configuration"]["state"] == "expired"
    assert status["configuration"]["version"] == world_conf.version
    assert print_status(config, io.StringIO()) == 1


def test_revoked_certificate_is_shown(
    gateway: tuple[GatewayConfig, GatewayKeys], world_conf: ConfWorld
) -> None:
    """003 §3.1: a certificate the configuration lists as revoked is reported as revoked."""
    config, keys = gateway
    world_conf.add(OWN, keys)
    assert keys.sign_cert is not None
    world_conf.revoked.append(keys.sign_cert)
    publish(world_conf, config)
    status = gateway_status(config)
    assert status["certificates"]["sign"]["state"] == "revoked"
    assert status["certificates"]["auth"]["state"] == "valid"


def test_corrupt_journal_is_an_error_not_a_crash(
    gateway: tuple[GatewayConfig, GatewayKeys],
) -> None:
    """Hostile file: a journal path holding garbage gives state 'error', never a traceback."""
    config, _ = gateway
    path = config.journal_sqlite_path
    assert path is not None
    path.write_bytes(b"not a database" * 100)
    status = gateway_status(config)
    assert status["journal"]["state"] == "error"
    assert "cannot be read" in status["journal"]["error"]


@pytest.fixture
def postgres_journal() -> Iterator[str]:
    """A fresh PostgreSQL database for a journal, when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL journal is read under make test-postgres")
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = f"tunduk_gwtls_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_postgres_journal_size_and_checkpoint(postgres_journal: str) -> None:
    """Issue 9 item 4: a PostgreSQL journal's size and last checkpoint are read as SQLite's."""
    import psycopg

    with psycopg.connect(postgres_journal) as conn:
        create_schema(conn)
        log = Log(PostgresStorage(conn), origin="KG/GOV/70000004/ss1")
        log.append_many([b"entry %d" % i for i in range(3)])
        log.sign_checkpoint(generate_signer("KG/GOV/70000004/ss1"))
        conn.commit()
    section = journal_status(postgres_journal)
    assert section["state"] == "ok" and section["size"] == 3
    assert section["last_checkpoint"]["tree_size"] == 3
    assert section["last_checkpoint"]["cosignatures"] == 0
    broken = journal_status(postgres_journal.rsplit("/", 1)[0] + "/tunduk_gwtls_absent")
    assert broken["state"] == "error"
