"""One typed reading of the process environment.

Every setting the deployment may change is read here, once, with its type and
default. Production is the default: development (``TUNDUK_DEBUG=1``, which ``make run``
sets) must be asked for. Missing required values and placeholder or weak secrets fail
fast outside development.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDER_SECRET = "dev-only-insecure-secret-key-change-me"  # a marker, refused in production
# What Django's deployment check (security.W009) accepts as a real secret.
MIN_SECRET_LENGTH = 50
MIN_SECRET_CHARACTERS = 5
ONE_YEAR = 365 * 24 * 3600
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


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


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None


def _positive_int(name: str, default: int) -> int:
    value = _int(name, default)
    if value <= 0:
        raise ConfigurationError(f"{name} must be greater than zero, got {value}")
    return value


def _secret_key(debug: bool) -> str:
    secret_key = os.environ.get("TUNDUK_SECRET_KEY", PLACEHOLDER_SECRET if debug else "")
    if debug:
        return secret_key
    if not secret_key or secret_key == PLACEHOLDER_SECRET:
        raise ConfigurationError(
            "TUNDUK_SECRET_KEY must be set to a real secret when TUNDUK_DEBUG is off"
        )
    if len(secret_key) < MIN_SECRET_LENGTH or len(set(secret_key)) < MIN_SECRET_CHARACTERS:
        raise ConfigurationError(
            f"TUNDUK_SECRET_KEY must be at least {MIN_SECRET_LENGTH} random characters"
            " (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    return secret_key


def _site_url(debug: bool) -> str:
    """``TUNDUK_SITE_URL`` without a trailing slash; outside development required, https.

    It names the CA's CRL in the global configuration and makes the links in e-mails, so
    the development default (plain HTTP on 127.0.0.1) would send gateways and employees
    to a place they cannot reach, or over plain HTTP.
    """
    # In development the links follow the port served (``PORT``, as ``make run`` reads it).
    development = f"http://127.0.0.1:{os.environ['PORT']}" if os.environ.get("PORT") else ""
    default = (development or DEVELOPMENT_SITE_URL) if debug else ""
    raw = os.environ.get("TUNDUK_SITE_URL", default).strip()
    if not debug and not raw.lower().startswith("https://"):
        raise ConfigurationError(
            "TUNDUK_SITE_URL must be set to the site's https:// address when TUNDUK_DEBUG is off"
            f" (it names the CRL in the global configuration), got {raw!r}"
        )
    return raw.rstrip("/")


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _witness_keys(name: str) -> list[str]:
    """Comma-separated witness verifier keys; each must be a cosignature/v1 (0x04) key."""
    from tunduk.journal import NoteError, Verifier

    keys = _list(name, [])
    for key in keys:
        try:
            verifier = Verifier.from_key(key)
        except NoteError as error:
            raise ConfigurationError(f"{name}: {key!r} is not a verifier key: {error}") from None
        if verifier.alg != 0x04:
            raise ConfigurationError(f"{name}: {key!r} is not a witness (cosignature/v1) key")
    return keys


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
    journal_witnesses: list[str]
    hsts_seconds: int
    proxy_ssl_header: str
    session_minutes: int
    statement_timeout_seconds: int

    @classmethod
    def read(cls, base_dir: Path) -> Environment:
        """Read and validate the environment; raise ``ConfigurationError`` on bad values."""
        debug = _bool("TUNDUK_DEBUG", False)
        data_dir = Path(os.environ.get("TUNDUK_DATA_DIR", str(base_dir / "var")))
        secret_key = _secret_key(debug)
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
            site_url=_site_url(debug),
            journal_signing_key=os.environ.get("TUNDUK_JOURNAL_SIGNING_KEY", ""),
            journal_origin=os.environ.get(
                "TUNDUK_JOURNAL_ORIGIN", "registry.tunduk.example.kg/journal"
            ),
            journal_checkpoint_interval=_positive_int("TUNDUK_JOURNAL_CHECKPOINT_INTERVAL", 60),
            tsa_url=os.environ.get("TUNDUK_TSA_URL", ""),
            instance=os.environ.get("TUNDUK_INSTANCE", "KG"),
            tsa_roots=_list("TUNDUK_TSA_ROOTS", []),
            journal_witnesses=_witness_keys("TUNDUK_JOURNAL_WITNESSES"),
            # Development serves plain HTTP on 127.0.0.1; production sits behind a TLS proxy.
            hsts_seconds=_int("TUNDUK_HSTS_SECONDS", 0 if debug else ONE_YEAR),
            proxy_ssl_header=os.environ.get(
                "TUNDUK_PROXY_SSL_HEADER", "" if debug else "X-Forwarded-Proto"
            ).strip(),
            session_minutes=_int("TUNDUK_SESSION_MINUTES", 30),
            statement_timeout_seconds=_int("TUNDUK_STATEMENT_TIMEOUT_SECONDS", 30),
        )
