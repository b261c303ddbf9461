"""Fixtures: a fixed clock, the participants' CA, a configuration signer apart from it, its anchor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.loopback import ConfigurationServer
from tunduk.globalconf import (
    ApprovedCa,
    ApprovedTsa,
    ConfigurationAnchor,
    ConfigurationClient,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    Member,
    MemberStatus,
    RevokedSerial,
    SignedConfiguration,
    Subsystem,
    build,
    encode,
    sign,
)
from tunduk.trust.ca import CertificateAuthority, KeyType, common_name, generate_key

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
"""The time every test starts at (certificates are issued relative to it)."""


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass(frozen=True)
class Signer:
    """A configuration-signing key and its certificate."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate

    def sign(self, conf: GlobalConfiguration) -> SignedConfiguration:
        return sign(encode(conf), self.key, self.certificate)


@pytest.fixture(scope="session")
def ca() -> CertificateAuthority:
    """The CA the configuration approves for participants' certificates."""
    return CertificateAuthority.create("Tunduk Test Root CA", clock=lambda: NOW)


@pytest.fixture(scope="session")
def signer_ca() -> CertificateAuthority:
    """The operator's configuration-signing CA: never the participants' one (Issue 7 (3))."""
    return CertificateAuthority.create("Tunduk Test Configuration-Signing CA", clock=lambda: NOW)


@pytest.fixture(scope="session")
def make_signer(signer_ca: CertificateAuthority) -> Callable[..., Signer]:
    def make(
        key_type: KeyType = KeyType.EC_P256,
        *,
        validity: timedelta = timedelta(days=365),
        issued_at: datetime = NOW,
    ) -> Signer:
        key = generate_key(key_type)
        certificate = signer_ca.issue(
            common_name(f"Tunduk configuration signer {key_type}"),
            key.public_key(),
            validity=validity,
            clock=lambda: issued_at,
        )
        return Signer(key, certificate)

    return make


@pytest.fixture(scope="session")
def signer(make_signer: Callable[..., Signer]) -> Signer:
    return make_signer()


@pytest.fixture(scope="session")
def anchor(signer: Signer) -> ConfigurationAnchor:
    return ConfigurationAnchor("KG", [_pem(signer.certificate)])


def _pem(certificate: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.PEM)


@pytest.fixture(scope="session")
def make_conf(ca: CertificateAuthority) -> Callable[..., GlobalConfiguration]:
    """Build a realistic configuration: two members, gateways, a CA, a TSA, grants."""
    ca_pem = ca.certificate_pem.decode("ascii")

    def make(
        version: int = 1,
        *,
        instance: str = "KG",
        now: datetime = NOW,
        revoked: Iterable[RevokedSerial] = (),
    ) -> GlobalConfiguration:
        return build(
            instance,
            version,
            members=[
                Member(
                    "GOV",
                    "70000001",
                    "Ministry of Digital Development",
                    MemberStatus.ACTIVE,
                    [
                        Subsystem("population-registry", "Population registry", "IS-0001"),
                        Subsystem("portal", "Public services portal"),
                    ],
                ),
                Member(
                    "COM",
                    "12345678",
                    "Bank (OJSC)",
                    MemberStatus.SUSPENDED,
                    [Subsystem("billing", "Billing")],
                ),
            ],
            gateways=[
                Gateway("ss1", "GOV", "70000001", "ss1.gov.kg", ["ab" * 32, "cd" * 32]),
                Gateway("gw", "COM", "12345678", "10.0.0.5:5500", ["ef" * 32]),
            ],
            approved_cas=[
                ApprovedCa("Tunduk Test Root CA", ca_pem, "http://ca.example/crl", list(revoked))
            ],
            approved_tsas=[ApprovedTsa("Test TSA", "http://tsa.example/", ca_pem)],
            groups=[
                GlobalGroup(
                    "ministries",
                    "All ministries",
                    [f"{instance}/GOV/70000001/portal", f"{instance}/GOV/70000001"],
                )
            ],
            grants=[
                Grant(
                    f"{instance}/GOV/70000001/population-registry/persons",
                    f"{instance}/COM/12345678/billing",
                    "GET",
                    "/persons/*",
                ),
                Grant(
                    f"{instance}/GOV/70000001/population-registry/persons",
                    f"{instance}/ministries",
                ),
            ],
            settings={"ocsp-freshness-seconds": "3600", "timestamping.interval": "60"},
            now=now,
        )

    return make


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()


@pytest.fixture
def server() -> Iterator[ConfigurationServer]:
    server = ConfigurationServer()
    yield server
    server.stop()


@pytest.fixture
def client(
    server: ConfigurationServer, anchor: ConfigurationAnchor, tmp_path: Path, clock: Clock
) -> ConfigurationClient:
    return ConfigurationClient(server.url, anchor, tmp_path, timeout=5, clock=clock)
