"""The global configuration's exceptions (the hierarchy is drawn in the package docstring)."""

from __future__ import annotations

from datetime import datetime

__all__ = [
    "CacheError",
    "CertificateError",
    "ConfigurationFormatError",
    "DownloadError",
    "ExpiredError",
    "FutureConfigurationError",
    "GlobalConfigurationError",
    "InstanceMismatchError",
    "MissingConfigurationError",
    "RevokedCertificateError",
    "SignatureError",
    "UntrustedCertificateError",
    "VersionRollbackError",
]


class GlobalConfigurationError(Exception):
    """Base class of every error raised by :mod:`tunduk.globalconf`."""


class ConfigurationFormatError(GlobalConfigurationError):
    """A document, envelope or anchor breaks the format; ``path`` names the bad field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


class SignatureError(GlobalConfigurationError):
    """The signature does not verify, or the signer certificate is not trusted at ``now``."""


class ExpiredError(GlobalConfigurationError):
    """The configuration expired (``expires_at <= now``): gateways must not exchange."""

    def __init__(self, message: str, *, expires_at: datetime) -> None:
        super().__init__(message)
        self.expires_at = expires_at


class FutureConfigurationError(GlobalConfigurationError):
    """``generated_at`` is further ahead of the gateway's clock than the allowed skew.

    A document dated ahead would stay valid long after central has moved on (revocations,
    suspensions), so it is refused however well it is signed.
    """

    def __init__(self, message: str, *, generated_at: datetime) -> None:
        super().__init__(message)
        self.generated_at = generated_at


class InstanceMismatchError(GlobalConfigurationError):
    """The document belongs to another X-Road instance than the anchor."""


class VersionRollbackError(GlobalConfigurationError):
    """The document is older than (or conflicts with) the last accepted version."""


class MissingConfigurationError(GlobalConfigurationError):
    """No valid configuration was ever accepted (nothing downloaded, no usable cache)."""


class DownloadError(GlobalConfigurationError):
    """The configuration could not be downloaded (network, HTTP status, size)."""


class CacheError(GlobalConfigurationError):
    """The last good copy could not be written to the cache directory."""


class CertificateError(GlobalConfigurationError):
    """A certificate presented to a gateway fails its check against the configuration."""


class UntrustedCertificateError(CertificateError):
    """No approved CA issued the certificate, or it is not valid at the time asked about."""


class RevokedCertificateError(CertificateError):
    """The certificate's CA revoked it (``serial``, ``revoked_at``) at or before that time."""

    def __init__(self, message: str, *, serial: int, revoked_at: datetime) -> None:
        super().__init__(message)
        self.serial = serial
        self.revoked_at = revoked_at
