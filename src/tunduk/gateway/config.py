"""The gateway's one configuration file (TOML), read strictly into :class:`GatewayConfig`.

Every key is checked, with an error naming the key and the rule
(``ConfigError("journal.url", "must start with sqlite:/// or postgresql://")``); a key
the gateway does not know is refused (a misspelt limit must not silently fall back to
its default); relative paths resolve against the directory of the file itself. The
shape, field by field (``docs/gateway.md`` has the same table)::

    [identity]  instance, member_class, member_code, server_code   (identifier parts)
    [keys]      dir = "keys"
    [central]   url (http/https), anchor (file), status_report_url (optional http/https)
    [listen]    client = "127.0.0.1:8080", server = "0.0.0.0:5500",
                health (optional, e.g. "0.0.0.0:5588": the load balancer's health check)
    [journal]   url = "sqlite:///journal.sqlite3", retention_days = 180,
                checkpoint_interval = 60, tsa_url (optional http/https)
    [limits]    max_body_bytes = 10485760, backend_timeout = 30, peer_timeout = 30,
                max_connections = 100
    [data]      dir = "data"
    [[services]] subsystem, code, url (http/https), openapi (optional file),
                 timeout (default limits.backend_timeout), type ("REST" or "OPENAPI";
                 default OPENAPI when openapi is given, else REST)

``journal.url``: ``sqlite:///REL`` is relative to the file's directory,
``sqlite:////ABS`` absolute (the SQLAlchemy convention); it is stored as ``sqlite://``
followed by the absolute path (so ``urlsplit(url).path`` is the file).
``postgresql://…`` (or ``postgres://…``) is kept as written.

Exceptions::

    ValueError
     └── ConfigError     .field (dotted key, e.g. "services[2].url"), .message
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tunduk.identifiers import (
    ALLOWED_CHARACTERS,
    MAX_PART_LENGTH,
    RESERVED_SERVICE_CODES,
    IdentifierError,
    MemberId,
    ServerId,
    ServiceId,
    SubsystemId,
    check_part,
)

from ._config_reader import ConfigError, Table, parse_listen

__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_SERVICES",
    "ConfigError",
    "GatewayConfig",
    "ServiceConfig",
    "load_config",
    "parse_listen",
]

MAX_CONFIG_BYTES = 1024 * 1024
"""The configuration file's size limit; a real one is a few kilobytes."""
MAX_SERVICES = 10_000
"""Services one gateway may map to backends."""

ServiceType = Literal["REST", "OPENAPI"]


@dataclass(frozen=True)
class ServiceConfig:
    """One of the organisation's services and the backend that answers it."""

    subsystem: str
    code: str
    url: str
    """The backend's base URL; the rest of the ``/r1/…`` path and the query are appended."""
    openapi: Path | None
    timeout: float
    service_type: ServiceType


@dataclass(frozen=True)
class GatewayConfig:
    """Everything a gateway reads from its configuration file (see the module docstring)."""

    path: Path
    instance: str
    member_class: str
    member_code: str
    server_code: str
    keys_dir: Path
    central_url: str
    anchor: Path
    data_dir: Path
    client_listen: str
    server_listen: str
    journal_url: str
    journal_retention_days: int
    checkpoint_interval: float
    tsa_url: str | None
    max_body_bytes: int
    backend_timeout: float
    peer_timeout: float
    max_connections: int
    services: tuple[ServiceConfig, ...]
    status_report_url: str | None = None
    health_listen: str | None = None
    _by_code: dict[tuple[str, str], ServiceConfig] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(service.subsystem, service.code): service for service in self.services}
        object.__setattr__(self, "_by_code", index)

    @property
    def member(self) -> MemberId:
        """This gateway's member (organisation)."""
        return MemberId(self.instance, self.member_class, self.member_code)

    @property
    def server(self) -> ServerId:
        """This gateway's own identifier ``INSTANCE/CLASS/CODE/SERVERCODE``."""
        return ServerId(self.member, self.server_code)

    @property
    def journal_sqlite_path(self) -> Path | None:
        """The SQLite journal's file, or None when the journal is on PostgreSQL."""
        if self.journal_url.startswith("sqlite://"):
            return Path(self.journal_url[len("sqlite://") :])
        return None

    def service(self, subsystem_code: str, service_code: str) -> ServiceConfig | None:
        """The configured service with these codes, or None (a dict lookup)."""
        return self._by_code.get((subsystem_code, service_code))

    def service_id(self, service: ServiceConfig) -> ServiceId:
        """The full X-Road identifier of one of this gateway's services."""
        return ServiceId(SubsystemId(self.member, service.subsystem), service.code)


