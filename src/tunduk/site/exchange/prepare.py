"""Prepare the demo exchange: a gateway directory per active participant, through the Catalog.

For every active participant :func:`prepare_exchange` does what a gateway administrator
and the Tunduk operator would do: writes ``<dir>/<member code>/gateway.toml``, creates the
keys and CSRs (``tunduk.gateway.keys.init_keys``), moves the participant's gateway to its
loopback address, requests both certificates and has the operator issue them with the
Catalog's CA (the real services, audited and journaled), installs them, retires the
demo's placeholder authentication certificate, and writes the configuration anchor and
``exchange.json`` (what :mod:`tunduk.site.exchange.supervisor` starts). Running it again
keeps a gateway whose certificates the Catalog still lists and rebuilds any other.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from django.db import transaction

from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.catalog.choices import (
    CertificateProfile,
    CertificateStatus,
    ParticipantStatus,
    RevocationReason,
)
from tunduk.catalog.configuration import anchor, publish_configuration
from tunduk.catalog.models import Certificate, Gateway, Participant, Service
from tunduk.catalog.services import gateways
from tunduk.gateway.config import GatewayConfig, load_config
from tunduk.gateway.keys import init_keys, install_certificate
from tunduk.site.exchange.gateway_file import GatewayFile, ServiceEntry
from tunduk.trust.certificates import certificate_hash

__all__ = ["ExchangePlan", "Ports", "prepare_exchange"]

SOCIAL_FUND = "70000004"
SERVER_CODE = "ss1"
MANIFEST = "exchange.json"


def os_port() -> int:
    """A port the OS reports free on 127.0.0.1 (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Ports:
    """Hands out the demo's loopback ports: the preferred ones when free, else any free one.

    With ``fixed=False`` (tests) every port comes from the OS, the social fund's included.
    """

    fixed: bool = True
    taken: set[int] = field(default_factory=set)

    def take(self, preferred: int, *, previous: bool = False) -> int:
        """``preferred`` if free and not handed out yet, else a port the OS chooses.

        Without ``fixed`` only a ``previous`` run's port is preferred.
        """
        wanted = self.fixed or previous
        port = preferred if wanted and preferred not in self.taken and _free(preferred) else 0
        while port == 0 or port in self.taken:
            port = os_port()
        self.taken.add(port)
        return port


@dataclass(frozen=True)
class GatewayPlan:
    """One participant's gateway in the demo."""

    member: str
    member_code: str
    name: str
    client_port: int
    server_port: int
    config: Path

    @classmethod
    def of(cls, participant: Participant, spec: GatewayFile) -> GatewayPlan:
        """The plan of ``participant``'s gateway as ``spec`` writes it."""
        return cls(
            str(participant.identifier),
            participant.member_code,
            participant.subject.name,
            int(spec.client_listen.rpartition(":")[2]),
            int(spec.server_listen.rpartition(":")[2]),
            spec.path,
        )


@dataclass(frozen=True)
class BackendPlan:
    """One provider subsystem's demo backend and the OpenAPI files it answers."""

    name: str
    port: int
    openapi: tuple[Path, ...]


@dataclass(frozen=True)
class ExchangePlan:
    """What :func:`prepare_exchange` wrote, for the supervisor and the printed commands."""

    directory: Path
    central_url: str
    tsa_url: str
    gateways: tuple[GatewayPlan, ...]
    backends: tuple[BackendPlan, ...]

    def to_json(self) -> str:
        """``exchange.json``: paths relative to the exchange directory."""

        def relative(path: Path) -> str:
            return str(path.relative_to(self.directory))

        return json.dumps(
            {
                "central": self.central_url,
                "tsa": self.tsa_url,
                "gateways": [
                    {
                        "member": g.member,
                        "code": g.member_code,
                        "name": g.name,
                        "client": f"127.0.0.1:{g.client_port}",
                        "server": f"127.0.0.1:{g.server_port}",
                        "config": relative(g.config),
                    }
                    for g in self.gateways
                ],
                "backends": [
                    {
                        "name": b.name,
                        "host": "127.0.0.1",
                        "port": b.port,
                        "openapi": [relative(p) for p in b.openapi],
                    }
                    for b in self.backends
                ],
            },
            indent=2,
            ensure_ascii=False,
        )


def _operator() -> User:
    operator = User.objects.filter(role=Role.TUNDUK_OPERATOR, is_active=True).order_by("pk").first()
    if operator is None:
        raise RuntimeError("no Tunduk operator: run `tunduk load_demo` first")
    return operator


def _engineer(participant: Participant) -> User:
    engineer = (
        User.objects.filter(subject=participant.subject, role=Role.SUBJECT_EMPLOYEE, is_active=True)
        .order_by("pk")
        .first()
    )
    if engineer is None:
        raise RuntimeError(f"{participant.identifier} has no employee to act for it")
    return engineer


def _previous_ports(directory: Path) -> dict[str, tuple[int, int]]:
    """Client and server ports of the last run, so a re-run keeps the printed commands."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
        return {
            g["code"]: (int(g["client"].rpartition(":")[2]), int(g["server"].rpartition(":")[2]))
            for g in manifest["gateways"]
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _listed(path: Path, participant: Participant, profile: str) -> bool:
    """Whether the certificate at ``path`` is one the Catalog issued and still lists."""
    if not path.exists():
        return False
    digest = certificate_hash(x509.load_pem_x509_certificate(path.read_bytes()))
    return Certificate.objects.filter(
        participant=participant, profile=profile, status=CertificateStatus.ISSUED, sha256=digest
    ).exists()


def _service_entries(
    participant: Participant, directory: Path, backend_port: Callable[[str], int]
) -> list[ServiceEntry]:
    """The participant's enabled services mapped to their backends; OpenAPI files written."""
    entries = []
    services = (
        Service.objects.filter(subsystem__participant=participant, is_enabled=True)
        .select_related("subsystem")
        .order_by("subsystem__subsystem_code", "service_code")
    )
    for service in services:
        subsystem = service.subsystem.subsystem_code
        openapi = None
        if service.openapi_document is not None:
            openapi = directory / f"{subsystem}.{service.service_code}.openapi.json"
            openapi.write_text(json.dumps(service.openapi_document, ensure_ascii=False))
        # The demo documents' paths start with /<service code>/, and the gateway appends
        # the rest of the request path (after the service code) to this URL. A service
        # without a document is still mapped; its backend answers 404.
        url = f"http://127.0.0.1:{backend_port(subsystem)}/{service.service_code}"
        entries.append(ServiceEntry(subsystem, service.service_code, url, openapi))
    return entries


@dataclass
class _Run:
    """The state of one preparation: where, which ports, who acts."""

    directory: Path
    central_url: str
    tsa_url: str
    ports: Ports
    operator: User
    previous: dict[str, tuple[int, int]]
    backends: dict[str, BackendPlan] = field(default_factory=dict)

    def backend_port(self, participant: Participant) -> Callable[[str], int]:
        """A function giving each of the participant's subsystems its backend's port."""

        def port(subsystem: str) -> int:
            name = f"{participant.identifier}/{subsystem}"
            if name not in self.backends:
                self.backends[name] = BackendPlan(
                    name, self.ports.take(9001 + len(self.backends)), ()
                )
            return self.backends[name].port

        return port


def _gateway_file(run: _Run, participant: Participant, index: int) -> GatewayFile:
    code = participant.member_code
    previous = code in run.previous
    client, server = run.previous.get(code, (8081 + index, 5501 + index))
    if code == SOCIAL_FUND and run.ports.fixed:
        client = 8080  # the port the issue's curl command names
    directory = run.directory / code
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    services = _service_entries(participant, directory, run.backend_port(participant))
    for entry in services:
        name = f"{participant.identifier}/{entry.subsystem}"
        plan = run.backends[name]
        files = (*plan.openapi, entry.openapi) if entry.openapi else plan.openapi
        run.backends[name] = BackendPlan(name, plan.port, files)
    return GatewayFile(
        instance=participant.instance,
        member_class=participant.member_class,
        member_code=code,
        server_code=SERVER_CODE,
        directory=directory,
        central_url=f"{run.central_url}/globalconf/configuration",
        # The Catalog's gateway pages show the state each gateway reports here.
        status_report_url=f"{run.central_url}/globalconf/gateway-status",
        anchor=run.directory / "anchor.json",
        client_listen=f"127.0.0.1:{run.ports.take(client, previous=previous)}",
        server_listen=f"127.0.0.1:{run.ports.take(server, previous=previous)}",
        tsa_url=run.tsa_url,
        # Short, so a demo message's evidence (which needs a checkpoint) is ready soon.
        checkpoint_interval=5,
        services=tuple(services),
    )


def _gateway_of(participant: Participant) -> Gateway | None:
    return participant.gateways.filter(server_code=SERVER_CODE).first()


def _keys_still_listed(participant: Participant, keys: Path) -> bool:
    return _listed(keys / "auth.crt", participant, CertificateProfile.AUTHENTICATION) and _listed(
        keys / "sign.crt", participant, CertificateProfile.SIGNING
    )


def _fresh_keys(config: GatewayConfig) -> tuple[str, str]:
    """This gateway starts over: old keys, state and journal gone; new keys; the two CSRs."""
    shutil.rmtree(config.keys_dir, ignore_errors=True)
    shutil.rmtree(config.data_dir, ignore_errors=True)
    for stale in config.path.parent.glob("journal.sqlite3*"):
        stale.unlink()
    init_keys(config)
    return (config.keys_dir / "auth.csr").read_text(), (config.keys_dir / "sign.csr").read_text()


@transaction.atomic
def _issue(
    run: _Run,
    participant: Participant,
    gateway: Gateway | None,
    address: str,
    csrs: tuple[str, str],
) -> Gateway:
    """Through the Catalog: the gateway (registered and approved if new), both certificates."""
    engineer = _engineer(participant)
    auth_csr, sign_csr = csrs
    if gateway is None:
        gateway = gateways.register_gateway(engineer, participant, SERVER_CODE, address, auth_csr)
        gateways.decide_gateway(run.operator, gateway, approve=True)
    else:
        requested = gateways.request_certificate(
            engineer, participant, CertificateProfile.AUTHENTICATION, auth_csr, gateway
        )
        gateways.issue_certificate(run.operator, requested)
    signing = gateways.request_certificate(
        engineer, participant, CertificateProfile.SIGNING, sign_csr
    )
    gateways.issue_certificate(run.operator, signing)
    return gateway


def _install(
    run: _Run, participant: Participant, config: GatewayConfig, csrs: tuple[str, str]
) -> None:
    """Install the two new certificates; revoke every other the participant holds."""
    requests = [csr.strip() for csr in csrs]
    issued = Certificate.objects.filter(participant=participant, status=CertificateStatus.ISSUED)
    for certificate in issued.exclude(csr_pem__in=requests):
        # The demo's placeholder keys (and any earlier run's) are nobody's any more.
        gateways.revoke_certificate(
            run.operator,
            certificate,
            "Replaced by the demo gateway's own key.",
            RevocationReason.SUPERSEDED,
        )
    for certificate in issued.filter(csr_pem__in=requests):
        install_certificate(config, certificate.certificate_pem.encode())


def _certify(run: _Run, participant: Participant, config_path: Path) -> None:
    """Keys and certificates unless the Catalog still lists them; the gateway at its address."""
    config = load_config(config_path)
    gateway = _gateway_of(participant)
    address = config.server_listen
    if not _keys_still_listed(participant, config.keys_dir):
        # Not ours any more (a new database, a revoked certificate): start this gateway over.
        csrs = _fresh_keys(config)
        gateway = _issue(run, participant, gateway, address, csrs)
        _install(run, participant, config, csrs)
    if gateway is None:
        raise RuntimeError(
            f"{participant.identifier} has certificates but no gateway {SERVER_CODE}"
        )
    gateways.change_gateway_address(_engineer(participant), gateway, address)


def prepare_exchange(
    directory: Path,
    *,
    central_url: str = "http://127.0.0.1:8000",
    tsa_url: str = "http://127.0.0.1:8318/",
    fixed_ports: bool = True,
) -> ExchangePlan:
    """Prepare a gateway for every active participant under ``directory`` (see the module)."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "anchor.json").write_bytes(anchor().to_bytes())
    run = _Run(
        directory,
        central_url.rstrip("/"),
        tsa_url,
        Ports(fixed_ports),
        _operator(),
        _previous_ports(directory),
    )
    plans = []
    participants = Participant.objects.filter(status=ParticipantStatus.ACTIVE).select_related(
        "subject"
    )
    for index, participant in enumerate(participants.order_by("member_class", "member_code")):
        spec = _gateway_file(run, participant, index)
        spec.write()
        _certify(run, participant, spec.path)
        plans.append(GatewayPlan.of(participant, spec))
    publish_configuration(force=True)
    plan = ExchangePlan(
        directory, run.central_url, tsa_url, tuple(plans), tuple(run.backends.values())
    )
    (directory / MANIFEST).write_text(plan.to_json(), encoding="utf-8")
    return plan
