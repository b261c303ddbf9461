"""Helpers for the keys, TLS and status tests: a gateway's key directory with real certificates.

Nothing is mocked: keys come from :func:`tunduk.gateway.keys.init_keys`, certificates from
a real :class:`~tunduk.trust.ca.CertificateAuthority` issuing from the gateway's own CSRs,
configurations are signed and checked by :class:`~tunduk.globalconf.ConfigurationClient`.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.keys import (
    GatewayKeys,
    KeyConfig,
    init_keys,
    install_certificate,
    load_keys,
)
from tunduk.globalconf import (
    ApprovedCa,
    ConfigurationAnchor,
    ConfigurationClient,
    Gateway,
    GlobalConfiguration,
    Member,
    MemberStatus,
    RevokedSerial,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem, common_name
from tunduk.trust.certificates import certificate_hash, issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr
from tunduk.trust.profiles import CertificateProfile


@dataclass(frozen=True)
class KeysOnly:
    """The two fields of ``GatewayConfig`` the key functions read."""

    keys_dir: Path
    server: ServerId


def issue(ca: CertificateAuthority, config: KeyConfig, name: str) -> x509.Certificate:
    """Issue the certificate for ``name`` ("auth" or "sign") from the gateway's own CSR."""
    csr = load_csr((config.keys_dir / f"{name}.csr").read_bytes())
    if name == "auth":
        profile = CertificateProfile.AUTHENTICATION
        expected = ExpectedSubject.for_server(config.server)
    else:
        profile = CertificateProfile.SIGNING
        expected = ExpectedSubject.for_member(config.server.member)
    return issue_from_csr(ca, csr, profile=profile, expected=expected)


def provision(root: Path, ca: CertificateAuthority, server: ServerId) -> GatewayKeys:
    """A gateway's key directory under ``root`` with both certificates installed."""
    config = KeysOnly(root / f"{server.member.member_code}-{server.server_code}", server)
    init_keys(config)
    for name in ("auth", "sign"):
        install_certificate(config, certificate_to_pem(issue(ca, config, name)))
    return load_keys(config)


@dataclass
class ConfWorld:
    """Gateways listed in a configuration signed for an anchor; a client that accepts it."""

    root: Path
    ca: CertificateAuthority
    gateways: list[tuple[ServerId, list[str], str]] = field(default_factory=list)
    revoked: list[x509.Certificate] = field(default_factory=list)
    extra_cas: list[CertificateAuthority] = field(default_factory=list)
    suspended: set[MemberId] = field(default_factory=set)
    version: int = 0

    def add(self, server: ServerId, keys: GatewayKeys, address: str = "127.0.0.1:1") -> None:
        """List ``server``'s authentication certificate hash in the configuration."""
        assert keys.auth_cert is not None
        digest = certificate_hash(keys.auth_cert)
        for listed, hashes, _ in self.gateways:
            if listed == server:
                hashes.append(digest)
                return
        self.gateways.append((server, [digest], address))

    def configuration(self, now: datetime | None = None) -> GlobalConfiguration:
        """The next version of the configuration, generated at ``now``."""
        self.version += 1
        members = {
            (s.member.member_class, s.member.member_code): Member(
                s.member.member_class,
                s.member.member_code,
                s.member.member_code,
                MemberStatus.SUSPENDED if s.member in self.suspended else MemberStatus.ACTIVE,
            )
            for s, _, _ in self.gateways
        }
        now = now or datetime.now(UTC)
        stamp = now.replace(microsecond=0) - timedelta(seconds=1)
        revoked = [RevokedSerial(format(c.serial_number, "x"), stamp) for c in self.revoked]
        cas = [ApprovedCa("Test CA", self.ca.certificate_pem.decode(), None, revoked)]
        cas += [
            ApprovedCa(f"Extra {i}", c.certificate_pem.decode())
            for i, c in enumerate(self.extra_cas)
        ]
        return build(
            "KG",
            self.version,
            members=list(members.values()),
            gateways=[
                Gateway(s.server_code, s.member.member_class, s.member.member_code, address, hashes)
                for s, hashes, address in self.gateways
            ],
            approved_cas=cas,
            validity=timedelta(minutes=10),
            now=now,
        )

    def client(self, now: datetime | None = None) -> ConfigurationClient:
        """A configuration client whose cache holds the newest signed configuration."""
        cache = self.root / f"conf-{self.version + 1}"
        anchor = self.install(cache, self.root / f"anchor-{self.version + 1}.json", now)
        return ConfigurationClient("http://127.0.0.1:9/unused", anchor, cache)

    def install(
        self, cache: Path, anchor_path: Path, now: datetime | None = None
    ) -> ConfigurationAnchor:
        """Write the next signed configuration into ``cache`` and its anchor file."""
        signer_ca = CertificateAuthority.create("Configuration signer CA")
        key = ec.generate_private_key(ec.SECP256R1())
        cert = signer_ca.issue(common_name("signer"), key.public_key())
        signed = sign(encode(self.configuration(now)), key, cert)
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "configuration.signed.json").write_bytes(signed.to_bytes())
        anchor = ConfigurationAnchor("KG", [certificate_to_pem(cert)])
        anchor_path.write_bytes(anchor.to_bytes())
        return anchor


class TlsListener:
    """A peer gateway's TLS port on 127.0.0.1: completes handshakes, then closes."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            try:
                raw.settimeout(5)
                with self.context.wrap_socket(raw, server_side=True) as tls:
                    tls.recv(1)
            except (OSError, ssl.SSLError):
                pass
            finally:
                raw.close()

    def close(self) -> None:
        """Stop accepting."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(5)


def server_id(code: str, server_code: str = "gw1", member_class: str = "GOV") -> ServerId:
    """``KG/<class>/<code>/<server_code>``."""
    return MemberId("KG", member_class, code).server(server_code)


def write_gateway_file(
    directory: Path, server: ServerId, *, journal_url: str, report_url: str | None = None
) -> Path:
    """A gateway's TOML file in ``directory`` (keys in ``keys/``, data in ``data/``)."""
    report = f'status_report_url = "{report_url}"\n' if report_url else ""
    path = directory / "gateway.toml"
    path.write_text(
        f"""[identity]
instance = "{server.member.instance}"
member_class = "{server.member.member_class}"
member_code = "{server.member.member_code}"
server_code = "{server.server_code}"
[keys]
dir = "keys"
[central]
url = "http://127.0.0.1:9/globalconf/configuration"
anchor = "anchor.json"
{report}[listen]
client = "127.0.0.1:0"
server = "127.0.0.1:0"
[journal]
url = "{journal_url}"
retention_days = 180
checkpoint_interval = 60
[limits]
max_body_bytes = 1048576
backend_timeout = 5
peer_timeout = 5
max_connections = 10
[data]
dir = "data"
"""
    )
    return path
