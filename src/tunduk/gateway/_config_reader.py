"""Reading one TOML table strictly: typed getters that name the key and the rule on error."""

from __future__ import annotations

import math
import os
from pathlib import Path
from urllib.parse import urlsplit

from ._words import WordedError

__all__ = ["ConfigError", "Table", "check_url", "parse_listen"]

MAX_TEXT = 4096
"""Characters in any one string value (URLs, paths, addresses)."""


class ConfigError(WordedError):
    """A configuration key breaks a rule; ``field`` is the dotted key, ``message`` the rule.

    :meth:`told` gives ``field: rule`` in Kyrgyz, Russian or English.
    """

    def __init__(self, field: str, rule: str, **fields: object) -> None:
        super().__init__(field, rule, **fields)
        self.field = field


def check_url(value: str, field: str) -> str:
    """Return ``value`` if it is an absolute http or https URL with a host, else raise."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ConfigError(field, "is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(field, "must be an http:// or https:// URL")
    if not parts.hostname:
        raise ConfigError(field, "must name a host")
    if parts.fragment or port == 0 or any(ord(char) <= 32 for char in value):
        raise ConfigError(field, "must have no fragment, no port 0 and no spaces")
    return value


def parse_listen(value: str, field: str = "listen") -> tuple[str, int]:
    """Split ``HOST:PORT`` (``[IPV6]:PORT`` for IPv6); port 0 lets the system choose."""
    host, colon, port_text = value.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not colon or not host or not port_text.isascii() or not port_text.isdigit():
        raise ConfigError(field, "must be HOST:PORT, for example 127.0.0.1:8080")
    port = int(port_text)
    if port > 65535 or any(char.isspace() or char in "/[]" for char in host):
        raise ConfigError(field, "must be HOST:PORT with a port from 0 to 65535")
    return host, port


class Table:
    """One TOML table: getters that check type and bounds, then :meth:`refuse_unknown`."""

    def __init__(self, values: object, prefix: str, base: Path) -> None:
        if not isinstance(values, dict):
            raise ConfigError(prefix or "file", "must be a table")
        self._values: dict[str, object] = values
        self._prefix = prefix
        self._base = base
        self._read: set[str] = set()

    def name(self, key: str) -> str:
        """The dotted name of ``key`` in this table, as errors show it."""
        return f"{self._prefix}.{key}" if self._prefix else key

    def _get(self, key: str) -> object:
        self._read.add(key)
        return self._values.get(key)

    def table(self, key: str) -> Table:
        """A sub-table (an absent one reads as empty, so its keys take their defaults)."""
        value = self._get(key)
        return Table({} if value is None else value, self.name(key), self._base)

    def tables(self, key: str, limit: int) -> list[Table]:
        """An array of tables (``[[key]]``), at most ``limit`` of them."""
        value = self._get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ConfigError(self.name(key), "must be an array of tables ([[...]])")
        if len(value) > limit:
            raise ConfigError(self.name(key), "must hold at most %(limit)s entries", limit=limit)
        return [
            Table(item, f"{self.name(key)}[{index}]", self._base)
            for index, item in enumerate(value)
        ]

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string of at most :data:`MAX_TEXT` characters (required without default)."""
        value = self._get(key)
        if value is None:
            if default is None:
                raise ConfigError(self.name(key), "is required")
            return default
        if not isinstance(value, str):
            raise ConfigError(self.name(key), "must be a string")
        if not value or len(value) > MAX_TEXT or "\x00" in value:
            raise ConfigError(
                self.name(key), "must be 1 to %(limit)s characters, no NUL", limit=MAX_TEXT
            )
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        """One of ``choices``."""
        value = self.text(key, default)
        if value not in choices:
            raise ConfigError(
                self.name(key), "must be one of %(choices)s", choices=", ".join(choices)
            )
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        """An integer from ``low`` to ``high`` (booleans refused)."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(self.name(key), "must be an integer")
        if not low <= value <= high:
            raise ConfigError(
                self.name(key), "must be from %(low)s to %(high)s", low=low, high=high
            )
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        """A finite number (integer or float) from ``low`` to ``high``."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(self.name(key), "must be a number")
        if not math.isfinite(value) or not low <= value <= high:
            raise ConfigError(
                self.name(key), "must be from %(low)s to %(high)s", low=f"{low:g}", high=f"{high:g}"
            )
        return float(value)

    def path(self, key: str, default: str | None = None) -> Path:
        """A path, resolved against the configuration file's directory when relative."""
        return Path(os.path.abspath(self._base / self.text(key, default)))

    def optional_path(self, key: str) -> Path | None:
        """A path, or None when the key is absent."""
        return None if self._values.get(key) is None and self._mark(key) else self.path(key)

    def url(self, key: str) -> str:
        """A required http or https URL."""
        return check_url(self.text(key), self.name(key))

    def optional_url(self, key: str) -> str | None:
        """An http or https URL, or None when the key is absent."""
        return None if self._values.get(key) is None and self._mark(key) else self.url(key)

    def listen(self, key: str, default: str) -> str:
        """A ``HOST:PORT`` listen address."""
        value = self.text(key, default)
        parse_listen(value, self.name(key))
        return value

    def optional_listen(self, key: str) -> str | None:
        """A ``HOST:PORT`` listen address, or None when the key is absent."""
        if self._values.get(key) is None and self._mark(key):
            return None
        value = self.text(key)
        parse_listen(value, self.name(key))
        return value

    def journal_url(self, key: str, default: str) -> str:
        """``sqlite:///REL`` / ``sqlite:////ABS`` made absolute, or ``postgresql://…``."""
        value = self.text(key, default)
        if value.startswith("sqlite:///"):
            rest = value[len("sqlite:///") :]
            if not rest or rest.endswith("/") or "?" in rest or "#" in rest:
                raise ConfigError(self.name(key), "must name a file: sqlite:///journal.sqlite3")
            return "sqlite://" + os.path.abspath(self._base / rest)
        if value.startswith(("postgresql://", "postgres://")):
            return value
        raise ConfigError(self.name(key), "must start with sqlite:/// or postgresql://")

    def refuse_unknown(self) -> None:
        """Raise for the first key no getter asked for: a misspelling must not pass."""
        for key in sorted(set(self._values) - self._read):
            raise ConfigError(self.name(key), "is not a known key")

    def _mark(self, key: str) -> bool:
        self._read.add(key)
        return True
