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
import http.server
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

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

CONFIGURATION_PATH = "/globalconf/configuration.signed.json"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for listeners the configuration must name)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ConfigurationServer:
    """Serves the signed configuration envelope over HTTP on 127.0.0.1; 404 for the rest."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{CONFIGURATION_PATH}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, signed: SignedConfiguration) -> None:
        """Serve ``signed`` from now on."""
        self.files[CONFIGURATION_PATH] = signed.to_bytes()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()


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
            members=[_member(p) for p in self.participants],
            gateways=[_gateway(p) for p in self.participants],
            approved_cas=[ApprovedCa("Tunduk Test Root CA", ca_pem), *self.extra_cas],
            approved_tsas=tsas,
            groups=self.groups,
            grants=self.grants,
            validity=validity,
            now=now or datetime.now(UTC),
        )

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


class Backend:
    """A threaded HTTP service: echoes the request as JSON, plus a few misbehaving paths.

    ``/slow?seconds=N`` sleeps, ``/redirect`` answers 302, ``/status/N`` answers N,
    ``/headers`` sets headers the gateway must overwrite, ``/big?bytes=N`` sends N bytes.
    """

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                backend.handle(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        """Answer one request according to its path."""
        parts = urlsplit(handler.path)
        record = {
            "method": handler.command,
            "path": parts.path,
            "query": parts.query,
            "headers": {k.lower(): v for k, v in handler.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        self.requests.append(record)
        status, headers, payload = self._route(parts.path, parts.query, record)
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)

    def _route(
        self, path: str, query: str, record: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        json_type = [("Content-Type", "application/json")]
        if "/slow" in path:
            seconds = float(query.partition("=")[2] or 1)
            time.sleep(seconds)
        if "/redirect" in path:
            return 302, [("Location", "http://127.0.0.1:1/elsewhere")], b""
        if "/status/" in path:
            return int(path.rsplit("/", 1)[1]), json_type, b'{"error":"from the service"}'
        if "/headers" in path:
            return (
                200,
                [
                    *json_type,
                    ("X-Road-Request-Hash", "forged"),
                    ("X-Road-Id", "forged"),
                    ("X-Custom", "kept"),
                ],
                b"{}",
            )
        if "/big" in path:
            size = int(query.partition("=")[2] or 0)
            return 200, [("Content-Type", "application/octet-stream")], b"x" * size
        return 200, json_type, json.dumps(record).encode()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass(frozen=True)
class Reply:
    """An HTTP answer as a plain client sees it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The last value of header ``name`` (case-insensitive), or None."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name``."""
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def http_call(
    base_url: str,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    *,
    timeout: float = 30,
) -> Reply:
    """One request with :mod:`http.client`, written from the protocol documents alone."""
    import http.client

    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def peer_call(
    attacker: Participant,
    provider: Participant,
    method: str,
    path: str,
    headers: list[tuple[str, str]],
    body: bytes | None = None,
) -> Reply:
    """Call ``provider``'s peer listener directly with ``attacker``'s TLS key and certificate."""
    import http.client
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the attacker does not care who answers
    context.load_cert_chain(attacker.keys_dir / "auth.crt", attacker.keys_dir / "auth.key")
    connection = http.client.HTTPSConnection(
        "127.0.0.1", provider.server_port, context=context, timeout=30
    )
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def signed_headers(
    signer: Participant,
    *,
    client: str,
    service: str,
    rest: str,
    method: str,
    body: bytes,
    message_id: str,
    request_id: str,
) -> list[tuple[str, str]]:
    """The headers of a request signed with ``signer``'s signing key, as docs/gateway-protocol.md says."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding

    from tunduk.gateway.config import load_config
    from tunduk.gateway.keys import load_keys
    from tunduk.gateway.signing import BatchSigner, message_digest

    keys = load_keys(load_config(signer.config_path))
    assert keys.sign_cert is not None
    digest = message_digest(
        kind="request",
        message_id=message_id,
        request_id=request_id,
        client=client,
        service=service,
        method=method,
        path=f"/r1/{service}{rest}",
        query="",
        headers=[("x-road-client", client), ("x-road-id", message_id)],
        body_sha256=hashlib.sha256(body).digest(),
    )
    signature = BatchSigner(keys.sign_key, keys.sign_cert).sign_batch([digest])[0]
    return [
        ("X-Road-Client", client),
        ("X-Road-Id", message_id),
        ("X-Road-Request-Id", request_id),
        ("Tunduk-Signature", signature.to_header()),
        (
            "Tunduk-Certificate",
            base64.b64encode(keys.sign_cert.public_bytes(Encoding.DER)).decode(),
        ),
    ]
