"""``tunduk gateway status``: the gateway's state at a glance, and the same state for central.

:func:`gateway_status` gathers, without touching the running gateway:

- ``configuration``: the last accepted global configuration in ``data_dir/globalconf``
  (version, generated, expires; ``state`` valid, expired, missing or error);
- ``certificates``: ``auth`` and ``sign``: subject, SHA-256, validity, days left, and
  whether the configuration still trusts them (``state`` valid, expired, not yet valid,
  revoked, untrusted, not installed);
- ``journal``: the journal's size and its last checkpoint (tree size, time, whether it is
  time-stamped, how many peers cosigned it), read straight from its SQLite file
  (read-only) or PostgreSQL database;
- ``maintenance``: ``{"on": false}``, or since when and the message peers are told
  (:mod:`tunduk.gateway.maintenance`; an unreadable file is ``state`` error);
- ``peers``: a mutual-TLS handshake to every other gateway in the configuration, each
  with a short timeout, its certificate checked with :func:`tunduk.gateway.tls.check_peer`.

:func:`format_status` (:mod:`._status_text`) renders it for a terminal in Kyrgyz, Russian or English, :func:`print_status` is the command
(``--json`` prints the dictionary itself, for monitoring tools; exit 0 when the configuration is valid, both certificates valid and the journal readable;
1 otherwise; unreachable peers are shown, not counted). :func:`report_status` sends it to
central, signed with ``sign.key`` (see :mod:`tunduk.gateway._status_report`).
"""

from __future__ import annotations

import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

import orjson
from cryptography import x509

from tunduk.gateway._errors import GatewayError
from tunduk.gateway._status_journal import journal_status
from tunduk.gateway._status_report import StatusReportError, post_report, signed_report
from tunduk.gateway._status_text import format_status
from tunduk.gateway.config import GatewayConfig
from tunduk.gateway.keys import GatewayKeys, KeyFileError, load_keys
from tunduk.gateway.maintenance import MaintenanceError, read_maintenance
from tunduk.gateway.tls import check_peer, client_context, peer_certificate
from tunduk.globalconf import (
    ConfigurationAnchor,
    ConfigurationClient,
    ExpiredError,
    GlobalConfiguration,
    GlobalConfigurationError,
    MemberStatus,
    MissingConfigurationError,
    RevokedCertificateError,
    SignedConfiguration,
    decode,
)
from tunduk.identifiers import MemberId, ServerId
from tunduk.trust.certificates import certificate_hash, format_name

__all__ = [
    "GLOBALCONF_DIR",
    "PEER_TIMEOUT",
    "STATUS_FORMAT",
    "StatusReportError",
    "describe_certificate",
    "format_status",
    "gateway_status",
    "print_status",
    "report_status",
    "signed_report",
]

STATUS_FORMAT = "tunduk-gateway-status/1"
"""The ``format`` of the dictionary :func:`gateway_status` returns."""

GLOBALCONF_DIR = "globalconf"
"""Under ``data_dir``: the configuration client's cache (the runtime uses the same)."""

PEER_TIMEOUT = 3.0
"""Seconds a peer gets to complete the TCP and TLS handshake."""

MAX_PEERS = 500
"""At most this many peer gateways are tried in one status run."""

_PEER_THREADS = 16

Status = dict[str, Any]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def gateway_status(
    config: GatewayConfig,
    *,
    keys: GatewayKeys | None = None,
    peer_timeout: float = PEER_TIMEOUT,
    now: datetime | None = None,
) -> Status:
    """The gateway's state as a JSON-ready dictionary (see the module docstring).

    Blocking (files, the journal's database, TLS handshakes): call it from a thread.
    """
    now = now or datetime.now(UTC)
    client, configuration, conf = _configuration(config)
    key_error = None
    if keys is None:
        try:
            keys = load_keys(config)
        except KeyFileError as error:
            key_error = str(error)
    return {
        "format": STATUS_FORMAT,
        "gateway": str(config.server),
        "at": _iso(now),
        "configuration": configuration,
        "certificates": _certificates(keys, key_error, client, now),
        "journal": journal_status(config.journal_url),
        "maintenance": _maintenance(config),
        "peers": _peers(config.server, client, conf, keys, peer_timeout),
    }


def _maintenance(config: GatewayConfig) -> Status:
    try:
        state = read_maintenance(config)
    except (MaintenanceError, OSError) as error:
        return {"on": True, "state": "error", "error": str(error)}
    return {"on": False} if state is None else state.as_status()


def _configuration(
    config: GatewayConfig,
) -> tuple[ConfigurationClient | None, Status, GlobalConfiguration | None]:
    """The cached configuration: (client when one is in force, section, document)."""
    try:
        anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
        client = ConfigurationClient(config.central_url, anchor, config.data_dir / GLOBALCONF_DIR)
    except (OSError, GlobalConfigurationError, ValueError) as error:
        return None, {"state": "error", "error": str(error)}, None
    try:
        conf = client.current()
        state = "valid"
    except ExpiredError as error:
        # The cached copy verified against the anchor when the client loaded it.
        try:
            signed = SignedConfiguration.from_bytes(client.cache_path.read_bytes())
            conf = decode(signed.document)
        except (OSError, GlobalConfigurationError):  # replaced meanwhile by a running gateway
            return None, {"state": "expired", "error": str(error)}, None
        return None, {**_describe_configuration(conf, "expired"), "error": str(error)}, conf
    except MissingConfigurationError as error:
        return None, {"state": "missing", "error": str(error)}, None
    except GlobalConfigurationError as error:
        return None, {"state": "invalid", "error": str(error)}, None
    return client, _describe_configuration(conf, state), conf