def load_config(path: Path) -> GatewayConfig:
    """Read and check the configuration file; raise :class:`ConfigError` naming the key and rule."""
    path = Path(os.path.abspath(path))
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise ConfigError(
            "file", "cannot be read: %(reason)s", reason=error.strerror or error
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError("file", "is larger than %(limit)s bytes", limit=MAX_CONFIG_BYTES)
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("file", "must be UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("file", "is not valid TOML: %(reason)s", reason=error) from None
    return _build(document, path)


def _build(document: dict[str, object], path: Path) -> GatewayConfig:
    root = Table(document, "", path.parent)
    identity = root.table("identity")
    keys, central, listen = root.table("keys"), root.table("central"), root.table("listen")
    journal, limits, data = root.table("journal"), root.table("limits"), root.table("data")
    backend_timeout = limits.number("backend_timeout", 30.0, 0.1, 3600.0)
    config = GatewayConfig(
        path=path,
        instance=_part(identity, "instance"),
        member_class=_part(identity, "member_class"),
        member_code=_part(identity, "member_code"),
        server_code=_part(identity, "server_code"),
        keys_dir=keys.path("dir", "keys"),
        central_url=central.url("url"),
        anchor=central.path("anchor"),
        status_report_url=central.optional_url("status_report_url"),
        data_dir=data.path("dir", "data"),
        client_listen=listen.listen("client", "127.0.0.1:8080"),
        server_listen=listen.listen("server", "0.0.0.0:5500"),
        health_listen=listen.optional_listen("health"),
        journal_url=journal.journal_url("url", "sqlite:///journal.sqlite3"),
        journal_retention_days=journal.integer("retention_days", 180, 1, 36_500),
        checkpoint_interval=journal.number("checkpoint_interval", 60.0, 1.0, 86_400.0),
        tsa_url=journal.optional_url("tsa_url"),
        max_body_bytes=limits.integer("max_body_bytes", 10 * 1024 * 1024, 1, 1024**3),
        backend_timeout=backend_timeout,
        peer_timeout=limits.number("peer_timeout", 30.0, 0.1, 3600.0),
        max_connections=limits.integer("max_connections", 100, 1, 100_000),
        services=_services(root, backend_timeout),
    )
    for table in (identity, keys, central, listen, journal, limits, data, root):
        table.refuse_unknown()
    _check_listeners(config)
    return config


def _part(table: Table, key: str) -> str:
    value = table.text(key)
    try:
        return check_part(value, key)
    except IdentifierError as error:
        if error.character is not None:
            raise ConfigError(
                table.name(key),
                "contains the forbidden character %(character)r; allowed: %(allowed)s",
                character=error.character,
                allowed=ALLOWED_CHARACTERS,
            ) from None
        if len(value) > MAX_PART_LENGTH:
            raise ConfigError(
                table.name(key), "is longer than %(limit)s characters", limit=MAX_PART_LENGTH
            ) from None
        raise ConfigError(table.name(key), error.message) from None  # told as the grammar says


def _backend_url(table: Table) -> str:
    url = table.url("url")
    if "?" in url:
        # The request's own query is appended to the base URL; a second one would garble it.
        raise ConfigError(table.name("url"), "must have no query (?…): the request's is appended")
    return url


def _check_listeners(config: GatewayConfig) -> None:
    client = parse_listen(config.client_listen)
    server = parse_listen(config.server_listen)
    if client[1] != 0 and client == server:
        raise ConfigError("listen.server", "must differ from listen.client")
    if config.health_listen is not None:
        health = parse_listen(config.health_listen)
        if health[1] != 0 and health in (client, server):
            raise ConfigError("listen.health", "must differ from listen.client and listen.server")


def _services(root: Table, default_timeout: float) -> tuple[ServiceConfig, ...]:
    tables = root.tables("services", MAX_SERVICES)
    services: list[ServiceConfig] = []
    seen: set[tuple[str, str]] = set()
    for table in tables:
        subsystem = _part(table, "subsystem")
        code = _part(table, "code")
        if code in RESERVED_SERVICE_CODES:
            raise ConfigError(
                table.name("code"), "%(code)r is a reserved metadata service code", code=code
            )
        if (subsystem, code) in seen:
            raise ConfigError(
                table.name("code"),
                "%(subsystem)s/%(code)s is configured twice",
                subsystem=subsystem,
                code=code,
            )
        seen.add((subsystem, code))
        openapi = table.optional_path("openapi")
        kind = table.choice("type", ("REST", "OPENAPI"), "OPENAPI" if openapi else "REST")
        services.append(
            ServiceConfig(
                subsystem=subsystem,
                code=code,
                url=_backend_url(table),
                openapi=openapi,
                timeout=table.number("timeout", default_timeout, 0.1, 3600.0),
                service_type="OPENAPI" if kind == "OPENAPI" else "REST",
            )
        )
        table.refuse_unknown()
    return tuple(services)
