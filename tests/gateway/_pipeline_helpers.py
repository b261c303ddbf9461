"""A small exchange for gateway tests: a CA, participants, a signed configuration, backends.

:class:`World` keeps the participants and their services and grants, provisions each
gateway's keys the way an administrator does (``init_keys``, the CA issues from the CSRs,
``install_certificate``), builds and publishes the signed global configuration on a
loopback HTTP server, and writes each gateway's TOML file. :class:`RunningGateway` runs a
gateway in-process on its own event loop thread; :class:`Backend` is a threaded HTTP
service the providers' gateways call. Nothing here is mocked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tests.loopback import ConfigurationServer, free_port
from tunduk.globalconf import (
    ApprovedCa,
    ApprovedTsa,
    ConfigurationAnchor,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    Member,
    MemberStatus,
    SignedConfiguration,
    Subsystem,
    build,
    encode,
    sign,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr
from tunduk.trust.profiles import CertificateProfile


@dataclass(frozen=True)
class ConfigurationSigner:
    """The operator's configuration-signing key, its certificate, and the anchor for it."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def sign(self, conf: GlobalConfiguration) -> SignedConfiguration:
        """The envelope central would publish for ``conf``."""
        return sign(encode(conf), self.key, self.certificate)

    def anchor(self, instance: str) -> ConfigurationAnchor:
        """The configuration anchor a gateway of ``instance`` trusts."""
        return ConfigurationAnchor(instance, [certificate_to_pem(self.certificate)])


@dataclass(frozen=True)
class ServiceSpec:
    """One of a provider's services: ``[[services]]`` in its gateway file."""

    subsystem: str
    code: str
    url: str
    openapi: Path | None = None
    timeout: float | None = None


@dataclass
class Participant:
    """A member with its subsystems, its gateway's directory, ports and certificates."""

    member: MemberId
    name: str
    subsystems: list[str]
    server_code: str
    directory: Path
    server_port: int
    status: MemberStatus = MemberStatus.ACTIVE
    services: list[ServiceSpec] = field(default_factory=list)
    auth_cert: x509.Certificate | None = None
    sign_cert: x509.Certificate | None = None
    client_port: int = 0
    journal_url: str = ""
    extra_auth_hashes: list[str] = field(default_factory=list)

    @property
    def server(self) -> ServerId:
        """The gateway's identifier ``INSTANCE/CLASS/CODE/SERVERCODE``."""
        return self.member.server(self.server_code)

    @property
    def config_path(self) -> Path:
        """Its gateway's configuration file."""
        return self.directory / "gateway.toml"

    @property
    def keys_dir(self) -> Path:
        """Where its keys and certificates live."""
        return self.directory / "keys"

    def subsystem(self, code: str) -> str:
        """``INSTANCE/CLASS/CODE/SUBSYSTEM`` of one of its subsystems."""
        return f"{self.member}/{code}"

    def service(self, subsystem: str, code: str) -> str:
        """``INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE`` of one of its services."""
        return f"{self.member}/{subsystem}/{code}"


def _toml_string(value: str) -> str:
    return json.dumps(value)


