"""Two standalone gateways for the benchmark: no central, no database, real keys.

A throwaway CA issues both gateways' certificates from the CSRs ``init_keys`` wrote; a
throwaway configuration signer signs a global configuration that lists the two members,
their gateways on loopback and one grant; a tiny HTTP server on 127.0.0.1 serves it as
central would. ``tunduk gateway serve`` then runs each gateway as in production.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from tunduk import globalconf as gc
from tunduk.gateway.config import load_config
from tunduk.gateway.keys import init_keys, install_certificate
from tunduk.identifiers import MemberId
from tunduk.site.exchange.gateway_file import GatewayFile, ServiceEntry
from tunduk.trust import CertificateAuthority, certificate_hash
from tunduk.trust.ca import certificate_to_pem, self_signed_leaf
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr
from tunduk.trust.profiles import CertificateProfile, profile_extensions

INSTANCE = "KG"
CLIENT = MemberId(INSTANCE, "GOV", "90000001")
PROVIDER = MemberId(INSTANCE, "GOV", "90000002")
CLIENT_SUBSYSTEM = f"{CLIENT}/bench-client"
SERVICE_PATH = f"/r1/{PROVIDER}/bench/echo"
SERVER_CODE = "gw1"


class ConfigurationServer:
    """Serves the signed configuration envelope at ``/configuration`` on 127.0.0.1."""

    def __init__(self) -> None:
        self.envelope = b""
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                envelope = outer.envelope
                found = self.path == "/configuration" and bool(envelope)
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(envelope) if found else 0))
                self.end_headers()
                if found:
                    self.wfile.write(envelope)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/configuration"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass(frozen=True)
class BenchGateways:
    """The two gateways' files and where the client side listens."""

    client_config: Path
    provider_config: Path
    client_url: str
    server: ConfigurationServer


def _certify(ca: CertificateAuthority, spec: GatewayFile, member: MemberId) -> str:
    """Keys and CSRs, both certificates issued and installed; the auth certificate's hash."""
    config = load_config(spec.path)
    init_keys(config)
    auth_hash = ""
    for name, profile, expected in (
        (
            "auth",
            CertificateProfile.AUTHENTICATION,
            ExpectedSubject.for_server(member.server(SERVER_CODE)),
        ),
        ("sign", CertificateProfile.SIGNING, ExpectedSubject.for_member(member)),
    ):
        csr = load_csr((config.keys_dir / f"{name}.csr").read_bytes())
        certificate = issue_from_csr(ca, csr, profile=profile, expected=expected)
        install_certificate(config, certificate_to_pem(certificate))
        if name == "auth":
            auth_hash = certificate_hash(certificate)
    return auth_hash


def _configuration(
    ca: CertificateAuthority, ports: dict[MemberId, int], hashes: dict[MemberId, str]
) -> gc.GlobalConfiguration:
    members = [
        gc.Member(
            "GOV",
            CLIENT.member_code,
            "Bench client",
            gc.MemberStatus.ACTIVE,
            [gc.Subsystem("bench-client", "Client")],
        ),
        gc.Member(
            "GOV",
            PROVIDER.member_code,
            "Bench provider",
            gc.MemberStatus.ACTIVE,
            [gc.Subsystem("bench", "Provider")],
        ),
    ]
    gateways = [
        gc.Gateway(SERVER_CODE, "GOV", m.member_code, f"127.0.0.1:{ports[m]}", [hashes[m]])
        for m in (CLIENT, PROVIDER)
    ]
    return gc.build(
        INSTANCE,
        1,
        members=members,
        gateways=gateways,
        approved_cas=[gc.ApprovedCa("Bench CA", ca.certificate_pem.decode())],
        grants=[gc.Grant(f"{PROVIDER}/bench/echo", CLIENT_SUBSYSTEM, None, None)],
        validity=timedelta(hours=6),
        now=datetime.now(UTC),
    )


def build_gateways(work: Path, backend: str, take_port: Callable[[], int]) -> BenchGateways:
    """Write, certify and publish the two gateways under ``work``; not started yet."""
    ca = CertificateAuthority.create("Bench participant CA")
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = self_signed_leaf(
        "Bench configuration signer",
        signer_key,
        extensions=profile_extensions(CertificateProfile.SIGNING, signer_key.public_key()),
        validity=timedelta(days=2),
    )
    work.mkdir(parents=True, exist_ok=True)
    anchor = work / "anchor.json"
    anchor.write_bytes(gc.ConfigurationAnchor(INSTANCE, [certificate_to_pem(signer)]).to_bytes())
    server = ConfigurationServer()
    ports = {CLIENT: take_port(), PROVIDER: take_port()}
    client_port = take_port()
    specs, hashes = {}, {}
    for member, client_listen, services in (
        (CLIENT, f"127.0.0.1:{client_port}", ()),
        (PROVIDER, f"127.0.0.1:{take_port()}", (ServiceEntry("bench", "echo", f"{backend}/echo"),)),
    ):
        spec = GatewayFile(
            INSTANCE,
            "GOV",
            member.member_code,
            SERVER_CODE,
            work / member.member_code,
            server.url,
            anchor,
            client_listen,
            f"127.0.0.1:{ports[member]}",
            checkpoint_interval=60,
            services=services,
            max_connections=1000,
        )
        spec.write()
        specs[member] = spec
        hashes[member] = _certify(ca, spec, member)
    conf = _configuration(ca, ports, hashes)
    server.envelope = gc.sign(gc.encode(conf), signer_key, signer).to_bytes()
    return BenchGateways(
        specs[CLIENT].path, specs[PROVIDER].path, f"http://127.0.0.1:{client_port}", server
    )
