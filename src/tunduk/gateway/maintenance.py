"""Maintenance mode: the provider side refuses new messages while the gateway is serviced.

An organisation that runs two gateways takes one out of service without downtime:
``tunduk gateway maintenance on --config FILE [--message TEXT]`` writes
``data_dir/maintenance.json``; the running gateway notices within
:data:`CHECK_INTERVAL` seconds (one ``stat`` per check, never a file access per message)
and from then on answers every message and metadata request a peer sends with
``Server.ServerProxy.MaintenanceMode`` (journaled as a refusal, like every other), while
exchanges already in flight finish, its own clients keep calling out, and checkpoints are
still cosigned. A client gateway that meets the refusal tries the member's other gateways
(the request was refused before anything was done, so resending it is safe for any
method) unless the client pinned one with ``X-Road-Security-Server``. ``off`` removes the
file. ``tunduk gateway status`` and the Catalog's gateway page show the state.

Exceptions::

    MaintenanceError   the message is not acceptable, or the file is not one this module wrote
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from ._words import WordedError
from .config import GatewayConfig

__all__ = [
    "CHECK_INTERVAL",
    "MAINTENANCE_FILE",
    "MAX_MESSAGE",
    "Maintenance",
    "MaintenanceError",
    "MaintenanceWatch",
    "begin_maintenance",
    "end_maintenance",
    "read_maintenance",
]

logger = logging.getLogger(__name__)

MAINTENANCE_FILE = "maintenance.json"
"""Under ``data_dir``: present while the gateway is in maintenance."""
CHECK_INTERVAL = 1.0
"""Seconds between the running gateway's checks of the file."""
MAX_MESSAGE = 200
"""Characters of the message peers are told (it goes into their error's ``message``)."""
_MAX_FILE_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class MaintenanceError(WordedError):
    """A message that cannot be told to peers, or a maintenance file that cannot be read."""


@dataclass(frozen=True)
class Maintenance:
    """The gateway is in maintenance since ``since``; ``message`` is told to peers."""

    since: datetime
    message: str

    @property
    def since_text(self) -> str:
        """``since`` in RFC 3339 UTC (``2026-11-30T09:00:00Z``)."""
        return self.since.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def describe(self) -> str:
        """``in maintenance since … [: message]`` for errors, logs and the status."""
        message = f": {self.message}" if self.message else ""
        return f"in maintenance since {self.since_text}{message}"

    def as_status(self) -> dict[str, Any]:
        """The ``maintenance`` section of the gateway's status."""
        return {"on": True, "since": self.since_text, "message": self.message}


def maintenance_path(config: GatewayConfig) -> Path:
    """Where the maintenance file of the gateway of ``config`` lives."""
    return config.data_dir / MAINTENANCE_FILE


def _checked_message(message: str, where: str = "--message") -> str:
    """``message`` stripped, if peers may be told it; ``where`` names it in the refusal."""
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise MaintenanceError(where, "is longer than %(limit)s characters", limit=MAX_MESSAGE)
    if _CONTROL.search(message):
        raise MaintenanceError(where, "contains a control character or a line break")
    return message


def begin_maintenance(
    config: GatewayConfig, message: str = "", *, now: datetime | None = None
) -> Maintenance:
    """Put the gateway in maintenance (kept as it is when it already is; the message updated)."""
    text = _checked_message(message)
    current = read_maintenance(config)
    since = current.since if current is not None else (now or datetime.now(UTC))
    since = since.replace(microsecond=0)
    state = Maintenance(since, text)
    path = maintenance_path(config)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{MAINTENANCE_FILE}.tmp")
    temporary.write_bytes(orjson.dumps({"since": state.since_text, "message": text}))
    os.replace(temporary, path)  # the running gateway never reads half a file
    return state


def end_maintenance(config: GatewayConfig) -> bool:
    """End maintenance; whether the gateway was in maintenance."""
    try:
        maintenance_path(config).unlink()
    except FileNotFoundError:
        return False
    return True


def read_maintenance(config: GatewayConfig) -> Maintenance | None:
    """The maintenance state written by :func:`begin_maintenance`, or ``None``."""
    return _read(maintenance_path(config))


def _read(path: Path) -> Maintenance | None:
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    if len(data) > _MAX_FILE_BYTES:
        raise MaintenanceError(path, "is larger than %(limit)s bytes", limit=_MAX_FILE_BYTES)
    try:
        document = orjson.loads(data)
        since = datetime.fromisoformat(document["since"])
        message = _checked_message(document["message"], "message")
    except (orjson.JSONDecodeError, TypeError, KeyError, ValueError) as error:
        raise MaintenanceError(
            path, "is not a maintenance file: %(reason)s", reason=error
        ) from None
    if since.tzinfo is None:
        raise MaintenanceError(path, "the time has no time zone")
    return Maintenance(since, message)


class MaintenanceWatch:
    """The maintenance state as the running gateway sees it, checked now and then.

    A file that cannot be read keeps the gateway in maintenance (an administrator meant
    to change something; refusing is the side that loses no data) and is logged.
    """

    def __init__(self, path: Path, on_change: Callable[[], None] | None = None) -> None:
        self.path = path
        self.on_change = on_change
        """Called when maintenance begins or ends (the runtime reports to central then)."""
        self.state: Maintenance | None = None
        self._seen: tuple[int, int, int] | None = None

    def check(self) -> None:
        """Look at the file (one ``stat``; read only when it changed)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            was_on = self.state is not None
            self.state, self._seen = None, None
            if was_on:
                logger.info("maintenance ended: accepting messages from peers again")
                self._changed()
            return
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if seen == self._seen:
            return
        self._seen = seen
        try:
            state = _read(self.path)
        except (MaintenanceError, OSError) as error:
            logger.error("maintenance file unreadable, staying in maintenance: %s", error)
            state = Maintenance(datetime.now(UTC), "")
        if state is not None and self.state is None:
            logger.info("maintenance began: refusing messages from peers (%s)", state.describe())
        elif state is None and self.state is not None:
            logger.info("maintenance ended: accepting messages from peers again")
        changed = state != self.state
        self.state = state
        if changed:
            self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def run(self) -> None:
        """Check every :data:`CHECK_INTERVAL` seconds until cancelled."""
        while True:
            await asyncio.sleep(CHECK_INTERVAL)
            self.check()
