"""The gateway's side: download, verify, keep the last good copy on disk.

Blocking (``urllib.request``): the gateway calls :meth:`ConfigurationClient.refresh`
from a worker thread every poll interval, and :meth:`~ConfigurationClient.current`,
:meth:`~ConfigurationClient.check_certificate` and :meth:`~ConfigurationClient.is_revoked`
from the hot path (cheap: no I/O, no check of the configuration's signature).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509

from ._build import MAX_CLOCK_SKEW
from ._certificates import CertificateIndex
from ._codec import format_timestamp
from ._errors import (
    CacheError,
    DownloadError,
    GlobalConfigurationError,
    MissingConfigurationError,
    SignatureError,
    VersionRollbackError,
)
from ._model import ApprovedCa, GlobalConfiguration
from ._signing import (
    MEDIA_TYPE,
    ConfigurationAnchor,
    SignedConfiguration,
    check_expiry,
    check_not_future,
    verify,
    verify_signature,
)

logger = logging.getLogger(__name__)

CACHE_FILE = "configuration.signed.json"
"""The last good copy in ``cache_dir``: the envelope exactly as downloaded."""

MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Accepted:
    """A verified configuration, the envelope it came in, its signer's validity, and the
    index of its CAs and revoked serials."""

    def __init__(self, signed: SignedConfiguration, conf: GlobalConfiguration) -> None:
        self.signed = signed
        self.conf = conf
        self.certificates = CertificateIndex(conf)
        certificate = x509.load_pem_x509_certificate(signed.signer_certificate_pem)
        self.signer = certificate.subject.rfc4514_string()
        self.signer_not_before = certificate.not_valid_before_utc
        self.signer_not_after = certificate.not_valid_after_utc

    def check(self, now: datetime) -> None:
        """Cheap re-check for the hot path: configuration and signer still valid at ``now``."""
        check_expiry(self.conf, now)
        if not self.signer_not_before <= now < self.signer_not_after:
            raise SignatureError(
                f"the signer certificate ({self.signer}) is valid until"
                f" {format_timestamp(self.signer_not_after)}, not at {format_timestamp(now)}"
            )


class ConfigurationClient:
    """Downloads the signed configuration from ``url`` and keeps the last good copy."""

    def __init__(
        self,
        url: str,
        anchor: ConfigurationAnchor,
        cache_dir: Path,
        *,
        timeout: float = 10,
        clock: Clock = _utc_now,
        max_clock_skew: timedelta = MAX_CLOCK_SKEW,
    ) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"configuration URL must be http or https, got {url!r}")
        self.url = url
        self.anchor = anchor
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.clock = clock
        self.max_clock_skew = max_clock_skew
        self._lock = threading.Lock()
        self._accepted = self._load_cache()

    @property
    def cache_path(self) -> Path:
        """Where the last good copy lives."""
        return self.cache_dir / CACHE_FILE

    def _load_cache(self) -> _Accepted | None:
        """The cached copy if it still verifies against the anchor (expired is kept)."""
        try:
            data = self.cache_path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            signed = SignedConfiguration.from_bytes(data)
            now = self.clock()
            conf = verify_signature(signed, self.anchor, now=now)
            check_not_future(conf, now, self.max_clock_skew)
        except (GlobalConfigurationError, OSError) as error:
            logger.warning("ignoring the cached configuration %s: %s", self.cache_path, error)
            return None
        return _Accepted(signed, conf)

    def refresh(self) -> GlobalConfiguration:
        """Download, verify, cache and return the configuration.

        On any failure it raises (:class:`GlobalConfigurationError`) and the last good
        copy stays in place, in memory and on disk.
        """
        data = self._download()
        with self._lock:
            signed = SignedConfiguration.from_bytes(data)
            previous = self._accepted
            last_version = previous.conf.version if previous else None
            conf = verify(
                signed,
                self.anchor,
                now=self.clock(),
                last_version=last_version,
                max_clock_skew=self.max_clock_skew,
            )
            if (
                previous is not None
                and conf.version == previous.conf.version
                and signed.document != previous.signed.document
            ):
                # A signer that reuses a version number for other content is misbehaving.
                raise VersionRollbackError(
                    f"version {conf.version} was already accepted with different content"
                )
            self._write_cache(data)
            self._accepted = _Accepted(signed, conf)
        logger.info("accepted global configuration %s version %s", conf.instance, conf.version)
        return conf

    def _download(self) -> bytes:
        request = urllib.request.Request(self.url, headers={"Accept": MEDIA_TYPE})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if response.status != 200:
                    raise DownloadError(f"{self.url} answered HTTP {response.status}")
                data: bytes = response.read(MAX_DOWNLOAD_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise DownloadError(f"{self.url} answered HTTP {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise DownloadError(f"cannot download {self.url}: {error}") from error
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise DownloadError(f"{self.url} sent more than {MAX_DOWNLOAD_BYTES} bytes")
        return data

    def _write_cache(self, data: bytes) -> None:
        """Write to a temporary file, fsync, then rename over the old copy (atomic)."""
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.cache_dir, prefix=".configuration-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.cache_path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            directory = os.open(self.cache_dir, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError as error:
            raise CacheError(f"cannot write {self.cache_path}: {error}") from error

    def current(self) -> GlobalConfiguration:
        """The last good copy; raises if there is none or it (or its signer) expired.

        A gateway calls this before every exchange and refuses to exchange when it raises.
        """
        return self._current().conf

    def _current(self) -> _Accepted:
        accepted = self._accepted
        if accepted is None:
            raise MissingConfigurationError(
                f"no valid global configuration has been accepted from {self.url} yet"
            )
        accepted.check(self.clock())
        return accepted

    def check_certificate(
        self, certificate: x509.Certificate, *, at: datetime | None = None
    ) -> ApprovedCa:
        """Return the approved CA that issued ``certificate`` if it is valid and not revoked.

        ``at`` is the moment to judge (a signature's time); by default now, when every
        listed revocation counts. Raises :class:`UntrustedCertificateError`,
        :class:`RevokedCertificateError`, or what :meth:`current` raises. No I/O.
        """
        return self._current().certificates.check(certificate, at=at, now=self.clock())

    def is_revoked(self, certificate: x509.Certificate, *, at: datetime | None = None) -> bool:
        """Whether the current configuration lists ``certificate`` as revoked (at ``at``).

        Raises :class:`UntrustedCertificateError` for a certificate no approved CA issued
        (so a foreign certificate never reads as "not revoked"), or what :meth:`current`
        raises. No I/O.
        """
        return self._current().certificates.revoked_at(certificate, at) is not None

    def is_valid(self, now: datetime | None = None) -> bool:
        """True when a last good copy exists and is still valid at ``now``."""
        accepted = self._accepted
        if accepted is None:
            return False
        now = now or self.clock()
        try:
            accepted.check(now)
        except GlobalConfigurationError:
            return False
        return True