class World:
    """Participants, services, grants and groups; the signed configuration built from them."""

    def __init__(
        self,
        root: Path,
        ca: CertificateAuthority,
        signer: ConfigurationSigner,
        central: ConfigurationServer,
        *,
        instance: str = "KG",
        tsa: tuple[str, x509.Certificate] | None = None,
    ) -> None:
        self.root = root
        self.ca = ca
        self.signer = signer
        self.central = central
        self.instance = instance
        self.tsa = tsa
        self.participants: list[Participant] = []
        self.grants: list[Grant] = []
        self.groups: list[GlobalGroup] = []
        self.extra_cas: list[ApprovedCa] = []
        self.version = 0
        self.anchor_path = root / "anchor.json"
        root.mkdir(parents=True, exist_ok=True)
        self.anchor_path.write_bytes(signer.anchor(instance).to_bytes())

    def add(
        self,
        member_class: str,
        member_code: str,
        name: str,
        subsystems: list[str],
        *,
        server_code: str = "gw1",
        status: MemberStatus = MemberStatus.ACTIVE,
    ) -> Participant:
        """Add a member with a gateway; provision it with :meth:`provision`."""
        member = MemberId(self.instance, member_class, member_code)
        participant = Participant(
            member=member,
            name=name,
            subsystems=subsystems,
            server_code=server_code,
            directory=self.root / f"{member_code}-{server_code}",
            server_port=free_port(),
            status=status,
        )
        participant.directory.mkdir(parents=True)
        participant.journal_url = f"sqlite:///{participant.directory / 'journal.sqlite3'}"
        self.participants.append(participant)
        return participant

    def add_gateway(self, participant: Participant, server_code: str) -> Participant:
        """Another gateway of ``participant``'s member, serving the same services."""
        other = dataclasses.replace(
            participant,
            server_code=server_code,
            directory=self.root / f"{participant.member.member_code}-{server_code}",
            server_port=free_port(),
            services=list(participant.services),
            auth_cert=None,
            sign_cert=None,
            client_port=0,
            extra_auth_hashes=[],
        )
        other.directory.mkdir(parents=True)
        other.journal_url = f"sqlite:///{other.directory / 'journal.sqlite3'}"
        self.participants.append(other)
        return other

    def grant(
        self, service: str, client: str, method: str | None = None, path: str | None = None
    ) -> None:
        """Let ``client`` (a subsystem or a group) call ``service`` (or one endpoint)."""
        self.grants.append(Grant(service, client, method, path))

    def provision(self, participant: Participant, **overrides: Any) -> None:
        """Write the gateway file, run ``init_keys``, issue both certificates, install them."""
        from tunduk.gateway.config import load_config
        from tunduk.gateway.keys import init_keys, install_certificate

        self.write_config(participant, **overrides)
        config = load_config(participant.config_path)
        init_keys(config)
        server = participant.server
        for profile, name in (
            (CertificateProfile.AUTHENTICATION, "auth"),
            (CertificateProfile.SIGNING, "sign"),
        ):
            csr = load_csr((participant.keys_dir / f"{name}.csr").read_bytes())
            expected = (
                ExpectedSubject.for_server(server)
                if profile is CertificateProfile.AUTHENTICATION
                else ExpectedSubject.for_member(server.member)
            )
            certificate = issue_from_csr(self.ca, csr, profile=profile, expected=expected)
            install_certificate(config, certificate_to_pem(certificate))
            if name == "auth":
                participant.auth_cert = certificate
            else:
                participant.sign_cert = certificate

    def write_config(self, participant: Participant, **overrides: Any) -> Path:
        """Write ``gateway.toml``; ``overrides`` replace ``section_key`` values (e.g. ``limits_max_body_bytes``)."""
        values: dict[str, dict[str, Any]] = {
            "identity": {
                "instance": self.instance,
                "member_class": participant.member.member_class,
                "member_code": participant.member.member_code,
                "server_code": participant.server_code,
            },
            "keys": {"dir": "keys"},
            "central": {"url": self.central.url, "anchor": str(self.anchor_path)},
            "listen": {
                "client": f"127.0.0.1:{participant.client_port}",
                "server": f"127.0.0.1:{participant.server_port}",
            },
            "journal": {
                "url": participant.journal_url,
                "retention_days": 180,
                "checkpoint_interval": 3600,
            },
            "limits": {
                "max_body_bytes": 1048576,
                "backend_timeout": 5,
                "peer_timeout": 10,
                "max_connections": 50,
            },
            "data": {"dir": "data"},
        }
        if self.tsa is not None:
            values["journal"]["tsa_url"] = self.tsa[0]
        for key, value in overrides.items():
            section, _, name = key.partition("_")
            values[section][name] = value
        lines: list[str] = []
        for section, entries in values.items():
            lines.append(f"[{section}]")
            lines.extend(f"{name} = {_toml_value(value)}" for name, value in entries.items())
            lines.append("")
        for service in participant.services:
            lines.append("[[services]]")
            lines.append(f"subsystem = {_toml_string(service.subsystem)}")
            lines.append(f"code = {_toml_string(service.code)}")
            lines.append(f"url = {_toml_string(service.url)}")
            if service.openapi is not None:
                lines.append(f"openapi = {_toml_string(str(service.openapi))}")
            if service.timeout is not None:
                lines.append(f"timeout = {service.timeout}")
            lines.append("")
        participant.config_path.write_text("\n".join(lines))
        return participant.config_path

    def configuration(
        self, *, validity: timedelta = timedelta(minutes=10), now: datetime | None = None
    ) -> GlobalConfiguration:
        """The next version of the configuration, built from the world as it is now."""
        self.version += 1
        ca_pem = self.ca.certificate_pem.decode("ascii")
        tsas = []
        if self.tsa is not None:
            tsas = [ApprovedTsa("Test TSA", self.tsa[0], certificate_to_pem(self.tsa[1]).decode())]
        return build(
            self.instance,
            self.version,
            members=[_member(p) for p in self._one_per_member()],
            gateways=[_gateway(p) for p in self.participants],
            approved_cas=[ApprovedCa("Tunduk Test Root CA", ca_pem), *self.extra_cas],
            approved_tsas=tsas,
            groups=self.groups,
            grants=self.grants,
            validity=validity,
            now=now or datetime.now(UTC),
        )

    def _one_per_member(self) -> list[Participant]:
        """The participants, each member once (a member may run several gateways)."""
        first: dict[MemberId, Participant] = {}
        for participant in self.participants:
            first.setdefault(participant.member, participant)
        return list(first.values())

    def publish(self, **kwargs: Any) -> GlobalConfiguration:
        """Sign and serve the next version; gateways pick it up when they refresh."""
        conf = self.configuration(**kwargs)
        self.central.publish(self.signer.sign(conf))
        return conf


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _toml_string(str(value))


def _member(participant: Participant) -> Member:
    return Member(
        participant.member.member_class,
        participant.member.member_code,
        participant.name,
        participant.status,
        [Subsystem(code, code.replace("-", " ").capitalize()) for code in participant.subsystems],
    )


def _gateway(participant: Participant) -> Gateway:
    hashes = list(participant.extra_auth_hashes)
    if participant.auth_cert is not None:
        from tunduk.trust.certificates import certificate_hash

        hashes.insert(0, certificate_hash(participant.auth_cert))
    return Gateway(
        participant.server_code,
        participant.member.member_class,
        participant.member.member_code,
        f"127.0.0.1:{participant.server_port}",
        hashes,
    )


class RunningGateway:
    """A gateway started in-process on its own event loop thread (uvloop not required)."""

    def __init__(self, config_path: Path) -> None:
        from tunduk.gateway.config import load_config
        from tunduk.gateway.runtime import GatewayRuntime

        self.config = load_config(config_path)
        self.loop = asyncio.new_event_loop()
        self.runtime = GatewayRuntime(self.config)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.runtime.start(), self.loop).result(60)

    @property
    def client_url(self) -> str:
        """``http://127.0.0.1:PORT`` of the client side (the organisation's own systems)."""
        return f"http://127.0.0.1:{self.runtime.client_port}"

    def call(self, coroutine: Any, timeout: float = 60) -> Any:
        """Run ``coroutine`` on the gateway's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        """Graceful shutdown (final checkpoint), then stop the loop thread; once only."""
        if self.loop.is_closed():
            return
        try:
            self.call(self.runtime.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()
