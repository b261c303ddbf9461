"""Finding the signed global configuration that was in force when a message travelled.

The running gateway keeps every configuration it accepted as
``data_dir/configurations/<version>.json`` (the envelope as downloaded); the one in force
at a moment is the newest whose validity covers it. The export checks it against the
gateway's own anchor, so it never packs a configuration the verifier would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from tunduk.globalconf import (
    CACHE_FILE,
    ConfigurationAnchor,
    GlobalConfiguration,
    GlobalConfigurationError,
    SignedConfiguration,
    verify,
)

from ._evidence_errors import ExportError
from .config import GatewayConfig

__all__ = ["configuration_at", "issuing_cas"]

CONFIGURATIONS_DIR = "configurations"
_MAX_ENVELOPE_BYTES = 32 * 1024 * 1024
_MAX_KEPT = 100_000


def _kept(config: GatewayConfig) -> list[Path]:
    """Kept envelopes, newest version first, then the client's cache as a last resort."""
    directory = config.data_dir / CONFIGURATIONS_DIR
    versions = []
    if directory.is_dir():
        for number, path in enumerate(directory.glob("*.json")):
            if number >= _MAX_KEPT:
                break
            if path.stem.isdigit():
                versions.append((int(path.stem), path))
    paths = [path for _, path in sorted(versions, reverse=True)]
    cache = config.data_dir / "globalconf" / CACHE_FILE
    return [*paths, cache] if cache.is_file() else paths


def configuration_at(config: GatewayConfig, at: datetime) -> tuple[bytes, GlobalConfiguration]:
    """The envelope (bytes as downloaded) and configuration in force at ``at``.

    Raises :class:`ExportError` naming where it looked when none is.
    """
    anchor = ConfigurationAnchor.from_bytes(config.anchor.read_bytes())
    for path in _kept(config):
        if path.stat().st_size > _MAX_ENVELOPE_BYTES:
            continue
        data = path.read_bytes()
        try:
            conf = verify(SignedConfiguration.from_bytes(data), anchor, now=at)
        except GlobalConfigurationError:
            continue
        return data, conf
    raise ExportError(
        "no configuration kept in %(directory)s was in force at %(at)s"
        " (the gateway keeps each one it accepts; was it running then?)",
        directory=config.data_dir / CONFIGURATIONS_DIR,
        at=at,
    )


def issuing_cas(
    conf: GlobalConfiguration, certificates: Sequence[x509.Certificate]
) -> list[x509.Certificate]:
    """The approved CA certificates of ``conf`` that issued ``certificates``."""
    authorities = [
        x509.load_pem_x509_certificate(ca.certificate_pem.encode("ascii"))
        for ca in conf.approved_cas
    ]
    found = []
    for certificate in certificates:
        for authority in authorities:
            try:
                certificate.verify_directly_issued_by(authority)
            except (ValueError, TypeError, InvalidSignature):
                continue
            found.append(authority)
            break
    return found
