"""Shared fixtures for the gateway tests: a CA, a signed configuration, gateways, backends.

- ``ca`` / ``conf_signer`` (session): the participants' CA and the operator's
  configuration signer (never the same CA);
- ``central``: the signed configuration served on 127.0.0.1; ``world``: participants,
  services and grants built on it (:class:`World`);
- ``backend``: a threaded echo service;
- ``journal_url``: a factory of journal URLs, SQLite by default and PostgreSQL (a
  database created and dropped here) when ``DATABASE_URL`` is a postgres URL;
- ``exchange``: the standard pair: the social fund (client, ``KG/GOV/70000004``) and the
  population registry (provider, ``KG/GOV/70000001``) with one granted service, both
  gateways running in-process (:class:`Exchange`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.loopback import ConfigurationServer
from tunduk.trust.ca import CertificateAuthority, common_name

from ._backend import Backend
from ._pipeline_helpers import ConfigurationSigner, Participant, RunningGateway, ServiceSpec, World

PG_ADMIN_DSN = os.environ.get(
    "TUNDUK_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
)


def postgres_wanted() -> bool:
    """True when the suite runs on PostgreSQL (``make test-postgres``)."""
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="session")
def ca() -> CertificateAuthority:
    """The CA the configuration approves for participants' certificates."""
    return CertificateAuthority.create("Tunduk Test Root CA")


@pytest.fixture(scope="session")
def conf_signer() -> ConfigurationSigner:
    """The operator's configuration signer, under a CA of its own."""
    signer_ca = CertificateAuthority.create("Tunduk Test Configuration-Signing CA")
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = signer_ca.issue(common_name("Tunduk configuration signer"), key.public_key())
    return ConfigurationSigner(key, certificate)


@pytest.fixture
def central() -> Iterator[ConfigurationServer]:
    """Central's configuration download point on 127.0.0.1."""
    server = ConfigurationServer()
    yield server
    server.stop()


@pytest.fixture
def world(
    tmp_path: Path,
    ca: CertificateAuthority,
    conf_signer: ConfigurationSigner,
    central: ConfigurationServer,
) -> World:
    """An empty exchange: add participants, services and grants, then publish."""
    return World(tmp_path / "world", ca, conf_signer, central)


@pytest.fixture
def backend() -> Iterator[Backend]:
    """A provider's information system answering on 127.0.0.1."""
    service = Backend()
    yield service
    service.stop()


@pytest.fixture
def journal_url(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``make(name)`` returns a fresh journal URL: SQLite, or PostgreSQL under test-postgres."""
    created: list[str] = []

    def make(name: str) -> str:
        if not postgres_wanted():
            return f"sqlite:///{tmp_path / f'journal-{name}.sqlite3'}"
        import psycopg

        database = f"tunduk_gwpipe_{name.replace('-', '_')}_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f"CREATE DATABASE {database}")
        created.append(database)
        return f"postgresql://postgres@127.0.0.1:5432/{database}"

    yield make
    if created:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            for database in created:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


CLIENT_SUBSYSTEM = "pension-accounts"
PROVIDER_SUBSYSTEM = "population"
SERVICE_CODE = "person-by-pin"
OPENAPI = """\
openapi: 3.0.3
info: {title: Person by PIN, version: "1.0"}
paths:
  /persons/{pin}:
    get:
      parameters:
        - {name: pin, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: the person}}
  /search:
    post:
      responses: {"200": {description: matches}}
"""


@dataclass
class Exchange:
    """Two running gateways: ``client`` (the social fund) and ``provider`` (population)."""

    world: World
    backend: Backend
    client: Participant
    provider: Participant
    client_gw: RunningGateway
    provider_gw: RunningGateway

    @property
    def client_id(self) -> str:
        """The social fund's granted subsystem ``KG/GOV/70000004/pension-accounts``."""
        return self.client.subsystem(CLIENT_SUBSYSTEM)

    @property
    def service_id(self) -> str:
        """``KG/GOV/70000001/population/person-by-pin``."""
        return self.provider.service(PROVIDER_SUBSYSTEM, SERVICE_CODE)

    @property
    def service_path(self) -> str:
        """``/r1/KG/GOV/70000001/population/person-by-pin``."""
        return f"/r1/{self.service_id}"

    def refresh(self) -> None:
        """Make both gateways download the configuration now."""
        for gateway in (self.client_gw, self.provider_gw):
            gateway.runtime.refresh_configuration()


def build_exchange(
    world: World, backend: Backend, journal_url: Callable[[str], str]
) -> tuple[Participant, Participant]:
    """Add the social fund and the population registry, the service and its grant; publish."""
    provider = world.add("GOV", "70000001", "Population registry", [PROVIDER_SUBSYSTEM, "other"])
    openapi = world.root / "person-by-pin.yaml"
    openapi.write_text(OPENAPI)
    provider.services.append(ServiceSpec(PROVIDER_SUBSYSTEM, SERVICE_CODE, backend.url, openapi))
    provider.services.append(ServiceSpec(PROVIDER_SUBSYSTEM, "secret", backend.url))
    client = world.add("GOV", "70000004", "Social fund", [CLIENT_SUBSYSTEM, "hr"])
    provider.journal_url = journal_url("provider")
    client.journal_url = journal_url("client")
    world.grant(
        provider.service(PROVIDER_SUBSYSTEM, SERVICE_CODE), client.subsystem(CLIENT_SUBSYSTEM)
    )
    for participant in (provider, client):
        world.provision(participant)
    world.publish()
    return client, provider


@pytest.fixture
def exchange(
    world: World, backend: Backend, journal_url: Callable[[str], str]
) -> Iterator[Exchange]:
    """The social fund calling the population registry through two running gateways."""
    client, provider = build_exchange(world, backend, journal_url)
    provider_gw = RunningGateway(provider.config_path)
    try:
        client_gw = RunningGateway(client.config_path)
    except BaseException:
        provider_gw.stop()
        raise
    try:
        yield Exchange(world, backend, client, provider, client_gw, provider_gw)
    finally:
        client_gw.stop()
        provider_gw.stop()
