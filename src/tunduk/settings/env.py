"""One typed reading of the process environment.

Every setting the deployment may change is read here, once, with its type and
default. Missing required values and placeholder secrets fail fast outside
development.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDER_SECRET = "dev-only-insecure-secret-key-change-me"  # a marker, refused in production


class ConfigurationError(RuntimeError):
    """Raised when the environment does not describe a usable deployment."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false), got {raw!r}")


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be greater than zero, got {value}")
    return value


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Environment:
    """The deployment's settings as read from ``TUNDUK_*`` and ``DATABASE_URL``."""

    debug: bool
    secret_key: str
    database_url: str
    allowed_hosts: list[str]
    data_dir: Path
    email_backend: str
    default_from_email: str
    site_url: str
    journal_signing_key: str
    journal_origin: str
    journal_checkpoint_interval: int
    tsa_url: str
    instance: str
    tsa_roots: list[str]

    @classmethod
    def read(cls, base_dir: Path) -> Environment:
        """Read and validate the environment; raise ``ConfigurationError`` on bad values."""
        debug = _bool("TUNDUK_DEBUG", True)
        data_dir = Path(os.environ.get("TUNDUK_DATA_DIR", str(base_dir / "var")))
        secret_key = os.environ.get("TUNDUK_SECRET_KEY", PLACEHOLDER_SECRET if debug else "")
        if not debug and (not secret_key or secret_key == PLACEHOLDER_SECRET):
            raise ConfigurationError(
                "TUNDUK_SECRET_KEY must be set to a real secret when TUNDUK_DEBUG is off"
            )
        default_db = f"sqlite:///{data_dir / 'tunduk.sqlite3'}"
        return cls(
            debug=debug,
            secret_key=secret_key,
            database_url=os.environ.get("DATABASE_URL", default_db),
            allowed_hosts=_list("TUNDUK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]),
            data_dir=data_dir,
            email_backend=os.environ.get(
                "TUNDUK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            ),
            default_from_email=os.environ.get("TUNDUK_FROM_EMAIL", "registry@tunduk.example.kg"),
            site_url=os.environ.get("TUNDUK_SITE_URL", "http://127.0.0.1:8000"),
            journal_signing_key=os.environ.get("TUNDUK_JOURNAL_SIGNING_KEY", ""),
            journal_origin=os.environ.get(
                "TUNDUK_JOURNAL_ORIGIN", "registry.tunduk.example.kg/journal"
            ),
            journal_checkpoint_interval=_positive_int("TUNDUK_JOURNAL_CHECKPOINT_INTERVAL", 60),
            tsa_url=os.environ.get("TUNDUK_TSA_URL", ""),
            instance=os.environ.get("TUNDUK_INSTANCE", "KG"),
            tsa_roots=_list("TUNDUK_TSA_ROOTS", []),
        )
