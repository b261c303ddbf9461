"""Writing a gateway's ``gateway.toml`` (the shape of ``docs/gateway.md``), without Django.

The demo (:mod:`tunduk.site.exchange.prepare`) and the gateway benchmark write their
gateways' files with :class:`GatewayFile`; ``tunduk gateway serve`` reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GatewayFile", "ServiceEntry"]


@dataclass(frozen=True)
class ServiceEntry:
    """One ``[[services]]`` table: a service of the gateway's member and its backend URL."""

    subsystem: str
    code: str
    url: str
    openapi: Path | None = None


@dataclass(frozen=True)
class GatewayFile:
    """Everything ``gateway.toml`` says; paths are written absolute."""

    instance: str
    member_class: str
    member_code: str
    server_code: str
    directory: Path
    central_url: str
    anchor: Path
    client_listen: str
    server_listen: str
    tsa_url: str | None = None
    status_report_url: str | None = None
    checkpoint_interval: float = 60
    retention_days: int = 180
    journal_url: str | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    backend_timeout: float = 30
    peer_timeout: float = 30
    max_connections: int = 100
    services: tuple[ServiceEntry, ...] = field(default_factory=tuple)

    @property
    def path(self) -> Path:
        """``<directory>/gateway.toml``."""
        return self.directory / "gateway.toml"

    def _sections(self) -> list[tuple[str, dict[str, object]]]:
        """Every table but the services, in the documented order."""
        journal_url = self.journal_url or f"sqlite:///{self.directory / 'journal.sqlite3'}"
        sections: list[tuple[str, dict[str, object]]] = [
            (
                "identity",
                {
                    "instance": self.instance,
                    "member_class": self.member_class,
                    "member_code": self.member_code,
                    "server_code": self.server_code,
                },
            ),
            ("keys", {"dir": str(self.directory / "keys")}),
            (
                "central",
                {
                    "url": self.central_url,
                    "anchor": str(self.anchor),
                    **(
                        {"status_report_url": self.status_report_url}
                        if self.status_report_url
                        else {}
                    ),
                },
            ),
            ("listen", {"client": self.client_listen, "server": self.server_listen}),
            (
                "journal",
                {
                    "url": journal_url,
                    "retention_days": self.retention_days,
                    "checkpoint_interval": self.checkpoint_interval,
                    **({"tsa_url": self.tsa_url} if self.tsa_url else {}),
                },
            ),
            (
                "limits",
                {
                    "max_body_bytes": self.max_body_bytes,
                    "backend_timeout": self.backend_timeout,
                    "peer_timeout": self.peer_timeout,
                    "max_connections": self.max_connections,
                },
            ),
            ("data", {"dir": str(self.directory / "data")}),
        ]
        return sections

    def render(self) -> str:
        """The TOML text."""
        lines = [f"# The gateway of {self.instance}/{self.member_class}/{self.member_code}."]
        for name, values in self._sections():
            lines += ["", f"[{name}]", *(f"{k} = {_value(v)}" for k, v in values.items())]
        for service in self.services:
            lines += ["", "[[services]]"]
            lines += [f"subsystem = {_value(service.subsystem)}", f"code = {_value(service.code)}"]
            lines.append(f"url = {_value(service.url)}")
            if service.openapi is not None:
                lines.append(f"openapi = {_value(str(service.openapi))}")
        return "\n".join(lines) + "\n"

    def write(self) -> Path:
        """Write the file (its directory made owner-only) and return its path."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path.write_text(self.render(), encoding="utf-8")
        return self.path


def _value(value: object) -> str:
    """A TOML value: booleans and numbers as themselves, anything else a basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # A JSON string is a valid TOML basic string (the same escapes).
    return json.dumps(str(value), ensure_ascii=False)