def _describe_configuration(conf: GlobalConfiguration, state: str) -> Status:
    return {
        "state": state,
        "instance": conf.instance,
        "version": conf.version,
        "generated_at": _iso(conf.generated_at),
        "expires_at": _iso(conf.expires_at),
    }


def _certificates(
    keys: GatewayKeys | None,
    key_error: str | None,
    client: ConfigurationClient | None,
    now: datetime,
) -> Status:
    if keys is None:
        return {"error": key_error or "the keys could not be read"}
    return {
        "auth": describe_certificate(keys.auth_cert, client, now),
        "sign": describe_certificate(keys.sign_cert, client, now),
    }


def describe_certificate(
    certificate: x509.Certificate | None, client: ConfigurationClient | None, now: datetime
) -> Status:
    """``state`` (valid, not yet valid, expired, revoked, untrusted, not installed), the
    subject, SHA-256, end of validity and days left of one of the gateway's certificates."""
    if certificate is None:
        return {"state": "not installed"}
    not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    state = "valid"
    error = None
    if now < not_before:
        state = "not yet valid"
    elif now > not_after:
        state = "expired"
    elif client is not None:
        try:
            client.check_certificate(certificate)
        except RevokedCertificateError as failure:
            state, error = "revoked", str(failure)
        except GlobalConfigurationError as failure:
            state, error = "untrusted", str(failure)
    section: Status = {
        "state": state,
        "subject": format_name(certificate.subject),
        "sha256": certificate_hash(certificate),
        "not_after": _iso(not_after),
        "days_left": (not_after - now).days,
    }
    if error:
        section["error"] = error
    return section


def _peers(
    own: ServerId,
    client: ConfigurationClient | None,
    conf: GlobalConfiguration | None,
    keys: GatewayKeys | None,
    timeout: float,
) -> list[Status]:
    """A handshake to each other gateway in the configuration, in parallel threads."""
    if client is None or conf is None or keys is None:
        return []
    if keys.auth_cert is None or keys.sign_cert is None:
        return []
    context = client_context(keys, conf)
    suspended = {
        (member.member_class, member.member_code)
        for member in conf.members
        if member.status is MemberStatus.SUSPENDED
    }
    targets = []
    skipped: list[Status] = []
    for gateway in conf.gateways:
        member = MemberId(conf.instance, gateway.member_class, gateway.member_code)
        server = member.server(gateway.server_code)
        if server == own:
            continue
        if (gateway.member_class, gateway.member_code) in suspended:
            # Nobody may exchange with a suspended member, so its address is not contacted.
            skipped.append({"gateway": str(server), "address": gateway.address, "skipped": True})
        else:
            targets.append((server, gateway.address))
    targets = targets[:MAX_PEERS]
    if not targets:
        return skipped

    def probe(target: tuple[ServerId, str]) -> Status:
        return _probe(client, context, target[0], target[1], timeout)

    with ThreadPoolExecutor(max_workers=min(_PEER_THREADS, len(targets))) as pool:
        return [*pool.map(probe, targets), *skipped]


def _probe(
    client: ConfigurationClient,
    context: ssl.SSLContext,
    server: ServerId,
    address: str,
    timeout: float,
) -> Status:
    """Connect, shake hands, check the certificate is ``server``'s; never raises."""
    result: Status = {"gateway": str(server), "address": address, "reachable": False}
    started = time.monotonic()
    try:
        host, port = _host_port(address)
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw) as tls,
        ):
            der = peer_certificate(tls)
        check_peer(client, der, server=server, side="client")
    except GatewayError as error:
        result["error"] = error.message
    except (OSError, ValueError) as error:
        result["error"] = str(error) or type(error).__name__
    else:
        result["reachable"] = True
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _host_port(address: str) -> tuple[str, int]:
    """``host[:port]`` as the configuration lists it; 443 when no port is given."""
    parts = urlsplit(f"//{address}")
    if not parts.hostname:
        raise ValueError(f"the address {address!r} has no host")
    return parts.hostname, parts.port or 443


def status_ok(status: Status) -> bool:
    """Configuration valid, both certificates valid, the journal readable."""
    certificates = status.get("certificates", {})
    return (
        status.get("configuration", {}).get("state") == "valid"
        and all(certificates.get(name, {}).get("state") == "valid" for name in ("auth", "sign"))
        and status.get("journal", {}).get("state") == "ok"
    )


def print_status(
    config: GatewayConfig, out: TextIO, *, as_json: bool = False, language: str = "en"
) -> int:
    """``tunduk gateway status``: print :func:`format_status` in ``language``, or with
    ``as_json`` the dictionary itself (what central receives); 0 when :func:`status_ok`."""
    status = gateway_status(config)
    if as_json:
        out.write(orjson.dumps(status, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        out.write(format_status(status, language))
    return 0 if status_ok(status) else 1


def report_status(
    config: GatewayConfig,
    keys: GatewayKeys,
    *,
    status: Status | None = None,
    timeout: float = 10.0,
) -> None:
    """Send the status to ``config.status_report_url``, signed with ``sign.key``.

    Does nothing when no report URL is configured. Blocking: the runtime calls it from a
    thread on a schedule. Raises :class:`StatusReportError` when the report could not be
    made or sent, or central refused it (the message gives central's reason).
    """
    url = config.status_report_url
    if url is None:
        return
    if status is None:
        status = gateway_status(config, keys=keys)
    body, signature = signed_report(config, keys, status)
    post_report(url, body, signature, timeout=timeout)
